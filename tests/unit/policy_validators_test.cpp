// The firewall-policy example, the classic firewall with IP groups of tests/golden/ip-groups-classic and the
// rule sets of tests/golden/rule-sets,
// through every third-party validator: the ARM template with the ARM checker
// (--strict), the Bicep file with both tree-sitter grammars, the script with shellcheck and the Azure CLI's
// own parser with the azure-firewall extension (nothing rejected, nothing unchecked), the manifests with the
// Kubernetes schemas. The validators are set up by scripts/setup.sh --tests into build/validators; without
// them the test warns and passes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/arm_strict.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using namespace egress::testing::harness;

namespace {

std::string validators() { return source_dir() + "/build/validators"; }

std::string last_line(const std::string& out) {
  std::istringstream lines(out);
  std::string last;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) last = line;
  return last;
}

/// Counts the lines of az_check's report that start with `what` ("accepted", "rejected", "unchecked").
int count_lines(const std::string& out, const std::string& what) {
  std::istringstream lines(out);
  int n = 0;
  for (std::string line; std::getline(lines, line);)
    if (line.find(what + "  az ") != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("the firewall-policy example and the classic IP-group case pass every validator", "[policy][validators]") {
  if (!std::filesystem::exists(validators() + "/arm_check.sh")) {
    WARN("build/validators is not set up (scripts/setup.sh --tests): skipped");
    return;
  }
  struct Case {
    const char* path;
    const char* arm_last_line;
    const char* a_command;  // a command the script must hold, accepted
  };
  // Example: public IP, VNet, IP group, policy, 2 rule collection groups, route table, firewall, cluster, role
  // assignment. Classic: public IP, VNet, 3 IP groups, route table, firewall, cluster, role assignment.
  const Case cases[] = {
      {"examples/firewall-policy/main.egress",
       "ARM: 10 resource(s), 10 checked against type schemas, 0 unchecked; 0 error(s), 0 warning(s)",
       "az network firewall policy rule-collection-group collection add-filter-collection"},
      {"tests/golden/ip-groups-classic/main.egress",
       "ARM: 9 resource(s), 9 checked against type schemas, 0 unchecked; 0 error(s), 0 warning(s)",
       "az network firewall network-rule create --resource-group ipg-rg --firewall-name ipg-fw --collection-name aksfwnr --name back"},
      // Rule sets: 2 public IPs, 2 VNets, IP group, policy, its rule collection group, route table, 2 firewalls
      // (one classic with aks_required, one with the policy), cluster, role assignment.
      {"tests/golden/rule-sets/main.egress",
       "ARM: 12 resource(s), 12 checked against type schemas, 0 unchecked; 0 error(s), 0 warning(s)",
       "az network firewall application-rule create --resource-group rs-rg --firewall-name rs-fw --collection-name aks_required_application"},
  };
  for (const auto& k : cases) {
    DYNAMIC_SECTION(k.path) {
      auto c = compile_file(k.path);
      INFO(c.rendered);
      REQUIRE(c.result.ok());
      TempDir dir;
      for (const auto& o : c.result.outputs) spit(dir.path / o.filename, o.content);
      const std::string d = dir.path.string();

      // ARM: every resource checked against its type's schema, strictly.
      auto r = run_command(validators() + "/arm_check.sh " + d + "/main.json");
      INFO(r.out);
      CHECK(r.status == 0);
      CHECK(last_line(r.out) == k.arm_last_line);
      // --strict, on a copy without the union-level names of rule collections (support/arm_strict.hpp).
      write_strict_copy(dir.path / "main.json", dir.path / "strict.json");
      auto s = run_command(validators() + "/arm_check.sh " + d + "/strict.json --strict");
      INFO(s.out);
      CHECK(s.status == 0);
      CHECK(last_line(s.out) == k.arm_last_line);

      // Bicep: both grammars parse it.
      auto b = run_command(validators() + "/bicep_check.sh " + d + "/main.bicep");
      INFO(b.out);
      CHECK(b.status == 0);
      CHECK(last_line(b.out) == "BICEP: syntax OK");

      // az: shellcheck, and every command accepted by the CLI with the azure-firewall extension.
      auto z = run_command("AZ_CHECK_STRICT=1 " + validators() + "/az_check.sh " + d + "/main.sh");
      INFO(z.out);
      CHECK(z.status == 0);
      CHECK(z.out.find("shellcheck: no issues") != std::string::npos);
      CHECK(count_lines(z.out, "rejected") == 0);
      CHECK(count_lines(z.out, "unchecked") == 0);
      CHECK(z.out.find("accepted  " + std::string(k.a_command)) != std::string::npos);
      CHECK(z.out.find("accepted  az resource create --resource-group") != std::string::npos);  // the IP groups
      CHECK(count_lines(z.out, "accepted") >= 20);
    }
  }
}
