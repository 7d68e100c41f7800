// The ARM emitter and its JSON writer: structure of the article's template, expressions and escaping, role
// assignments and peerings, the validator (when set up), determinism, and 100,000 firewall rules.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "article_ir.hpp"
#include "test_support.hpp"
#include "variants_ir.hpp"
#include "emit/api_versions.hpp"
#include "emit/arm/expression.hpp"
#include "emit/emit.hpp"
#include "emit/json_writer.hpp"

using namespace egress;
using egress::testing::article_ir;
using egress::testing::article_with_role_ir;
using egress::testing::identity_pair_ir;
using egress::testing::interp;
using nlohmann::json;

namespace {

const emit::EmitOptions options{"main", "0.1.0"};

json emit_json(const ir::Deployment& d) { return json::parse(emit::arm(d, options)); }

std::string pip_id() { return "[resourceId('Microsoft.Network/publicIPAddresses', format('{0}-fwpublicip', parameters('prefix')))]"; }

// The article plus every optional feature: identities (control plane and kubelet), a private overlay
// cluster with its own CIDRs and version, a second frontend, deny rules, Basic SKU settings.
ir::Deployment full_ir() {
  using namespace ir;
  auto d = article_ir();
  d.params.push_back({"nodes", ParamType::integer, "5"});
  d.params.push_back({"private", ParamType::boolean, "true"});
  d.params.push_back({"region2", ParamType::region, std::nullopt});
  d.resources.insert(d.resources.begin() + 1, Resource{Kind::identity, "cpid", interp({{true, "prefix"}, {false, "-cp"}}, "aks-egress-cp"), {}, Identity{}});
  d.resources.insert(d.resources.begin() + 2, Resource{Kind::identity, "kubelet", interp({{true, "prefix"}, {false, "-kubelet"}}, "aks-egress-kubelet"), {}, Identity{}});
  // Indices moved by two: pip 0, ids 1 and 2, rt 3, vnet 4, fw 5, aks 6.
  auto& rt = std::get<RouteTable>(d.resources[3].body);
  rt.disable_bgp_route_propagation = true;
  rt.routes[1].prefix = Address::of_public_ip(0, 32);
  d.resources[3].depends_on = {0};
  auto& vnet = std::get<VirtualNetwork>(d.resources[4].body);
  vnet.subnets[0].route_table = 3;
  d.resources[4].depends_on = {3};
  auto& fw = std::get<Firewall>(d.resources[5].body);
  fw.ip_configurations[0].subnet = SubnetRef{4, 1};
  fw.ip_configurations.push_back({Text::literal("second"), 0, std::nullopt});
  fw.threat_intel_mode = "Deny";
  fw.network_collections.push_back({"deny", 200, "Deny", {{"all", {"Any"}, {Address::text(Text::literal("10.42.1.0/24"))}, {Address::text(Text::literal("*"))}, {}, {"*"}, {}, {}}}});
  fw.nat_collections[0].rules[0].destination = Address::of_public_ip(0, -1);
  d.resources[5].depends_on = {0, 4};
  auto& mc = std::get<ManagedCluster>(d.resources[6].body);
  mc.subnet = SubnetRef{4, 0};
  for (auto& p : mc.pools) p.subnet = mc.subnet;
  mc.authorized_ranges = {Address::of_public_ip(0, 32), Address::text(Text::literal("203.0.113.0/24"))};
  mc.network_plugin_mode = "overlay";
  mc.service_cidr = "10.100.0.0/16";
  mc.dns_service_ip = "10.100.0.10";
  mc.pod_cidr = "10.244.0.0/16";
  mc.kubernetes_version = Text::literal("1.31");
  mc.system_assigned = false;
  mc.control_plane_identity = 1;
  mc.kubelet_identity = 2;
  d.resources[6].depends_on = {0, 1, 2, 4, 5};
  d.apps.clear();
  return d;
}

// One firewall with `rules` network rules in collections of `per_collection`.
ir::Deployment big_ir(std::size_t rules, std::size_t per_collection) {
  using namespace ir;
  auto d = article_ir();
  auto& fw = std::get<Firewall>(d.resources[3].body);
  fw.network_collections.clear();
  for (std::size_t i = 0; i < rules; ++i) {
    if (i % per_collection == 0)
      fw.network_collections.push_back({"coll" + std::to_string(i / per_collection), static_cast<int>(100 + i / per_collection), "Allow", {}});
    NetworkRule r;
    r.name = "rule" + std::to_string(i);
    r.protocols = {"TCP"};
    r.sources = {Address::text(Text::literal("10.42.1.0/24"))};
    if (i % 2 == 0)
      r.destination_fqdns = {"host" + std::to_string(i) + ".example.com"};
    else
      r.destination_addresses = {Address::text(Text::literal("198.51.100." + std::to_string(i % 256)))};
    r.destination_ports = {std::to_string(1024 + i % 60000)};
    fw.network_collections.back().rules.push_back(std::move(r));
  }
  return d;
}

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("egress_" + std::to_string(::getpid()) + "_" + name);
}

struct Checked {
  int exit_code = -1;
  std::string output;
  std::string last_line;
};

// Runs build/validators/arm_check.sh --strict on `text`, or returns nullopt when it is not set up.
std::optional<Checked> arm_check(const std::string& text, const std::string& name) {
  const std::filesystem::path checker = std::filesystem::path(egress::testing::source_dir()) / "build/validators/arm_check.sh";
  if (!std::filesystem::exists(checker)) return std::nullopt;
  const auto input = temp_file(name + ".json");
  const auto log = temp_file(name + ".log");
  std::ofstream(input, std::ios::binary) << text;
  const std::string cmd = "'" + checker.string() + "' '" + input.string() + "' --strict > '" + log.string() + "' 2>&1";
  const int status = std::system(cmd.c_str());
  Checked c;
  c.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(log);
  std::stringstream s;
  s << in.rdbuf();
  c.output = s.str();
  std::istringstream lines(c.output);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) c.last_line = line;
  std::filesystem::remove(input);
  std::filesystem::remove(log);
  return c;
}

}  // namespace

// ---------------------------------------------------------------- json::Writer

TEST_CASE("json writer: pretty-printed with 2 spaces, empty containers inline", "[arm][json]") {
  std::string out;
  emit::json::Writer w(out);
  w.begin_object();
  w.field("a", "x");
  w.key("empty").begin_object().end_object();
  w.key("none").begin_array().end_array();
  w.key("list").begin_array().number(1).boolean(false).null().begin_object().field_number("n", -2).end_object().end_array();
  w.end_object();
  CHECK(out ==
        "{\n"
        "  \"a\": \"x\",\n"
        "  \"empty\": {},\n"
        "  \"none\": [],\n"
        "  \"list\": [\n"
        "    1,\n"
        "    false,\n"
        "    null,\n"
        "    {\n"
        "      \"n\": -2\n"
        "    }\n"
        "  ]\n"
        "}");
  CHECK(w.depth() == 0);
  CHECK(json::parse(out)["list"][3]["n"] == -2);
}

TEST_CASE("json writer: strings are escaped so any input round-trips", "[arm][json]") {
  using emit::json::quote;
  CHECK(quote("plain") == "\"plain\"");
  CHECK(quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(quote("l1\nl2\r\t\b\f") == "\"l1\\nl2\\r\\t\\b\\f\"");
  CHECK(quote(std::string("nul\0x\x01\x1f", 7)) == "\"nul\\u0000x\\u0001\\u001f\"");
  CHECK(quote("caf\xC3\xA9 \xF0\x9F\x98\x80") == "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");  // UTF-8 kept as is
  CHECK(quote("\xE2\x80\xA8") == "\"\\u2028\"");
  // Invalid UTF-8 (stray continuation, truncated sequence, overlong, surrogate) becomes U+FFFD.
  CHECK(quote("a\x80z") == "\"a\\ufffdz\"");
  CHECK(quote("a\xE2\x82") == "\"a\\ufffd\\ufffd\"");
  CHECK(quote("\xC0\xAF") == "\"\\ufffd\\ufffd\"");
  CHECK(quote("\xED\xA0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");
  const std::string tricky = "q\"uo'te\\ back\nnew\ttab \xE2\x9C\x93 \xF0\x9F\x94\xA5 {x} [y] ${z} \x7f";
  CHECK(json::parse(quote(tricky)).get<std::string>() == tricky);
}

// ---------------------------------------------------------------- expressions

TEST_CASE("ARM expressions: literals, parameters, format() and escaping", "[arm]") {
  using namespace emit::arm_detail;
  CHECK(text_value(ir::Text::literal("aks-subnet")) == "aks-subnet");
  CHECK(text_value(interp({{true, "prefix"}}, "x")) == "[parameters('prefix')]");
  CHECK(text_value(interp({{true, "prefix"}, {false, "-rg"}}, "x")) == "[format('{0}-rg', parameters('prefix'))]");
  CHECK(text_value(interp({{false, "AzureCloud."}, {true, "location"}}, "x")) == "[format('AzureCloud.{0}', parameters('location'))]");
  CHECK(text_value(interp({{true, "a"}, {false, ""}, {true, "b"}}, "x")) == "[format('{0}{1}', parameters('a'), parameters('b'))]");
  // Quotes are doubled in expression literals; braces doubled in format strings.
  CHECK(text_value(interp({{false, "it's {x}-"}, {true, "p"}}, "x")) == "[format('it''s {{x}}-{0}', parameters('p'))]");
  CHECK(string_literal("o'neil") == "'o''neil'");
  // Only a string that starts with [ and ends with ] is read as an expression by ARM.
  CHECK(escape_literal("[evil()]") == "[[evil()]");
  CHECK(escape_literal("[[already]") == "[[[already]");
  CHECK(escape_literal("[not closed") == "[not closed");
  CHECK(escape_literal("x[y]") == "x[y]");
  CHECK(escape_literal("[") == "[");
  CHECK(text_value(ir::Text::literal("[concat('a')]")) == "[[concat('a')]");
  CHECK(resource_id(emit::api::public_ip, ir::Text::literal("pip")) == "resourceId('Microsoft.Network/publicIPAddresses', 'pip')");
}

// ---------------------------------------------------------------- the article's template

TEST_CASE("ARM: the article compiles to one template with 5 resources in IR order", "[arm]") {
  const auto text = emit::arm(article_ir(), options);
  const auto t = json::parse(text);
  CHECK(t["$schema"] == "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#");
  CHECK(t["contentVersion"] == "1.0.0.0");
  CHECK(t["metadata"]["_generator"]["name"] == "egressc");
  CHECK(t["metadata"]["_generator"]["version"] == "0.1.0");
  CHECK(t["metadata"]["_generator"].size() == 2);  // no timestamp, no hash
  CHECK(t["parameters"]["location"]["type"] == "string");
  CHECK(t["parameters"]["location"]["defaultValue"] == "eastus");
  CHECK(t["parameters"]["prefix"]["defaultValue"] == "aks-egress");

  const auto& rs = t["resources"];
  REQUIRE(rs.size() == 5);
  const std::pair<std::string_view, std::string_view> expected[] = {
      {emit::api::public_ip.type, emit::api::public_ip.version},
      {emit::api::route_table.type, emit::api::route_table.version},
      {emit::api::virtual_network.type, emit::api::virtual_network.version},
      {emit::api::firewall.type, emit::api::firewall.version},
      {emit::api::managed_cluster.type, emit::api::managed_cluster.version}};
  for (std::size_t i = 0; i < 5; ++i) {
    INFO("resource " << i);
    CHECK(rs[i]["type"] == expected[i].first);
    CHECK(rs[i]["apiVersion"] == expected[i].second);
    CHECK(rs[i]["location"] == "[parameters('location')]");
  }
  CHECK(rs[0]["type"] == "Microsoft.Network/publicIPAddresses");
  CHECK(rs[4]["type"] == "Microsoft.ContainerService/managedClusters");

  // Names: format() for interpolations, parameters() alone, literals as they are.
  CHECK(rs[0]["name"] == "[format('{0}-fwpublicip', parameters('prefix'))]");
  CHECK(rs[4]["name"] == "[parameters('prefix')]");
  CHECK(rs[2]["properties"]["subnets"][0]["name"] == "aks-subnet");

  // dependsOn from Resource::depends_on through resourceId().
  CHECK(rs[0].count("dependsOn") == 0);
  CHECK(rs[1]["dependsOn"] == json::array({pip_id()}));
  CHECK(rs[2]["dependsOn"] == json::array({"[resourceId('Microsoft.Network/routeTables', format('{0}-fwrt', parameters('prefix')))]"}));
  CHECK(rs[3]["dependsOn"] == json::array({pip_id(), "[resourceId('Microsoft.Network/virtualNetworks', format('{0}-vnet', parameters('prefix')))]"}));
  CHECK(rs[4]["dependsOn"].size() == 3);
  CHECK(rs[4]["dependsOn"][2] == "[resourceId('Microsoft.Network/azureFirewalls', format('{0}-fw', parameters('prefix')))]");

  // Text must end with exactly one newline, LF only, no BOM.
  CHECK(text.back() == '\n');
  CHECK(text[text.size() - 2] == '}');
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.rfind("\xEF\xBB\xBF", 0) == std::string::npos);
}

TEST_CASE("ARM: resource properties follow the article", "[arm]") {
  const auto rs = emit_json(article_ir())["resources"];
  const std::string pip_ip = "reference(resourceId('Microsoft.Network/publicIPAddresses', format('{0}-fwpublicip', parameters('prefix'))), '" +
                             std::string(emit::api::public_ip.version) + "').ipAddress";

  CHECK(rs[0]["sku"]["name"] == "Standard");
  CHECK(rs[0]["properties"]["publicIPAllocationMethod"] == "Static");

  const auto& routes = rs[1]["properties"]["routes"];
  REQUIRE(routes.size() == 2);
  CHECK(routes[0]["properties"] == json{{"addressPrefix", "0.0.0.0/0"}, {"nextHopType", "VirtualAppliance"}, {"nextHopIpAddress", "10.42.2.4"}});
  CHECK(routes[1]["properties"]["addressPrefix"] == "[concat(" + pip_ip + ", '/32')]");
  CHECK(routes[1]["properties"]["nextHopType"] == "Internet");
  CHECK(routes[1]["properties"].count("nextHopIpAddress") == 0);

  const auto& vnet = rs[2]["properties"];
  CHECK(vnet["addressSpace"]["addressPrefixes"] == json::array({"10.42.0.0/16"}));
  CHECK(vnet["subnets"][0]["properties"]["routeTable"]["id"] == "[resourceId('Microsoft.Network/routeTables', format('{0}-fwrt', parameters('prefix')))]");
  CHECK(vnet["subnets"][1]["properties"].count("routeTable") == 0);

  const auto& fw = rs[3]["properties"];
  CHECK(fw["sku"] == json{{"name", "AZFW_VNet"}, {"tier", "Standard"}});
  CHECK(fw["threatIntelMode"] == "Alert");
  CHECK(fw["additionalProperties"] == json{{"Network.DNS.EnableProxy", "true"}});
  CHECK(fw["ipConfigurations"][0]["properties"]["subnet"]["id"] ==
        "[resourceId('Microsoft.Network/virtualNetworks/subnets', format('{0}-vnet', parameters('prefix')), 'AzureFirewallSubnet')]");
  CHECK(fw["ipConfigurations"][0]["properties"]["publicIPAddress"]["id"] == pip_id());
  const auto& nr = fw["networkRuleCollections"][0];
  CHECK(nr["name"] == "aksfwnr");
  CHECK(nr["properties"]["priority"] == 100);
  CHECK(nr["properties"]["action"]["type"] == "Allow");
  CHECK(nr["properties"]["rules"].size() == 5);
  CHECK(nr["properties"]["rules"][0] == json{{"name", "apiudp"},
                                               {"protocols", {"UDP"}},
                                               {"sourceAddresses", {"*"}},
                                               {"destinationAddresses", {"[format('AzureCloud.{0}', parameters('location'))]"}},
                                               {"destinationPorts", {"1194"}}});
  CHECK(nr["properties"]["rules"][4]["destinationFqdns"] == json::array({"docker.io", "registry-1.docker.io", "production.cloudflare.docker.com"}));
  const auto& ar = fw["applicationRuleCollections"][0]["properties"]["rules"][0];
  CHECK(ar["protocols"] == json::array({json{{"protocolType", "Http"}, {"port", 80}}, json{{"protocolType", "Https"}, {"port", 443}}}));
  CHECK(ar["fqdnTags"] == json::array({"AzureKubernetesService"}));
  CHECK(ar.count("targetFqdns") == 0);
  const auto& nat = fw["natRuleCollections"][0];
  CHECK(nat["properties"]["action"]["type"] == "Dnat");
  CHECK(nat["properties"]["rules"][0]["destinationAddresses"] == json::array({"[" + pip_ip + "]"}));
  CHECK(nat["properties"]["rules"][0]["translatedAddress"] == "10.42.1.254");
  CHECK(nat["properties"]["rules"][0]["translatedPort"] == "80");

  const auto& aks = rs[4];
  CHECK(aks["identity"] == json{{"type", "SystemAssigned"}});
  const auto& p = aks["properties"];
  CHECK(p["dnsPrefix"] == "[parameters('prefix')]");
  CHECK(p.count("kubernetesVersion") == 0);
  const auto& pool = p["agentPoolProfiles"][0];
  CHECK(pool["count"] == 3);
  CHECK(pool["vmSize"] == "Standard_DS2_v2");
  CHECK(pool["maxPods"] == 30);
  CHECK(pool["mode"] == "System");
  CHECK(pool["osType"] == "Linux");
  CHECK(pool["vnetSubnetID"] == "[resourceId('Microsoft.Network/virtualNetworks/subnets', format('{0}-vnet', parameters('prefix')), 'aks-subnet')]");
  CHECK(p["networkProfile"] == json{{"networkPlugin", "azure"}, {"outboundType", "userDefinedRouting"}});
  CHECK(p["apiServerAccessProfile"]["authorizedIPRanges"] == json::array({"[concat(" + pip_ip + ", '/32')]"}));
  CHECK(p["apiServerAccessProfile"].count("enablePrivateCluster") == 0);
  CHECK(p.count("identityProfile") == 0);
}

TEST_CASE("ARM: identities, private overlay cluster and typed parameters", "[arm]") {
  const auto t = emit_json(full_ir());
  CHECK(t["parameters"]["nodes"] == json{{"type", "int"}, {"defaultValue", 5}});
  CHECK(t["parameters"]["private"] == json{{"type", "bool"}, {"defaultValue", true}});
  CHECK(t["parameters"]["region2"]["type"] == "string");
  CHECK(t["parameters"]["region2"]["defaultValue"] == "[resourceGroup().location]");

  const auto& rs = t["resources"];
  REQUIRE(rs.size() == 7);
  CHECK(rs[1]["type"] == "Microsoft.ManagedIdentity/userAssignedIdentities");
  CHECK(rs[1]["apiVersion"] == emit::api::identity.version);
  CHECK(rs[1]["name"] == "[format('{0}-cp', parameters('prefix'))]");
  CHECK(rs[3]["properties"]["disableBgpRoutePropagation"] == true);
  const auto& fw = rs[5]["properties"];
  CHECK(fw["threatIntelMode"] == "Deny");
  CHECK(fw["ipConfigurations"].size() == 2);
  CHECK(fw["ipConfigurations"][1]["properties"].count("subnet") == 0);
  CHECK(fw["networkRuleCollections"][1]["properties"]["action"]["type"] == "Deny");

  const auto& aks = rs[6];
  const std::string cp_id = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-cp', parameters('prefix')))]";
  const std::string kubelet_id = "resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-kubelet', parameters('prefix')))";
  CHECK(aks["identity"]["type"] == "UserAssigned");
  CHECK(aks["identity"]["userAssignedIdentities"] == json{{cp_id, json::object()}});
  const auto& p = aks["properties"];
  CHECK(p["kubernetesVersion"] == "1.31");
  CHECK(p["networkProfile"] == json{{"networkPlugin", "azure"},
                                    {"networkPluginMode", "overlay"},
                                    {"outboundType", "userDefinedRouting"},
                                    {"serviceCidr", "10.100.0.0/16"},
                                    {"dnsServiceIP", "10.100.0.10"},
                                    {"podCidr", "10.244.0.0/16"}});
  CHECK(p["apiServerAccessProfile"]["authorizedIPRanges"].size() == 2);
  CHECK(p["apiServerAccessProfile"]["authorizedIPRanges"][1] == "203.0.113.0/24");
  const auto ref = "reference(" + kubelet_id + ", '" + std::string(emit::api::identity.version) + "')";
  CHECK(p["identityProfile"]["kubeletidentity"] == json{{"resourceId", "[" + kubelet_id + "]"},
                                                         {"clientId", "[" + ref + ".clientId]"},
                                                         {"objectId", "[" + ref + ".principalId]"}});
  CHECK(aks["dependsOn"].size() == 5);
}

// ---------------------------------------------------------------- role assignments and peerings

namespace {

const std::string vnet_id = "resourceId('Microsoft.Network/virtualNetworks', format('{0}-vnet', parameters('prefix')))";
const std::string hub_id = "resourceId('Microsoft.Network/virtualNetworks', format('{0}-hub', parameters('prefix')))";
const std::string aks_id = "resourceId('Microsoft.ContainerService/managedClusters', parameters('prefix'))";
const std::string cpid_id = "resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-cp', parameters('prefix')))";
const std::string kubelet_id = "resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-kubelet', parameters('prefix')))";

std::string role_id(const std::string& guid) {
  return "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '" + guid + "')";
}

}  // namespace

TEST_CASE("ARM: a system-assigned cluster's Network Contributor assignment on its VNet", "[arm]") {
  const auto rs = emit_json(article_with_role_ir())["resources"];
  REQUIRE(rs.size() == 6);
  const auto& ra = rs[5];
  const std::string role = role_id(egress::testing::network_contributor);
  CHECK(ra["type"] == "Microsoft.Authorization/roleAssignments");
  CHECK(ra["apiVersion"] == "2022-04-01");
  CHECK(ra["apiVersion"] == emit::api::role_assignment.version);
  // A deterministic GUID over inputs known when the deployment starts: scope, principal resource, role.
  CHECK(ra["name"] == "[guid(" + vnet_id + ", " + aks_id + ", " + role + ")]");
  CHECK(ra.count("location") == 0);
  CHECK(ra["comments"] == "Network Contributor");
  CHECK(ra["scope"] == "[" + vnet_id + "]");
  CHECK(ra["properties"] == json{{"roleDefinitionId", "[" + role + "]"},
                                 {"principalId", "[reference(" + aks_id + ", '" + std::string(emit::api::managed_cluster.version) +
                                                     "', 'Full').identity.principalId]"},
                                 {"principalType", "ServicePrincipal"}});
  CHECK(ra["dependsOn"] == json::array({"[" + vnet_id + "]", "[" + aks_id + "]"}));
  // The other resources are unchanged.
  const auto plain = emit_json(article_ir())["resources"];
  for (std::size_t i = 0; i < 5; ++i) CHECK(rs[i] == plain[i]);
}

TEST_CASE("ARM: a user-assigned identity pair's assignments come before the cluster", "[arm]") {
  const auto rs = emit_json(identity_pair_ir())["resources"];
  REQUIRE(rs.size() == 12);
  const std::string contributor = role_id(egress::testing::network_contributor);
  const std::string operator_role = role_id(egress::testing::managed_identity_operator);
  const std::string cpid_principal =
      "[reference(" + cpid_id + ", '" + std::string(emit::api::identity.version) + "').principalId]";

  const auto& network = rs[7];
  CHECK(network["type"] == "Microsoft.Authorization/roleAssignments");
  CHECK(network["name"] == "[guid(" + vnet_id + ", " + cpid_id + ", " + contributor + ")]");
  CHECK(network["scope"] == "[" + vnet_id + "]");
  CHECK(network["properties"]["roleDefinitionId"] == "[" + contributor + "]");
  CHECK(network["properties"]["principalId"] == cpid_principal);
  CHECK(network["properties"]["principalType"] == "ServicePrincipal");
  CHECK(network["dependsOn"] == json::array({"[" + cpid_id + "]", "[" + vnet_id + "]"}));

  const auto& op = rs[8];
  CHECK(op["comments"] == "Managed Identity Operator");
  CHECK(op["name"] == "[guid(" + kubelet_id + ", " + cpid_id + ", " + operator_role + ")]");
  CHECK(op["scope"] == "[" + kubelet_id + "]");
  CHECK(op["properties"]["roleDefinitionId"] == "[" + operator_role + "]");
  CHECK(op["properties"]["principalId"] == cpid_principal);
  CHECK(op.count("location") == 0);

  // The cluster waits for both, named by extensionResourceId() on their scopes.
  const auto& aks_deps = rs[9]["dependsOn"];
  REQUIRE(aks_deps.size() == 7);
  CHECK(aks_deps[5] == "[extensionResourceId(" + vnet_id + ", 'Microsoft.Authorization/roleAssignments', guid(" + vnet_id + ", " +
                           cpid_id + ", " + contributor + "))]");
  CHECK(aks_deps[6] == "[extensionResourceId(" + kubelet_id + ", 'Microsoft.Authorization/roleAssignments', guid(" + kubelet_id +
                           ", " + cpid_id + ", " + operator_role + "))]");
  CHECK(rs[9]["identity"]["type"] == "UserAssigned");
}

TEST_CASE("ARM: a peering is one child resource per direction", "[arm]") {
  const auto rs = emit_json(identity_pair_ir())["resources"];
  REQUIRE(rs.size() == 12);
  const auto& there = rs[10];
  const auto& back = rs[11];
  CHECK(there["type"] == "Microsoft.Network/virtualNetworks/virtualNetworkPeerings");
  CHECK(there["apiVersion"] == emit::api::network_version);
  CHECK(there["name"] == "[format('{0}-vnet/vnet-to-hub', parameters('prefix'))]");
  CHECK(back["name"] == "[format('{0}-hub/hub-to-vnet', parameters('prefix'))]");
  CHECK(there.count("location") == 0);
  CHECK(there["properties"] == json{{"remoteVirtualNetwork", {{"id", "[" + hub_id + "]"}}},
                                    {"allowVirtualNetworkAccess", true},
                                    {"allowForwardedTraffic", true},
                                    {"useRemoteGateways", false}});
  CHECK(back["properties"]["remoteVirtualNetwork"]["id"] == "[" + vnet_id + "]");
  CHECK(there["dependsOn"] == json::array({"[" + vnet_id + "]", "[" + hub_id + "]"}));
  CHECK(back["dependsOn"] == there["dependsOn"]);

  // A literal parent name joins the child's as a literal; a dependency on a peering names both.
  auto d = identity_pair_ir();
  d.resources[4].name = ir::Text::literal("spoke");
  d.resources.push_back({ir::Kind::public_ip, "late", ir::Text::literal("late-ip"), {10}, ir::PublicIp{}});
  const auto rs2 = emit_json(d)["resources"];
  CHECK(rs2[10]["name"] == "spoke/vnet-to-hub");
  CHECK(rs2[12]["dependsOn"] == json::array({"[resourceId('Microsoft.Network/virtualNetworks/virtualNetworkPeerings', 'spoke', 'vnet-to-hub')]"}));
}

TEST_CASE("ARM: user strings cannot break the JSON or become expressions", "[arm]") {
  auto d = article_ir();
  auto& fw = std::get<ir::Firewall>(d.resources[3].body);
  const std::string nasty = "a\"b\\c'd\ne\tf {0} ${x} \xC3\xA9\xE2\x86\x92\xF0\x9F\x98\x80 \x01";
  fw.network_collections[0].name = nasty;
  fw.network_collections[0].rules[0].name = "[concat('injected')]";
  fw.network_collections[0].rules[1].name = "[half";
  fw.network_collections[0].rules[2].destination_fqdns = {"[[x]"};
  d.params[1].default_value = "[subscription().id]";
  d.resources[2].name = interp({{false, "it's [{0}] "}, {true, "prefix"}}, "x");

  const auto t = emit_json(d);
  const auto& nr = t["resources"][3]["properties"]["networkRuleCollections"][0];
  CHECK(nr["name"] == nasty);  // exact round trip through the JSON parser
  CHECK(nr["properties"]["rules"][0]["name"] == "[[concat('injected')]");
  CHECK(nr["properties"]["rules"][1]["name"] == "[half");
  CHECK(nr["properties"]["rules"][2]["destinationFqdns"][0] == "[[[x]");
  CHECK(t["parameters"]["prefix"]["defaultValue"] == "[[subscription().id]");
  CHECK(t["resources"][2]["name"] == "[format('it''s [{{0}}] {0}', parameters('prefix'))]");
  // The vnet's id in other resources uses the same escaped name expression.
  CHECK(t["resources"][3]["dependsOn"][1] == "[resourceId('Microsoft.Network/virtualNetworks', format('it''s [{{0}}] {0}', parameters('prefix')))]");
}

TEST_CASE("ARM: output is deterministic", "[arm]") {
  const auto a = emit::arm(article_ir(), options);
  const auto b = emit::arm(article_ir(), options);
  CHECK(a == b);
  CHECK(emit::arm(full_ir(), options) == emit::arm(full_ir(), options));
  CHECK(emit::arm(article_with_role_ir(), options) == emit::arm(article_with_role_ir(), options));
  CHECK(emit::arm(identity_pair_ir(), options) == emit::arm(identity_pair_ir(), options));
}

TEST_CASE("ARM: the article's template passes the ARM checker (--strict)", "[arm][validator]") {
  struct Case {
    const char* name;
    ir::Deployment d;
    const char* last_line;
  };
  // With and without the cluster's role assignment: every resource checked, the assignment included.
  for (const auto& c : {Case{"article", article_ir(), "ARM: 5 resource(s), 5 checked against type schemas, 0 unchecked; 0 error(s), 0 warning(s)"},
                        Case{"article_role", article_with_role_ir(),
                             "ARM: 6 resource(s), 6 checked against type schemas, 0 unchecked; 0 error(s), 0 warning(s)"}}) {
    const auto checked = arm_check(emit::arm(c.d, options), c.name);
    if (!checked) {
      WARN("build/validators/arm_check.sh is not set up: run shared/validators/setup.sh build/validators");
      SUCCEED();
      return;
    }
    INFO(c.name << "\n" << checked->output);
    CHECK(checked->exit_code == 0);
    CHECK(checked->last_line == c.last_line);
  }
}

TEST_CASE("ARM: every optional feature passes the ARM checker (--strict)", "[arm][validator]") {
  const auto checked = arm_check(emit::arm(full_ir(), options), "full");
  if (!checked) {
    WARN("build/validators/arm_check.sh is not set up: run shared/validators/setup.sh build/validators");
    SUCCEED();
    return;
  }
  INFO(checked->output);
  CHECK(checked->exit_code == 0);
  // Identities have no properties to set; the checker only warns about that (its schemas over-require it).
  CHECK(checked->last_line.find("7 checked against type schemas, 0 unchecked; 0 error(s)") != std::string::npos);

  // Both role assignments of a user-assigned pair, and both directions of a peering.
  const auto pair = arm_check(emit::arm(identity_pair_ir(), options), "identity_pair");
  REQUIRE(pair);
  INFO(pair->output);
  CHECK(pair->exit_code == 0);
  CHECK(pair->last_line.find("ARM: 12 resource(s), 12 checked against type schemas, 0 unchecked; 0 error(s)") != std::string::npos);
  CHECK(pair->output.find("Microsoft.Authorization/roleAssignments") == std::string::npos);  // no warning names one
  CHECK(pair->output.find("virtualNetworkPeerings") == std::string::npos);
}

// The time this takes is a figure of bench/egress_bench ("compile to ARM").
TEST_CASE("ARM: 100,000 network rules are emitted", "[arm]") {
  const auto d = big_ir(100000, 1000);
  const auto text = emit::arm(d, options);
  CHECK(text.find("\"name\": \"rule99999\"") != std::string::npos);
  CHECK(text.find("\"name\": \"coll99\"") != std::string::npos);
  CHECK(text.back() == '\n');
}
