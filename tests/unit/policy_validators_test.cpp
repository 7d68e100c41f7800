// What the validators are to see in two golden cases: the classic firewall with IP groups of
// tests/golden/ip-groups-classic and the rule sets of tests/golden/rule-sets. The validators themselves judge
// every golden folder's outputs in examples_validators_test.cpp ("validators: tests/golden/NAME"), and
// golden_test.cpp proves those outputs are what egressc writes; here, that the outputs hold what the cases are
// about, so that a validator's pass means something.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using namespace egress::testing::harness;

TEST_CASE("the IP-group and rule-set golden cases hold their resources and commands", "[policy][golden]") {
  struct Case {
    const char* path;
    std::size_t arm_resources;
    const char* a_command;  // a piece of a command the script must hold
  };
  const Case cases[] = {
      // Public IP, VNet, 3 IP groups, route table, firewall, cluster, role assignment.
      {"tests/golden/ip-groups-classic/main.egress", 9,
       "--collection-name 'aksfwnr' --name 'apiudp' --protocols 'UDP' --source-ip-groups \"$NODES_ID\""},
      // 2 public IPs, 2 VNets, IP group, policy, its rule collection group, route table, 2 firewalls (one
      // classic with aks_required, one with the policy), cluster, role assignment.
      {"tests/golden/rule-sets/main.egress", 12,
       "--collection-name 'aks_required_application'"},
  };
  for (const auto& k : cases) {
    DYNAMIC_SECTION(k.path) {
      auto c = compile_file(k.path);
      INFO(c.rendered);
      REQUIRE(c.result.ok());
      std::string json, sh;
      for (const auto& o : c.result.outputs) {
        if (o.filename == "main.json") json = o.content;
        if (o.filename == "main.sh") sh = o.content;
      }
      const auto arm = nlohmann::json::parse(json);
      CHECK(arm.at("resources").size() == k.arm_resources);
      CHECK_THAT(sh, Catch::Contains(k.a_command));
      CHECK_THAT(sh, Catch::Contains("az resource create --resource-group"));  // the IP groups
    }
  }
}
