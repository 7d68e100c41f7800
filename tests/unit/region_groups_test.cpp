// Region-dependent checks with several groups (issue 12's gaps, part 6): availability zones are checked against
// the region of the group each resource lives in (sema/placement.cpp), not the main group's. West US has no
// availability zones, West US 2 has (stdlib/azure.egress, "Regions with availability zones").
#include <catch2/catch.hpp>

#include <string>

#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

struct Checked {
  SourceManager sources;
  Result result;
  std::string rendered;
  // The E0334 diagnostics whose message names `what`.
  [[nodiscard]] int zones_errors(std::string_view what) const {
    int n = 0;
    for (const auto& d : result.diagnostics.all())
      if (d.code == Code::E0334 && d.message.find(what) != std::string::npos) ++n;
    return n;
  }
};

std::unique_ptr<Checked> run(const std::string& text) {
  auto c = std::make_unique<Checked>();
  const auto id = c->sources.add("tests/unit/region_groups.egress", text);
  Options o;
  c->result = check(c->sources, id, o);
  for (const auto& d : c->result.diagnostics.all()) c->rendered += render(d, c->sources);
  return c;
}

}  // namespace

TEST_CASE("regions per group: a resource's zones are checked in its own group's region", "[groups][zones]") {
  // The first group (the main one: there is no cluster) is in West US; the firewall lives in West US 2.
  const auto c = run(R"(group edge "rz-edge-rg" in westus <
  public_ip edgepip "rz-edge-pip" < zones 1, 2, 3 >
>
group hub "rz-hub-rg" in westus2 <
  vnet hubnet "rz-hub-vnet" 10.60.0.0/16 < subnet AzureFirewallSubnet 10.60.0.0/26 >
  public_ip fwpip "rz-fwpip" < zones 1, 2, 3 >
  firewall fw "rz-fw" in hubnet.AzureFirewallSubnet < zones 1, 2, 3; frontend fwpip >
>
)");
  INFO(c->rendered);
  // West US 2 has zones: the firewall and its public IP are fine there, whatever the main group's region.
  CHECK(c->zones_errors("firewall `fw`") == 0);
  CHECK(c->zones_errors("public IP `fwpip`") == 0);
  // The edge group's public IP is in West US, which has none; the note names its group.
  CHECK(c->zones_errors("public IP `edgepip`") == 1);
  CHECK(c->rendered.find("group `edge` deploys to westus") != std::string::npos);
}

TEST_CASE("regions per group: a node pool's zones are checked in its cluster's group's region", "[groups][zones][pools]") {
  // The first cluster (the main group's) is in West US 2; the second cluster's group is in West US.
  const auto c = run(R"(group one "rz-one-rg" in westus2 <
  vnet vone "rz-one-vnet" 10.42.0.0/16 < subnet aks "aks-subnet" 10.42.0.0/22 >
  cluster first "rz-first" in vone.aks < network_plugin azure; ssh generate; pool sys < mode system; nodes 2; zones 1, 2, 3 > >
>
group two "rz-two-rg" in westus <
  vnet vtwo "rz-two-vnet" 10.43.0.0/16 < subnet aks "aks-subnet" 10.43.0.0/22 >
  cluster second "rz-second" in vtwo.aks < network_plugin azure; ssh generate; pool sys < mode system; nodes 2; zones 1, 2 > >
>
)");
  INFO(c->rendered);
  CHECK(c->zones_errors("of cluster `first`") == 0);
  CHECK(c->zones_errors("of cluster `second`") == 1);
}

TEST_CASE("regions per group: a cluster's AKS rows are its own group's region's", "[groups][requirements]") {
  // The first cluster's group (the program's main group) is in East US; the second cluster's is in West Europe,
  // so its tunnel goes to AzureCloud.westeurope, whatever the main group's region is.
  auto program = [](const std::string& region) {
    return R"(import aks
group hub "rr-hub-rg" in eastus <
  vnet hubnet "rr-hub" 10.10.0.0/16 < subnet AzureFirewallSubnet 10.10.1.0/26; peer east; peer west >
  public_ip fwpip "rr-fwpip"
  firewall fw "rr-fw" in hubnet.AzureFirewallSubnet <
    dns_proxy on
    frontend fwpip "rr-fwconfig"
    network aks priority 100 <
      allow apiudp udp * -> AzureCloud.eastus, AzureCloud.)" + region + R"( : 1194
      allow apitcp tcp * -> AzureCloud.eastus, AzureCloud.)" + region + R"( : 9000
    >
    application aksfqdn priority 100 < allow fqdn http:80, https:443 * -> tag AzureKubernetesService >
  >
>
group first "rr-east-rg" in eastus <
  vnet east "rr-east" 10.11.0.0/16 < subnet aks "aks-subnet" 10.11.1.0/24 < route_table eastrt >; peer hubnet >
  route_table eastrt "rr-eastrt" < route tofw 0.0.0.0/0 -> fw; route fwinternet fwpip/32 -> internet >
  cluster aks0 "rr-aks0" in east.aks <
    nodes 2; network_plugin azure; outbound user_defined_routing; api_server_authorized fwpip; ssh generate
  >
>
group second "rr-west-rg" in westeurope <
  vnet west "rr-west" 10.12.0.0/16 < subnet aks "aks-subnet" 10.12.1.0/24 < route_table westrt >; peer hubnet >
  route_table westrt "rr-westrt" < route tofw 0.0.0.0/0 -> fw; route fwinternet fwpip/32 -> internet >
  cluster aks1 "rr-aks1" in west.aks <
    nodes 2; network_plugin azure; outbound user_defined_routing; api_server_authorized fwpip; ssh generate
  >
>
)";
  };
  auto count = [](const Checked& c, std::string_view what) {
    int n = 0;
    for (const auto& d : c.result.diagnostics.all())
      if (d.code == Code::E0246 && d.message.find(what) != std::string::npos) ++n;
    return n;
  };
  const auto right = run(program("westeurope"));
  INFO(right->rendered);
  CHECK(count(*right, "") == 0);
  // Only East US allowed: the West Europe cluster's tunnel is blocked, the East US one's is not.
  const auto east_only = run(program("eastus"));
  INFO(east_only->rendered);
  CHECK(count(*east_only, "cluster `aks1` cannot reach UDP AzureCloud.westeurope:1194") == 1);
  CHECK(count(*east_only, "cluster `aks1` cannot reach TCP AzureCloud.westeurope:9000") == 1);
  CHECK(count(*east_only, "cluster `aks0`") == 0);
}
