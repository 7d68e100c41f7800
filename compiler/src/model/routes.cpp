// Effective routes and the routing checks. Azure's rules, from "Virtual network traffic routing"
// (learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview):
//   - every subnet gets system routes: its VNet's address space -> VnetLocal, each peered VNet's address
//     space -> VNetPeering, 0.0.0.0/0 -> Internet, and 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,
//     100.64.0.0/10 -> None (unless a VNet route has that very prefix);
//   - a user route with the same prefix as a system route replaces it, and a user route for 0.0.0.0/0 removes
//     the None routes of the four reserved ranges (the page's "Routing example");
//   - a packet takes the route with the longest prefix that contains its destination.
#include "model/routes.hpp"

#include <fmt/format.h>

#include <array>
#include <map>
#include <tuple>

#include "model/network.hpp"

namespace egress::model {

namespace {

constexpr std::array<std::pair<std::uint32_t, int>, 4> kPrivateRanges = {{
    {0x0A000000u, 8},   // 10.0.0.0/8
    {0xAC100000u, 12},  // 172.16.0.0/12
    {0xC0A80000u, 16},  // 192.168.0.0/16
    {0x64400000u, 10},  // 100.64.0.0/10
}};

Hop hop_of(sema::NextHop h) {
  switch (h) {
    case sema::NextHop::virtual_appliance: return Hop::virtual_appliance;
    case sema::NextHop::internet: return Hop::internet;
    case sema::NextHop::vnet_local: return Hop::vnet_local;
    case sema::NextHop::vnet_gateway: return Hop::vnet_gateway;
    case sema::NextHop::none: return Hop::none;
  }
  return Hop::none;
}

const sema::Firewall* firewall_with_ip(const std::deque<sema::Firewall>& firewalls, std::uint32_t ip) {
  for (const auto& fw : firewalls)
    if (fw.subnet != nullptr && fw.private_ip.value == ip) return &fw;
  return nullptr;
}

std::string route_prefix_text(const sema::Route& r) {
  if (r.prefix) return r.prefix->str();
  return fmt::format("{}/{}", r.public_ip != nullptr ? r.public_ip->symbol : "?", r.public_ip_prefix);
}

// A binary trie of a table's literal prefixes, to find the routes that more specific ones cover wholly
// (W0201) in time linear in the number of routes.
class PrefixTrie {
 public:
  PrefixTrie() { nodes_.push_back({}); }

  void insert(const sema::Cidr& c, const sema::Route* r) {
    std::size_t n = 0;
    for (int bit = 0; bit < c.length; ++bit) {
      const int b = (c.first() >> (31 - bit)) & 1u;
      if (nodes_[n].child[b] == 0) {
        nodes_[n].child[b] = nodes_.size();
        nodes_.push_back({});
      }
      n = nodes_[n].child[b];
    }
    if (nodes_[n].route == nullptr) nodes_[n].route = r;
  }

  /// Routes that cover the whole of `c` with strictly longer prefixes; empty when some address of `c`
  /// falls to `c`'s own route.
  std::vector<const sema::Route*> covering(const sema::Cidr& c) const {
    std::size_t n = 0;
    for (int bit = 0; bit < c.length; ++bit) n = nodes_[n].child[(c.first() >> (31 - bit)) & 1u];
    std::vector<const sema::Route*> out;
    const auto& node = nodes_[n];
    if (node.child[0] == 0 || node.child[1] == 0 || !full(node.child[0]) || !full(node.child[1])) return out;
    collect(node.child[0], out);
    collect(node.child[1], out);
    return out;
  }

 private:
  struct Node {
    std::size_t child[2] = {0, 0};
    const sema::Route* route = nullptr;
    mutable int full = -1;  // memo: every address below is covered by some route
  };

  bool full(std::size_t n) const {
    const auto& node = nodes_[n];
    if (node.full < 0)
      node.full = node.route != nullptr ||
                  (node.child[0] != 0 && node.child[1] != 0 && full(node.child[0]) && full(node.child[1]));
    return node.full == 1;
  }

  void collect(std::size_t n, std::vector<const sema::Route*>& out) const {
    if (out.size() >= 4) return;
    if (nodes_[n].route != nullptr) {
      out.push_back(nodes_[n].route);
      return;
    }
    for (auto c : nodes_[n].child)
      if (c != 0) collect(c, out);
  }

  std::vector<Node> nodes_;
};

bool is_udr(const sema::Cluster& c) { return c.outbound == sema::OutboundType::user_defined_routing; }

const sema::Route* user_default_route(const sema::RouteTable& t) {
  for (const auto& r : t.routes)
    if (r.prefix && r.prefix->length == 0) return &r;
  return nullptr;
}

std::string firewall_suggestion(const sema::Program& p) {
  return p.firewalls.size() == 1 ? p.firewalls.front().symbol : std::string("FIREWALL");
}

void check_route_table(const Network& net, const sema::RouteTable& table, Diagnostics& diags) {
  const auto& program = net.program();
  const auto subnets = net.subnets_using(table);
  const sema::Cluster* udr_cluster = nullptr;
  for (const auto* s : subnets)
    for (const auto* c : net.clusters_in(*s))
      if (udr_cluster == nullptr && is_udr(*c)) udr_cluster = c;

  std::map<std::tuple<const void*, std::uint32_t, int>, const sema::Route*> seen;
  PrefixTrie trie;
  for (const auto& r : table.routes) {
    // E0212: an address after a hop that takes none.
    if (r.next_hop != sema::NextHop::virtual_appliance && r.next_hop_ip) {
      auto& d = diags.report(
          Code::E0212, r.next_hop_ip->span,
          fmt::format("route `{}` gives the next-hop address {} for next hop {}: Azure takes a next-hop address "
                      "only for a virtual appliance and rejects the route",
                      r.symbol, r.next_hop_ip->str(), hop_name(hop_of(r.next_hop))),
          fmt::format("remove the address, or route to the appliance itself: `route {} {} -> {}`", r.symbol,
                      route_prefix_text(r), r.next_hop_ip->str()));
      d.notes.push_back({table.span, fmt::format("in route table `{}`", table.symbol)});
    }
    // E0213: a virtual appliance without an address.
    if (r.next_hop == sema::NextHop::virtual_appliance && !r.next_hop_ip && r.firewall == nullptr) {
      auto& d = diags.report(
          Code::E0213, r.next_hop_span.length != 0 ? r.next_hop_span : r.span,
          fmt::format("route `{}` sends {} to a virtual appliance without its address: Azure rejects a "
                      "VirtualAppliance route that has no next-hop IP",
                      r.symbol, route_prefix_text(r)),
          fmt::format("name the firewall (`-> {}`), or give the appliance's private address (`-> 10.0.0.4`)",
                      firewall_suggestion(program)));
      if (!program.firewalls.empty()) {
        const auto& fw = program.firewalls.front();
        d.notes.push_back({fw.span, fmt::format("firewall `{}` has the private IP {}", fw.symbol, fw.private_ip.str())});
        if (program.firewalls.size() == 1 && r.next_hop_span.length != 0) d.fixits.push_back({r.next_hop_span, fw.symbol});
      } else {
        d.notes.push_back({table.span, fmt::format("in route table `{}`", table.symbol)});
      }
    }
    // E0218: the same destination twice.
    const auto key = r.prefix ? std::make_tuple(static_cast<const void*>(nullptr), r.prefix->first(), r.prefix->length)
                              : std::make_tuple(static_cast<const void*>(r.public_ip), 0u, r.public_ip_prefix);
    if (auto [it, fresh] = seen.emplace(key, &r); !fresh) {
      auto& d = diags.report(
          Code::E0218, r.span,
          fmt::format("route `{}` has the same prefix {} as route `{}`: Azure rejects the route table "
                      "(RouteConflict: routes cannot have the same address prefix)",
                      r.symbol, route_prefix_text(r), it->second->symbol),
          "remove one of the two routes, or give this one another prefix");
      d.notes.push_back({it->second->span, fmt::format("route `{}` already routes {}", it->second->symbol,
                                                      route_prefix_text(*it->second))});
      continue;
    }
    if (r.prefix) trie.insert(*r.prefix, &r);
    // E0217: the default route's appliance is not a firewall.
    if (r.prefix && r.prefix->length == 0 && r.next_hop == sema::NextHop::virtual_appliance && r.firewall == nullptr &&
        r.next_hop_ip && net.firewall_at(r.next_hop_ip->value) == nullptr) {
      const sema::Firewall* near = nullptr;
      for (const auto& fw : program.firewalls)
        if (fw.subnet != nullptr && fw.subnet->prefix.contains(r.next_hop_ip->value)) near = &fw;
      if (udr_cluster != nullptr || near != nullptr) {
        const sema::Firewall* shown = near != nullptr ? near : program.firewalls.empty() ? nullptr : &program.firewalls.front();
        std::string msg = fmt::format("route `{}` sends 0.0.0.0/0 to {}, which is not the private IP of any firewall",
                                      r.symbol, r.next_hop_ip->str());
        if (shown != nullptr)
          msg += fmt::format(": firewall `{}` listens on {} (Azure gives it the first usable address of its subnet), "
                             "so egress goes to an address where nothing forwards it and is dropped",
                             shown->symbol, shown->private_ip.str());
        else
          msg += ": no firewall is declared, so the compiler cannot check what this appliance lets out";
        auto& d = diags.report(Code::E0217, r.next_hop_span.length != 0 ? r.next_hop_span : r.span, msg,
                               shown != nullptr ? fmt::format("name the firewall instead of an address: `-> {}`", shown->symbol)
                                                : std::string("declare the firewall and route to it by name: `-> FIREWALL`"));
        if (shown != nullptr) {
          d.notes.push_back({shown->span, fmt::format("firewall `{}` has the private IP {}", shown->symbol, shown->private_ip.str())});
          if (r.next_hop_span.length != 0) d.fixits.push_back({r.next_hop_span, shown->symbol});
        }
        if (udr_cluster != nullptr)
          d.notes.push_back({udr_cluster->outbound_span.length != 0 ? udr_cluster->outbound_span : udr_cluster->span,
                             fmt::format("cluster `{}` sends all its egress this way (outbound user_defined_routing)",
                                         udr_cluster->symbol)});
      }
    }
  }

  // W0201: a route more specific routes cover wholly.
  for (const auto& r : table.routes) {
    if (!r.prefix || seen.at(std::make_tuple(static_cast<const void*>(nullptr), r.prefix->first(), r.prefix->length)) != &r)
      continue;
    const auto cover = trie.covering(*r.prefix);
    if (cover.empty()) continue;
    std::string names;
    for (std::size_t i = 0; i < cover.size() && i < 3; ++i)
      names += fmt::format("{}`{}` ({})", i == 0 ? "" : ", ", cover[i]->symbol, route_prefix_text(*cover[i]));
    if (cover.size() > 3) names += ", ...";
    auto& d = diags.report(
        Code::W0201, r.span,
        fmt::format("route `{}` ({} -> {}) is never chosen: more specific routes {} cover its whole prefix, and "
                    "Azure always takes the longest prefix that matches",
                    r.symbol, route_prefix_text(r),
                    r.firewall != nullptr ? r.firewall->symbol
                    : r.next_hop_ip       ? r.next_hop_ip->str()
                                          : std::string(hop_name(hop_of(r.next_hop))),
                    names),
        "remove the route, or narrow the routes that cover it");
    for (std::size_t i = 0; i < cover.size() && i < 2; ++i)
      d.notes.push_back({cover[i]->span, fmt::format("route `{}` is more specific", cover[i]->symbol)});
  }

  // W0202: a table no subnet uses.
  if (subnets.empty()) {
    const sema::Route* to_fw = nullptr;
    for (const auto& r : table.routes)
      if (r.firewall != nullptr || (r.next_hop_ip && net.firewall_at(r.next_hop_ip->value) != nullptr)) {
        to_fw = &r;
        break;
      }
    auto& d = diags.report(
        Code::W0202, table.span,
        fmt::format("route table `{}` is associated with no subnet, so its routes steer no traffic{}", table.symbol,
                    to_fw != nullptr ? ": subnets you meant to send through the firewall still go straight to the Internet"
                                     : ""),
        fmt::format("associate it with a subnet (`subnet NAME CIDR < route_table {} >`), or remove it", table.symbol));
    const sema::Subnet* bare = nullptr;
    for (const auto& c : program.clusters)
      if (bare == nullptr && c.subnet != nullptr && c.subnet->route_table == nullptr) bare = c.subnet;
    if (bare != nullptr)
      d.notes.push_back({bare->span, fmt::format("subnet `{}.{}` has no route table, and cluster nodes run in it",
                                                 bare->vnet->symbol, bare->symbol)});
    else if (to_fw != nullptr)
      d.notes.push_back({to_fw->span, fmt::format("route `{}` would send traffic to the firewall", to_fw->symbol)});
    else if (!table.routes.empty())
      d.notes.push_back({table.routes.front().span, "this route applies nowhere"});
    else
      d.notes.push_back({table.span, "declared here, with no routes"});
  }
}

void check_udr_cluster(const Network& net, const sema::Cluster& c, Diagnostics& diags) {
  if (!is_udr(c) || c.subnet == nullptr) return;
  const auto& sub = *c.subnet;
  const Span at = c.outbound_span.length != 0 ? c.outbound_span : c.span;
  const std::string subnet_name = sub.vnet->symbol + "." + sub.symbol;
  const std::string fw = firewall_suggestion(net.program());
  if (sub.route_table == nullptr) {
    auto& d = diags.report(
        Code::E0215, at,
        fmt::format("cluster `{}` uses outbound user_defined_routing, but its subnet `{}` has no route table: AKS "
                    "refuses to create the cluster, because user-defined routing needs a route for 0.0.0.0/0 to a "
                    "virtual appliance on the subnet before the cluster exists",
                    c.symbol, subnet_name),
        fmt::format("give the subnet a route table (`subnet {} ... < route_table T >`) with `route default 0.0.0.0/0 -> {}`",
                    sub.symbol, fw));
    d.notes.push_back({sub.span, fmt::format("subnet `{}` has no route table", subnet_name)});
    return;
  }
  const auto& table = *sub.route_table;
  const sema::Route* def = user_default_route(table);
  if (def == nullptr) {
    auto& d = diags.report(
        Code::E0215, at,
        fmt::format("cluster `{}` uses outbound user_defined_routing, but route table `{}` of its subnet `{}` has no "
                    "route for 0.0.0.0/0: AKS refuses to create the cluster without a default route to a virtual "
                    "appliance, and the nodes would have no way out",
                    c.symbol, table.symbol, subnet_name),
        fmt::format("add `route default 0.0.0.0/0 -> {}` to route table `{}`", fw, table.symbol));
    d.notes.push_back({table.span, fmt::format("route table `{}` has no 0.0.0.0/0 route", table.symbol)});
    return;
  }
  if (def->next_hop == sema::NextHop::internet) {
    auto& d = diags.report(
        Code::E0216, def->span,
        fmt::format("route `{}` sends 0.0.0.0/0 to the Internet, but cluster `{}` uses outbound user_defined_routing: "
                    "AKS rejects a default route to the Internet on a UDR subnet (it gives the nodes no public IP to "
                    "SNAT from, so there would be no outbound connectivity anyway)",
                    def->symbol, c.symbol),
        fmt::format("send the default route to the firewall: `route {} 0.0.0.0/0 -> {}`", def->symbol, fw));
    d.notes.push_back({at, fmt::format("cluster `{}` egresses by user-defined routing", c.symbol)});
    if (net.program().firewalls.size() == 1 && def->next_hop_span.length != 0) d.fixits.push_back({def->next_hop_span, fw});
    return;
  }
  if (def->next_hop == sema::NextHop::none || def->next_hop == sema::NextHop::vnet_local) {
    auto& d = diags.report(
        Code::E0215, def->span,
        fmt::format("route `{}` sends 0.0.0.0/0 to {}, but cluster `{}` uses outbound user_defined_routing, which "
                    "needs the default route on a virtual appliance: {}",
                    def->symbol, hop_name(hop_of(def->next_hop)), c.symbol,
                    def->next_hop == sema::NextHop::none
                        ? "with next hop None every connection out of the cluster is dropped, so the nodes never reach "
                          "the control plane and provisioning fails"
                        : "VnetLocal keeps Internet-bound packets inside the VNet, where nothing forwards them"),
        fmt::format("send the default route to the firewall: `route {} 0.0.0.0/0 -> {}`", def->symbol, fw));
    d.notes.push_back({at, fmt::format("cluster `{}` egresses by user-defined routing", c.symbol)});
  }
}

void check_public_services(const Network& net, Diagnostics& diags) {
  for (const auto& app : net.program().apps) {
    if (app.cluster == nullptr || app.cluster->subnet == nullptr) continue;
    const auto egress = net.egress(*app.cluster);
    const auto* r = egress.internet_route;
    if (r == nullptr || r->hop != Hop::virtual_appliance) continue;
    for (const auto& svc : app.services) {
      if (svc.exposure != sema::Service::Exposure::public_) continue;
      const std::string appliance =
          r->firewall != nullptr ? fmt::format("firewall `{}` ({})", r->firewall->symbol, r->firewall->private_ip.str())
                                 : fmt::format("the appliance at {}", r->next_hop_ip ? sema::format_ip(*r->next_hop_ip) : "?");
      const std::string port = svc.ports.empty() ? "80" : std::to_string(svc.ports.front().port);
      const std::string fw = r->firewall != nullptr ? r->firewall->symbol : firewall_suggestion(net.program());
      auto& d = diags.report(
          Code::E0219, svc.exposure_span.length != 0 ? svc.exposure_span : svc.span,
          fmt::format("service `{}` is a public LoadBalancer, but the subnet of cluster `{}` sends 0.0.0.0/0 to {}: "
                      "requests arrive on the load balancer's public IP, the replies leave through the firewall, which "
                      "saw no session for them and drops them (asymmetric routing), so the service is unreachable",
                      svc.name, app.cluster->symbol, appliance),
          fmt::format("make it `internal` and publish it through the firewall with a DNAT rule: `service \"{}\" internal "
                      "port ...` and `firewall {} < dnat {} -> service \"{}\" >`",
                      svc.name, fw, port, svc.name));
      if (r->route != nullptr)
        d.notes.push_back({r->route->span, fmt::format("route `{}` sends the replies to the firewall", r->route->symbol)});
      if (r->firewall != nullptr)
        d.notes.push_back({r->firewall->span, fmt::format("firewall `{}` is stateful: it drops replies to connections it "
                                                          "never saw", r->firewall->symbol)});
      if (svc.exposure_span.length != 0) d.fixits.push_back({svc.exposure_span, "internal"});
    }
  }
}

}  // namespace

std::string_view hop_name(Hop hop) {
  switch (hop) {
    case Hop::vnet_local: return "VnetLocal";
    case Hop::vnet_peering: return "VNetPeering";
    case Hop::internet: return "Internet";
    case Hop::virtual_appliance: return "VirtualAppliance";
    case Hop::vnet_gateway: return "VirtualNetworkGateway";
    case Hop::none: return "None";
  }
  return "?";
}

std::string EffectiveRoute::prefix_text() const {
  if (prefix) return prefix->str();
  return fmt::format("{}/{}", public_ip != nullptr ? public_ip->symbol : "?", public_ip_prefix);
}

std::string EffectiveRoute::next_hop_text() const {
  switch (hop) {
    case Hop::virtual_appliance:
      if (!next_hop_ip) return "VirtualAppliance (no address)";
      if (firewall != nullptr) return fmt::format("VirtualAppliance {} (firewall {})", sema::format_ip(*next_hop_ip), firewall->symbol);
      return fmt::format("VirtualAppliance {}", sema::format_ip(*next_hop_ip));
    case Hop::vnet_local:
    case Hop::vnet_peering:
      if (vnet != nullptr) return fmt::format("{} (VNet {})", hop_name(hop), vnet->symbol);
      return std::string(hop_name(hop));
    default: return std::string(hop_name(hop));
  }
}

std::string EffectiveRoute::origin_text() const {
  if (!user) return "system route";
  return fmt::format("user route `{}` of route table `{}`", route != nullptr ? route->symbol : "?",
                     table != nullptr ? table->symbol : "?");
}

const EffectiveRoute* EffectiveRoutes::for_address(std::uint32_t address) const {
  const EffectiveRoute* best = nullptr;
  for (const auto& r : routes) {
    if (!r.active || !r.prefix || !r.prefix->contains(address)) continue;
    if (best == nullptr || r.prefix->length > best->prefix->length || (r.prefix->length == best->prefix->length && r.user && !best->user))
      best = &r;
  }
  return best;
}

const EffectiveRoute* EffectiveRoutes::default_route() const {
  const EffectiveRoute* best = nullptr;
  for (const auto& r : routes)
    if (r.active && r.prefix && r.prefix->length == 0 && (best == nullptr || (r.user && !best->user))) best = &r;
  return best;
}

const EffectiveRoute* EffectiveRoutes::choose(const Destination& d) const {
  switch (d.kind) {
    case Destination::Kind::address: return for_address(d.address);
    case Destination::Kind::public_ip: {
      const EffectiveRoute* best = nullptr;
      for (const auto& r : routes)
        if (r.active && !r.prefix && r.public_ip == d.public_ip && (best == nullptr || r.public_ip_prefix > best->public_ip_prefix))
          best = &r;
      return best != nullptr ? best : default_route();
    }
    case Destination::Kind::name: return name_route();
  }
  return nullptr;
}

bool is_private_prefix(const sema::Cidr& prefix, const sema::Subnet& subnet, const std::vector<const sema::Vnet*>& peers) {
  for (const auto& [base, len] : kPrivateRanges)
    if (sema::Cidr{base, len, {}}.contains(prefix)) return true;
  for (const auto& c : subnet.vnet->address_space)
    if (c.contains(prefix)) return true;
  for (const auto* p : peers)
    for (const auto& c : p->address_space)
      if (c.contains(prefix)) return true;
  return false;
}

EffectiveRoutes compute_effective_routes(const sema::Subnet& subnet, const std::vector<const sema::Vnet*>& peers,
                                         const std::deque<sema::Firewall>& firewalls) {
  EffectiveRoutes out;
  out.subnet = &subnet;
  out.table = subnet.route_table;
  auto system = [&](sema::Cidr c, Hop hop, const sema::Vnet* vnet) {
    EffectiveRoute r;
    c.span = {};
    r.prefix = c;
    r.hop = hop;
    r.vnet = vnet;
    out.routes.push_back(r);
  };
  if (subnet.vnet != nullptr)
    for (const auto& c : subnet.vnet->address_space) system(c, Hop::vnet_local, subnet.vnet);
  for (const auto* p : peers)
    for (const auto& c : p->address_space) system(c, Hop::vnet_peering, p);
  system(sema::Cidr{0, 0, {}}, Hop::internet, nullptr);
  for (const auto& [base, len] : kPrivateRanges) {
    bool replaced = false;  // a VNet whose address space is exactly the range turns None into VnetLocal
    for (const auto& r : out.routes)
      if (r.prefix->first() == base && r.prefix->length == len) replaced = true;
    if (!replaced) system(sema::Cidr{base, len, {}}, Hop::none, nullptr);
  }
  if (subnet.route_table == nullptr) {
    resolve_name_route(out, peers);
    return out;
  }
  const std::size_t system_count = out.routes.size();
  for (const auto& route : subnet.route_table->routes) {
    EffectiveRoute r;
    r.user = true;
    r.route = &route;
    r.table = subnet.route_table;
    r.hop = hop_of(route.next_hop);
    if (route.prefix) {
      r.prefix = *route.prefix;
    } else {
      r.public_ip = route.public_ip;
      r.public_ip_prefix = route.public_ip_prefix;
    }
    if (r.hop == Hop::virtual_appliance) {
      if (route.firewall != nullptr) {
        r.firewall = route.firewall;
        r.next_hop_ip = route.firewall->private_ip.value;
      } else if (route.next_hop_ip) {
        r.next_hop_ip = route.next_hop_ip->value;
        r.firewall = firewall_with_ip(firewalls, route.next_hop_ip->value);
      }
    }
    // A user route replaces the system route of the same prefix, and the first of two user routes with one
    // prefix stands (Azure rejects the pair anyway: E0218).
    bool duplicate = false;
    for (std::size_t i = 0; i < out.routes.size(); ++i) {
      auto& other = out.routes[i];
      const bool same = r.prefix ? other.prefix && other.prefix->first() == r.prefix->first() && other.prefix->length == r.prefix->length
                                 : !other.prefix && other.public_ip == r.public_ip && other.public_ip_prefix == r.public_ip_prefix;
      if (!same || !other.active) continue;
      if (i < system_count) other.active = false;
      else duplicate = true;
    }
    r.active = !duplicate;
    out.routes.push_back(r);
  }
  // A user route for 0.0.0.0/0 removes the None routes of the reserved ranges: "Azure removed the routes for the
  // 10.0.0.0/8, 192.168.0.0/16, and 100.64.0.0/10 address prefixes from the Subnet1 route table when the
  // user-defined route for the 0.0.0.0/0 address prefix was added" ("Virtual network traffic routing", section
  // "Routing example", learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview, checked
  // 2026-12-06). So a spoke whose default route goes to a hub firewall sends another spoke's addresses there too.
  bool user_default = false;
  for (std::size_t i = system_count; i < out.routes.size(); ++i)
    user_default = user_default || (out.routes[i].prefix && out.routes[i].prefix->length == 0);
  if (user_default)
    for (std::size_t i = 0; i < system_count; ++i)
      if (out.routes[i].hop == Hop::none) out.routes[i].active = false;
  resolve_name_route(out, peers);
  return out;
}

void check_routes(const Network& net, Diagnostics& diags) {
  for (const auto& table : net.program().route_tables) check_route_table(net, table, diags);
  for (const auto& c : net.program().clusters) check_udr_cluster(net, c, diags);
  check_public_services(net, diags);
}

}  // namespace egress::model
