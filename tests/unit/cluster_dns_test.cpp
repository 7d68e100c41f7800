// Custom DNS servers of a cluster's VNet (`dns_servers` in the vnet block): the `when custom_dns` row of
// stdlib/aks.egress (UDP 53 to each server, `cluster.dns_servers`), routed per server by the model, E0246 when the
// firewall drops it, W0231 when a route drops it, E0286 when the server is a firewall without DNS proxy, and the
// setting emitted for real in every target. Each case: a program where it must be reported, and one where not.
#include <catch2/catch.hpp>

#include "support/compilation.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::unique_ptr<Compilation> build(const std::string& text) {
  return compile_program("tests/unit/cluster_dns.egress", text);
}

// The article's network with a hub VNet (peered) for DNS servers. VNET holds the spoke's extra statements (its
// `dns_servers`), ROUTES extra routes of the cluster's route table, NET extra network rules, FW extra firewall
// settings.
std::string program(const std::string& vnet, const std::string& routes, const std::string& net,
                    const std::string& fw = "  dns_proxy on\n") {
  return R"(import aks
param location: region = eastus
group rg "d-rg" in location
vnet vnet "d-vnet" 10.42.0.0/16 <
  subnet aks "aks-subnet" 10.42.1.0/24 < route_table fwrt >
  subnet AzureFirewallSubnet 10.42.2.0/24
  peer hub
)" + vnet + R"(>
vnet hub "d-hub" 10.50.0.0/16 <
  subnet dns "dns-subnet" 10.50.1.0/24
>
public_ip fwpip "d-fwpip" < sku standard >
firewall fw "d-fw" in vnet.AzureFirewallSubnet <
)" + fw + R"(  frontend fwpip "d-fwconfig"
  network nr priority 100 <
    allow apiudp udp * -> AzureCloud.${location} : 1194
    allow apitcp tcp * -> AzureCloud.${location} : 9000
)" + net + R"(  >
  application ar priority 100 <
    allow fqdn http:80, https:443 * -> tag AzureKubernetesService
    allow ubuntu http:80 * -> "security.ubuntu.com", "azure.archive.ubuntu.com", "changelogs.ubuntu.com"
    allow snapshot https:443 * -> "snapshot.ubuntu.com"
  >
>
route_table fwrt "d-fwrt" <
  route fwrn "d-fwrn" 0.0.0.0/0 -> fw
  route fwinternet "d-fwinternet" fwpip/32 -> internet
)" + routes + R"(>
cluster aks "d-aks" in vnet.aks <
  nodes 3
  network_plugin azure
  outbound user_defined_routing
>
)";
}

const std::string kOnPrem = "  dns_servers 192.168.10.4\n";
const std::string kOnPremRoute = "  route onprem \"d-onprem\" 192.168.0.0/16 -> fw\n";

}  // namespace

TEST_CASE("custom DNS: without dns_servers no DNS row applies", "[requirements][dns]") {
  auto out = build(program("", "", ""));
  INFO(out->rendered);
  CHECK(out->result.ok());
  CHECK(!out->has("E0246", ":53"));
  CHECK(out->output(".json").find("dhcpOptions") == std::string::npos);
}

TEST_CASE("custom DNS: a server behind the firewall must be allowed on UDP 53 (E0246)", "[requirements][dns]") {
  auto blocked = build(program(kOnPrem, kOnPremRoute, ""));
  INFO(blocked->rendered);
  CHECK(blocked->has("E0246", "UDP 192.168.10.4:53"));
  CHECK(blocked->has("E0246", "the cluster fails to provision"));
  CHECK(blocked->rendered.find("allow udp53 udp * -> 192.168.10.4 : 53") != std::string::npos);
  auto allowed = build(program(kOnPrem, kOnPremRoute, "    allow dns udp * -> 192.168.10.4 : 53\n"));
  INFO(allowed->rendered);
  CHECK(allowed->result.ok());
  CHECK(!allowed->has("E0246"));
  CHECK(!allowed->has("W0231"));
}

TEST_CASE("custom DNS: a server in the VNet or a peered VNet never meets the firewall", "[requirements][dns]") {
  // 10.42.1.10 is in the cluster's own VNet, 10.50.1.4 in the peered hub: their routes are VnetLocal and VNet
  // peering, more specific than the default route to the firewall.
  auto out = build(program("  dns_servers 10.42.1.10, 10.50.1.4\n", "", ""));
  INFO(out->rendered);
  CHECK(out->result.ok());
  CHECK(!out->has("E0246"));
  CHECK(!out->has("W0231"));
}

TEST_CASE("custom DNS: a server a route drops warns (W0231)", "[requirements][dns]") {
  // A user route for 0.0.0.0/0 removes Azure's None routes of the private ranges (model/routes.cpp, "Virtual network
  // traffic routing", "Routing example"): with the default route alone the server's address goes to the firewall,
  // whose rules decide (E0246 without one for it). A route to None drops it.
  auto defaulted = build(program(kOnPrem, "", ""));
  INFO(defaulted->rendered);
  CHECK(defaulted->has("E0246", "UDP 192.168.10.4:53"));
  CHECK(!defaulted->has("W0231"));
  auto dropped = build(program(kOnPrem, "  route onprem \"d-onprem\" 192.168.0.0/16 -> none\n", ""));
  INFO(dropped->rendered);
  CHECK(dropped->has("W0231", "route `onprem` sends 192.168.0.0/16 to next hop None"));
  CHECK(dropped->result.ok());
  auto routed = build(program(kOnPrem, kOnPremRoute, "    allow dns udp * -> 192.168.10.4 : 53\n"));
  CHECK(!routed->has("W0231"));
}

TEST_CASE("custom DNS: the firewall as DNS server needs its DNS proxy (E0286)", "[requirements][dns]") {
  // 10.42.2.4 is the firewall's private IP (the fourth address of AzureFirewallSubnet).
  auto off = build(program("  dns_servers 10.42.2.4\n", "", "", ""));
  INFO(off->rendered);
  CHECK(off->has("E0286", "firewall `fw`"));
  auto on = build(program("  dns_servers 10.42.2.4\n", "", ""));
  INFO(on->rendered);
  CHECK(!on->has("E0286"));
  CHECK(on->result.ok());
}

TEST_CASE("custom DNS: the servers are emitted in every target", "[requirements][dns]") {
  auto out = build(program("  dns_servers 10.50.1.4, 10.50.1.5\n", "", ""));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  const auto arm = out->output(".json");
  CHECK(arm.find("\"dhcpOptions\"") != std::string::npos);
  CHECK(arm.find("\"dnsServers\"") != std::string::npos);
  const auto bicep = out->output(".bicep");
  CHECK(bicep.find("dhcpOptions") != std::string::npos);
  CHECK(bicep.find("'10.50.1.5'") != std::string::npos);
  const auto sh = out->output(".sh");
  CHECK(sh.find("--dns-servers '10.50.1.4' '10.50.1.5'") != std::string::npos);
}

TEST_CASE("custom DNS: aks_required allows UDP 53 to the servers", "[requirements][dns][rule_set]") {
  const std::string text = program(kOnPrem, kOnPremRoute, "") + R"(firewall fw <
  use aks_required aks priority 200
>
)";
  auto out = build(text);
  INFO(out->rendered);
  CHECK(!out->has("E0246"));
  CHECK(out->result.ok());
}

TEST_CASE("custom DNS: `dns_servers` is set once per VNet", "[requirements][dns]") {
  auto out = build(program("  dns_servers 10.50.1.4\n  dns_servers 10.50.1.5\n", "", ""));
  CHECK(out->has("E0108", "dns_servers"));
}

TEST_CASE("requirement rows name only the addresses a cluster gives (E0285)", "[requirements][dns]") {
  const std::string row = R"(requirement extra "extra" <
  network udp cluster.ntp_servers : 123 "time" when custom_dns
>
)";
  auto bad = build(program(kOnPrem, kOnPremRoute, "    allow dns udp * -> 192.168.10.4 : 53\n") + row);
  CHECK(bad->has("E0285", "cluster.ntp_servers"));
  const std::string app_row = R"(requirement extra "extra" <
  application https cluster.dns_servers : 443 "x"
>
)";
  CHECK(build(program("", "", "") + app_row)->has("E0285", "only a `network` row"));
}

TEST_CASE("custom DNS: Azure's platform DNS 168.63.129.16 is not a flow through the firewall", "[requirements][dns]") {
  // Listed beside an on-premises server (a common fallback): only the on-premises one is checked.
  auto out = build(program("  dns_servers 192.168.10.4, 168.63.129.16\n", kOnPremRoute, ""));
  INFO(out->rendered);
  CHECK(out->has("E0246", "192.168.10.4"));
  CHECK(!out->has("E0246", "168.63.129.16"));
  CHECK(!out->has("W0231"));
}
