// VNet peerings as Azure has them: one virtualNetworkPeerings resource per direction, each held by one VNet and
// carrying that side's settings. `peer OTHER [< ... >]` in a vnet block writes a side; written on one side only,
// the other side is created too, with the defaults of PeerSettings (program.hpp).
//
// What the settings mean, from "Create, change, or delete a virtual network peering" (section "Create a peering",
// learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering, checked 2026-12-06):
//   - allowVirtualNetworkAccess ("Allow 'vnet-1' to access 'vnet-2'", selected by default): resources of this VNet
//     communicate with the remote one; off, traffic does not flow to the peered VNet by default.
//   - allowForwardedTraffic ("Allow 'vnet-1' to receive forwarded traffic from 'vnet-2'"): traffic that a network
//     virtual appliance in the remote VNet forwards, and that did not originate there, may enter this VNet. So the
//     side that matters for a hub firewall is the spoke's: the firewall forwards the replies of a spoke's egress
//     (their sources are on the Internet) and traffic from other spokes into the spoke.
//   - allowGatewayTransit ("Use this virtual network's gateway or Route Server"): the remote VNet may use this
//     VNet's VPN/ExpressRoute gateway or Route Server; useRemoteGateways ("Use the remote virtual network's
//     gateway or Route Server"): this VNet uses the remote one's, which must exist and allow transit. The portal
//     offers the two as one choice of three (this VNet's, the remote's, none); only one peering of a VNet can use
//     remote gateways, and not when the VNet has a gateway of its own.
// egress declares no gateways: they are created elsewhere, in the VNet's `GatewaySubnet` (or the Route Server's
// `RouteServerSubnet`).
//
// Defaults for a side not written: access allowed, forwarded traffic allowed, no gateway transit, no remote
// gateways. Azure's own default for allowForwardedTraffic is off; egress allows it because the hub-and-spoke
// designs it models need it (the replies a hub firewall forwards), and `forwarded_traffic deny` turns it off.
#pragma once
#include <vector>

#include "sema/program.hpp"

namespace egress::sema {

/// One direction of a peering: the resource `vnet` holds, pointing at `remote`.
struct PeeringSide {
  const Vnet* vnet = nullptr;
  const Vnet* remote = nullptr;
  PeerSettings settings;
  bool written = false;  // `peer REMOTE` is written in `vnet`'s block; otherwise the defaults
  Span span;             // the `peer` statement that creates this side (the other side's when not written)
};

/// A peering between two VNets: `first` is the side of the VNet whose `peer` statement comes first in program
/// order, `second` the reverse direction.
struct Peering {
  PeeringSide first, second;
};

/// Every peering of the program, once per pair of VNets, in program order (the order the outputs create them).
[[nodiscard]] std::vector<Peering> peerings(const Program& program);

/// The side `from` holds toward `to`, or null when the two VNets are not peered.
[[nodiscard]] const PeeringSide* peering_side(const std::vector<Peering>& peerings, const Vnet* from, const Vnet* to);

}  // namespace egress::sema
