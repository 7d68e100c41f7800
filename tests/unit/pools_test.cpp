// Node pools (sema/decl_pool.cpp, model/check_pools.cpp) and several clusters: the implicit pool stays what it
// was, explicit pools reach ARM, Bicep and the az script, the address check counts each subnet's pools, the
// Windows and GPU rows follow the pools, and the Kubernetes target writes one manifest per cluster.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/compilation.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::unique_ptr<Compilation> build(const std::string& text) {
  return compile_program("tests/unit/pools.egress", text);
}

// A private cluster behind a firewall (no tunnel rows), in a /22 with a second routed subnet `apps`; CLUSTER
// holds the cluster's settings, RULES extra application rules, EXTRA more declarations.
std::string program(const std::string& cluster, const std::string& rules = "", const std::string& extra = "") {
  return R"(import aks
param location: region = eastus
group rg "p-rg" in location
vnet vnet "p-vnet" 10.42.0.0/16 <
  subnet aks "aks-subnet" 10.42.0.0/22 < route_table fwrt >
  subnet apps "apps-subnet" 10.42.4.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.9.0/24
>
public_ip fwpip "p-fwpip" < sku standard >
firewall fw "p-fw" in vnet.AzureFirewallSubnet <
  dns_proxy on
  frontend fwpip "p-fwconfig"
  application ar priority 100 <
    allow fqdn http:80, https:443 * -> tag AzureKubernetesService
    allow ubuntu http:80 * -> "security.ubuntu.com", "azure.archive.ubuntu.com", "changelogs.ubuntu.com"
    allow snapshot https:443 * -> "snapshot.ubuntu.com"
)" + rules + R"(  >
>
route_table fwrt "p-fwrt" <
  route fwrn "p-fwrn" 0.0.0.0/0 -> fw
  route fwinternet "p-fwinternet" fwpip/32 -> internet
>
cluster aks "p-aks" in vnet.aks <
  network_plugin azure
  outbound user_defined_routing
  private
  ssh generate
)" + cluster + ">\n" + extra;
}

const std::string kPools = R"(  pool sys < mode system; nodes 3; vm_size "Standard_D4ds_v5"; zones 1, 2, 3 >
  pool apps <
    autoscale 0 10
    max_pods 20
    label workload=apps
    taint dedicated=apps:NoSchedule
    subnet vnet.apps
  >
)";

const std::string kWindowsRules =
    "    allow win https:443 * -> \"onegetcdn.azureedge.net\", \"go.microsoft.com\"\n"
    "    allow winhttp http:80 * -> \"*.mp.microsoft.com\", \"www.msftconnecttest.com\", \"ctldl.windowsupdate.com\"\n";
const std::string kGpuRules =
    "    allow gpu https:443 * -> \"nvidia.github.io\", \"us.download.nvidia.com\", \"download.docker.com\"\n";

}  // namespace

TEST_CASE("pools: a cluster without pools keeps its one implicit pool, nodepool1", "[pools]") {
  auto out = build(program("  nodes 2\n  vm_size \"Standard_D2ds_v5\"\n"));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  const auto arm = nlohmann::json::parse(out->content("main.json"));
  for (const auto& r : arm["resources"])
    if (r["type"] == "Microsoft.ContainerService/managedClusters") {
      const auto& pools = r["properties"]["agentPoolProfiles"];
      REQUIRE(pools.size() == 1);
      CHECK(pools[0]["name"] == "nodepool1");
      CHECK(pools[0]["count"] == 2);
      CHECK(pools[0]["mode"] == "System");
      CHECK(!pools[0].contains("enableAutoScaling"));
      CHECK(!pools[0].contains("availabilityZones"));
    }
  const auto sh = out->content("main.sh");
  CHECK(sh.find("az aks nodepool add") == std::string::npos);
  CHECK(sh.find("--nodepool-name") == std::string::npos);
}

TEST_CASE("pools: explicit pools become agentPoolProfiles, az aks create and az aks nodepool add", "[pools]") {
  auto out = build(program(kPools));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  const auto arm = nlohmann::json::parse(out->content("main.json"));
  bool seen = false;
  for (const auto& r : arm["resources"]) {
    if (r["type"] != "Microsoft.ContainerService/managedClusters") continue;
    seen = true;
    const auto& pools = r["properties"]["agentPoolProfiles"];
    REQUIRE(pools.size() == 2);
    CHECK(pools[0]["name"] == "sys");
    CHECK(pools[0]["mode"] == "System");
    CHECK(pools[0]["availabilityZones"] == nlohmann::json::array({"1", "2", "3"}));
    CHECK(pools[1]["name"] == "apps");
    CHECK(pools[1]["mode"] == "User");
    CHECK(pools[1]["enableAutoScaling"] == true);
    CHECK(pools[1]["minCount"] == 0);
    CHECK(pools[1]["maxCount"] == 10);
    CHECK(pools[1]["maxPods"] == 20);
    CHECK(pools[1]["nodeLabels"]["workload"] == "apps");
    CHECK(pools[1]["nodeTaints"] == nlohmann::json::array({"dedicated=apps:NoSchedule"}));
    // Each pool in its own subnet: the second one's ID names apps-subnet.
    CHECK(pools[1]["vnetSubnetID"].get<std::string>().find("'apps-subnet'") != std::string::npos);
    CHECK(pools[0]["vnetSubnetID"].get<std::string>().find("'aks-subnet'") != std::string::npos);
  }
  CHECK(seen);
  const auto bicep = out->content("main.bicep");
  CHECK(bicep.find("enableAutoScaling: true") != std::string::npos);
  CHECK(bicep.find("'dedicated=apps:NoSchedule'") != std::string::npos);
  const auto sh = out->content("main.sh");
  CHECK(sh.find("--nodepool-name 'sys'") != std::string::npos);
  CHECK(sh.find("--zones '1' '2' '3'") != std::string::npos);
  const auto add = sh.find("az aks nodepool add");
  REQUIRE(add != std::string::npos);
  CHECK(sh.find("--enable-cluster-autoscaler", add) != std::string::npos);
  CHECK(sh.find("--labels 'workload=apps'", add) != std::string::npos);
  CHECK(sh.find("--node-taints 'dedicated=apps:NoSchedule'", add) != std::string::npos);
  CHECK(sh.find("--mode 'User'", add) != std::string::npos);
  CHECK(sh.find("az aks create") < add);
}

TEST_CASE("pools: the subnet address check counts each subnet's pools, autoscaled ones at their maximum", "[pools]") {
  // apps-subnet is a /24: 251 usable. 10 nodes + 1 surge, times 1 + 30 pods = 341: too many.
  auto big = build(program("  pool sys < mode system; nodes 3 >\n  pool apps < autoscale 0 10; subnet vnet.apps >\n"));
  CHECK(big->has("E0207", "pool `apps`"));
  CHECK(big->has("E0207", "10.42.4.0/24"));
  // 7 + 1 = 8 nodes × 31 = 248 fit; the system pool's nodes are in the other subnet.
  auto fits = build(program("  pool sys < mode system; nodes 3 >\n  pool apps < autoscale 0 7; subnet vnet.apps >\n"));
  INFO(fits->rendered);
  CHECK(!fits->has("E0207"));
}

TEST_CASE("pools: W0230 once per cluster when its node subnets miss the same recommended rows", "[pools][requirements]") {
  auto without_updates = [](std::string text, const std::string& rules) {
    for (const std::string line : {"    allow ubuntu http:80 * -> \"security.ubuntu.com\", \"azure.archive.ubuntu.com\", "
                                   "\"changelogs.ubuntu.com\"\n",
                                   "    allow snapshot https:443 * -> \"snapshot.ubuntu.com\"\n"}) {
      const auto at = text.find(line);
      REQUIRE(at != std::string::npos);
      text.erase(at, line.size());
    }
    const std::string close = "  >\n>\nroute_table";
    const auto at = text.find(close);
    REQUIRE(at != std::string::npos);
    return text.insert(at, rules);
  };
  // Both subnets (`aks` for pool sys, `apps` for pool apps) miss the Ubuntu hosts: one warning for the cluster.
  auto both = build(without_updates(program(kPools), ""));
  INFO(both->rendered);
  CHECK(both->count("W0230") == 1);
  CHECK(both->has("W0230", "cluster `aks` cannot reach HTTP security.ubuntu.com:80"));
  // Allowed from `aks` only: the warning names the subnet that still misses them.
  auto one = build(without_updates(program(kPools), "    allow ubuntu http:80, https:443 vnet.aks -> \"security.ubuntu.com\", "
                                                     "\"azure.archive.ubuntu.com\", \"changelogs.ubuntu.com\", "
                                                     "\"snapshot.ubuntu.com\"\n"));
  INFO(one->rendered);
  CHECK(one->count("W0230") == 1);
  CHECK(one->has("W0230", "cluster `aks` (its nodes in subnet `apps`) cannot reach"));
}

TEST_CASE("pools: a rule missing for every node subnet is one E0246 for the cluster", "[pools][requirements]") {
  auto text = program(kPools);
  const std::string tag = "    allow fqdn http:80, https:443 * -> tag AzureKubernetesService\n";
  const auto at = text.find(tag);
  REQUIRE(at != std::string::npos);
  text.erase(at, tag.size());
  auto out = build(text);
  INFO(out->rendered);
  const auto e0246 = out->count("E0246");
  // Pools `sys` (subnet aks) and `apps` (subnet apps) miss the same HTTPS endpoints behind the same route.
  CHECK(e0246 == 1);
  CHECK(out->has("E0246", "cluster `aks` cannot reach the "));
  CHECK_FALSE(out->has("E0246", "its nodes in subnet"));
}

TEST_CASE("pools: the Windows rows apply to a cluster with a Windows pool", "[pools][requirements]") {
  const std::string win = "  pool sys < mode system; nodes 3 >\n  pool win < nodes 2; os windows >\n";
  auto linux_only = build(program("  pool sys < mode system; nodes 3 >\n"));
  INFO(linux_only->rendered);
  CHECK(linux_only->result.ok());
  auto blocked = build(program(win));
  CHECK(blocked->has("E0246", "onegetcdn.azureedge.net"));
  CHECK(blocked->has("E0246", "ctldl.windowsupdate.com"));
  auto allowed = build(program(win, kWindowsRules));
  INFO(allowed->rendered);
  CHECK(allowed->result.ok());
  const auto sh = allowed->content("main.sh");
  CHECK(sh.find("--os-type 'Windows'") != std::string::npos);
}

TEST_CASE("pools: the GPU rows apply to a cluster with an N-series pool", "[pools][requirements]") {
  const std::string gpu = "  pool sys < mode system; nodes 3 >\n  pool gpu < nodes 1; vm_size \"Standard_NC6s_v3\" >\n";
  auto cpu = build(program("  pool sys < mode system; nodes 3 >\n  pool cpu < nodes 1; vm_size \"Standard_D4ds_v5\" >\n"));
  INFO(cpu->rendered);
  CHECK(cpu->result.ok());
  auto blocked = build(program(gpu));
  CHECK(blocked->has("E0246", "nvidia.github.io"));
  CHECK(blocked->has("E0246", "download.docker.com"));
  auto allowed = build(program(gpu, kGpuRules));
  INFO(allowed->rendered);
  CHECK(allowed->result.ok());
}

TEST_CASE("pools: two clusters get a manifest each, applied after each one's credentials", "[pools][k8s]") {
  const std::string second = R"(vnet vnet <
  subnet batch "batch-subnet" 10.42.8.0/24 < route_table fwrt >
>
cluster batch "p-batch" in vnet.batch <
  nodes 2
  network_plugin azure
  outbound user_defined_routing
  private
>
app web on aks <
  deployment web image "mcr.microsoft.com/azuredocs/aks-helloworld:v1" < port 80 >
  service web port 80
>
app jobs on batch <
  deployment worker image "mcr.microsoft.com/azuredocs/aks-helloworld:v1" < port 80 >
  service worker port 80
>
)";
  auto out = build(program("  nodes 2\n", "", second));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  CHECK(out->file("main.yaml") == nullptr);
  const auto aks = out->content("main.aks.yaml");
  const auto batch = out->content("main.batch.yaml");
  CHECK(aks.find("name: web") != std::string::npos);
  CHECK(aks.find("name: worker") == std::string::npos);
  CHECK(batch.find("name: worker") != std::string::npos);
  CHECK(batch.find("name: web") == std::string::npos);
  const auto sh = out->content("main.sh");
  const auto cred_aks = sh.find("az aks get-credentials --resource-group \"$RG\" --name \"$AKS_NAME\"");
  const auto apply_aks = sh.find("/main.aks.yaml");
  const auto apply_batch = sh.find("/main.batch.yaml");
  REQUIRE(apply_aks != std::string::npos);
  REQUIRE(apply_batch != std::string::npos);
  CHECK(cred_aks < apply_aks);
  const auto cred_batch = sh.find("--name \"$BATCH_NAME\" --overwrite-existing");
  REQUIRE(cred_batch != std::string::npos);
  CHECK(cred_batch < apply_batch);
}

TEST_CASE("pools: with one cluster the manifest keeps its name", "[pools][k8s]") {
  auto out = build(program("  nodes 2\n", "", R"(app web on aks <
  deployment web image "mcr.microsoft.com/azuredocs/aks-helloworld:v1" < port 80 >
  service web port 80
>
)"));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  CHECK(out->file("main.yaml") != nullptr);
  CHECK(out->result.outputs.size() == 4);
}

TEST_CASE("pools: two clusters without apps still get the (empty) manifest main.yaml", "[pools][k8s]") {
  auto out = build(program("  nodes 2\n", "", R"(vnet vnet <
  subnet batch "batch-subnet" 10.42.8.0/24 < route_table fwrt >
>
cluster batch "p-batch" in vnet.batch <
  nodes 2
  network_plugin azure
  outbound user_defined_routing
  private
>
)"));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  CHECK(out->file("main.yaml") != nullptr);
  CHECK(out->file("main.aks.yaml") == nullptr);
  CHECK(out->result.outputs.size() == 4);
}
