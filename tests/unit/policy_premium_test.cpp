// Child policies and Premium features of firewall policies: the model processes a base policy's rules before
// its child's and does not inherit NAT collections, inherited rules shadow child rules (W0203), threat
// intelligence is inherited, and the IR and the ARM template carry basePolicy, IDPS, TLS inspection, custom
// DNS, the threat intelligence allowlist and the policy-only application rule fields. The diagnostics
// (E0315-E0321, W0240) have their files in tests/diagnostics.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>

#include "api/analyse.hpp"
#include "emit/emit.hpp"
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

/// `expect_errors`: the program is meant to have errors (a diagnostics case): no network model is built.
std::unique_ptr<Analysed> analyse(const std::string& text, bool expect_errors = false) {
  return analyse_text("tests/unit/policy_premium.egress", text, expect_errors ? Expect::anything : Expect::usable);
}

const std::string kNet = R"(import aks
param location: region = eastus
group rg "pp-rg" in location
vnet vnet "pp-vnet" 10.42.0.0/16 <
  subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
>
public_ip fwpip "pp-fwpip"
route_table fwrt "pp-fwrt" < route fwrn 0.0.0.0/0 -> fw >
cluster aks "pp-aks" in vnet.aks < outbound user_defined_routing >
firewall fw "pp-fw" in vnet.AzureFirewallSubnet < policy child; frontend fwpip >
)";

sema::Cidr nodes() { return sema::Cidr{sema::parse_ip("10.42.1.0").value(), 24, {}}; }

}  // namespace

TEST_CASE("child policies: the base policy's rules come first, whatever the priorities", "[policy][model]") {
  // The child's group has the better priority (100 < 500), yet the parent's deny decides; a parent's
  // application rule still comes after the child's network rule (network rules before application rules).
  auto a = analyse(kNet + R"(
firewall_policy parent "pp-parent" <
  rule_group platform priority 500 <
    network blocked priority 100 < deny db tcp vnet.aks -> 52.50.0.0/16 : 443 >
  >
>
firewall_policy child "pp-child" <
  base parent
  rule_group team priority 100 <
    network open priority 100 < allow db tcp vnet.aks -> 52.50.0.0/16, 52.60.0.0/16 : 443 >
  >
>
)");
  const auto& rules = a->network->rules(a->firewall("fw"));
  auto v = rules.evaluate(tcp_to("52.50.0.1", 443), nodes());
  CHECK(v.result == model::Verdict::Result::denied);
  REQUIRE(v.collection != nullptr);
  CHECK(v.collection->name == "blocked");
  CHECK(v.collection->policy->symbol == "parent");
  // Not covered by the parent: the child's own rule allows it.
  v = rules.evaluate(tcp_to("52.60.0.1", 443), nodes());
  CHECK(v.allowed());
  CHECK(v.collection->name == "open");
  // The firewall's collections: the parent's (level 0) and the child's (level 1).
  const auto& fw = a->firewall("fw");
  REQUIRE(fw.collections.size() == 2);
  CHECK(fw.collections[0].inheritance_level == 0);
  CHECK(fw.collections[1].inheritance_level == 1);
  // explain says whose rules the firewall has and whose group matched.
  const auto e = model::explain(*a->network, "aks", *model::parse_explain_target("52.50.0.1:443/tcp"));
  CHECK_THAT(e.text, Catch::Contains("rules of policy `child`, after those it inherits from base policy `parent`"));
  CHECK_THAT(e.text, Catch::Contains("rule collection group `platform`, priority 500 of policy `parent`"));
}

TEST_CASE("child policies: NAT collections are not inherited, and a base policy's reach no firewall (W0240)",
          "[policy][model]") {
  auto a = analyse(kNet + R"(
firewall_policy parent "pp-parent" <
  rule_group publish priority 300 < nat pub priority 100 < dnat to fwpip 8080 -> 10.42.1.10 : 80 > >
  rule_group platform priority 400 < network web priority 100 < allow web tcp vnet.aks -> 10.50.0.0/16 : 443 > >
>
firewall_policy child "pp-child" < base parent >
)");
  const auto& fw = a->firewall("fw");
  REQUIRE(fw.collections.size() == 1);  // the network collection; the NAT one stays with the parent
  CHECK(fw.collections[0].name == "web");
  CHECK(a->count("W0240") == 1);
  // A firewall that uses the parent itself gets its DNAT rules, and the warning goes.
  auto b = analyse(kNet + R"(
firewall_policy parent "pp-parent" <
  rule_group publish priority 300 < nat pub priority 100 < dnat to fw2pip 8080 -> 10.42.1.10 : 80 > >
>
firewall_policy child "pp-child" < base parent >
vnet hub "pp-hub" 10.70.0.0/16 < subnet AzureFirewallSubnet 10.70.2.0/24 >
public_ip fw2pip "pp-fw2pip"
firewall fw2 "pp-fw2" in hub.AzureFirewallSubnet < policy parent; frontend fw2pip >
)");
  CHECK(b->count("W0240") == 0);
  CHECK(b->firewall("fw2").collections.size() == 1);
}

TEST_CASE("child policies: a child rule that inherited rules cover is W0203", "[policy][model]") {
  auto a = analyse(kNet + R"(
firewall_policy parent "pp-parent" <
  rule_group platform priority 500 <
    network wide priority 100 < allow web tcp vnet.aks -> 10.50.0.0/16 : 443 >
  >
>
firewall_policy child "pp-child" <
  base parent
  rule_group team priority 100 <
    network narrow priority 100 <
      allow inside tcp vnet.aks -> 10.50.1.0/24 : 443
      allow outside tcp vnet.aks -> 10.60.1.0/24 : 443
    >
  >
>
)");
  INFO(a->rendered);
  CHECK(a->count("W0203") == 1);
  CHECK_THAT(a->rendered, Catch::Contains("rule `inside` of policy `child` never matches: inherited rule `web` of "
                                          "base policy `parent`"));
  // Without the base, nothing covers `inside`.
  auto b = analyse(kNet + R"(
firewall_policy child "pp-child" <
  rule_group team priority 100 < network narrow priority 100 < allow inside tcp vnet.aks -> 10.50.1.0/24 : 443 > >
>
)");
  CHECK(b->count("W0203") == 0);
}

TEST_CASE("child policies: threat intelligence is inherited, and only made stricter", "[policy][sema]") {
  auto a = analyse(kNet + R"(
firewall_policy parent "pp-parent" < threat_intel deny >
firewall_policy child "pp-child" < base parent >
)");
  CHECK(a->firewall("fw").threat_intel == sema::ThreatIntel::deny);
  CHECK(a->count("E0316") == 0);
  Diagnostics diags;
  const auto d = lower::lower(a->analysis->program, diags);
  CHECK(d.resources[index_of(d, ir::Kind::firewall_policy, "pp-child")].as<ir::FirewallPolicy>().threat_intel_mode ==
        "Deny");
  auto weaker = analyse(kNet + R"(
firewall_policy parent "pp-parent" < threat_intel deny >
firewall_policy child "pp-child" < base parent; threat_intel alert >
)", true);
  CHECK(weaker->count("E0316") == 1);
}

TEST_CASE("policy tiers: firewall SKUs, Premium features, TLS inspection for terminate_tls", "[policy][sema]") {
  // A Standard policy on a Premium firewall is fine; a Premium one on a Standard firewall is not.
  auto fits = analyse(kNet + R"(
firewall_policy child "pp-child" < tier standard >
firewall fw < sku premium >
)");
  CHECK(fits->count("E0317") == 0);
  auto mismatch = analyse(kNet + "firewall_policy child \"pp-child\" < tier premium >\n", true);
  CHECK(mismatch->count("E0317") == 1);
  // Web categories are Standard; URLs and terminate_tls are Premium and need TLS inspection.
  auto standard = analyse(kNet + R"(
firewall_policy child "pp-child" <
  rule_group web priority 300 < application cats priority 100 <
    allow news https:443 vnet.aks -> category "News"
    allow docs https:443 vnet.aks -> url "learn.microsoft.com/azure/*" terminate_tls
  > >
>
)", true);
  CHECK(standard->count("E0318") == 2);  // the URL and terminate_tls; not the category
  CHECK(standard->count("E0319") == 1);  // no tls_inspection
  CHECK(standard->count("E0320") == 0);  // it does terminate TLS
  // An IDPS signature override needs the IDPS mode.
  auto signature = analyse(kNet + R"(
firewall_policy child "pp-child" < tier premium; idps_signature 2024897 deny >
firewall fw < sku premium >
)", true);
  CHECK(signature->count("E0107") == 1);
}

TEST_CASE("the firewall-policy example: inheritance in the IR and the ARM template", "[policy][lower][arm]") {
  auto a = analyse(slurp(source_dir() + "/examples/firewall-policy/main.egress").value());
  INFO(a->rendered);
  CHECK(a->analysis->diagnostics.all().empty());
  Diagnostics diags;
  const auto d = lower::lower(a->analysis->program, diags);
  REQUIRE_FALSE(diags.has_errors());
  const auto platform = index_of(d, ir::Kind::firewall_policy, "aks-policy-fwpolicy-platform");
  const auto apps = index_of(d, ir::Kind::firewall_policy, "aks-policy-fwpolicy-apps");
  const auto aks_group = index_of(d, ir::Kind::rule_collection_group, "aks");
  const auto apps_group = index_of(d, ir::Kind::rule_collection_group, "apps");
  const auto fw = index_of(d, ir::Kind::firewall, "aks-policy-fw");
  const auto ca = index_of(d, ir::Kind::identity, "aks-policy-fw-ca-reader");
  CHECK(platform < apps);
  CHECK(depends(d, apps, platform));  // the parent exists before the child names it
  CHECK(depends(d, apps, ca));        // and so does the identity that reads the certificate
  CHECK(depends(d, fw, aks_group));   // the firewall waits for the inherited rules too
  CHECK(depends(d, fw, apps_group));
  const auto& child = d.resources[apps].as<ir::FirewallPolicy>();
  CHECK(child.base == platform);
  CHECK(child.sku_tier == "Premium");
  CHECK(child.identity == ca);
  REQUIRE(child.tls_secret_id.has_value());
  CHECK(d.resources[platform].as<ir::FirewallPolicy>().idps_mode == "Alert");
  const auto& rules = d.resources[apps_group].as<ir::RuleCollectionGroup>().collections.at(0).application.rules;
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].terminate_tls);
  CHECK(rules[0].target_urls.at(0).value == "raw.githubusercontent.com/Azure-Samples/aks-store-demo/*");

  const auto arm = nlohmann::json::parse(emit::arm(d, emit::EmitOptions{"main", "0.1.0"}));
  const nlohmann::json* child_json = nullptr;
  const nlohmann::json* group_json = nullptr;
  for (const auto& r : arm["resources"]) {
    if (r["type"] == "Microsoft.Network/firewallPolicies" && r["properties"].contains("basePolicy")) child_json = &r;
    if (r["type"] == "Microsoft.Network/firewallPolicies/ruleCollectionGroups" &&
        r["name"].get<std::string>().find("/apps") != std::string::npos)
      group_json = &r;
  }
  REQUIRE(child_json != nullptr);
  const auto& p = (*child_json)["properties"];
  CHECK(p["sku"]["tier"] == "Premium");
  CHECK(p["transportSecurity"]["certificateAuthority"].contains("keyVaultSecretId"));
  CHECK((*child_json)["identity"]["type"] == "UserAssigned");
  CHECK(p["basePolicy"]["id"].get<std::string>().find("{0}-fwpolicy-platform', parameters('prefix')") != std::string::npos);
  REQUIRE(group_json != nullptr);
  const auto& rule = (*group_json)["properties"]["ruleCollections"][0]["rules"][0];
  CHECK(rule["terminateTLS"] == true);
  CHECK(rule["targetUrls"][0] == "raw.githubusercontent.com/Azure-Samples/aks-store-demo/*");
  CHECK_FALSE(rule.contains("targetFqdns"));
}

TEST_CASE("policy settings: custom DNS, the threat intelligence allowlist and IDPS overrides reach the IR",
          "[policy][lower]") {
  auto a = analyse(kNet + R"(
firewall_policy child "pp-child" <
  tier premium
  dns_proxy on
  dns_servers 10.42.0.4, 10.42.0.5
  threat_intel_allow 20.1.2.3, "*.contoso.com"
  idps deny
  idps_signature 2024897 alert
  idps_signature 2024898 off
>
firewall fw < sku premium >
)");
  INFO(a->rendered);
  Diagnostics diags;
  const auto d = lower::lower(a->analysis->program, diags);
  const auto& p = d.resources[index_of(d, ir::Kind::firewall_policy, "pp-child")].as<ir::FirewallPolicy>();
  CHECK(p.dns_servers == std::vector<std::string>{"10.42.0.4", "10.42.0.5"});
  CHECK(p.threat_intel_allow_ips == std::vector<std::string>{"20.1.2.3"});
  CHECK(p.threat_intel_allow_fqdns == std::vector<std::string>{"*.contoso.com"});
  CHECK(p.idps_mode == "Deny");
  REQUIRE(p.idps_signatures.size() == 2);
  CHECK(p.idps_signatures[1].id == "2024898");
  CHECK(p.idps_signatures[1].mode == "Off");
  CHECK(a->count("E0318") == 0);
}
