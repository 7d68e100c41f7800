// API Server VNet Integration (`api_server_subnet VNET.SUBNET` in a cluster): the rows it turns off (the tunnel
// and the API server's FQDN: `when api_over_internet` in stdlib/aks.egress), the subnet's delegation and the
// cluster's properties in every target, and the subnet checks E0287-E0289, W0232.
#include <catch2/catch.hpp>

#include "support/compilation.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::unique_ptr<Compilation> build(const std::string& text) {
  return compile_program("tests/unit/api_server_vnet.egress", text);
}

// The article's network without the tunnel rules; FIRST is the VNet's first subnet (the API server's when it is
// `apiserver`), CLUSTER extra cluster settings, NET extra network rules.
std::string program(const std::string& cluster, const std::string& net = "",
                    const std::string& first = "  subnet apiserver \"apiserver-subnet\" 10.42.5.0/28\n") {
  return R"(import aks
param location: region = eastus
group rg "v-rg" in location
vnet vnet "v-vnet" 10.42.0.0/16 <
)" + first + R"(  subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
>
public_ip fwpip "v-fwpip" < sku standard >
firewall fw "v-fw" in vnet.AzureFirewallSubnet <
  dns_proxy on
  frontend fwpip "v-fwconfig"
  network nr priority 100 <
    allow ok udp * -> "example.invalid" : 9
)" + net + R"(  >
  application ar priority 100 <
    allow req https:443 * -> "mcr.microsoft.com", "*.data.mcr.microsoft.com", "mcr-0001.mcr-msedge.net",
      "management.azure.com", "login.microsoftonline.com", "packages.microsoft.com", "acs-mirror.azureedge.net",
      "packages.aks.azure.com"
    allow ubuntu http:80 * -> "security.ubuntu.com", "azure.archive.ubuntu.com", "changelogs.ubuntu.com"
    allow snapshot https:443 * -> "snapshot.ubuntu.com"
  >
>
route_table fwrt "v-fwrt" <
  route fwrn "v-fwrn" 0.0.0.0/0 -> fw
  route fwinternet "v-fwinternet" fwpip/32 -> internet
>
cluster aks "v-aks" in vnet.aks <
  nodes 3
  network_plugin azure
  outbound user_defined_routing
)" + cluster + R"(>
)";
}

const std::string kIntegrated = "  api_server_subnet vnet.apiserver\n";

}  // namespace

TEST_CASE("API server VNet integration: no tunnel and no *.hcp FQDN, public or private", "[requirements][apiserver]") {
  // The firewall allows every FQDN but the API server's, and neither 1194 nor 9000.
  auto plain = build(program(""));
  CHECK(plain->has("E0246", "UDP AzureCloud.eastus:1194"));
  CHECK(plain->has("E0246", "*.hcp.eastus.azmk8s.io"));
  auto integrated = build(program(kIntegrated));
  INFO(integrated->rendered);
  CHECK(!integrated->has("E0246"));
  CHECK(integrated->result.ok());
  auto both = build(program("  private\n" + kIntegrated));
  INFO(both->rendered);
  CHECK(both->result.ok());
}

TEST_CASE("API server VNet integration: aks_required leaves the tunnel out", "[requirements][apiserver][rule_set]") {
  auto out = build(program(kIntegrated) + "firewall fw <\n  use aks_required aks priority 200\n>\n");
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  const auto arm = out->output(".json");
  CHECK(arm.find("1194") == std::string::npos);
  CHECK(arm.find("azmk8s.io") == std::string::npos);
}

TEST_CASE("API server VNet integration: the cluster and the delegated subnet in every target", "[apiserver]") {
  auto out = build(program(kIntegrated));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  const auto arm = out->output(".json");
  CHECK(arm.find("\"enableVnetIntegration\": true") != std::string::npos);
  CHECK(arm.find("\"subnetId\"") != std::string::npos);
  CHECK(arm.find("\"serviceName\": \"Microsoft.ContainerService/managedClusters\"") != std::string::npos);
  const auto bicep = out->output(".bicep");
  CHECK(bicep.find("enableVnetIntegration: true") != std::string::npos);
  CHECK(bicep.find("'Microsoft.ContainerService/managedClusters'") != std::string::npos);
  const auto sh = out->output(".sh");
  // The first subnet is created with the VNet, which takes no delegation: it is delegated by an update.
  CHECK(sh.find("az network vnet subnet update --resource-group") != std::string::npos);
  CHECK(sh.find("--delegations 'Microsoft.ContainerService/managedClusters'") != std::string::npos);
  CHECK(sh.find("--enable-apiserver-vnet-integration") != std::string::npos);
  CHECK(sh.find("--apiserver-subnet-id \"$") != std::string::npos);
  // Without the setting nothing of it is emitted.
  auto plain = build(program("", "    allow apiudp udp * -> AzureCloud.${location} : 1194\n"
                                 "    allow apitcp tcp * -> AzureCloud.${location} : 9000\n"));
  CHECK(plain->output(".json").find("enableVnetIntegration") == std::string::npos);
  CHECK(plain->output(".json").find("delegations") == std::string::npos);
  CHECK(plain->output(".sh").find("--delegations") == std::string::npos);
}

TEST_CASE("API server VNet integration: a later subnet is created delegated", "[apiserver]") {
  auto out = build(program(kIntegrated, "", "  subnet first \"first-subnet\" 10.42.6.0/24\n"
                                            "  subnet apiserver \"apiserver-subnet\" 10.42.5.0/28\n"));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  const auto sh = out->output(".sh");
  // The subnet create command (the script wraps long lines) carries the delegation; no update step is needed.
  const auto create = sh.find("--address-prefixes '10.42.5.0/28'");
  REQUIRE(create != std::string::npos);
  CHECK(sh.find("--delegations 'Microsoft.ContainerService/managedClusters'", create) < create + 120);
  CHECK(sh.find("Delegating subnet") == std::string::npos);
}

TEST_CASE("API server VNet integration: the subnet checks", "[apiserver]") {
  CHECK(build(program(kIntegrated, "", "  subnet apiserver \"apiserver-subnet\" 10.42.5.0/29\n"))->has("E0287", "/29"));
  CHECK(!build(program(kIntegrated))->has("E0287"));
  CHECK(build(program("  api_server_subnet vnet.aks\n"))->has("E0289", "other resources"));
  CHECK(build(program("  api_server_subnet vnet.AzureFirewallSubnet\n"))->has("E0289"));
  const std::string other = "vnet other \"v-other\" 10.60.0.0/16 <\n  subnet api \"api\" 10.60.1.0/28\n>\n";
  CHECK(build(program("  api_server_subnet other.api\n") + other)->has("E0288", "VNet `other`"));
}
