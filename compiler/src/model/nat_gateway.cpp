// W0251: a NAT gateway that a subnet's own routes bypass. Azure's order of precedence for Internet-bound traffic
// puts a virtual appliance route (or ExpressRoute/VPN forced tunnelling) before a NAT gateway: "Troubleshoot Azure
// NAT Gateway connectivity" (learn.microsoft.com/azure/nat-gateway/troubleshoot-nat-connectivity), "Virtual
// appliance UDRs and ExpressRoute override NAT gateway for routing outbound traffic". Checked 2026-12-07.
// So a NAT gateway on a cluster's subnet that routes 0.0.0.0/0 to a firewall carries none of its Internet
// traffic; on AzureFirewallSubnet it carries the firewall's.
#include <fmt/format.h>

#include "model/network.hpp"
#include "model/routes.hpp"

namespace egress::model {

void check_nat_gateways(const Network& net, Diagnostics& diags) {
  for (const auto& vnet : net.program().vnets)
    for (const auto& sub : vnet.subnets) {
      if (sub.nat_gateway == nullptr) continue;
      const auto* r = net.routes(sub).default_route();
      if (r == nullptr || (r->hop != Hop::virtual_appliance && r->hop != Hop::vnet_gateway)) continue;
      const std::string where = r->hop == Hop::vnet_gateway ? std::string("the VNet gateway")
                                : r->firewall != nullptr    ? fmt::format("firewall `{}`", r->firewall->symbol)
                                                            : std::string("a virtual appliance");
      auto& d = diags.report(
          Code::W0251, sub.nat_gateway_span,
          fmt::format("NAT gateway `{}` is attached to subnet `{}`, but the subnet's route for 0.0.0.0/0 sends Internet "
                      "traffic to {}, and Azure prefers that route to a NAT gateway: the NAT gateway carries none of "
                      "this subnet's Internet traffic",
                      sub.nat_gateway->symbol, sub.symbol, where),
          r->firewall != nullptr && r->firewall->subnet != nullptr
              ? fmt::format("attach the NAT gateway to the firewall's subnet `{}` instead: the firewall's outbound "
                            "traffic then uses its public IPs",
                            r->firewall->subnet->symbol)
              : std::string("remove the NAT gateway from this subnet, or the route that bypasses it"));
      if (r->route != nullptr) d.notes.push_back({r->route->span, "the route that takes the traffic"});
    }
}

}  // namespace egress::model
