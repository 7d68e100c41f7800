// The peering checks: each side's settings against Azure's rules for gateways (E0420-E0423, W0310), and against
// the traffic the model sends across the peering (E0424 forwarded traffic, E0425 access), and the way back of
// spoke-to-spoke traffic routed through a hub firewall (E0426). What the settings mean and where that comes from:
// sema/peering.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "model/network.hpp"

namespace egress::model {

namespace {

using sema::PeeringSide;

bool has_subnet(const sema::Vnet& v, std::string_view name) {
  for (const auto& s : v.subnets)
    if (s.symbol == name) return true;
  return false;
}

/// Where to point at a setting: where it is written, else the `peer` statement that made the side.
Span at(const PeeringSide& side, const Span& setting) { return setting.length != 0 ? setting : side.span; }

std::string subnet_name(const sema::Subnet& s) { return fmt::format("{}.{}", s.vnet->symbol, s.symbol); }

// E0420-E0423, W0310: the gateway settings of every side.
void check_gateways(const Network& net, Diagnostics& diags) {
  std::map<const sema::Vnet*, const PeeringSide*> uses_remote;  // the first side of each VNet that uses remote gateways
  for (const auto& p : net.peerings())
    for (const auto& pair : {std::pair{&p.first, &p.second}, std::pair{&p.second, &p.first}}) {
      const PeeringSide& side = *pair.first;
      const PeeringSide& other = *pair.second;
      const auto& s = side.settings;
      if (s.gateway_transit && !has_subnet(*side.vnet, "GatewaySubnet") && !has_subnet(*side.vnet, "RouteServerSubnet"))
        diags.report(Code::E0420, at(side, s.gateway_transit_span),
                     fmt::format("VNet `{}` offers its gateway to `{}` (`gateway_transit allow`), but it has no "
                                 "`GatewaySubnet` (nor `RouteServerSubnet`), so no VPN or ExpressRoute gateway or Route "
                                 "Server can be in it: there is nothing to transit, and a peered VNet that uses remote "
                                 "gateways is refused",
                                 side.vnet->symbol, side.remote->symbol),
                     fmt::format("add the subnet the gateway goes in (`subnet GatewaySubnet ...` in VNet `{}`; the "
                                 "gateway itself is created outside egress), or remove `gateway_transit allow`",
                                 side.vnet->symbol));
      if (!s.use_remote_gateways) continue;
      if (s.gateway_transit) {
        auto& d = diags.report(Code::E0422, at(side, s.use_remote_gateways_span),
                               fmt::format("VNet `{}`'s side of its peering with `{}` both offers its own gateway "
                                           "(`gateway_transit allow`) and uses `{}`'s (`use_remote_gateways`): Azure has "
                                           "one choice for the two (this VNet's gateway, the remote one's, or none), and a "
                                           "VNet that uses a remote gateway cannot have one of its own",
                                           side.vnet->symbol, side.remote->symbol, side.remote->symbol),
                               "keep one of the two: the hub offers its gateway, the spoke uses it");
        d.notes.push_back({s.gateway_transit_span, "gateway transit allowed here"});
      } else if (!other.settings.gateway_transit) {
        auto& d = diags.report(
            Code::E0421, at(side, s.use_remote_gateways_span),
            fmt::format("VNet `{}` uses the gateways of `{}` (`use_remote_gateways`), but `{}`'s side of the peering does "
                        "not allow gateway transit: Azure refuses a peering that uses remote gateways unless the remote "
                        "side offers them",
                        side.vnet->symbol, side.remote->symbol, side.remote->symbol),
            fmt::format("write `peer {} < gateway_transit allow >` in VNet `{}` (whose `GatewaySubnet` holds the gateway)",
                        side.vnet->symbol, side.remote->symbol));
        d.notes.push_back({other.span, other.written ? fmt::format("`{}`'s side of the peering", side.remote->symbol)
                                                     : fmt::format("`{}`'s side takes the defaults (no gateway transit)",
                                                                   side.remote->symbol)});
      }
      if (!s.gateway_transit && has_subnet(*side.vnet, "GatewaySubnet"))  // with transit too, E0422 says it
        diags.report(Code::W0310, at(side, s.use_remote_gateways_span),
                     fmt::format("VNet `{}` uses the gateways of `{}` but has a `GatewaySubnet` of its own: if a gateway "
                                 "is deployed in it, Azure refuses the peering (a VNet with its own gateway cannot use "
                                 "remote gateways)",
                                 side.vnet->symbol, side.remote->symbol),
                     "keep the gateway in the hub only, and remove this VNet's `GatewaySubnet`");
      auto [it, first] = uses_remote.emplace(side.vnet, &side);
      if (!first) {
        auto& d = diags.report(Code::E0423, at(side, s.use_remote_gateways_span),
                               fmt::format("VNet `{}` uses remote gateways on its peering with `{}` and already on its "
                                           "peering with `{}`: Azure lets only one peering of a VNet use remote gateways",
                                           side.vnet->symbol, side.remote->symbol, it->second->remote->symbol),
                               "use the gateway of one hub only");
        d.notes.push_back({at(*it->second, it->second->settings.use_remote_gateways_span), "remote gateways used here"});
      }
    }
}

// E0424: traffic a firewall in the hub forwards into a peered spoke, while the spoke's side denies forwarded traffic:
// what another spoke's route sends through the firewall to this spoke's addresses, or what a network rule of the
// firewall allows to them. Not the replies of the spoke's own egress: the AKS baseline (mspnp/aks-baseline,
// network-team/virtualNetworkPeering.bicep) peers its spoke with `allowForwardedTraffic: false` on both sides and
// sends the cluster's egress through the hub firewall, and the page's example of the setting is spoke-to-spoke
// traffic.
void check_forwarded_traffic(const Network& net, Diagnostics& diags) {
  std::set<const PeeringSide*> reported;
  auto report = [&](const sema::Vnet& spoke, const sema::Firewall& fw, const std::string& why, Span note_at,
                    const std::string& note) {
    const auto* side = net.peering(spoke, *fw.subnet->vnet);
    if (side == nullptr || side->settings.forwarded_traffic || !reported.insert(side).second) return;
    auto& d = diags.report(Code::E0424, at(*side, side->settings.forwarded_traffic_span),
                           fmt::format("{}; VNet `{}`'s side of its peering with `{}` denies forwarded traffic, so Azure "
                                       "drops what firewall `{}` forwards into `{}` (traffic that did not start in `{}`)",
                                       why, side->vnet->symbol, side->remote->symbol, fw.symbol, side->vnet->symbol,
                                       side->remote->symbol),
                           fmt::format("allow it: `forwarded_traffic allow` in `peer {}` of VNet `{}`", side->remote->symbol,
                                       side->vnet->symbol));
    d.notes.push_back({note_at, note});
  };
  // The VNets peered with the firewall's VNet whose address space overlaps `prefix`.
  auto spokes_in = [&](const sema::Firewall& fw, const sema::Cidr& prefix, const sema::Vnet* except) {
    std::vector<const sema::Vnet*> out;
    for (const auto* other : net.peers(*fw.subnet->vnet)) {
      if (other == except) continue;
      for (const auto& c : other->address_space)
        if (c.overlaps(prefix)) {
          out.push_back(other);
          break;
        }
    }
    return out;
  };
  // A route of one spoke that sends (part of) another spoke's addresses to the hub firewall.
  for (const auto& v : net.program().vnets)
    for (const auto& sub : v.subnets) {
      if (sub.route_table == nullptr) continue;
      for (const auto& r : sub.route_table->routes) {
        if (r.firewall == nullptr || !r.prefix || r.prefix->length == 0 || r.firewall->subnet == nullptr) continue;
        for (const auto* other : spokes_in(*r.firewall, *r.prefix, &v))
          report(*other, *r.firewall,
                 fmt::format("route `{}` of subnet {} sends {} (VNet `{}`) to firewall `{}` in VNet `{}`, which forwards "
                             "it into VNet `{}`",
                             r.symbol, subnet_name(sub), r.prefix->str(), other->symbol, r.firewall->symbol,
                             r.firewall->subnet->vnet->symbol, other->symbol),
                 r.span, fmt::format("route `{}` sends spoke-to-spoke traffic through the firewall", r.symbol));
      }
    }
  // A network rule of the firewall that allows traffic to a peered VNet's addresses.
  for (const auto& fw : net.program().firewalls) {
    if (fw.subnet == nullptr) continue;
    auto scan = [&](const sema::RuleCollection& col) {
      if (col.kind != sema::CollectionKind::network || col.action != sema::Action::allow) return;
      for (const auto& rule : col.network_rules)
        for (const auto& dest : rule.destinations) {
          std::optional<sema::Cidr> prefix;
          if (dest.kind == sema::Endpoint::Kind::cidr) prefix = dest.cidr;
          if (dest.kind == sema::Endpoint::Kind::subnet && dest.subnet != nullptr) prefix = dest.subnet->prefix;
          if (!prefix || prefix->length == 0) continue;
          for (const auto* other : spokes_in(fw, *prefix, nullptr))
            report(*other, fw,
                   fmt::format("rule `{}` of firewall `{}` allows traffic to {} in VNet `{}`, which the firewall forwards "
                               "there from VNet `{}`",
                               rule.name, fw.symbol, prefix->str(), other->symbol, fw.subnet->vnet->symbol),
                   rule.span, fmt::format("rule `{}`", rule.name));
        }
    };
    for (const auto& col : fw.collections) scan(col);
    for (const sema::FirewallPolicy* p = fw.policy; p != nullptr; p = p->base)
      for (const auto& g : p->groups)
        for (const auto& col : g.collections) scan(col);
  }
}

// E0425: a side that blocks access to the remote VNet, while this VNet's traffic must cross the peering: a route to
// a firewall in the remote VNet (the cluster's egress), or a custom DNS server there.
void check_access(const Network& net, Diagnostics& diags) {
  std::set<const PeeringSide*> reported;
  auto report = [&](const PeeringSide* side, const std::string& why, Span note_at, const std::string& note) {
    if (side == nullptr || side->settings.virtual_network_access || !reported.insert(side).second) return;
    auto& d = diags.report(Code::E0425, at(*side, side->settings.virtual_network_access_span),
                           fmt::format("{}, but VNet `{}`'s side of its peering with `{}` blocks access to it "
                                       "(`virtual_network_access deny`): traffic from `{}` does not flow to the peered VNet",
                                       why, side->vnet->symbol, side->remote->symbol, side->vnet->symbol),
                           fmt::format("allow it: `virtual_network_access allow` in `peer {}` of VNet `{}`",
                                       side->remote->symbol, side->vnet->symbol));
    d.notes.push_back({note_at, note});
  };
  for (const auto& v : net.program().vnets) {
    for (const auto& sub : v.subnets) {
      if (sub.route_table == nullptr) continue;
      for (const auto& r : sub.route_table->routes) {
        if (r.firewall == nullptr || r.firewall->subnet == nullptr || r.firewall->subnet->vnet == &v) continue;
        report(net.peering(v, *r.firewall->subnet->vnet),
               fmt::format("subnet {} routes {} to firewall `{}` in VNet `{}`", subnet_name(sub),
                           r.prefix ? r.prefix->str() : fmt::format("{}/{}", r.public_ip != nullptr ? r.public_ip->symbol : "?",
                                                                    r.public_ip_prefix),
                           r.firewall->symbol, r.firewall->subnet->vnet->symbol),
               r.span, fmt::format("route `{}`", r.symbol));
      }
    }
    for (const auto& ip : v.dns_servers)
      for (const auto* other : net.peers(v))
        for (const auto& c : other->address_space)
          if (c.contains(ip.value))
            report(net.peering(v, *other),
                   fmt::format("VNet `{}` resolves names through DNS server {} in VNet `{}`", v.symbol, ip.str(),
                               other->symbol),
                   v.dns_servers_span, "the VNet's DNS servers");
  }
}

// Whether a rule's endpoint can stand for addresses of `prefix`: `*`, an overlapping address or subnet, an IP
// group with such a member. Service tags, FQDNs and public IPs name no spoke's private addresses.
bool may_match(const sema::Endpoint& e, const sema::Cidr& prefix) {
  switch (e.kind) {
    case sema::Endpoint::Kind::any: return true;
    case sema::Endpoint::Kind::cidr: return e.cidr.overlaps(prefix);
    case sema::Endpoint::Kind::subnet: return e.subnet != nullptr && e.subnet->prefix.overlaps(prefix);
    case sema::Endpoint::Kind::ip_group:
      return e.ip_group != nullptr && std::any_of(e.ip_group->members.begin(), e.ip_group->members.end(),
                                                  [&](const sema::Endpoint& m) { return may_match(m, prefix); });
    default: return false;
  }
}

// Whether firewall `fw` has an allow network rule from some address of `from` to some address of `to`: its own
// collections and those of its policy and the policy's bases. Spoke-to-spoke traffic the firewall never lets
// through has no reply to lose, so a return path matters only for what some rule allows.
bool allows_between(const sema::Firewall& fw, const sema::Cidr& from, const sema::Cidr& to) {
  auto allows = [&](const sema::RuleCollection& col) {
    if (col.kind != sema::CollectionKind::network || col.action != sema::Action::allow) return false;
    for (const auto& rule : col.network_rules) {
      const bool src = std::any_of(rule.sources.begin(), rule.sources.end(), [&](const auto& e) { return may_match(e, from); });
      if (src && std::any_of(rule.destinations.begin(), rule.destinations.end(), [&](const auto& e) { return may_match(e, to); }))
        return true;
    }
    return false;
  };
  for (const auto& col : fw.collections)
    if (allows(col)) return true;
  for (const sema::FirewallPolicy* p = fw.policy; p != nullptr; p = p->base)
    for (const auto& g : p->groups)
      for (const auto& col : g.collections)
        if (allows(col)) return true;
  return false;
}

// E0426: subnet A routes a prefix of spoke B to a hub firewall that allows some traffic from A into B; B's subnets in
// that prefix must send their replies to A through the same firewall. Otherwise they are dropped (B has no route to A but Azure's None for the private
// ranges), or they bypass the firewall or reach another appliance, and the stateful firewall drops what it sees of
// connections it saw only half of.
void check_return_paths(const Network& net, Diagnostics& diags) {
  for (const auto& a : net.program().vnets)
    for (const auto& sub : a.subnets) {
      if (sub.route_table == nullptr) continue;
      for (const auto& r : sub.route_table->routes) {
        if (r.firewall == nullptr || !r.prefix || r.prefix->length == 0 || r.firewall->subnet == nullptr) continue;
        const sema::Vnet* hub = r.firewall->subnet->vnet;
        std::vector<std::pair<const sema::Subnet*, const EffectiveRoute*>> broken;
        for (const auto* b : net.peers(*hub)) {
          if (b == &a) continue;
          for (const auto& bsub : b->subnets) {
            if (!r.prefix->overlaps(bsub.prefix) || bsub.symbol == "GatewaySubnet") continue;
            if (!allows_between(*r.firewall, sub.prefix, bsub.prefix)) continue;
            const auto* back = net.routes(bsub).for_address(sub.prefix.first());
            if (back != nullptr && back->hop == Hop::virtual_appliance && back->firewall == r.firewall) continue;
            broken.emplace_back(&bsub, back);
          }
        }
        if (broken.empty()) continue;
        auto& d = diags.report(
            Code::E0426, r.span,
            fmt::format("route `{}` sends subnet {}'s traffic for {} through firewall `{}` in VNet `{}`, but the replies "
                        "from subnet{} {} do not come back through it: {}",
                        r.symbol, subnet_name(sub), r.prefix->str(), r.firewall->symbol, hub->symbol,
                        broken.size() == 1 ? "" : "s",
                        [&] {
                          std::string names;
                          for (const auto& [s, _] : broken) names += (names.empty() ? "" : ", ") + subnet_name(*s);
                          return names;
                        }(),
                        broken.front().second == nullptr || broken.front().second->hop == Hop::none
                            ? "Azure drops them (spokes are not peered with each other, and nothing routes the way back)"
                            : "they take another path, and the firewall, which is stateful, drops connections it sees "
                              "only half of"),
            fmt::format("route {} to firewall `{}` in the route table of {} too (a route for it, or 0.0.0.0/0)",
                        sub.prefix.str(), r.firewall->symbol, subnet_name(*broken.front().first)));
        for (const auto& [s, back] : broken) {
          if (d.notes.size() >= 3) break;
          d.notes.push_back({s->span, back == nullptr ? fmt::format("subnet {} has no route to {}", subnet_name(*s),
                                                                     sub.prefix.str())
                                                      : fmt::format("subnet {} sends {} to {} ({})", subnet_name(*s),
                                                                    sub.prefix.str(), back->next_hop_text(),
                                                                    back->origin_text())});
        }
      }
    }
}

}  // namespace

void check_peerings(const Network& net, Diagnostics& diags) {
  // Without peerings nothing here can fire; returning keeps the per-rule scan of E0424 off programs that have no
  // peering at all (the large rule sets of issue 14).
  if (net.peerings().empty()) return;
  check_gateways(net, diags);
  check_forwarded_traffic(net, diags);
  check_access(net, diags);
  check_return_paths(net, diags);
}

}  // namespace egress::model
