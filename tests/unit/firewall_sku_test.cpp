// Firewall SKUs, the management NIC, forced tunnelling and availability zones (issue 11): how `zones` and
// `management` elaborate, what the model makes of a forced-tunnel route (E0333 without the management NIC,
// `explain` following the hop with it), what the four targets write, and that examples/basic-sku and
// tests/golden/forced-tunnel-zones pass every validator. The diagnostics (E0330-E0337, W0245) have their files
// in tests/diagnostics.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "api/analyse.hpp"
#include "model/explain.hpp"
#include "model/network.hpp"
#include "support/lsp_session.hpp"
#include "support/analysed.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using namespace egress::testing::harness;

namespace {

/// `expect_errors`: the program is meant to have errors (a diagnostics case): no network model is built.
std::unique_ptr<Analysed> analyse(const std::string& text, bool expect_errors = false) {
  return analyse_text("tests/unit/firewall_sku.egress", text, expect_errors ? Expect::anything : Expect::usable);
}

const std::string kGolden = "tests/golden/forced-tunnel-zones/main.egress";
const std::string kBasic = "examples/basic-sku/main.egress";

std::string output(const Compiled& c, std::string_view name) {
  for (const auto& o : c.result.outputs)
    if (o.filename == name) return o.content;
  FAIL("no output " << name);
  return {};
}



}  // namespace

TEST_CASE("zones: 1 to 3, each once, kept in ascending order", "[firewall-sku][sema]") {
  auto a = analyse(R"(
param location: region = eastus
group rg "z-rg" in location
vnet vnet "z-vnet" 10.42.0.0/16 < subnet AzureFirewallSubnet 10.42.2.0/26 >
public_ip pip "z-pip" < zones 3, 1 >
firewall fw "z-fw" in vnet.AzureFirewallSubnet < zones 2, 1, 3; frontend pip >
)", true);
  INFO(a->rendered);
  const auto& program = a->analysis->program;
  CHECK(program.public_ips.front().zones == std::vector<int>{1, 3});
  CHECK(program.firewalls.front().zones == std::vector<int>{1, 2, 3});
  CHECK(a->count("E0335") == 1);  // the firewall is in zone 2, its public IP is not

  auto bad = analyse(R"(
param location: region = eastus
group rg "z-rg" in location
public_ip pip "z-pip" < zones 1, 1 >
public_ip pip4 "z-pip4" < zones 4 >
)", true);
  INFO(bad->rendered);
  CHECK(bad->count("E0106") >= 1);  // zone 1 twice
  CHECK(bad->has_errors());          // zone 4 is no zone of any region
}

TEST_CASE("management: the subnet is found by its fixed name in the firewall's VNet", "[firewall-sku][sema]") {
  auto a = analyse(R"(
param location: region = eastus
group rg "m-rg" in location
vnet vnet "m-vnet" 10.42.0.0/16 <
  subnet AzureFirewallSubnet 10.42.2.0/26
  subnet mgmt "AzureFirewallManagementSubnet" 10.42.2.64/26
>
public_ip pip "m-pip"
public_ip mpip "m-mpip"
firewall fw "m-fw" in vnet.AzureFirewallSubnet < sku basic; frontend pip; management mpip >
)");
  INFO(a->rendered);
  const auto& fw = a->analysis->program.firewalls.front();
  REQUIRE(fw.management.has_value());
  REQUIRE(fw.management->public_ip != nullptr);
  CHECK(fw.management->public_ip->symbol == "mpip");
  CHECK(fw.management->config_name.value == "mpip");  // the configuration is named after the public IP
  REQUIRE(fw.management_subnet() != nullptr);
  CHECK(fw.management_subnet()->symbol == "mgmt");  // by its Azure name, whatever the egress name
  CHECK(a->count("E0330") == 0);
  CHECK(a->count("E0331") == 0);
  CHECK_FALSE(a->has_errors());
}

TEST_CASE("forced tunnelling: explain follows the firewall's default route to the appliance",
          "[firewall-sku][model][explain]") {
  auto a = analyse(slurp(source_dir() + "/" + kGolden).value());
  INFO(a->rendered);
  CHECK_FALSE(a->has_errors());
  CHECK(a->count("E0333") == 0);
  const auto e = model::explain(*a->network, "aks", *model::parse_explain_target("mcr.microsoft.com:443/https"));
  INFO(e.text);
  CHECK(e.result == model::Explanation::Result::allowed);
  CHECK_THAT(e.text, Catch::Contains("rule `fqdn`"));
  CHECK_THAT(e.text, Catch::Contains("the firewall forwards it to VirtualAppliance 10.45.3.4"));
  CHECK_THAT(e.text, Catch::Contains("forced tunnelling"));
  CHECK_THAT(e.text, Catch::Contains("AzureFirewallManagementSubnet and public IP fwmgmtpip"));
  CHECK_THAT(e.text, !Catch::Contains("from the firewall's public IP"));

  // The same program without the tunnel route: the firewall's SNAT to the Internet, as before.
  auto text = slurp(source_dir() + "/" + kGolden).value();
  const std::string route = "  route onprem \"${prefix}-onprem\" 0.0.0.0/0 -> 10.45.3.4\n";
  REQUIRE(text.find(route) != std::string::npos);
  text.replace(text.find(route), route.size(), "");
  auto plain = analyse(text);
  const auto p = model::explain(*plain->network, "aks", *model::parse_explain_target("mcr.microsoft.com:443/https"));
  INFO(p.text);
  CHECK_THAT(p.text, Catch::Contains("leaves for the Internet from the firewall's public IP fwpip (SNAT)"));
  CHECK_THAT(p.text, !Catch::Contains("forced tunnelling"));
}

TEST_CASE("forced tunnelling: the same route without the management NIC is E0333", "[firewall-sku][model]") {
  auto text = slurp(source_dir() + "/" + kGolden).value();
  const std::string line = "  management fwmgmtpip \"${prefix}-fwmgmtconfig\"\n";
  REQUIRE(text.find(line) != std::string::npos);
  text.replace(text.find(line), line.size(), "");
  auto a = analyse(text);
  INFO(a->rendered);
  CHECK(a->count("E0333") == 1);
  // A route to the Internet on AzureFirewallSubnet needs no management NIC.
  const std::string hop = "0.0.0.0/0 -> 10.45.3.4";
  text.replace(text.find(hop), hop.size(), "0.0.0.0/0 -> internet");
  auto b = analyse(text);
  INFO(b->rendered);
  CHECK(b->count("E0333") == 0);
}

TEST_CASE("zones and the management NIC in ARM, Bicep and the script", "[firewall-sku][emit]") {
  auto c = compile_file(kGolden);
  INFO(c.rendered);
  REQUIRE(c.result.ok());
  const auto arm = nlohmann::json::parse(output(c, "main.json"));
  const nlohmann::json* fw = nullptr;
  std::vector<const nlohmann::json*> pips;
  for (const auto& r : arm["resources"]) {
    if (r["type"] == "Microsoft.Network/azureFirewalls") fw = &r;
    if (r["type"] == "Microsoft.Network/publicIPAddresses") pips.push_back(&r);
  }
  REQUIRE(fw != nullptr);
  CHECK((*fw)["zones"] == nlohmann::json::array({"1", "2", "3"}));
  const auto& m = (*fw)["properties"]["managementIpConfiguration"];
  CHECK(m["name"] == "[format('{0}-fwmgmtconfig', parameters('prefix'))]");
  CHECK_THAT(m["properties"]["subnet"]["id"].get<std::string>(), Catch::Contains("'AzureFirewallManagementSubnet')"));
  CHECK_THAT(m["properties"]["publicIPAddress"]["id"].get<std::string>(), Catch::Contains("-fwmgmtpip"));
  REQUIRE(pips.size() == 2);
  for (const auto* p : pips) CHECK((*p)["zones"] == nlohmann::json::array({"1", "2", "3"}));
  // The firewall waits for its management IP.
  bool depends = false;
  for (const auto& d : (*fw)["dependsOn"]) depends = depends || d.get<std::string>().find("-fwmgmtpip") != std::string::npos;
  CHECK(depends);

  const auto bicep = output(c, "main.bicep");
  CHECK_THAT(bicep, Catch::Contains("managementIpConfiguration: {"));
  CHECK_THAT(bicep, Catch::Contains("zones: [\n"));

  // Standard: the management configuration comes with the first `ip-config create`.
  const auto sh = output(c, "main.sh");
  CHECK_THAT(sh, Catch::Contains("--zones '1' '2' '3'"));
  CHECK_THAT(sh, Catch::Contains("--zone '1' '2' '3'"));
  CHECK_THAT(sh, Catch::Contains("--m-name \"$FW_FWMGMTCONFIG_NAME\""));
  CHECK_THAT(sh, Catch::Contains("--m-vnet-name \"$VNET_NAME\""));
  CHECK_THAT(sh, !Catch::Contains("--m-conf-name"));

  // Basic: the extension insists on --m-conf-name and --m-public-ip at creation, with the first frontend.
  auto basic = compile_file(kBasic);
  INFO(basic.rendered);
  REQUIRE(basic.result.ok());
  const auto bsh = output(basic, "main.sh");
  CHECK_THAT(bsh, Catch::Contains("--tier 'Basic'"));
  CHECK_THAT(bsh, Catch::Contains("--m-conf-name \"$FW_FWMGMTCONFIG_NAME\""));
  CHECK_THAT(bsh, Catch::Contains("--m-public-ip \"$FWMGMTPIP_NAME\""));
  CHECK_THAT(bsh, Catch::Contains("--conf-name \"$FW_FWCONFIG_NAME\""));
  CHECK_THAT(bsh, !Catch::Contains("az network firewall ip-config create"));  // its only frontend came with it
}

// The validators judge this golden case's outputs with every example's (examples_validators_test.cpp,
// "validators: tests/golden/forced-tunnel-zones"); golden_test.cpp proves the outputs are what egressc writes.

TEST_CASE("lsp: `management` and `zones` have hover text, and the management IP is a reference", "[firewall-sku][lsp]") {
  Session s;
  s.initialize();
  const std::string text = slurp(source_dir() + "/" + kBasic).value();
  const std::string uri = "file:///work/egress-test/examples/basic-sku/main.egress";
  s.open(uri, text);
  CHECK(s.hover_text(uri, pos_of(text, "management fwmgmtpip", 0, 2)).find("management PUBLIC_IP") != std::string::npos);
  const auto def = s.at("textDocument/definition", uri, pos_of(text, "management fwmgmtpip", 0, 13));
  CHECK(line_of(def) == line_of_text(text, "public_ip fwmgmtpip"));
}
