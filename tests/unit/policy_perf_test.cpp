// The Firewall Policy path stays linear in the number of rules (issue 11, "Performance"): the benchmark's
// policy program (bench/many_policy_rules.hpp: a base and a child policy, IP groups, rule collection groups
// of 200 rules, two firewalls) at n and 2n rules, phase by phase, and the shapes that were quadratic: one
// large collection in the az planner, many groups in lowering. The work is counted
// (base/work_count.hpp), exact on any machine; the times are bench/process_bench's figures.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>

#include "../../bench/many_policy_rules.hpp"
#include "api/analyse.hpp"
#include "emit/emit.hpp"
#include "lower/lower.hpp"
#include "model/explain.hpp"
#include "model/network.hpp"
#include "support/analysed.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::unique_ptr<Analysed> analyse(const std::string& text) {
  return analyse_text("tests/unit/policy_perf.egress", text, Expect::anything);
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// A network rule of the generator that the cluster's subnet may use to reach an address (its source is
// `nodes` or the subnet's prefix, its destination an address): the last such rule of the last group.
std::size_t last_address_rule(std::size_t rules) {
  for (std::size_t r = rules - 1;; --r)
    if (r % bench::kPolicyRulesPerGroup < bench::kPolicyRulesPerGroup / 2 && r % 3 != 1 && r % 10 != 0 && r % 10 != 5)
      return r;
}

// The work of each phase on the benchmark's policy program of `rules` rules.
struct PhaseWork {
  std::uint64_t analyse = 0, explain = 0, lower = 0, az = 0;  // ARM and Bicep write each resource once: no steps counted
};

PhaseWork policy_work(std::size_t rules) {
  PhaseWork w;
  std::unique_ptr<Analysed> a;
  w.analyse = steps([&] { a = analyse(bench::policy_rules(rules)); });
  INFO(a->rendered);
  REQUIRE(a->analysis->usable);
  REQUIRE_FALSE(a->analysis->diagnostics.has_errors());
  const auto& program = a->analysis->program;
  REQUIRE(program.firewalls.size() == 2);
  const std::size_t groups = bench::policy_groups(rules);
  // Both firewalls take every rule: the child's and the base policy's (whose groups come first).
  for (const auto& fw : program.firewalls) {
    std::size_t network = 0, application = 0;
    for (const auto& col : fw.collections) network += col.network_rules.size(), application += col.application_rules.size();
    CHECK(network >= rules / 2);
    CHECK(application >= rules / 2);
  }

  // explain: the cluster's flow to the destination of a network rule near the end of the last group.
  const auto r = last_address_rule(rules);
  const auto n = static_cast<unsigned>(r);
  const std::string to = "198." + std::to_string(18 + n / 65536 % 2) + "." + std::to_string(n / 256 % 256) + "." +
                         std::to_string(n % 256) + ":" + std::to_string(1 + n % 60000) + (r % 2 == 0 ? "/tcp" : "/udp");
  model::Explanation e;
  w.explain = steps([&] {
    const model::Network net(program, a->analysis->catalog);
    e = model::explain(net, "aks", *model::parse_explain_target(to));
  });
  INFO(e.text);
  CHECK(e.result == model::Explanation::Result::allowed);
  CHECK(e.text.find("`r" + std::to_string(r) + "`") != std::string::npos);

  Diagnostics diags;
  ir::Deployment d;
  w.lower = steps([&] { d = lower::lower(program, diags); });
  REQUIRE_FALSE(diags.has_errors());
  std::string arm, bicep, az;
  const emit::EmitOptions o;
  arm = emit::arm(d, o);
  bicep = emit::bicep(d, o);
  // The planner rule by rule (no threshold): the path whose linearity this test guards.
  w.az = steps([&] { az = emit::azcli_outputs(d, o, SIZE_MAX).script; });
  // Every group and IP group is a resource of each output: the stdlib's AKS group and `nodes` besides.
  CHECK(occurrences(arm, "\"Microsoft.Network/firewallPolicies/ruleCollectionGroups\"") == groups + 1);
  CHECK(occurrences(arm, "\"Microsoft.Network/ipGroups\"") == groups + 1);
  CHECK(occurrences(bicep, "'Microsoft.Network/firewallPolicies/ruleCollectionGroups@") == groups + 1);
  CHECK(occurrences(az, "az network firewall policy rule-collection-group create ") == groups + 1);
  CHECK(occurrences(az, "--resource-type 'Microsoft.Network/ipGroups'") == groups + 1);
  CHECK(occurrences(az, "az network firewall create ") == 2);
  // Each rule is one az command: the first of a collection creates the collection with it.
  CHECK(occurrences(az, "collection add-filter-collection ") + occurrences(az, "collection rule add ") >= rules);
  // With the default threshold, each group of more rules is one deployment of a template instead.
  const auto bulk = emit::azcli_outputs(d, o, kAzBulkThreshold);
  CHECK(bulk.templates.size() >= groups);
  CHECK(occurrences(bulk.script, "az deployment group create ") == bulk.templates.size());
  CHECK(occurrences(bulk.script, "collection rule add ") < rules / 100);
  return w;
}

}  // namespace

TEST_CASE("a Firewall Policy of 20,000 rules: every phase is linear", "[policy][perf]") {
  const auto at_n = policy_work(10000);
  const auto at_2n = policy_work(20000);
  INFO("steps for 10,000 and 20,000 rules: analyse " << at_n.analyse << ", " << at_2n.analyse << "; explain "
                                                      << at_n.explain << ", " << at_2n.explain << "; lower " << at_n.lower
                                                      << ", " << at_2n.lower << "; az " << at_n.az << ", " << at_2n.az);
  CHECK(grows_linearly(at_n.analyse, at_2n.analyse));  // sema and the model checks (shadowing, flows, limits)
  CHECK(grows_linearly(at_n.explain, at_2n.explain));  // the network model and the rule scan
  CHECK(grows_linearly(at_n.lower, at_2n.lower));      // dependencies and the creation order
  CHECK(grows_linearly(at_n.az, at_2n.az));            // the az planner's steps and their order
}

namespace {

// One policy, one group, one network collection of `rules` rules whose sources are IP groups: the az script
// adds the rules one after another, each needing its IP group.
std::string one_collection(std::size_t rules) {
  std::string s = R"(param location: region = eastus
group rg "one-rg" in location
vnet vnet "one-vnet" 10.42.0.0/16 <
  subnet aks 10.42.1.0/24
  subnet AzureFirewallSubnet 10.42.2.0/24
>
public_ip fwpip < sku standard >
ip_group a 10.42.1.0/25
ip_group b 10.42.1.128/25
firewall_policy p <
  rule_group g priority 100 <
    network big priority 100 <
)";
  for (std::size_t r = 0; r < rules; ++r)
    s += "      allow r" + std::to_string(r) + " tcp " + (r % 2 ? "a" : "b") + " -> 198.18." + std::to_string(r / 256 % 256) +
         "." + std::to_string(r % 256) + " : " + std::to_string(1 + r % 60000) + "\n";
  return s + "    >\n  >\n>\nfirewall fw in vnet.AzureFirewallSubnet < policy p\n frontend fwpip >\n";
}

std::uint64_t az_work(std::size_t rules) {
  auto a = analyse(one_collection(rules));
  INFO(a->rendered);
  REQUIRE(a->analysis->usable);
  Diagnostics diags;
  const auto d = lower::lower(a->analysis->program, diags);
  std::string az;
  const auto work = steps([&] { az = emit::azcli_outputs(d, {}, SIZE_MAX).script; });
  CHECK(occurrences(az, "collection rule add ") == rules - 1);
  return work;
}

}  // namespace

TEST_CASE("the az planner is linear in the rules of one policy collection", "[policy][perf]") {
  // Each rule used to need what every earlier rule of its collection needed: 4 times the work at 2n.
  const auto at_n = az_work(2000);
  const auto at_2n = az_work(4000);
  INFO(at_n << " steps for 2,000 rules, " << at_2n << " for 4,000");
  CHECK(grows_linearly(at_n, at_2n));
}

TEST_CASE("lowering is linear in a policy's rule collection groups and IP groups", "[policy][perf]") {
  // Many small groups, each with its own IP group: the resources and the dependencies between them grow
  // together (each resource used to scan every dependency edge, and each group every policy's groups).
  // Azure takes at most 90 groups in a policy and 200 IP groups per firewall ("Azure Firewall limits"): the
  // shape is larger than a deployable policy so that the growth shows, and egress says so (E0369, E0371),
  // which is all it says; lowering runs on the checked program all the same.
  auto program = [](std::size_t groups) {
    std::string s = R"(param location: region = eastus
group rg "many-rg" in location
vnet vnet "many-vnet" 10.42.0.0/16 <
  subnet aks 10.42.1.0/24
  subnet AzureFirewallSubnet 10.42.2.0/24
>
public_ip fwpip < sku standard >
)";
    for (std::size_t g = 0; g < groups; ++g) s += "ip_group i" + std::to_string(g) + " 10.60." + std::to_string(g / 250) + "." + std::to_string(g % 250 + 1) + "\n";
    s += "firewall_policy p <\n";
    for (std::size_t g = 0; g < groups; ++g)
      s += "  rule_group g" + std::to_string(g) + " priority " + std::to_string(100 + g) + " < network c priority 100 < allow r tcp i" +
           std::to_string(g) + " -> 198.18." + std::to_string(g / 256) + "." + std::to_string(g % 256) + " : 443 > >\n";
    return s + ">\nfirewall fw in vnet.AzureFirewallSubnet < policy p\n frontend fwpip >\n";
  };
  std::uint64_t work[2] = {};
  for (int twice = 0; twice < 2; ++twice) {
    const std::size_t groups = twice ? 2000 : 1000;
    auto a = analyse(program(groups));
    INFO(a->rendered);
    REQUIRE(a->analysis->usable);
    for (const auto& e : a->analysis->diagnostics.all()) {
      INFO(info(e.code).id << ": " << e.message);
      CHECK((e.code == Code::E0369 || e.code == Code::E0371));
    }
    Diagnostics diags;
    ir::Deployment d;
    work[twice] = steps([&] { d = lower::lower(a->analysis->program, diags); });
    std::size_t rcgs = 0;
    for (const auto& r : d.resources) {
      if (r.kind != ir::Kind::rule_collection_group) continue;
      ++rcgs;
      // After the policy and its previous group (one after another), and after its IP group.
      CHECK(r.depends_on.size() == (rcgs == 1 ? 2u : 3u));
    }
    CHECK(rcgs == groups);
  }
  INFO(work[0] << " steps for 1,000 groups, " << work[1] << " for 2,000");
  CHECK(grows_linearly(work[0], work[1]));
}
