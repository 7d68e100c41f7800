// IDPS bypass rules and private ranges of a Premium firewall policy: what sema accepts and rejects (E0107,
// E0227, E0318, E0322), the IR, the ARM template's intrusionDetection.configuration, the az script's generic
// update, and W0241 for a cluster outside the private ranges. HTTP headers that application rules insert: the
// IR, the ARM template, the script's generic resource update, E0321 and E0323. The diagnostics files of
// E0322-E0325 and W0241 are in tests/diagnostics.
#include <catch2/catch.hpp>

#include <memory>

#include <nlohmann/json.hpp>

#include "api/analyse.hpp"
#include "emit/emit.hpp"
#include "lower/ir.hpp"
#include "lower/lower.hpp"
#include "support/analysed.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::unique_ptr<Analysed> analyse(const std::string& text) {
  return analyse_text("tests/unit/policy_idps_headers.egress", text, Expect::anything);
}

// NODES: the cluster subnet's prefix; POLICY: the policy's block.
std::string program(const std::string& nodes, const std::string& policy) {
  return R"(import aks
param location: region = eastus
group rg "pi-rg" in location
vnet vnet "pi-vnet" 10.42.0.0/16, 100.64.0.0/16 <
  subnet aks "aks-subnet" )" +
         nodes + R"( < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
>
ip_group nodes "pi-ipg-nodes" vnet.aks
public_ip fwpip "pi-fwpip"
route_table fwrt "pi-fwrt" < route fwrn 0.0.0.0/0 -> fw >
cluster aks "pi-aks" in vnet.aks < outbound user_defined_routing >
firewall fw "pi-fw" in vnet.AzureFirewallSubnet < sku premium; policy pol; frontend fwpip >
firewall_policy pol "pi-policy" <
  dns_proxy on
  rule_group aks priority 200 < use aks_required aks >
)" + policy + "\n>\n";
}

const nlohmann::json& policy_json(const nlohmann::json& arm) {
  for (const auto& r : arm["resources"])
    if (r["type"] == "Microsoft.Network/firewallPolicies") return r;
  FAIL("no policy");
  return arm;
}

}  // namespace

TEST_CASE("IDPS bypass rules and private ranges reach the IR, the ARM template and the az script",
          "[policy][lower][arm]") {
  auto a = analyse(program("10.42.1.0/24", R"(
  tier premium
  idps deny
  idps_signature 2024897 alert
  idps_bypass backup tcp nodes -> 203.0.113.10, 198.51.100.0/24 : 443, 8443
  idps_bypass mon any 10.42.1.0/24 -> nodes : *
  idps_bypass ping icmp * -> 10.42.0.0/16
  idps_private_ranges vnet.aks, 172.16.0.0/12)"));
  INFO(a->rendered);
  REQUIRE(a->analysis->usable);
  for (const auto& diag : a->analysis->diagnostics.all()) CHECK(diag.severity != Severity::error);
  Diagnostics diags;
  const auto d = lower::lower(a->analysis->program, diags);
  std::size_t pol = d.resources.size(), group = d.resources.size();
  for (std::size_t i = 0; i < d.resources.size(); ++i) {
    if (d.resources[i].kind == ir::Kind::firewall_policy) pol = i;
    if (d.resources[i].kind == ir::Kind::ip_group) group = i;
  }
  REQUIRE(pol < d.resources.size());
  REQUIRE(group < d.resources.size());
  const auto& deps = d.resources[pol].depends_on;
  CHECK(std::find(deps.begin(), deps.end(), group) != deps.end());  // the bypass rule names the group by ID
  const auto& p = d.resources[pol].as<ir::FirewallPolicy>();
  REQUIRE(p.idps_bypass.size() == 3);
  CHECK(p.idps_bypass[0].protocol == "TCP");
  CHECK(p.idps_bypass[0].source_ip_groups == std::vector<ir::Index>{group});
  CHECK(p.idps_bypass[0].destination_ports == std::vector<std::string>{"443", "8443"});
  CHECK(p.idps_bypass[1].protocol == "ANY");  // the bypass enum spells it in capitals
  CHECK(p.idps_bypass[1].destination_ip_groups == std::vector<ir::Index>{group});
  CHECK(p.idps_bypass[2].destination_ports == std::vector<std::string>{"*"});
  CHECK(p.idps_private_ranges == std::vector<std::string>{"10.42.1.0/24", "172.16.0.0/12"});

  const auto arm = nlohmann::json::parse(emit::arm(d, emit::EmitOptions{"main", "0.1.0"}));
  const auto& config = policy_json(arm)["properties"]["intrusionDetection"]["configuration"];
  CHECK(config["signatureOverrides"][0]["id"] == "2024897");
  CHECK(config["privateRanges"] == nlohmann::json::array({"10.42.1.0/24", "172.16.0.0/12"}));
  const auto& backup = config["bypassTrafficSettings"][0];
  CHECK(backup["name"] == "backup");
  CHECK_FALSE(backup.contains("sourceAddresses"));  // only an IP group as the source
  CHECK(backup["sourceIpGroups"][0].get<std::string>().find("Microsoft.Network/ipGroups") != std::string::npos);
  CHECK(backup["destinationAddresses"] == nlohmann::json::array({"203.0.113.10", "198.51.100.0/24"}));
  CHECK(config["bypassTrafficSettings"][1]["destinationIpGroups"].size() == 1);

  // The script writes both lists with the policy's generic update, after the signature override.
  const auto script = emit::azcli(d, emit::EmitOptions{"main", "0.1.0"});
  const auto overrides = script.find("az network firewall policy intrusion-detection add");
  const auto update = script.find("az network firewall policy update");
  REQUIRE(overrides != std::string::npos);
  REQUIRE(update != std::string::npos);
  CHECK(overrides < update);
  const auto line = script.substr(update, script.find("\n\n", update) - update);
  CHECK(line.find(R"(intrusionDetection.configuration.privateRanges=["10.42.1.0/24","172.16.0.0/12"])") !=
        std::string::npos);
  CHECK(line.find(R"(\"sourceIpGroups\":[\"${)") != std::string::npos);  // the group's ID, read when it was created
  CHECK(line.find(R"(\"protocol\":\"ANY\")") != std::string::npos);
}

TEST_CASE("IDPS bypass rules and private ranges: Premium, an IDPS mode, addresses only", "[policy][sema]") {
  SECTION("a Standard policy") {
    auto a = analyse(program("10.42.1.0/24", "  idps_bypass backup tcp nodes -> 203.0.113.10 : 443\n  idps off"));
    INFO(a->rendered);
    CHECK(a->count("E0318") == 1);
    CHECK(a->rendered.find("an IDPS bypass rule needs a Premium policy") != std::string::npos);
  }
  SECTION("private ranges without an IDPS mode") {
    auto a = analyse(program("10.42.1.0/24", "  tier premium\n  idps_private_ranges 10.0.0.0/8"));
    INFO(a->rendered);
    CHECK(a->count("E0107") == 1);
  }
  SECTION("ports: ICMP has none, TCP needs them") {
    auto a = analyse(program("10.42.1.0/24",
                             "  tier premium\n  idps alert\n  idps_bypass a icmp * -> * : 80\n"
                             "  idps_bypass b tcp * -> 10.0.0.0/8"));
    INFO(a->rendered);
    CHECK(a->count("E0227") == 2);
  }
  SECTION("a service tag, and a duplicate name") {
    auto a = analyse(program("10.42.1.0/24",
                             "  tier premium\n  idps alert\n  idps_bypass a tcp * -> Storage : 443\n"
                             "  idps_bypass b tcp * -> 10.0.0.0/8 : 443\n  idps_bypass b udp * -> 10.0.0.0/8 : 53"));
    INFO(a->rendered);
    CHECK(a->count("E0322") == 1);
    CHECK(a->count("E0103") == 1);
  }
}

TEST_CASE("W0241: a cluster outside the IDPS private ranges, written or Azure's default", "[policy][model]") {
  // 100.64.0.0/24 is shared address space, not RFC 1918: the default ranges leave it out.
  auto by_default = analyse(program("100.64.1.0/24", "  tier premium\n  idps alert"));
  INFO(by_default->rendered);
  CHECK(by_default->count("W0241") == 1);
  CHECK(by_default->rendered.find("Azure's default, the RFC 1918 ranges") != std::string::npos);
  auto written = analyse(program("100.64.1.0/24", "  tier premium\n  idps alert\n  idps_private_ranges 100.64.0.0/10"));
  INFO(written->rendered);
  CHECK(written->count("W0241") == 0);
  auto off = analyse(program("100.64.1.0/24", "  tier premium\n  idps off"));
  CHECK(off->count("W0241") == 0);  // IDPS off: nothing to misjudge
  auto inside = analyse(program("10.42.1.0/24", "  tier premium\n  idps alert"));
  CHECK(inside->count("W0241") == 0);
}

TEST_CASE("HTTP headers to insert reach the IR, the ARM template and the az script", "[policy][lower][arm]") {
  auto a = analyse(program("10.42.1.0/24", R"(
  rule_group web priority 300 <
    application plain priority 100 <
      allow other http:80 nodes -> "b.contoso.example"
      allow api http:80 nodes -> "api.contoso.example" header "X-Tenant" "aks ${location}" header "X-Q" "say \"hi\""
    >
  >)"));
  INFO(a->rendered);
  REQUIRE(a->analysis->usable);
  CHECK(a->count("E0323") == 0);
  Diagnostics diags;
  const auto d = lower::lower(a->analysis->program, diags);
  const ir::RuleCollectionGroup* web = nullptr;
  for (const auto& r : d.resources)
    if (r.kind == ir::Kind::rule_collection_group && r.name.value == "web") web = &r.as<ir::RuleCollectionGroup>();
  REQUIRE(web != nullptr);
  const auto& headers = web->collections.at(0).application.rules.at(1).http_headers;
  REQUIRE(headers.size() == 2);
  CHECK(headers[0].name.value == "X-Tenant");
  CHECK(headers[0].value.value == "aks eastus");

  const auto arm = nlohmann::json::parse(emit::arm(d, emit::EmitOptions{"main", "0.1.0"}));
  for (const auto& r : arm["resources"]) {
    if (r["type"] != "Microsoft.Network/firewallPolicies/ruleCollectionGroups" ||
        r["name"].get<std::string>().find("/web") == std::string::npos)
      continue;
    const auto& rules = r["properties"]["ruleCollections"][0]["rules"];
    CHECK_FALSE(rules[0].contains("httpHeadersToInsert"));
    CHECK(rules[1]["httpHeadersToInsert"][0]["headerName"] == "X-Tenant");
    CHECK(rules[1]["httpHeadersToInsert"][0]["headerValue"].get<std::string>().find("parameters('location')") !=
          std::string::npos);
    CHECK(rules[1]["httpHeadersToInsert"][1]["headerValue"] == "say \"hi\"");
  }

  const auto script = emit::azcli(d, emit::EmitOptions{"main", "0.1.0"});
  const auto update = script.find("az resource update");
  REQUIRE(update != std::string::npos);
  const auto line = script.substr(update, script.find("\n\n", update) - update);
  CHECK(line.find("--resource-type 'Microsoft.Network/firewallPolicies/ruleCollectionGroups'") != std::string::npos);
  CHECK(line.find("properties.ruleCollections[0].rules[1].httpHeadersToInsert=") != std::string::npos);
  CHECK(line.find(R"(\"headerValue\":\"say \\\"hi\\\"\")") != std::string::npos);  // JSON-escaped in bash
  // After the rule it belongs to.
  CHECK(script.rfind("Adding application rule api", update) != std::string::npos);
}

TEST_CASE("HTTP headers: HTTP everywhere, HTTPS only decrypted by Premium, none in classic rules", "[policy][sema]") {
  SECTION("HTTPS on a Premium policy without terminate_tls") {
    auto a = analyse(program("10.42.1.0/24", R"(
  tier premium
  rule_group web priority 300 <
    application t priority 100 < allow api https:443 nodes -> "api.contoso.example" header "X-Tenant" "aks" >
  >)"));
    INFO(a->rendered);
    CHECK(a->count("E0323") == 1);
    CHECK(a->rendered.find("no `terminate_tls`") != std::string::npos);
  }
  SECTION("a Microsoft 365 FQDN tag: a policy's rule takes it (E0260 is for classic rules)") {
    auto a = analyse(program("10.42.1.0/24", R"(
  rule_group m365 priority 300 <
    application mail priority 100 < allow mail https:443 nodes -> tag Office365.Exchange.Optimize >
  >)"));
    INFO(a->rendered);
    CHECK(a->count("E0260") == 0);
    CHECK(a->analysis->usable);
  }
  SECTION("a classic rule") {
    auto a = analyse(R"(param location: region = eastus
group rg "pc-rg" in location
vnet vnet "pc-vnet" 10.42.0.0/16 < subnet AzureFirewallSubnet 10.42.2.0/24 >
public_ip fwpip "pc-fwpip"
firewall fw "pc-fw" in vnet.AzureFirewallSubnet <
  frontend fwpip
  application web priority 100 < allow api http:80 10.42.1.0/24 -> "api.contoso.example" header "X-Tenant" "aks" >
>
)");
    INFO(a->rendered);
    CHECK(a->count("E0321") == 1);
  }
}
