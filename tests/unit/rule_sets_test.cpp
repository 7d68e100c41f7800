// Rule sets (sema/decl_rule_set.cpp): a `use` becomes ordinary collections before any check runs, so the
// checks, the model and the outputs see nothing new. These tests prove it on the model (two firewalls share a
// set; the stdlib's requirement sets satisfy E0246 by construction and follow the cluster's settings), check
// that errors found in a body and in the collections it placed point at the use, and that expansion stays
// linear. The diagnostics E0350-E0353, W0255-W0256 have their files in tests/diagnostics; the outputs are
// golden-tested in tests/golden/rule-sets and validated in policy_validators_test.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include "api/analyse.hpp"
#include "support/analysed.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::unique_ptr<Analysed> analyse(const std::string& text) {
  return analyse_text("tests/unit/rule_sets.egress", text, Expect::anything);
}

// The article's network and a public cluster whose egress goes through firewall fw, whose rules a test adds.
const std::string kNet = R"(import aks
param location: region = eastus
group rg "rs-rg" in location
vnet vnet "rs-vnet" 10.42.0.0/16 <
  subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
>
public_ip fwpip "rs-fwpip"
route_table fwrt "rs-fwrt" <
  route fwrn 0.0.0.0/0 -> fw
  route fwinternet fwpip/32 -> internet
>
cluster aks "rs-aks" in vnet.aks < outbound user_defined_routing >
)";

const std::string kFirewall = R"(firewall fw "rs-fw" in vnet.AzureFirewallSubnet <
  dns_proxy on
  frontend fwpip
)";

const sema::RuleCollection* collection(const sema::Firewall& fw, std::string_view name) {
  for (const auto& c : fw.collections)
    if (c.name == name) return &c;
  return nullptr;
}

std::vector<std::string> targets(const sema::RuleCollection& c) {
  std::vector<std::string> out;
  for (const auto& r : c.application_rules)
    for (const auto& t : r.targets) out.push_back(t.text);
  return out;
}

}  // namespace

TEST_CASE("rule sets: aks_required allows what E0246 checks, and removing the use makes E0246 fire", "[rule-sets]") {
  auto with = analyse(kNet + kFirewall + "  use aks_required aks priority 200\n  use aks_recommended aks priority 300\n>\n");
  INFO(with->rendered);
  REQUIRE(with->analysis->usable);
  CHECK(with->count("E0246") == 0);
  CHECK(with->count("W0230") == 0);
  CHECK_FALSE(with->analysis->diagnostics.has_errors());
  const auto& fw = with->firewall("fw");
  const auto* net = collection(fw, "aks_required_network");
  const auto* app = collection(fw, "aks_required_application");
  REQUIRE(net != nullptr);
  REQUIRE(app != nullptr);
  CHECK(net->priority == 200);
  CHECK(app->priority == 200);
  // The nodes' subnet is the source; `${location}` is the group's location, its parameter kept.
  REQUIRE(!net->network_rules.empty());
  CHECK(net->network_rules[0].sources.at(0).kind == sema::Endpoint::Kind::subnet);
  CHECK(net->network_rules[0].destinations.at(0).text == "AzureCloud.eastus");
  CHECK_FALSE(net->network_rules[0].destinations.at(0).pattern().is_literal());
  const auto t = targets(*app);
  CHECK(std::find(t.begin(), t.end(), "mcr.microsoft.com") != t.end());
  CHECK(std::find(t.begin(), t.end(), "*.hcp.eastus.azmk8s.io") != t.end());
  CHECK(std::find(t.begin(), t.end(), "security.ubuntu.com") == t.end());  // recommended: in aks_recommended
  REQUIRE(collection(fw, "aks_recommended_application") != nullptr);

  auto without = analyse(kNet + kFirewall + "  use aks_recommended aks priority 300\n>\n");
  CHECK(without->count("E0246") > 0);
}

TEST_CASE("rule sets: a requirement set follows the cluster's settings (requirement_applies)", "[rule-sets]") {
  std::string net = kNet;
  const std::string pub = "cluster aks \"rs-aks\" in vnet.aks < outbound user_defined_routing >";
  net.replace(net.find(pub), pub.size(),
              "cluster aks \"rs-aks\" in vnet.aks < outbound user_defined_routing\n private\n addon azure_policy >");
  auto a = analyse(net + kFirewall + "  use aks_required aks priority 200\n>\n");
  INFO(a->rendered);
  CHECK(a->count("E0246") == 0);
  const auto& fw = a->firewall("fw");
  // A private cluster needs no tunnel (the network rows are `when public`) and no *.hcp FQDN.
  CHECK(collection(fw, "aks_required_network") == nullptr);
  const auto* app = collection(fw, "aks_required_application");
  REQUIRE(app != nullptr);
  const auto t = targets(*app);
  CHECK(std::find(t.begin(), t.end(), "*.hcp.eastus.azmk8s.io") == t.end());
  CHECK(std::find(t.begin(), t.end(), "data.policy.core.windows.net") != t.end());  // when azure_policy
  // dc.services.visualstudio.com is a row of Azure Policy and of monitoring: one target, not two.
  CHECK(std::count(t.begin(), t.end(), "dc.services.visualstudio.com") <= 1);
}

TEST_CASE("rule sets: two firewalls, a classic one and a policy one, share a set", "[rule-sets]") {
  auto c = compile_file("tests/golden/rule-sets/main.egress", false);
  INFO(c.rendered);
  REQUIRE(c.result.ok());
  auto a = analyse(*slurp(source_dir() + "/tests/golden/rule-sets/main.egress"));
  const auto* classic = collection(a->firewall("fw"), "images");
  const auto* policy = collection(a->firewall("appsfw"), "images");
  REQUIRE(classic != nullptr);
  REQUIRE(policy != nullptr);
  CHECK(policy->group != nullptr);
  CHECK(classic->group == nullptr);
  // The same rule, each with its own use's argument as the source.
  REQUIRE(classic->network_rules.size() == 1);
  REQUIRE(policy->network_rules.size() == 1);
  CHECK(classic->network_rules[0].name == policy->network_rules[0].name);
  CHECK(classic->network_rules[0].sources.at(0).kind == sema::Endpoint::Kind::subnet);
  CHECK(policy->network_rules[0].sources.at(0).kind == sema::Endpoint::Kind::ip_group);
  CHECK(classic->origin.size() == 1);
  CHECK(a->text(classic->origin[0].span) == "use images vnet.aks");
}

TEST_CASE("rule sets: errors in a body point at the use, through nested sets", "[rule-sets]") {
  auto a = analyse(kNet + R"(
rule_set inner SRC < network web priority 200 < allow out tcp SRC -> vnet.nope : 443 > >
rule_set outer SRC < use inner SRC >
)" + kFirewall + "  use outer vnet.aks\n>\n");
  INFO(a->rendered);
  REQUIRE(a->count("E0104") == 1);
  const auto& d = a->first("E0104");
  REQUIRE(d.notes.size() == 2);
  CHECK(d.notes[0].message == "in rule set `inner`, used here");
  CHECK(a->text(d.notes[0].span) == "use inner SRC");
  CHECK(d.notes[1].message == "in rule set `outer`, used here");
  CHECK(a->text(d.notes[1].span) == "use outer vnet.aks");
}

TEST_CASE("rule sets: a clash two uses cause is reported with both uses (E0223, E0226)", "[rule-sets]") {
  auto a = analyse(kNet + R"(
rule_set web SRC < network web priority 200 < allow out tcp SRC -> 10.50.0.0/16 : 443 > >
)" + kFirewall + "  use aks_required aks priority 300\n  use web vnet.aks\n  use web 10.42.9.0/24\n>\n");
  INFO(a->rendered);
  REQUIRE(a->count("E0223") == 1);
  REQUIRE(a->count("E0226") == 1);
  for (const auto* code : {"E0223", "E0226"}) {
    const auto& d = a->first(code);
    std::vector<std::string> at;
    for (const auto& n : d.notes) at.push_back(a->text(n.span));
    CHECK(std::find(at.begin(), at.end(), "use web vnet.aks") != at.end());
    CHECK(std::find(at.begin(), at.end(), "use web 10.42.9.0/24") != at.end());
  }
}

TEST_CASE("rule sets: two clusters behind one firewall each take aks_required, named after the cluster", "[rule-sets]") {
  // A second cluster in its own subnet, sending its egress through the same firewall.
  const std::string second = R"(vnet vnet < subnet batch "batch-subnet" 10.42.3.0/24 < route_table fwrt > >
cluster batch "rs-batch" in vnet.batch < outbound user_defined_routing >
)";
  auto a = analyse(kNet + second + kFirewall +
                   "  use aks_required aks priority 200\n  use aks_required batch priority 210\n>\n");
  INFO(a->rendered);
  CHECK(a->count("E0226") == 0);
  CHECK(a->count("E0246") == 0);
  const auto& fw = a->firewall("fw");
  // Every use is named after its cluster once two clusters share the set, the first one renamed too.
  CHECK(collection(fw, "aks_required_network") == nullptr);
  CHECK(collection(fw, "aks_required_application") == nullptr);
  for (const char* name : {"aks_required_aks_network", "aks_required_aks_application", "aks_required_batch_network",
                           "aks_required_batch_application"})
    CHECK(collection(fw, name) != nullptr);
  const auto* batch = collection(fw, "aks_required_batch_network");
  REQUIRE(batch != nullptr);
  REQUIRE(!batch->network_rules.empty());
  CHECK(batch->network_rules.front().sources.front().text == "vnet.batch");
  CHECK(batch->priority == 210);

  // The same cluster twice is still two collections of one name: E0226, as when written by hand.
  auto twice = analyse(kNet + kFirewall + "  use aks_required aks priority 200\n  use aks_required aks priority 210\n>\n");
  CHECK(twice->count("E0226") == 2);
}

TEST_CASE("rule sets: unknown sets suggest, FQDN arguments are no sources, IP groups no app targets", "[rule-sets]") {
  auto a = analyse(kNet + R"(
rule_set web SRC, DST <
  network web priority 200 < allow out tcp SRC -> 10.50.0.0/16 : 443 >
  application app priority 200 < allow out https:443 * -> DST >
>
ip_group nodes "rs-ipg" vnet.aks
)" + kFirewall + "  use wbe vnet.aks, \"example.com\"\n  use web \"example.com\", nodes\n>\n");
  INFO(a->rendered);
  REQUIRE(a->count("E0104") == 1);
  CHECK(a->first("E0104").hint == "did you mean `web`?");
  REQUIRE(a->count("E0106") == 1);
  CHECK(a->text(a->first("E0106").span) == "\"example.com\"");
  REQUIRE(a->count("E0310") == 1);
  CHECK(a->first("E0310").notes.back().message == "in rule set `web`, used here");
}

TEST_CASE("rule sets: expansion is linear in the number of uses", "[rule-sets][limits]") {
  auto program = [](int groups) {
    std::string s = kNet + R"(
rule_set web SRC <
  network web priority 100 <
    allow a tcp SRC -> 10.50.0.0/16 : 443
    allow b tcp SRC -> 10.51.0.0/16 : 443
    allow c tcp SRC -> 10.52.0.0/16 : 443
  >
  application app priority 100 < allow d https:443 SRC -> "example.com" >
>
firewall_policy p "rs-policy" <
  dns_proxy on
)";
    for (int i = 0; i < groups; ++i) s += "  rule_group g" + std::to_string(i) + " priority " + std::to_string(100 + i) + " < use web vnet.aks >\n";
    return s + ">\nfirewall fw \"rs-fw\" in vnet.AzureFirewallSubnet < policy p\n frontend fwpip >\n";
  };
  const auto small = program(200);
  const auto large = program(400);
  std::unique_ptr<Analysed> a, b;
  const auto at_n = steps([&] { a = analyse(small); });
  const auto at_2n = steps([&] { b = analyse(large); });
  REQUIRE(a->analysis->usable);
  CHECK(a->firewall("fw").collections.size() == 400);
  CHECK(b->firewall("fw").collections.size() == 800);
  CHECK(grows_linearly(at_n, at_2n));
}
