// AKS requirement rows that follow the cluster (stdlib/aks.egress, `when`/`unless`/`recommended`), the registry
// hosts of stdlib/registries.egress, FQDN-tag coverage without `import aks`, add-ons emitted for real, internal
// load balancers in another subnet and the NAT-gateway outbound types. Each condition: a program where the
// row applies and is blocked (it must be reported), and one where it does not apply or is allowed (it must not).
#include <catch2/catch.hpp>

#include <regex>

#include "support/compilation.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::unique_ptr<Compilation> build(const std::string& text) {
  return compile_program("tests/unit/requirements.egress", text);
}

// The article's network; CLUSTER holds extra cluster settings, NET and APP extra rules, APPS extra apps.
std::string program(const std::string& cluster, const std::string& net, const std::string& app,
                    const std::string& apps = "", const std::string& import = "import aks\n") {
  return import + R"(param location: region = eastus
group rg "r-rg" in location
vnet vnet "r-vnet" 10.42.0.0/16 <
  subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt >
  subnet ilb "ilb-subnet" 10.42.3.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
>
vnet other "r-other" 10.60.0.0/16 <
  subnet far "far-subnet" 10.60.1.0/24
>
public_ip fwpip "r-fwpip" < sku standard >
firewall fw "r-fw" in vnet.AzureFirewallSubnet <
  dns_proxy on
  frontend fwpip "r-fwconfig"
  network nr priority 100 <
    allow ok udp * -> "example.invalid" : 9
)" + net + R"(  >
  application ar priority 100 <
    allow ubuntu http:80 * -> "security.ubuntu.com", "azure.archive.ubuntu.com", "changelogs.ubuntu.com"
    allow snapshot https:443 * -> "snapshot.ubuntu.com"
)" + app + R"(  >
>
route_table fwrt "r-fwrt" <
  route fwrn "r-fwrn" 0.0.0.0/0 -> fw
  route fwinternet "r-fwinternet" fwpip/32 -> internet
>
cluster aks "r-aks" in vnet.aks <
  nodes 3
  network_plugin azure
  outbound user_defined_routing
)" + cluster + R"(>
)" + apps;
}

const std::string kTunnel = "    allow apiudp udp * -> AzureCloud.${location} : 1194\n"
                            "    allow apitcp tcp * -> AzureCloud.${location} : 9000\n";
const std::string kTag = "    allow fqdn http:80, https:443 * -> tag AzureKubernetesService\n";
const std::string kWorkspace =
    "  addon monitoring workspace \"/subscriptions/0/resourceGroups/m/providers/Microsoft.OperationalInsights/workspaces/w\"\n";

}  // namespace

TEST_CASE("requirements: a public cluster needs the tunnel and the API server's FQDN", "[requirements]") {
  auto blocked = build(program("", "", "    allow mcr https:443 * -> \"*.data.mcr.microsoft.com\"\n"));
  CHECK(blocked->has("E0246", "UDP AzureCloud.eastus:1194"));
  CHECK(blocked->has("E0246", "TCP AzureCloud.eastus:9000"));
  auto allowed = build(program("", kTunnel, kTag));
  INFO(allowed->rendered);
  CHECK(allowed->result.ok());
  CHECK(allowed->rendered.empty());
}

TEST_CASE("requirements: a private cluster needs neither the tunnel nor *.hcp.<region>.azmk8s.io", "[requirements]") {
  // Only what the tag covers minus the API server: every FQDN but *.hcp..., no 1194/9000.
  const std::string fqdns =
      "    allow req https:443 * -> \"mcr.microsoft.com\", \"*.data.mcr.microsoft.com\", \"mcr-0001.mcr-msedge.net\",\n"
      "      \"management.azure.com\", \"login.microsoftonline.com\", \"packages.microsoft.com\", \"acs-mirror.azureedge.net\",\n"
      "      \"packages.aks.azure.com\"\n";
  auto priv = build(program("  private\n", "", fqdns));
  INFO(priv->rendered);
  CHECK(!priv->has("E0246"));
  CHECK(priv->result.ok());
  // The same firewall with a public cluster: the tunnel and the API server's FQDN are missing.
  auto pub = build(program("", "", fqdns));
  CHECK(pub->has("E0246", "UDP AzureCloud.eastus:1194"));
  CHECK(pub->has("E0246", "*.hcp.eastus.azmk8s.io"));
}

TEST_CASE("requirements: NTP to ntp.ubuntu.com is not required (nodes provisioned after March 2021)", "[requirements]") {
  auto out = build(program("", kTunnel, kTag));
  CHECK(!out->has("E0246", "ntp.ubuntu.com"));
  CHECK(out->result.ok());
}

TEST_CASE("requirements: the recommended Ubuntu update hosts warn (W0230) and only warn", "[requirements]") {
  auto text = program("", kTunnel, kTag);
  text = std::regex_replace(text, std::regex("    allow ubuntu http:80[^\n]*\n"), "");
  auto out = build(text);
  CHECK(out->has("W0230", "security.ubuntu.com"));
  CHECK(out->result.ok());
  auto quiet = build(program("", kTunnel, kTag));
  CHECK(!quiet->has("W0230"));
}

TEST_CASE("requirements: Azure Monitor needs its FQDNs or the AzureMonitor tag, only with the add-on", "[requirements]") {
  auto without = build(program("", kTunnel, kTag));
  CHECK(!without->has("E0246", "opinsights"));
  auto blocked = build(program(kWorkspace, kTunnel, kTag));
  CHECK(blocked->has("E0246", "*.ods.opinsights.azure.com"));
  CHECK(blocked->has("E0246", "eastus.handler.control.monitor.azure.com"));
  auto by_tag = build(program(kWorkspace, kTunnel + "    allow monitor tcp * -> AzureMonitor : 443\n", kTag));
  INFO(by_tag->rendered);
  CHECK(!by_tag->has("E0246"));
  CHECK(by_tag->result.ok());
  auto by_fqdn = build(program(kWorkspace, kTunnel,
                               kTag + "    allow monitor https:443 * -> \"dc.services.visualstudio.com\", \"*.ods.opinsights.azure.com\",\n"
                                      "      \"*.oms.opinsights.azure.com\", \"*.monitoring.azure.com\", \"${location}.ingest.monitor.azure.com\",\n"
                                      "      \"${location}.handler.control.monitor.azure.com\"\n"));
  INFO(by_fqdn->rendered);
  CHECK(!by_fqdn->has("E0246"));
}

TEST_CASE("requirements: the Key Vault secrets provider needs vault.azure.net, only with the add-on", "[requirements]") {
  CHECK(!build(program("", kTunnel, kTag))->has("E0246", "vault.azure.net"));
  CHECK(build(program("  addon keyvault_secrets\n", kTunnel, kTag))->has("E0246", "vault.azure.net"));
  CHECK(!build(program("  addon keyvault_secrets\n", kTunnel, kTag + "    allow kv https:443 * -> \"vault.azure.net\"\n"))
             ->has("E0246"));
}

TEST_CASE("requirements: Azure Policy needs its policy hosts, only with the add-on", "[requirements]") {
  CHECK(!build(program("", kTunnel, kTag))->has("E0246", "policy.core.windows.net"));
  auto blocked = build(program("  addon azure_policy\n", kTunnel, kTag));
  CHECK(blocked->has("E0246", "data.policy.core.windows.net"));
  CHECK(blocked->has("E0246", "store.policy.core.windows.net"));
  CHECK(!build(program("  addon azure_policy\n", kTunnel,
                       kTag + "    allow policy https:443 * -> \"data.policy.core.windows.net\", \"store.policy.core.windows.net\",\n"
                              "      \"dc.services.visualstudio.com\"\n"))
             ->has("E0246"));
}

TEST_CASE("requirements: add-ons and private clusters are emitted, so the rows and the deployment agree", "[requirements]") {
  auto out = build(program("  private\n" + kWorkspace + "  addon keyvault_secrets\n  addon azure_policy\n", "",
                           kTag + "    allow all https:443 * -> \"vault.azure.net\", \"data.policy.core.windows.net\",\n"
                                  "      \"store.policy.core.windows.net\", \"dc.services.visualstudio.com\"\n"
                                  "    allow mon https:443 * -> \"*.ods.opinsights.azure.com\", \"*.oms.opinsights.azure.com\",\n"
                                  "      \"*.monitoring.azure.com\", \"eastus.ingest.monitor.azure.com\", \"eastus.handler.control.monitor.azure.com\"\n"));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  const auto arm = out->output(".json");
  CHECK(arm.find("\"enablePrivateCluster\": true") != std::string::npos);
  CHECK(arm.find("\"azureKeyvaultSecretsProvider\"") != std::string::npos);
  CHECK(arm.find("\"azurepolicy\"") != std::string::npos);
  CHECK(arm.find("\"logAnalyticsWorkspaceResourceID\"") != std::string::npos);
  const auto bicep = out->output(".bicep");
  CHECK(bicep.find("omsagent") != std::string::npos);
  const auto sh = out->output(".sh");
  CHECK(sh.find("--enable-private-cluster") != std::string::npos);
  CHECK(sh.find("--enable-addons 'monitoring,azure-keyvault-secrets-provider,azure-policy'") != std::string::npos);
  CHECK(sh.find("--workspace-resource-id") != std::string::npos);
}

TEST_CASE("requirements: the AzureKubernetesService tag covers the same FQDNs without `import aks`", "[requirements]") {
  const std::string apps = R"(app a on aks <
  deployment web image "mcr.microsoft.com/azuredocs/aks-helloworld:v1" < port 80 >
>
)";
  auto with_tag = build(program("", kTunnel, kTag, apps, ""));
  INFO(with_tag->rendered);
  CHECK(!with_tag->has("E0248"));
  CHECK(with_tag->result.ok());
  auto without = build(program("", kTunnel, "", apps, ""));
  CHECK(without->has("E0248", "mcr.microsoft.com"));
}

TEST_CASE("registries: Docker Hub pulls need registry-1, auth and the anonymous layer host, not docker.io", "[requirements]") {
  const std::string apps = R"(app a on aks <
  deployment web image "busybox:1.36" < port 80 >
>
)";
  auto blocked = build(program("", kTunnel, kTag + "    allow reg https:443 * -> \"registry-1.docker.io\"\n", apps));
  CHECK(blocked->has("E0248", "auth.docker.io"));
  CHECK(!blocked->has("E0248", "HTTPS to docker.io:443"));
  CHECK(!blocked->has("E0248", ", docker.io:443"));
  auto allowed = build(program("", kTunnel,
                               kTag + "    allow hub https:443 * -> \"registry-1.docker.io\", \"auth.docker.io\",\n"
                                      "      \"docker-images-prod.6aa30f8b08e16409b46e0173d6de2f56.r2.cloudflarestorage.com\"\n",
                               apps));
  INFO(allowed->rendered);
  CHECK(!allowed->has("E0248"));
}

TEST_CASE("registries: ghcr, quay and ACR pull hosts", "[requirements]") {
  const std::string apps = R"(app a on aks <
  deployment g image "ghcr.io/o/g:1" < port 80 >
  deployment q image "quay.io/o/q:1" < port 81 >
  deployment c image "contoso.azurecr.io/c:1" < port 82 >
>
)";
  auto blocked = build(program("", kTunnel, kTag + "    allow regs https:443 * -> \"ghcr.io\", \"quay.io\", \"contoso.azurecr.io\"\n", apps));
  CHECK(blocked->has("E0248", "pkg-containers.githubusercontent.com"));
  CHECK(blocked->has("E0248", "cdn01.quay.io"));
  CHECK(blocked->has("E0248", "contoso.eastus.data.azurecr.io"));
  // ACR layers from the storage account instead of a dedicated data endpoint: the `or` host.
  auto allowed = build(program("", kTunnel,
                               kTag + "    allow regs https:443 * -> \"ghcr.io\", \"pkg-containers.githubusercontent.com\", \"quay.io\",\n"
                                      "      \"*.quay.io\", \"contoso.azurecr.io\", \"*.blob.core.windows.net\"\n",
                               apps));
  INFO(allowed->rendered);
  CHECK(!allowed->has("E0248"));
}

TEST_CASE("internal load balancers may sit in another subnet of the cluster's VNet", "[requirements]") {
  const std::string apps = R"(app a on aks <
  deployment web image "mcr.microsoft.com/azuredocs/aks-helloworld:v1" < port 80 >
  service web internal in vnet.ilb port 80
  service fixed internal in vnet.ilb port 81 ip 10.42.3.100
>
)";
  auto out = build(program("", kTunnel, kTag, apps));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  CHECK(!out->has("E0208"));
  const auto yaml = out->output(".yaml");
  CHECK(yaml.find("service.beta.kubernetes.io/azure-load-balancer-internal-subnet: ilb-subnet") != std::string::npos);
  CHECK(yaml.find("\"10.42.3.254\"") != std::string::npos);  // allocated from the top of ilb-subnet
  CHECK(yaml.find("\"10.42.3.100\"") != std::string::npos);
  // An address outside the chosen subnet is still E0208; a subnet in another VNet is E0280.
  CHECK(build(program("", kTunnel, kTag, std::regex_replace(apps, std::regex("10\\.42\\.3\\.100"), "10.42.1.200")))
            ->has("E0208"));
  CHECK(build(program("", kTunnel, kTag, std::regex_replace(apps, std::regex("in vnet\\.ilb port 80"), "in other.far port 80")))
            ->has("E0280"));
}

// The positive case of user_assigned_nat_gateway (a NAT gateway on the subnet) is in nat_gateway_test.cpp.
TEST_CASE("the NAT-gateway outbound types: managed is rejected, user-assigned needs a NAT gateway on the subnet", "[requirements]") {
  auto text = program("", kTunnel, kTag);
  CHECK(build(std::regex_replace(text, std::regex("outbound user_defined_routing"), "outbound managed_nat_gateway"))
            ->has("E0282"));
  CHECK(build(std::regex_replace(text, std::regex("outbound user_defined_routing"), "outbound user_assigned_nat_gateway"))
            ->has("E0283"));
  CHECK(!build(text)->has("E0282"));
}
