// E0201-E0211: the address plan. Subnets inside their VNet and apart from each other, peered VNets apart,
// subnet sizes Azure and AKS accept, static load-balancer IPs, and cluster CIDRs clear of the network.
//
// Sources (verified against the current docs):
//   Virtual network FAQ, https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq
//     "How small and how large can virtual networks and subnets be?": "The smallest supported IPv4 subnet is /29";
//     "Are there any restrictions on using IP addresses within these subnets?": Azure reserves the first four
//     addresses and the last one of every subnet; subnet address ranges can't overlap and must lie in the VNet's
//     address space ("Is there a limit to the number of subnets in my virtual network?"). Checked 2026-12-07.
//   Azure Firewall limits, https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-firewall-limits
//     "Minimum AzureFirewallSubnet size /26" (checked 2026-12-07); the subnet must be named AzureFirewallSubnet
//     (https://learn.microsoft.com/azure/firewall/tutorial-firewall-deploy-portal).
//   AKS IP planning, https://learn.microsoft.com/azure/aks/azure-cni-overview (and configure-azure-cni)
//     minimum subnet: (nodes + 1) + ((nodes + 1) * max pods per node) with Azure CNI; kubenet and CNI overlay
//     take one address per node (+1 for the surge node of an upgrade). "This range should not be used by any
//     network element on or connected to this virtual network" (service CIDR); defaults 10.0.0.0/16 for
//     services and 10.244.0.0/16 for pods: "Use kubenet networking with your own IP address ranges in AKS",
//     "Create an AKS cluster with system-assigned managed identities", `--service-cidr` ("The default value is
//     10.0.0.0/16") and `--pod-cidr` ("The default value is 10.244.0.0/16"). Checked 2026-12-07.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>

#include "model/checks.hpp"
#include "sema/azure_facts.hpp"

namespace egress::model {

using namespace egress::sema;

namespace {

constexpr std::uint64_t kReservedPerSubnet = 5;  // .0-.3 and the last address
const Cidr kDefaultServiceCidr{0x0A000000u, 16, {}};  // 10.0.0.0/16
const Cidr kDefaultPodCidr{0x0AF40000u, 16, {}};      // 10.244.0.0/16


std::string plugin_text(const Cluster& c) {
  if (c.plugin == NetworkPlugin::kubenet) return "kubenet";
  return c.overlay ? "Azure CNI overlay" : "Azure CNI";
}

/// The smallest prefix length whose usable addresses hold `needed`.
int prefix_for(std::uint64_t needed) {
  for (int len = 29; len >= 0; --len)
    if ((std::uint64_t{1} << (32 - len)) - kReservedPerSubnet >= needed) return len;
  return 0;
}

void subnets_inside_and_apart(const Vnet& vnet, Diagnostics& diags) {
  // E0201: each subnet inside one of the VNet's prefixes.
  for (const auto& s : vnet.subnets) {
    const bool inside = std::any_of(vnet.address_space.begin(), vnet.address_space.end(),
                                    [&](const Cidr& space) { return space.contains(s.prefix); });
    if (inside) continue;
    std::string spaces;
    for (const auto& c : vnet.address_space) spaces += (spaces.empty() ? "" : ", ") + c.str();
    auto& d = diags.report(Code::E0201, s.prefix.span,
                           fmt::format("subnet `{}` ({}) is outside the address space of VNet `{}` ({}): Azure "
                                       "rejects the subnet",
                                       s.symbol, s.prefix.str(), vnet.symbol, spaces),
                           "choose a prefix inside the VNet's address space, or add a prefix to the VNet");
    d.notes.push_back({vnet.span, fmt::format("VNet `{}` is declared here", vnet.symbol)});
  }
  // E0202: sort by start address and scan, remembering the subnet that reaches furthest so far.
  std::vector<std::size_t> order(vnet.subnets.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return vnet.subnets[a].prefix.first() < vnet.subnets[b].prefix.first();
  });
  const Subnet* furthest = nullptr;
  std::size_t furthest_index = 0;
  for (auto i : order) {
    const Subnet& s = vnet.subnets[i];
    if (furthest != nullptr && s.prefix.first() <= furthest->prefix.last()) {
      // Report at whichever of the two is written later; note the other.
      const bool later = i > furthest_index;
      const Subnet& at = later ? s : *furthest;
      const Subnet& other = later ? *furthest : s;
      auto& d = diags.report(Code::E0202, at.prefix.span,
                             fmt::format("subnet `{}` ({}) overlaps subnet `{}` ({}) of VNet `{}`: Azure rejects "
                                         "overlapping subnets",
                                         at.symbol, at.prefix.str(), other.symbol, other.prefix.str(), vnet.symbol),
                             "give each subnet its own range");
      d.notes.push_back({other.prefix.span, fmt::format("subnet `{}` is declared here", other.symbol)});
    }
    if (furthest == nullptr || s.prefix.last() > furthest->prefix.last()) {
      furthest = &s;
      furthest_index = i;
    }
  }
}

/// E0203: for every VNet, itself and its peers must not overlap (a hub's spokes must not overlap each other).
void peered_vnets_apart(const Program& program, Diagnostics& diags) {
  std::unordered_map<const Vnet*, std::size_t> index;
  for (const auto& v : program.vnets) index.emplace(&v, index.size());
  struct Edge {
    std::size_t other;
    Span span;  // the `peer` statement
  };
  std::vector<std::vector<Edge>> adjacent(program.vnets.size());
  for (const auto& v : program.vnets)
    for (std::size_t p = 0; p < v.peers.size(); ++p) {
      if (v.peers[p] == nullptr || v.peers[p] == &v) continue;
      const auto a = index.at(&v), b = index.at(v.peers[p]);
      adjacent[a].push_back({b, v.peer_spans[p]});
      adjacent[b].push_back({a, v.peer_spans[p]});
    }
  auto peering_span = [&](std::size_t a, std::size_t b) -> const Span* {
    for (const auto& e : adjacent[a])
      if (e.other == b) return &e.span;
    return nullptr;
  };
  std::set<std::pair<std::size_t, std::size_t>> reported;
  struct Range {
    const Cidr* cidr;
    std::size_t vnet;
  };
  for (std::size_t hub = 0; hub < program.vnets.size(); ++hub) {
    if (adjacent[hub].empty()) continue;
    std::vector<std::size_t> group{hub};
    for (const auto& e : adjacent[hub]) group.push_back(e.other);
    std::sort(group.begin(), group.end());
    group.erase(std::unique(group.begin(), group.end()), group.end());
    std::vector<Range> ranges;
    for (auto v : group)
      for (const auto& c : program.vnets[v].address_space) ranges.push_back({&c, v});
    std::stable_sort(ranges.begin(), ranges.end(),
                     [](const Range& a, const Range& b) { return a.cidr->first() < b.cidr->first(); });
    // Linear scan in start order against the furthest-reaching range seen so far and the furthest-reaching
    // range of another VNet: every range that overlaps a range of another VNet is reported at least once (when
    // three or more VNets overlap one range, some of the pairs may go unnamed; each VNet still gets an error).
    const Range* furthest = nullptr;
    const Range* furthest_other = nullptr;  // furthest-reaching range of a VNet other than furthest's
    for (const auto& r : ranges) {
      for (const Range* prev : {furthest, furthest_other}) {
        if (prev == nullptr || prev->vnet == r.vnet || r.cidr->first() > prev->cidr->last()) continue;
        const auto a = std::min(prev->vnet, r.vnet), b = std::max(prev->vnet, r.vnet);
        if (!reported.insert({a, b}).second) continue;
        const Range& ra = r.vnet == a ? r : *prev;
        const Range& rb = r.vnet == b ? r : *prev;
        const Vnet& va = program.vnets[a];
        const Vnet& vb = program.vnets[b];
        // The offending item is the peering: the direct one, or the second VNet's peering to the hub.
        const Span* direct = peering_span(a, b);
        const Span* to_hub_a = peering_span(hub, a);
        const Span* to_hub_b = peering_span(hub, b);
        const Span* at = direct != nullptr ? direct : to_hub_b;
        if (at == nullptr) continue;
        auto& d = diags.report(
            Code::E0203, *at,
            direct != nullptr
                ? fmt::format("VNets `{}` ({}) and `{}` ({}) are peered but their address spaces overlap: Azure "
                              "refuses the peering",
                              va.symbol, ra.cidr->str(), vb.symbol, rb.cidr->str())
                : fmt::format("VNets `{}` ({}) and `{}` ({}) overlap and are both peered to `{}`: the hub cannot "
                              "route to both, and Azure refuses the second peering",
                              va.symbol, ra.cidr->str(), vb.symbol, rb.cidr->str(), program.vnets[hub].symbol),
            "give peered VNets (and the spokes of a hub) address spaces that do not overlap");
        d.notes.push_back({ra.cidr->span, fmt::format("VNet `{}`'s prefix", va.symbol)});
        d.notes.push_back({rb.cidr->span, fmt::format("VNet `{}`'s prefix", vb.symbol)});
        if (direct == nullptr && to_hub_a != nullptr)
          d.notes.push_back({*to_hub_a, fmt::format("VNet `{}` is peered to the hub here", va.symbol)});
      }
      if (furthest == nullptr || r.cidr->last() > furthest->cidr->last()) {
        if (furthest != nullptr && furthest->vnet != r.vnet) furthest_other = furthest;
        furthest = &r;
      } else if (r.vnet != furthest->vnet &&
                 (furthest_other == nullptr || r.cidr->last() > furthest_other->cidr->last())) {
        furthest_other = &r;
      }
    }
  }
}

void subnet_sizes(const Program& program, Diagnostics& diags) {
  for (const auto& v : program.vnets)
    for (const auto& s : v.subnets) {
      if (s.prefix.length > 29) {
        diags.report(Code::E0204, s.prefix.span,
                     fmt::format("subnet `{}` is a /{}: Azure's smallest subnet is a /29 (it reserves 5 addresses "
                                 "of every subnet)",
                                 s.symbol, s.prefix.length),
                     fmt::format("use a /29 or larger, e.g. {}/29", format_ip(s.prefix.first() & ~std::uint32_t{7})));
        continue;
      }
      if (s.name.value == "AzureFirewallSubnet" && s.prefix.length > 26) {
        auto& d = diags.report(Code::E0206, s.prefix.span,
                               fmt::format("AzureFirewallSubnet is a /{}: Azure Firewall needs at least a /26 to "
                                           "scale out, and refuses a smaller subnet",
                                           s.prefix.length),
                               fmt::format("make it a /26 or larger, e.g. {}/26",
                                           format_ip(s.prefix.first() & ~std::uint32_t{63})));
        for (const auto& fw : program.firewalls)
          if (fw.subnet == &s) d.notes.push_back({fw.span, fmt::format("firewall `{}` is deployed into it", fw.symbol)});
      }
    }
  // E0205: a firewall goes into a subnet named exactly AzureFirewallSubnet.
  for (const auto& fw : program.firewalls) {
    if (fw.subnet == nullptr || !fully_known(fw.subnet->name, program)) continue;
    const auto& name = fw.subnet->name.value;
    if (name == "AzureFirewallSubnet") continue;
    auto& d = diags.report(Code::E0205, fw.subnet_span,
                           fmt::format("firewall `{}` is in subnet \"{}\": Azure Firewall deploys only into a subnet "
                                       "named exactly AzureFirewallSubnet",
                                       fw.symbol, name),
                           fmt::format("name the subnet AzureFirewallSubnet (a /26 or larger): `subnet "
                                       "AzureFirewallSubnet {}`",
                                       fw.subnet->prefix.length > 26
                                           ? Cidr{fw.subnet->prefix.first() & ~std::uint32_t{63}, 26, {}}.str()
                                           : fw.subnet->prefix.str()));
    d.notes.push_back({fw.subnet->span, "the subnet is declared here"});
  }
}

/// E0207: the nodes (+1 surge per pool) and, with Azure CNI, their pods must fit in the usable addresses of each
/// subnet, summed over the pools of every cluster that put nodes there (facts::aks::node_subnet_addresses).
void cluster_subnets(const Program& program, Diagnostics& diags) {
  // The subnets node pools use, each with its clusters in source order.
  std::map<const Subnet*, std::vector<const Cluster*>> by_subnet;
  std::vector<const Subnet*> order;
  for (const auto& c : program.clusters)
    for (const auto& p : c.pools) {
      const Subnet* s = c.pool_subnet(p);
      if (s == nullptr) continue;
      auto& list = by_subnet[s];
      if (list.empty()) order.push_back(s);
      if (list.empty() || list.back() != &c) list.push_back(&c);
    }
  for (const Subnet* subnet : order) {
    if (subnet->prefix.length > 29) continue;  // E0204 says it
    const auto& sharing = by_subnet[subnet];
    const Cluster& c = *sharing.back();  // report once, at the last cluster of the subnet
    std::uint64_t needed = 0;
    for (const auto* other : sharing) needed += facts::aks::node_subnet_addresses(*other, subnet);
    const std::uint64_t usable = subnet->prefix.size() - kReservedPerSubnet;
    if (needed <= usable) continue;
    // Where to point: the cluster's `in` when its own subnet, else the last pool that names this subnet.
    Span at = c.subnet_span;
    const NodePool* in_pool = nullptr;
    for (const auto& p : c.pools)
      if (c.pool_subnet(p) == subnet) in_pool = &p;
    if (subnet != c.subnet && in_pool != nullptr) at = in_pool->subnet_span;
    std::string why;
    if (!c.explicit_pools) {
      why = fmt::format("{} node{} + 1 surge node", c.node_count, c.node_count == 1 ? "" : "s");
      if (c.plugin == NetworkPlugin::azure && !c.overlay)
        why = fmt::format("({}) × (1 node address + {} pod addresses)", why, c.max_pods);
    } else {
      for (const auto& p : c.pools) {
        if (c.pool_subnet(p) != subnet) continue;
        std::string one = fmt::format("{} node{} + 1 surge node", p.peak_nodes(), p.peak_nodes() == 1 ? "" : "s");
        if (c.plugin == NetworkPlugin::azure && !c.overlay)
          one = fmt::format("({}) × (1 node address + {} pod addresses)", one, p.max_pods);
        why += fmt::format("{}pool `{}`: {}", why.empty() ? "" : "; ", p.name, one);
      }
    }
    auto& d = diags.report(
        Code::E0207, at,
        sharing.size() == 1
            ? fmt::format("cluster `{}` needs {} addresses with {}, {}, but subnet {} has {} usable: nodes fail to "
                          "join, and upgrades cannot add their surge node",
                          c.symbol, needed, plugin_text(c), why, subnet->prefix.str(), usable)
            : fmt::format("the {} clusters in subnet {} need {} addresses but it has {} usable: nodes fail to join",
                          sharing.size(), subnet->prefix.str(), needed, usable),
        fmt::format("use a /{} or larger subnet, or fewer nodes{}", prefix_for(needed),
                    c.plugin == NetworkPlugin::azure && !c.overlay ? ", a lower max_pods, or `network_plugin azure overlay`"
                                                                   : ""));
    d.notes.push_back({subnet->span, "the subnet is declared here"});
    for (const auto* other : sharing)
      if (other != &c) d.notes.push_back({other->span, fmt::format("cluster `{}` shares the subnet", other->symbol)});
  }
}

/// E0208-E0210: static internal load-balancer IPs inside the cluster's subnet, not reserved, not taken twice.
void load_balancer_ips(const Program& program, Diagnostics& diags) {
  std::map<std::pair<const Subnet*, std::uint32_t>, const Service*> taken;
  for (const auto& app : program.apps) {
    if (app.cluster == nullptr || app.cluster->subnet == nullptr) continue;
    for (const auto& svc : app.services) {
      if (svc.exposure != Service::Exposure::internal) continue;
      // `internal in VNET.SUBNET`: AKS places the frontend in that subnet (annotation
      // service.beta.kubernetes.io/azure-load-balancer-internal-subnet), which must be in the cluster's VNet.
      if (svc.lb_subnet != nullptr && svc.lb_subnet->vnet != app.cluster->subnet->vnet) {
        auto& d = diags.report(
            Code::E0280, svc.lb_subnet_span.length != 0 ? svc.lb_subnet_span : svc.span,
            fmt::format("the internal load balancer of service \"{}\" is placed in subnet `{}`, which is not in VNet `{}` "
                        "of cluster `{}`: AKS creates internal load balancers only in its own VNet",
                        svc.name, svc.lb_subnet->symbol, app.cluster->subnet->vnet->symbol, app.cluster->symbol),
            fmt::format("choose a subnet of VNet `{}`, or leave `in ...` out to use the cluster's subnet",
                        app.cluster->subnet->vnet->symbol));
        d.notes.push_back({app.cluster->span, "the cluster"});
        continue;
      }
      if (!svc.load_balancer_ip) continue;
      const Subnet& subnet = svc.lb_subnet != nullptr ? *svc.lb_subnet : *app.cluster->subnet;
      const Cidr& p = subnet.prefix;
      const char* which = svc.lb_subnet != nullptr ? "the load balancer's subnet" : "the cluster's subnet";
      const Ip& ip = *svc.load_balancer_ip;
      const Span at = ip.span.length != 0 ? ip.span : svc.span;
      if (!p.contains(ip.value)) {
        auto& d = diags.report(Code::E0208, at,
                               fmt::format("the internal load balancer IP {} of service \"{}\" is outside subnet {} "
                                           "{} `{}`: Azure cannot create the load balancer frontend",
                                           ip.str(), svc.name, p.str(),
                                           svc.lb_subnet != nullptr ? "chosen for it with `in`, in the VNet of cluster"
                                                                    : "of cluster",
                                           app.cluster->symbol),
                               fmt::format("choose an address in {} (from the top of the subnet, away from the nodes), "
                                           "or leave `ip` out and egress picks one",
                                           p.str()));
        d.notes.push_back({subnet.span, which});
        continue;
      }
      if (p.length <= 30 && (ip.value - p.first() < 4 || ip.value == p.last())) {
        auto& d = diags.report(Code::E0209, at,
                               fmt::format("{} is {} of subnet {}, which Azure reserves: the load balancer of service "
                                           "\"{}\" cannot take it",
                                           ip.str(),
                                           ip.value == p.first()  ? "the network address"
                                           : ip.value == p.last() ? "the broadcast address"
                                                                  : "one of the first four addresses",
                                           p.str(), svc.name),
                               fmt::format("Azure reserves {} to {} and {}; choose another address",
                                           format_ip(p.first()), format_ip(p.first() + 3), format_ip(p.last())));
        d.notes.push_back({subnet.span, which});
        continue;
      }
      auto [it, inserted] = taken.try_emplace({&subnet, ip.value}, &svc);
      if (!inserted) {
        auto& d = diags.report(Code::E0210, at,
                               fmt::format("service \"{}\" takes {}, which service \"{}\" already takes: the second "
                                           "load balancer fails to provision",
                                           svc.name, ip.str(), it->second->name),
                               "give each internal load balancer its own address, or leave `ip` out");
        d.notes.push_back({it->second->load_balancer_ip->span.length != 0 ? it->second->load_balancer_ip->span
                                                                           : it->second->span,
                           "first taken here"});
      }
    }
  }
}

/// A range of the given size not overlapping `avoid`, to suggest in hints. Services and pods draw from
/// different candidates, so the two suggestions never collide with each other.
std::string free_range(const std::vector<const Cidr*>& avoid, int length, bool pods) {
  static constexpr std::array<std::uint32_t, 4> kServices = {0x0A000000u, 0x0A640000u, 0xAC100000u, 0x64410000u};
  static constexpr std::array<std::uint32_t, 4> kPods = {0x0AF40000u, 0x0AF50000u, 0xC0A80000u, 0x64400000u};
  for (std::uint32_t base : pods ? kPods : kServices) {
    const Cidr candidate{base, length, {}};
    if (std::none_of(avoid.begin(), avoid.end(), [&](const Cidr* c) { return c->overlaps(candidate); }))
      return candidate.str();
  }
  return {};
}

/// E0211: the service CIDR (every plugin) and the pod CIDR (kubenet, CNI overlay) must not overlap the cluster's
/// VNet or any VNet peered with it.
void cluster_cidrs(const Program& program, Diagnostics& diags) {
  for (const auto& c : program.clusters) {
    if (c.subnet == nullptr || c.subnet->vnet == nullptr) continue;
    std::vector<const Vnet*> reachable;
    for (const auto& v : program.vnets)
      if (vnets_connected(c.subnet->vnet, &v)) reachable.push_back(&v);
    std::vector<const Cidr*> spaces;
    for (const auto* v : reachable)
      for (const auto& s : v->address_space) spaces.push_back(&s);
    const Cidr service = c.service_cidr.value_or(kDefaultServiceCidr);
    const bool pods_in_cidr = c.plugin == NetworkPlugin::kubenet || c.overlay;
    const Cidr pods = c.pod_cidr.value_or(kDefaultPodCidr);
    auto check = [&](const Cidr& range, bool given, std::string_view what, std::string_view setting,
                     const Cidr* other) {
      for (const auto* v : reachable)
        for (const auto& space : v->address_space) {
          if (!space.overlaps(range)) continue;
          auto avoid = spaces;
          if (other != nullptr) avoid.push_back(other);  // the cluster's other CIDR
          const bool is_pods = setting == "pod_cidr";
          auto suggestion = free_range(avoid, std::max(range.length, 16), is_pods);
          if (!suggestion.empty() && !is_pods)
            suggestion += fmt::format("; dns_service_ip {}", format_ip(parse_cidr(suggestion)->first() + 10));
          auto& d = diags.report(
              Code::E0211, given ? range.span : c.span,
              fmt::format("cluster `{}`'s {}{} {} overlaps VNet `{}` ({}){}: addresses in the overlap become "
                          "unreachable from the cluster, and AKS rejects the cluster",
                          c.symbol, given ? "" : "default ", what, range.str(), v->symbol, space.str(),
                          v == c.subnet->vnet ? "" : ", which is peered with the cluster's VNet"),
              suggestion.empty() ? fmt::format("set `{}` to a range used nowhere in the network", setting)
                                 : fmt::format("set `{} {}` (or another range used nowhere in the network)", setting,
                                               suggestion));
          d.notes.push_back({space.span, fmt::format("VNet `{}`'s address space", v->symbol)});
          return;  // one report per CIDR
        }
    };
    check(service, c.service_cidr.has_value(), "service CIDR", "service_cidr", pods_in_cidr ? &pods : nullptr);
    if (pods_in_cidr) check(pods, c.pod_cidr.has_value(), "pod CIDR", "pod_cidr", &service);
  }
}

}  // namespace

bool vnets_connected(const Vnet* a, const Vnet* b) {
  if (a == nullptr || b == nullptr) return false;
  if (a == b) return true;
  return std::find(a->peers.begin(), a->peers.end(), b) != a->peers.end() ||
         std::find(b->peers.begin(), b->peers.end(), a) != b->peers.end();
}

void check_addresses(const Program& program, Diagnostics& diags) {
  for (const auto& v : program.vnets) subnets_inside_and_apart(v, diags);
  peered_vnets_apart(program, diags);
  subnet_sizes(program, diags);
  cluster_subnets(program, diags);
  load_balancer_ips(program, diags);
  cluster_cidrs(program, diags);
}

}  // namespace egress::model
