// Effective routes of a subnet, as Azure computes them: system routes (the VNet's own address space,
// peered VNets, 0.0.0.0/0 to the Internet, the private ranges to None) overridden by the user routes of the
// subnet's route table, and a route chosen for a destination by longest prefix match. Also the routing checks.
#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "egress/diagnostic.hpp"
#include "sema/program.hpp"

namespace egress::model {

class Network;

/// Azure's next-hop types (the names `az network nic show-effective-route-table` prints).
enum class Hop { vnet_local, vnet_peering, internet, virtual_appliance, vnet_gateway, none };
[[nodiscard]] std::string_view hop_name(Hop hop);

struct EffectiveRoute {
  std::optional<sema::Cidr> prefix;         // null: the address of `public_ip`, unknown until deployment
  const sema::PublicIp* public_ip = nullptr;
  int public_ip_prefix = 32;
  Hop hop = Hop::internet;
  bool user = false;                        // from the subnet's route table; otherwise a system route
  const sema::Route* route = nullptr;       // user routes
  const sema::RouteTable* table = nullptr;  // user routes: the table that holds the route
  const sema::Vnet* vnet = nullptr;         // vnet_local and vnet_peering: whose address space
  std::optional<std::uint32_t> next_hop_ip; // virtual_appliance
  const sema::Firewall* firewall = nullptr; // virtual_appliance whose address is a declared firewall's private IP
  bool active = true;  // false: a system route replaced by a user route of the same prefix (Azure: "Invalid")

  [[nodiscard]] int length() const { return prefix ? prefix->length : public_ip_prefix; }
  /// "0.0.0.0/0", or "fwpip/32" for a public IP's address.
  [[nodiscard]] std::string prefix_text() const;
  /// "VirtualAppliance 10.42.2.4 (firewall fw)", "Internet", "VnetLocal" ...
  [[nodiscard]] std::string next_hop_text() const;
  /// "user route fwrn of fwrt" or "system route".
  [[nodiscard]] std::string origin_text() const;
};

/// Where traffic goes: a literal address, a declared public IP, or a name (an FQDN or a service tag).
/// Names resolve to public addresses the compiler cannot know: they take the route every public address takes
/// (`EffectiveRoutes::name_route`, name_routes.cpp), which is the 0.0.0.0/0 route unless more specific routes split
/// the public address space.
struct Destination {
  enum class Kind { address, public_ip, name } kind = Kind::name;
  std::uint32_t address = 0;
  const sema::PublicIp* public_ip = nullptr;
  std::string name;

  static Destination ip(std::uint32_t a) { return {Kind::address, a, nullptr, {}}; }
  static Destination of(const sema::PublicIp* p) { return {Kind::public_ip, 0, p, {}}; }
  static Destination named(std::string n) { return {Kind::name, 0, nullptr, std::move(n)}; }
};

class EffectiveRoutes {
 public:
  const sema::Subnet* subnet = nullptr;
  const sema::RouteTable* table = nullptr;
  std::vector<EffectiveRoute> routes;  // system routes first, then user routes in declaration order

  /// The route Azure picks: the longest prefix that contains the destination; a user route wins a tie.
  [[nodiscard]] const EffectiveRoute* choose(const Destination& d) const;
  [[nodiscard]] const EffectiveRoute* for_address(std::uint32_t address) const;
  /// The active route for 0.0.0.0/0 (the user route if there is one, else the system route).
  [[nodiscard]] const EffectiveRoute* default_route() const;

  /// A part of the public address space and the route its addresses take.
  struct PublicPart {
    sema::Cidr prefix;
    std::size_t route = 0;  // index into `routes`
  };
  /// The route names (FQDNs, service tags) take: when every public address takes one next hop, the widest route
  /// to it (0.0.0.0/0, or 0.0.0.0/1 when 0.0.0.0/1 and 128.0.0.0/1 both go to the firewall); when the public
  /// space is split between a firewall and other next hops and the firewall's routes span at least half of all
  /// addresses (a split default route), the widest route to the firewall, since a name may resolve into its part
  /// (name_routes.cpp). Otherwise default_route().
  [[nodiscard]] const EffectiveRoute* name_route() const;
  /// With a split public space: the parts whose system route goes straight to the Internet while names take a
  /// firewall route (W0213); empty otherwise.
  [[nodiscard]] const std::vector<PublicPart>& bypassing_parts() const { return bypass_; }

 private:
  friend void resolve_name_route(EffectiveRoutes& routes, const std::vector<const sema::Vnet*>& peers);
  std::optional<std::size_t> name_route_;
  std::vector<PublicPart> bypass_;
};

/// Sets the route names take and the parts of the public space that bypass it (name_routes.cpp); called by
/// compute_effective_routes once the routes are known.
void resolve_name_route(EffectiveRoutes& routes, const std::vector<const sema::Vnet*>& peers);
/// For `egressc explain`: how a name is routed from this subnet, one sentence.
[[nodiscard]] std::string name_route_text(const EffectiveRoutes& routes, std::string_view host);

/// Computes a subnet's effective routes. `peers` are the VNets peered with the subnet's VNet (either side
/// declared the peering); `firewalls` let a virtual-appliance address be recognised as a firewall.
EffectiveRoutes compute_effective_routes(const sema::Subnet& subnet, const std::vector<const sema::Vnet*>& peers,
                                         const std::deque<sema::Firewall>& firewalls);

/// True when `prefix` lies wholly inside address space that never reaches the Internet from this subnet:
/// the VNet and its peers, or the private ranges Azure routes to None (RFC 1918 and 100.64.0.0/10).
bool is_private_prefix(const sema::Cidr& prefix, const sema::Subnet& subnet, const std::vector<const sema::Vnet*>& peers);

/// Routing checks: E0212 E0213 E0215 E0216 E0217 E0218 E0219 W0201 W0202.
void check_routes(const Network& network, Diagnostics& diags);

}  // namespace egress::model
