// A firewall in another resource group than its VNet (issue 12's gaps, part 1). ARM and Bicep name its subnets by
// resource ID through the VNet's group; the script passes `ip-config create` the subnets' IDs (--subnet,
// --management-subnet), which the azure-firewall extension keeps as they are instead of building them from
// --vnet-name in the firewall's group. A Basic firewall, created whole by `az network firewall create`, cannot be
// expressed: E0437, for the az target only. tests/golden/firewall-other-group holds the outputs.
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "support/compilation.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::unique_ptr<Compilation> build(const std::string& text, std::vector<Target> targets = Options{}.targets) {
  Options o;
  o.targets = std::move(targets);
  return compile_program("tests/unit/firewall_groups.egress", text, o);
}

std::string golden_case() { return slurp(source_dir() + "/tests/golden/firewall-other-group/main.egress").value_or(""); }

// The script's line that runs `what`, joined across its continuation lines.
std::string command_line(const std::string& script, const std::string& what) {
  const auto at = script.find(what);
  if (at == std::string::npos) return {};
  std::string out;
  for (auto i = at; i < script.size(); ++i) {
    if (script[i] == '\\' && i + 1 < script.size() && script[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (script[i] == '\n') break;
    out += script[i];
  }
  return out;
}

}  // namespace

TEST_CASE("firewall groups: ip-config create gets the subnets' IDs from the VNet's group", "[groups][az]") {
  const auto b = build(golden_case());
  INFO(b->rendered);
  REQUIRE(b->result.ok());
  const auto sh = b->content("main.sh");
  const auto line = command_line(sh, "az network firewall ip-config create");
  INFO(line);
  REQUIRE_FALSE(line.empty());
  // The firewall's group, and the subnets by ID: the hub VNet's ID (read back from hub-net) and the subnet's name.
  CHECK(std::regex_search(line, std::regex(R"(--subnet "\$\{[A-Z_]+_ID\}/subnets/\$\{?[A-Z_]+\}?")")));
  CHECK(std::regex_search(line, std::regex(R"(--management-subnet "\$\{[A-Z_]+_ID\}/subnets/\$\{?[A-Z_]+\}?")")));
  CHECK(line.find("--vnet-name") != std::string::npos);  // the extension still needs it to take --subnet
  CHECK(sh.find("az network vnet show --resource-group") != std::string::npos);
  // ARM: the firewall's subnet is resolved in the VNet's group.
  const auto arm = b->content("main.json");
  CHECK(arm.find("'hub-net', 'Microsoft.Network/virtualNetworks/subnets'") != std::string::npos);
}

TEST_CASE("firewall groups: a firewall in its VNet's group keeps --vnet-name alone", "[groups][az]") {
  auto text = golden_case();
  // Both in one group: move the firewall group's declarations into the network group's block.
  const auto open = text.find("group sec \"hub-fw\" in location <");
  REQUIRE(open != std::string::npos);
  text.replace(open, std::string("group sec \"hub-fw\" in location <").size(), "group net <");
  text += "group sec \"hub-fw\" in location\n";
  const auto b = build(text);
  INFO(b->rendered);
  REQUIRE(b->result.ok());
  const auto line = command_line(b->content("main.sh"), "az network firewall ip-config create");
  CHECK(line.find("--vnet-name") != std::string::npos);
  CHECK(line.find("--subnet") == std::string::npos);
  CHECK(line.find("--management-subnet") == std::string::npos);
}

TEST_CASE("firewall groups: a Basic firewall in another group than its VNet is E0437 for the script only", "[groups][az]") {
  const auto text = slurp(source_dir() + "/tests/diagnostics/E0437-az-firewall-vnet-other-group.egress").value_or("");
  REQUIRE_FALSE(text.empty());
  const auto all = build(text);
  INFO(all->rendered);
  CHECK(all->rendered.find("error[E0437]") != std::string::npos);
  CHECK(all->result.outputs.empty());
  // The templates express it: without the script there is no error, and ARM names the subnet in the VNet's group.
  const auto templates = build(text, {Target::arm, Target::bicep});
  INFO(templates->rendered);
  CHECK(templates->rendered.find("E0437") == std::string::npos);
  CHECK(templates->result.ok());
  CHECK(templates->content("main.json").find("'afg-net-rg', 'Microsoft.Network/virtualNetworks/subnets'") != std::string::npos);
}
