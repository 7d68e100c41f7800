// Cluster features that bring their own outbound rows (sema/cluster_features.cpp): Microsoft Defender for
// Containers. For its rows, a program where they apply and are blocked (reported) and ones where they do not
// apply or are allowed (not reported); its setting emitted for real in ARM, Bicep and the az script; its
// workspace checked (E0270) and carried safely into the JSON file the script writes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sema/cluster_features.hpp"
#include "support/compilation.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using namespace egress::testing::harness;

namespace {

std::unique_ptr<Compilation> build(const std::string& text) {
  return compile_program("tests/unit/cluster_features.egress", text);
}

const std::string kWorkspace =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sec/providers/"
    "Microsoft.OperationalInsights/workspaces/defender-logs";

// A private cluster behind the article's firewall (no tunnel rows); CLUSTER holds extra cluster settings,
// NET and APP extra rules, PARAMS extra parameters.
std::string program(const std::string& cluster, const std::string& net, const std::string& app,
                    const std::string& params = "") {
  return "import aks\nparam location: region = eastus\n" + params + R"(group rg "f-rg" in location
vnet vnet "f-vnet" 10.42.0.0/16 <
  subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
>
public_ip fwpip "f-fwpip" < sku standard >
firewall fw "f-fw" in vnet.AzureFirewallSubnet <
  dns_proxy on
  frontend fwpip "f-fwconfig"
  network nr priority 100 <
    allow ok udp * -> "example.invalid" : 9
)" + net + R"(  >
  application ar priority 100 <
    allow fqdn http:80, https:443 * -> tag AzureKubernetesService
    allow ubuntu http:80 * -> "security.ubuntu.com", "azure.archive.ubuntu.com", "changelogs.ubuntu.com"
    allow snapshot https:443 * -> "snapshot.ubuntu.com"
)" + app + R"(  >
>
route_table fwrt "f-fwrt" <
  route fwrn "f-fwrn" 0.0.0.0/0 -> fw
  route fwinternet "f-fwinternet" fwpip/32 -> internet
>
cluster aks "f-aks" in vnet.aks <
  network_plugin azure
  outbound user_defined_routing
  private
  ssh generate
)" + cluster + ">\n";
}

const std::string kDefender = "  defender workspace \"" + kWorkspace + "\"\n";
const std::string kDefenderFqdns =
    "    allow defender https:443 * -> \"*.ods.opinsights.azure.com\", \"*.oms.opinsights.azure.com\"\n";

}  // namespace

TEST_CASE("cluster features: Defender's rows apply only with `defender`", "[cluster-features]") {
  auto without = build(program("", "", ""));
  INFO(without->rendered);
  CHECK(without->result.ok());
  CHECK(!without->has("E0246"));

  auto blocked = build(program(kDefender, "", ""));
  CHECK(blocked->has("E0246", "*.ods.opinsights.azure.com"));
  CHECK(blocked->has("E0246", "*.oms.opinsights.azure.com"));
  CHECK(blocked->has("E0246", "Microsoft Defender"));
  CHECK(!blocked->result.ok());

  auto allowed = build(program(kDefender, "", kDefenderFqdns));
  INFO(allowed->rendered);
  CHECK(allowed->result.ok());
  CHECK(allowed->rendered.empty());
}

TEST_CASE("cluster features: the AzureMonitor tag does not stand in for Defender's FQDNs", "[cluster-features]") {
  // The page's Azure Monitor section offers the tag as an alternative; its Defender section does not.
  const std::string tag = "    allow monitor tcp * -> AzureMonitor : 443\n";
  const std::string monitoring =
      "  addon monitoring workspace \"/subscriptions/0/resourceGroups/m/providers/Microsoft.OperationalInsights/"
      "workspaces/w\"\n";
  auto monitor_only = build(program(monitoring, tag, ""));
  INFO(monitor_only->rendered);
  CHECK(monitor_only->result.ok());
  auto both = build(program(monitoring + kDefender, tag, ""));
  CHECK(both->has("E0246", "*.ods.opinsights.azure.com"));
  auto both_allowed = build(program(monitoring + kDefender, tag, kDefenderFqdns));
  INFO(both_allowed->rendered);
  CHECK(both_allowed->result.ok());
}

TEST_CASE("cluster features: `use aks_required` allows Defender's rows for a cluster with Defender", "[cluster-features]") {
  auto text = program(kDefender, "", "");
  const std::string fw_end = "  >\n>\nroute_table";
  const auto at = text.find(fw_end);
  REQUIRE(at != std::string::npos);
  text.insert(at + 4, "  use aks_required aks priority 200\n");
  auto out = build(text);
  INFO(out->rendered);
  CHECK(out->result.ok());
  CHECK(!out->has("E0246"));
  CHECK(out->output(".json").find("\"*.oms.opinsights.azure.com\"") != std::string::npos);
}

TEST_CASE("cluster features: Defender is emitted in ARM, Bicep and the az script", "[cluster-features]") {
  auto out = build(program(kDefender, "", kDefenderFqdns));
  INFO(out->rendered);
  REQUIRE(out->result.ok());

  const auto arm = nlohmann::json::parse(out->output(".json"));
  const nlohmann::json* cluster = nullptr;
  for (const auto& r : arm["resources"])
    if (r["type"] == "Microsoft.ContainerService/managedClusters") cluster = &r;
  REQUIRE(cluster != nullptr);
  const auto& defender = (*cluster)["properties"]["securityProfile"]["defender"];
  CHECK(defender["logAnalyticsWorkspaceResourceId"] == kWorkspace);
  CHECK(defender["securityMonitoring"]["enabled"] == true);

  const auto bicep = out->output(".bicep");
  CHECK(bicep.find("securityProfile: {") != std::string::npos);
  CHECK(bicep.find("logAnalyticsWorkspaceResourceId: '" + kWorkspace + "'") != std::string::npos);

  const auto sh = out->output(".sh");
  CHECK(sh.find("--enable-defender --defender-config \"$AKS_DEFENDER_CONFIG\"") != std::string::npos);
  CHECK(sh.find("json_string() {") != std::string::npos);

  // Without Defender: no securityProfile, no helper in the script.
  auto plain = build(program("", "", ""));
  REQUIRE(plain->result.ok());
  CHECK(plain->output(".json").find("securityProfile") == std::string::npos);
  CHECK(plain->output(".sh").find("json_string") == std::string::npos);
  CHECK(plain->output(".sh").find("--enable-defender") == std::string::npos);
}

TEST_CASE("cluster features: the script writes the workspace into --defender-config as JSON, escaped",
          "[cluster-features]") {
  // A parameter without a default: the value comes from the environment when the script runs, unchecked by
  // the compiler, so the script must escape it.
  auto out = build(program("  defender workspace ws\n", "", kDefenderFqdns, "param ws: string\n"));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  TempDir dir("egress-defender");
  spit(dir.path / "main.sh", out->output(".sh"));
  spit(dir.path / "main.yaml", out->output(".yaml"));
  // az copies the file --defender-config names, and answers every query.
  spit(dir.path / "run.sh", R"SH(copy=$2
az() {
  local prev=""
  for a in "$@"; do
    if [ "$prev" = --defender-config ]; then cp "$a" "$copy"; fi
    prev=$a
  done
  case " $* " in *" show "* | *" list "* | *" --query "*) printf 'stub-value\n' ;; esac
  return 0
}
kubectl() { return 0; }
export -f az kubectl
export copy
bash "$1"
)SH");
  const std::string hostile = R"(/subscriptions/s/resourceGroups/a"b\c/providers/Microsoft.OperationalInsights/workspaces/$(x))";
  const auto copy = dir.path / "defender.json";
  auto r = run_command("WS='" + hostile + "' bash " + (dir.path / "run.sh").string() + " " +
                       (dir.path / "main.sh").string() + " " + copy.string());
  INFO(r.out);
  REQUIRE(r.status == 0);
  const auto text = slurp(copy);
  REQUIRE(text);
  const auto json = nlohmann::json::parse(*text);
  CHECK(json["logAnalyticsWorkspaceResourceId"] == hostile);
  CHECK(json["securityMonitoring"]["enabled"] == true);

  // A control character is refused, and the cluster is not created.
  const auto copy2 = dir.path / "defender2.json";
  auto bad = run_command("WS=\"$(printf '/subscriptions/s\\tx')\" bash " + (dir.path / "run.sh").string() + " " +
                         (dir.path / "main.sh").string() + " " + copy2.string());
  CHECK(bad.status != 0);
  CHECK(bad.out.find("holds a control character") != std::string::npos);
  CHECK(!std::filesystem::exists(copy2));
}

TEST_CASE("cluster features: E0270 when Defender's workspace is not a workspace resource ID", "[cluster-features]") {
  CHECK(build(program("  defender workspace \"defender-logs\"\n", "", kDefenderFqdns))->has("E0270", "defender-logs"));
  CHECK(build(program("  defender workspace \"/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/"
                      "storageAccounts/x\"\n",
                      "", kDefenderFqdns))
            ->has("E0270"));
  auto ok = build(program(kDefender, "", kDefenderFqdns));
  CHECK(!ok->has("E0270"));
  // A parameter's default is checked; a parameter without one is not (only known at deploy time).
  CHECK(build(program("  defender workspace ws\n", "", kDefenderFqdns, "param ws: string = \"logs\"\n"))->has("E0270"));
  CHECK(!build(program("  defender workspace ws\n", "", kDefenderFqdns, "param ws: string\n"))->has("E0270"));

  using sema::is_workspace_resource_id;
  CHECK(is_workspace_resource_id(kWorkspace));
  CHECK(is_workspace_resource_id("/SUBSCRIPTIONS/s/RESOURCEGROUPS/g/PROVIDERS/microsoft.operationalinsights/WORKSPACES/w"));
  CHECK(!is_workspace_resource_id(""));
  CHECK(!is_workspace_resource_id("subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w"));
  CHECK(!is_workspace_resource_id("/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w/"));
  CHECK(!is_workspace_resource_id("/subscriptions//resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w"));
  CHECK(!is_workspace_resource_id("/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w\"x"));
  CHECK(!is_workspace_resource_id("/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w\\x"));
  CHECK(!is_workspace_resource_id("/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w\nx"));
}

TEST_CASE("cluster features: `defender` is a single setting and needs its workspace", "[cluster-features]") {
  CHECK(build(program(kDefender + kDefender, "", kDefenderFqdns))->has("E0108"));
  CHECK(build(program("  defender\n", "", kDefenderFqdns))->has("E0102"));
  CHECK(build(program("  defender workspace\n", "", kDefenderFqdns))->has("E0102"));
}
