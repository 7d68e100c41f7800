// IP groups and firewall policies in the network model: a group is its addresses, a policy firewall's rules
// are the policy's in Azure's order for policies (rule collection group priority, then collection priority;
// DNAT, then network, then application rules), and the lowering keeps a policy's groups one after another.
// The diagnostics (E0310-E0314) have their files in tests/diagnostics; the example, its goldens and the
// validators are in examples/firewall-policy and policy_validators_test.cpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include "api/analyse.hpp"
#include "lower/ir.hpp"
#include "lower/lower.hpp"
#include "model/explain.hpp"
#include "model/flows.hpp"
#include "model/network.hpp"
#include "support/analysed.hpp"
#include "support/deployment.hpp"
#include "support/flows.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::unique_ptr<Analysed> analyse(const std::string& text) {
  return analyse_text("tests/unit/policy.egress", text, Expect::usable);
}

// A VNet with the nodes' subnet, another subnet, the firewall's, and a route through the firewall.
const std::string kNet = R"(import aks
param location: region = eastus
group rg "p-rg" in location
vnet vnet "p-vnet" 10.42.0.0/16 <
  subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt >
  subnet other "other-subnet" 10.42.3.0/24
  subnet AzureFirewallSubnet 10.42.2.0/24
>
public_ip fwpip "p-fwpip"
route_table fwrt "p-fwrt" < route fwrn 0.0.0.0/0 -> fw >
cluster aks "p-aks" in vnet.aks < outbound user_defined_routing >
)";

sema::Cidr cidr(std::string_view text) {
  const auto slash = text.find('/');
  return sema::Cidr{sema::parse_ip(text.substr(0, slash)).value(), std::stoi(std::string(text.substr(slash + 1))), {}};
}

}  // namespace

TEST_CASE("IP groups: the model matches a group's addresses, as source and as destination", "[policy][model]") {
  auto a = analyse(kNet + R"(
ip_group nodes "p-ipg-nodes" vnet.aks, 10.42.9.0/24
ip_group backends "p-ipg-backends" 10.50.0.0/24, 10.60.0.7
firewall fw "p-fw" in vnet.AzureFirewallSubnet <
  dns_proxy on
  frontend fwpip
  network out priority 100 <
    allow back tcp nodes -> backends : 8443
  >
  application web priority 100 <
    allow ms https:443 nodes -> "*.microsoft.com"
  >
>
)");
  const auto& rules = a->network->rules(a->firewall("fw"));
  using R = model::Verdict::Result;
  // The nodes' subnet is a member: allowed, and the rule says which group matched.
  auto v = rules.evaluate(tcp_to("10.60.0.7", 8443), cidr("10.42.1.0/24"));
  CHECK(v.result == R::allowed);
  CHECK(v.rule_name() == "back");
  CHECK(v.how == "IP group backends, TCP port 8443");
  CHECK(rules.evaluate(tcp_to("10.50.0.200", 8443), cidr("10.42.9.0/24")).allowed());
  // Not a member: no match, neither as destination nor as source.
  CHECK(rules.evaluate(tcp_to("10.60.0.8", 8443), cidr("10.42.1.0/24")).result == R::no_match);
  CHECK(rules.evaluate(tcp_to("10.60.0.7", 8443), cidr("10.42.3.0/24")).result == R::no_match);
  // Application rules take the group as a source.
  CHECK(rules.evaluate(https("graph.microsoft.com"), cidr("10.42.1.0/24")).allowed());
  CHECK_FALSE(rules.evaluate(https("graph.microsoft.com"), cidr("10.42.3.0/24")).allowed());
}

TEST_CASE("IP groups: shadowing (W0203) compares a group's members", "[policy][model]") {
  // `again` is covered: its only member is the subnet `first` allows.
  auto covered = analyse(kNet + R"(
ip_group nodes "p-ipg-nodes" vnet.aks
firewall fw "p-fw" in vnet.AzureFirewallSubnet <
  frontend fwpip
  network out priority 100 <
    allow first tcp vnet.aks -> 10.50.0.0/16 : 443
    allow again tcp nodes -> 10.50.1.0/24 : 443
  >
>
)");
  CHECK(covered->count("W0203") == 1);
  // `wider` is not: its group also holds vnet.other, which no earlier rule allows.
  auto partial = analyse(kNet + R"(
ip_group both "p-ipg-both" vnet.aks, vnet.other
firewall fw "p-fw" in vnet.AzureFirewallSubnet <
  frontend fwpip
  network out priority 100 <
    allow first tcp vnet.aks -> 10.50.0.0/16 : 443
    allow wider tcp both -> 10.50.1.0/24 : 443
  >
>
)");
  CHECK(partial->count("W0203") == 0);
}

TEST_CASE("policies: group priority first, then collection priority; network rules before application rules",
          "[policy][model]") {
  auto a = analyse(kNet + R"(
firewall_policy base "p-policy" <
  dns_proxy on
  rule_group late priority 300 <
    network allowall priority 100 < allow web tcp vnet.aks -> * : 443 >
  >
  rule_group early priority 200 <
    network blocked priority 500 < deny web tcp vnet.aks -> 10.50.0.0/16 : 443 >
    application apps priority 100 < allow ms https:443 vnet.aks -> "*.microsoft.com" >
  >
>
firewall fw "p-fw" in vnet.AzureFirewallSubnet <
  policy base
  frontend fwpip
>
)");
  const auto& fw = a->firewall("fw");
  CHECK(fw.dns_proxy);  // the policy's
  const auto& rules = a->network->rules(fw);
  using R = model::Verdict::Result;
  // Group `early` (200) is processed before group `late` (300), whatever the collections' own priorities.
  auto v = rules.evaluate(tcp_to("10.50.0.1", 443), cidr("10.42.1.0/24"));
  CHECK(v.result == R::denied);
  CHECK(v.collection->name == "blocked");
  // Network rules of every group come before application rules: the later group's network rule decides.
  v = rules.evaluate(https("graph.microsoft.com"), cidr("10.42.1.0/24"));
  CHECK(v.allowed());
  REQUIRE(v.network_rule != nullptr);
  CHECK(v.collection->name == "allowall");
}

TEST_CASE("policies: collection priorities and names are per rule collection group; checks run once per rule",
          "[policy][model]") {
  auto a = analyse(kNet + R"(
firewall_policy base "p-policy" <
  rule_group one priority 200 <
    network web priority 100 <
      allow a tcp vnet.aks -> 10.50.0.0/16 : 443
      allow b tcp vnet.aks -> 10.50.1.0/24 : 443
    >
  >
  rule_group two priority 300 <
    network web priority 100 < allow a tcp vnet.aks -> 10.60.0.0/16 : 443 >
  >
>
firewall fw "p-fw" in vnet.AzureFirewallSubnet < policy base; frontend fwpip >
vnet hub "p-hub" 10.70.0.0/16 < subnet AzureFirewallSubnet 10.70.2.0/24 >
public_ip fw2pip "p-fw2pip"
firewall fw2 "p-fw2" in hub.AzureFirewallSubnet < policy base; frontend fw2pip >
)");
  INFO(a->rendered);
  CHECK(a->count("E0223") == 0);  // the same collection priority in two groups is fine
  CHECK(a->count("E0226") == 0);  // and so is the same collection name
  CHECK(a->count("W0203") == 1);  // `b` is shadowed; reported once, though two firewalls use the policy
}

TEST_CASE("policies: the example's cluster reaches every required flow, and explain walks the policy",
          "[policy][model][explain]") {
  auto a = analyse(slurp(source_dir() + "/examples/firewall-policy/main.egress").value());
  CHECK(a->codes().empty());
  const auto e = model::explain(*a->network, "aks", *model::parse_explain_target("mcr.microsoft.com:443/https"));
  CHECK(e.result == model::Explanation::Result::allowed);
  CHECK_THAT(e.text, Catch::Contains("firewall `fw` (10.42.2.4, subnet vnet.AzureFirewallSubnet), rules of policy "
                                     "`apps`, after those it inherits from base policy `platform`"));
  CHECK_THAT(e.text, Catch::Contains("application rules: allowed by collection `aksfwar` (priority 100 in rule "
                                     "collection group `aks`, priority 200 of policy `platform`), rule `fqdn`"));
  const auto udp = model::explain(*a->network, "aks", *model::parse_explain_target("AzureCloud.eastus:1194/udp"));
  CHECK(udp.result == model::Explanation::Result::allowed);
  CHECK_THAT(udp.text, Catch::Contains("rule `apiudp`"));
}

TEST_CASE("policies: the IR deploys a policy's groups one after another, then the firewall", "[policy][lower]") {
  // The example's platform policy has one group and the app team's another; two groups of one policy are
  // here, from a program of its own.
  auto two = analyse(kNet + R"(
firewall_policy base "p-policy" <
  rule_group one priority 200 < network a priority 100 < allow a tcp vnet.aks -> 10.50.0.0/16 : 443 > >
  rule_group two priority 300 < network b priority 100 < allow b tcp vnet.aks -> 10.60.0.0/16 : 443 > >
>
firewall fw "p-fw" in vnet.AzureFirewallSubnet < policy base; frontend fwpip >
)");
  Diagnostics two_diags;
  const auto t = lower::lower(two->analysis->program, two_diags);
  std::size_t one_at = 0, two_at = 0;
  for (std::size_t i = 0; i < t.resources.size(); ++i)
    if (t.resources[i].kind == ir::Kind::rule_collection_group) (t.resources[i].name.value == "one" ? one_at : two_at) = i;
  const auto& two_deps = t.resources[two_at].depends_on;
  CHECK(std::find(two_deps.begin(), two_deps.end(), one_at) != two_deps.end());  // concurrent updates are rejected

  auto a = analyse(slurp(source_dir() + "/examples/firewall-policy/main.egress").value());
  Diagnostics diags;
  const auto d = lower::lower(a->analysis->program, diags);
  REQUIRE_FALSE(diags.has_errors());
  auto index_of = [&](ir::Kind k, std::string_view name) { return testing::index_of(d, k, name); };
  auto depends = [&](std::size_t r, std::size_t on) { return testing::depends(d, r, on); };
  const auto platform = index_of(ir::Kind::firewall_policy, "aks-policy-fwpolicy-platform");
  const auto policy = index_of(ir::Kind::firewall_policy, "aks-policy-fwpolicy-apps");
  const auto aks = index_of(ir::Kind::rule_collection_group, "aks");
  const auto apps = index_of(ir::Kind::rule_collection_group, "apps");
  const auto fw = index_of(ir::Kind::firewall, "aks-policy-fw");
  const auto nodes = index_of(ir::Kind::ip_group, "aks-policy-ipg-nodes");
  CHECK(depends(aks, platform));
  CHECK(depends(aks, nodes));
  CHECK(depends(apps, policy));
  CHECK(depends(fw, policy));
  CHECK(depends(fw, apps));
  CHECK(depends(fw, aks));  // the inherited group too
  const auto& body = d.resources[fw].as<ir::Firewall>();
  CHECK(body.policy == policy);
  CHECK(body.network_collections.empty());
  CHECK(body.threat_intel_mode.empty());  // the policy's setting
  CHECK_FALSE(body.dns_proxy);
  const auto& p = d.resources[policy].as<ir::FirewallPolicy>();
  CHECK(p.dns_proxy);
  CHECK(p.sku_tier == "Premium");
  const auto& g = d.resources[aks].as<ir::RuleCollectionGroup>();
  CHECK(g.priority == 200);
  REQUIRE(g.collections.size() == 2);
  CHECK(g.collections[0].network.rules.at(0).source_ip_groups == std::vector<ir::Index>{nodes});
  CHECK(g.collections[0].network.rules.at(0).sources.empty());
}
