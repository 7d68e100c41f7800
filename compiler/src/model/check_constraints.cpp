// E0360-E0371, W0260: the constraint sweep of issue 10. Documented Azure and AKS constraints between resources the
// language expresses that no other check covered: address ranges a VNet or a cluster may not use, the pod CIDR's
// room for the nodes, kubenet clusters' exclusive subnets and route tables, and the networking limits a program
// alone can exceed (routes per table, subnets and peerings per VNet, firewalls per VNet, rule collection groups
// and firewalls per policy, public IPs and IP groups per firewall), and the name lengths Azure CNI Overlay needs. The values and their sources (page, section,
// date checked) are in sema/azure_facts.hpp (facts::network, facts::aks); docs/diagnostics/constraints.md explains
// each code, and docs/azure-facts.md lists what is checked and what is not.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "base/numbers.hpp"
#include "model/checks.hpp"
#include "sema/azure_facts.hpp"

namespace egress::model {

using namespace sema;

namespace {

const Cidr kDefaultServiceCidr{0x0A000000u, 16, {}};  // 10.0.0.0/16, as in check_addresses.cpp and check_cluster.cpp
const Cidr kDefaultPodCidr{0x0AF40000u, 16, {}};      // 10.244.0.0/16

Cidr range_cidr(std::uint32_t base, int length) { return Cidr{base, length, {}}; }

/// Kubenet and Azure CNI Overlay take pod addresses from the pod CIDR; Azure CNI (node subnet) from the subnet.
bool pods_from_cidr(const Cluster& c) { return c.plugin == NetworkPlugin::kubenet || c.overlay; }

std::string_view plugin_text(const Cluster& c) {
  return c.plugin == NetworkPlugin::kubenet ? "kubenet" : c.overlay ? "Azure CNI Overlay" : "Azure CNI";
}

// E0360: "Azure Virtual Network FAQ", "What address ranges can I use in my virtual networks?".
void vnet_forbidden_ranges(const Program& program, Diagnostics& diags) {
  for (const auto& v : program.vnets)
    for (const auto& space : v.address_space)
      for (const auto& r : facts::network::kForbiddenInVnet) {
        const Cidr forbidden = range_cidr(r.base, r.length);
        if (!space.overlaps(forbidden)) continue;
        auto& d = diags.report(
            Code::E0360, space.span,
            fmt::format("VNet `{}`'s address space {} {} {} ({}): Azure does not allow that range in a virtual "
                        "network (\"Azure Virtual Network FAQ\", \"What address ranges can I use in my virtual "
                        "networks?\"), so the VNet is not created",
                        v.symbol, space.str(), space.contains(forbidden) ? "contains" : "lies in", forbidden.str(),
                        r.what),
            "use private ranges (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, or 100.64.0.0/10) that avoid "
            "it");
        d.notes.push_back({v.span, fmt::format("VNet `{}` is declared here", v.symbol)});
        break;  // one report per address space
      }
}

// E0361: "Use kubenet networking with your own IP address ranges in AKS", "Prerequisites".
void aks_reserved_ranges(const Program& program, Diagnostics& diags) {
  const auto reserved = [](const Cidr& range) -> std::optional<Cidr> {
    for (const auto& r : facts::aks::kReservedRanges)
      if (range.overlaps(range_cidr(r.base, r.length))) return range_cidr(r.base, r.length);
    return std::nullopt;
  };
  const auto report = [&](const Cluster& c, const Cidr& range, const Cidr& hit, std::string_view what, Span at,
                          std::string hint) {
    auto& d = diags.report(
        Code::E0361, at,
        fmt::format("cluster `{}`'s {} {} overlaps {}, a range AKS reserves: \"AKS clusters can't use 169.254.0.0/16, "
                    "172.30.0.0/16, 172.31.0.0/16, or 192.0.2.0/24\" for the service range, the pod range or the "
                    "cluster's VNet (\"Use kubenet networking with your own IP address ranges in AKS\", "
                    "\"Prerequisites\"), so AKS rejects the cluster",
                    c.symbol, what, range.str(), hit.str()),
        std::move(hint));
    d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
  };
  std::set<const Vnet*> vnets_reported;
  for (const auto& c : program.clusters) {
    if (c.service_cidr)
      if (auto hit = reserved(*c.service_cidr))
        report(c, *c.service_cidr, *hit, "service CIDR", c.service_cidr->span,
               "choose another private range, e.g. `service_cidr 10.100.0.0/16; dns_service_ip 10.100.0.10`");
    if (c.pod_cidr && pods_from_cidr(c))
      if (auto hit = reserved(*c.pod_cidr))
        report(c, *c.pod_cidr, *hit, "pod CIDR", c.pod_cidr->span,
               "choose another private range, e.g. `pod_cidr 10.244.0.0/16`");
    if (c.subnet == nullptr || c.subnet->vnet == nullptr) continue;
    const Vnet* v = c.subnet->vnet;
    if (!vnets_reported.insert(v).second) continue;
    for (const auto& space : v->address_space) {
      auto hit = reserved(space);
      // 169.254.0.0/16 in a VNet is E0360 already: Azure refuses it before AKS sees it.
      if (!hit || hit->first() == 0xA9FE0000u) continue;
      report(c, space, *hit, fmt::format("VNet `{}`, address space", v->symbol), space.span,
             "move the VNet to a private range outside 172.30.0.0/15 and 192.0.2.0/24");
      break;
    }
  }
}

// E0362: "Configure Azure CNI Overlay networking in AKS", "IP address planning": the service range "shouldn't
// overlap with the pod CIDR range". Only where pods take addresses from a pod CIDR.
void service_pod_overlap(const Cluster& c, Diagnostics& diags) {
  if (!pods_from_cidr(c)) return;
  const Cidr service = c.service_cidr.value_or(kDefaultServiceCidr);
  const Cidr pods = c.pod_cidr.value_or(kDefaultPodCidr);
  if (!service.overlaps(pods)) return;
  const Span at = c.pod_cidr ? c.pod_cidr->span : c.service_cidr ? c.service_cidr->span : c.span;
  auto& d = diags.report(
      Code::E0362, at,
      fmt::format("cluster `{}`'s {}service CIDR {} and {}pod CIDR {} overlap: a pod and a service could receive the "
                  "same address, and AKS rejects the cluster (\"Configure Azure CNI Overlay networking in AKS\", \"IP "
                  "address planning\": the service range \"shouldn't overlap with the pod CIDR range\")",
                  c.symbol, c.service_cidr ? "" : "default ", service.str(), c.pod_cidr ? "" : "default ", pods.str()),
      "give them disjoint ranges, e.g. `service_cidr 10.0.0.0/16; dns_service_ip 10.0.0.10` and `pod_cidr "
      "10.244.0.0/16`");
  if (c.service_cidr && c.pod_cidr) d.notes.push_back({c.service_cidr->span, "the service CIDR"});
  d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
}

// E0363: a /24 of the pod CIDR per node, for the nodes and the surge node of an upgrade (as E0207 counts them).
void pod_cidr_room(const Cluster& c, Diagnostics& diags) {
  if (!pods_from_cidr(c)) return;
  const Cidr pods = c.pod_cidr.value_or(kDefaultPodCidr);
  constexpr int per_node = facts::aks::kPodCidrPerNodeLength;
  const std::uint64_t blocks = pods.length > per_node ? 0 : std::uint64_t{1} << (per_node - pods.length);
  const std::uint64_t needed = static_cast<std::uint64_t>(c.total_nodes()) + c.pools.size();  // a surge node per pool
  if (blocks >= needed) return;
  int length = per_node;
  while (length > 8 && (std::uint64_t{1} << (per_node - length)) < needed) --length;
  auto& d = diags.report(
      Code::E0363, c.pod_cidr ? c.pod_cidr->span : (c.nodes_span.length != 0 ? c.nodes_span : c.span),
      fmt::format("cluster `{}` ({}) gives each node a /24 of its {}pod CIDR {}, which holds {} such block{}, but {} "
                  "nodes and the surge node of an upgrade need {}: nodes beyond that get no pod range, so AKS "
                  "cannot create, scale or upgrade the cluster (\"The pod IP address range is used to assign a /24 "
                  "address space to each node\", \"Use kubenet networking with your own IP address ranges in AKS\"; "
                  "\"Configure Azure CNI Overlay networking in AKS\", \"IP address planning\")",
                  c.symbol, plugin_text(c), c.pod_cidr ? "" : "default ", pods.str(), thousands(blocks),
                  blocks == 1 ? "" : "s", thousands(static_cast<std::uint64_t>(c.total_nodes())), thousands(needed)),
      fmt::format("use a /{} or larger pod CIDR (`pod_cidr {}/{}`), or fewer nodes", length,
                  format_ip(pods.first() & (length == 0 ? 0u : ~std::uint32_t{0} << (32 - length))), length));
  d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
}

// E0364, E0365: "Use kubenet networking with your own IP address ranges in AKS": kubenet clusters share neither a
// subnet nor a route table with another cluster.
void kubenet_exclusive(const Program& program, Diagnostics& diags) {
  std::vector<const Cluster*> clusters;
  for (const auto& c : program.clusters) clusters.push_back(&c);
  for (std::size_t i = 0; i < clusters.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const Cluster& later = *clusters[i];
      const Cluster& earlier = *clusters[j];
      if (later.plugin != NetworkPlugin::kubenet && earlier.plugin != NetworkPlugin::kubenet) continue;
      if (later.subnet == nullptr || earlier.subnet == nullptr) continue;
      const Cluster& kube = later.plugin == NetworkPlugin::kubenet ? later : earlier;
      if (later.subnet == earlier.subnet) {
        auto& d = diags.report(
            Code::E0364, later.subnet_span.length != 0 ? later.subnet_span : later.span,
            fmt::format("clusters `{}` and `{}` are both in subnet `{}`, and `{}` uses kubenet: \"Unlike Azure CNI "
                        "clusters, multiple kubenet clusters can't share a subnet\" (\"Use kubenet networking with "
                        "your own IP address ranges in AKS\", \"Limitations & considerations for kubenet\"), so the "
                        "second cluster's nodes and pod routes collide with the first's",
                        earlier.symbol, later.symbol, later.subnet->symbol, kube.symbol),
            "give each kubenet cluster a subnet of its own (with a route table of its own)");
        d.notes.push_back({earlier.span, fmt::format("cluster `{}` is in the same subnet", earlier.symbol)});
        continue;
      }
      const RouteTable* table = later.subnet->route_table;
      if (table == nullptr || table != earlier.subnet->route_table) continue;
      auto& d = diags.report(
          Code::E0365, later.subnet->route_table_span.length != 0 ? later.subnet->route_table_span : later.span,
          fmt::format("route table `{}` serves the subnets of clusters `{}` and `{}`, and `{}` uses kubenet: \"Each "
                      "AKS cluster must use a single, unique route table ... You can't reuse a route table with "
                      "multiple clusters due to the potential for overlapping pod CIDRs and conflicting routing "
                      "rules\" (\"Use kubenet networking with your own IP address ranges in AKS\", \"Bring your own "
                      "subnet and route table with kubenet\")",
                      table->symbol, earlier.symbol, later.symbol, kube.symbol),
          fmt::format("give cluster `{}`'s subnet a route table of its own (it may hold the same routes)", later.symbol));
      d.notes.push_back({earlier.subnet->route_table_span.length != 0 ? earlier.subnet->route_table_span
                                                                       : earlier.subnet->span,
                         fmt::format("cluster `{}`'s subnet uses the same route table", earlier.symbol)});
    }
}

// E0366: at most 400 routes per route table, counting the user routes and, for each kubenet cluster on a subnet of
// the table, the one route per node that AKS adds (the surge node's is not counted: it may come and go).
void route_table_size(const Program& program, Diagnostics& diags) {
  for (const auto& table : program.route_tables) {
    std::uint64_t node_routes = 0;
    const Cluster* kube = nullptr;
    bool over_kubenet_limit = false;
    for (const auto& c : program.clusters) {
      if (c.plugin != NetworkPlugin::kubenet || c.subnet == nullptr || c.subnet->route_table != &table) continue;
      if (c.total_nodes() > facts::aks::kMaxKubenetNodes) over_kubenet_limit = true;  // E0262 says so
      node_routes += static_cast<std::uint64_t>(c.total_nodes());
      if (kube == nullptr) kube = &c;
    }
    if (over_kubenet_limit) continue;
    const std::uint64_t total = table.routes.size() + node_routes;
    if (total <= facts::network::kMaxRoutesPerTable) continue;
    auto& d = diags.report(
        Code::E0366, table.span,
        node_routes == 0
            ? fmt::format("route table `{}` has {} routes: Azure allows at most 400 user-defined routes per route "
                          "table (\"Azure subscription and service limits\", \"Networking limits\"), so the route "
                          "table is not created",
                          table.symbol, thousands(total))
            : fmt::format("route table `{}` would need {} routes: its {} route{} and one route per node of the kubenet "
                          "cluster{} on its subnets ({} node{}), while Azure allows at most 400 per route table "
                          "(\"Azure subscription and service limits\", \"Networking limits\"), so AKS cannot add the "
                          "routes of the last nodes and their pods are unreachable",
                          table.symbol, thousands(total), table.routes.size(), table.routes.size() == 1 ? "" : "s",
                          kube != nullptr && node_routes == static_cast<std::uint64_t>(kube->total_nodes()) ? "" : "s",
                          thousands(node_routes), node_routes == 1 ? "" : "s"),
        node_routes == 0 ? "merge routes into wider prefixes, or split the subnets over several route tables"
                         : "use fewer nodes or routes, or `network_plugin azure overlay`, which adds no routes");
    if (kube != nullptr)
      d.notes.push_back({kube->span, fmt::format("kubenet cluster `{}` has {} nodes", kube->symbol, kube->total_nodes())});
  }
}

// E0367: subnets and peerings per VNet ("Networking limits").
void vnet_limits(const Program& program, Diagnostics& diags) {
  for (const auto& v : program.vnets) {
    if (v.subnets.size() > facts::network::kMaxSubnetsPerVnet) {
      auto& d = diags.report(Code::E0367, v.subnets[facts::network::kMaxSubnetsPerVnet].span,
                             fmt::format("VNet `{}` has {} subnets: Azure allows at most 3,000 subnets per virtual "
                                         "network (\"Azure subscription and service limits\", \"Networking "
                                         "limits\"), so the deployment fails at this one",
                                         v.symbol, thousands(v.subnets.size())),
                             "spread the subnets over several peered VNets");
      d.notes.push_back({v.span, fmt::format("VNet `{}` is declared here", v.symbol)});
    }
    std::set<const Vnet*> peers(v.peers.begin(), v.peers.end());
    for (const auto& other : program.vnets)
      if (&other != &v && std::find(other.peers.begin(), other.peers.end(), &v) != other.peers.end())
        peers.insert(&other);
    if (peers.size() > facts::network::kMaxPeeringsPerVnet) {
      auto& d = diags.report(Code::E0367, v.span,
                             fmt::format("VNet `{}` is peered with {} VNets: Azure allows at most 500 peerings per "
                                         "virtual network (\"Azure subscription and service limits\", \"Networking "
                                         "limits\"), so the peerings past 500 are refused",
                                         v.symbol, thousands(peers.size())),
                             "connect the spokes through more than one hub");
      d.notes.push_back({v.span, fmt::format("VNet `{}` is declared here", v.symbol)});
    }
  }
}

// E0368: "Azure Firewall limits": "Azure Firewalls per virtual network | 1".
void firewalls_per_vnet(const Program& program, Diagnostics& diags) {
  std::vector<std::pair<const Vnet*, const Firewall*>> first;
  for (const auto& fw : program.firewalls) {
    if (fw.subnet == nullptr || fw.subnet->vnet == nullptr) continue;
    const Vnet* v = fw.subnet->vnet;
    auto it = std::find_if(first.begin(), first.end(), [&](const auto& p) { return p.first == v; });
    if (it == first.end()) {
      first.emplace_back(v, &fw);
      continue;
    }
    auto& d = diags.report(
        Code::E0368, fw.subnet_span.length != 0 ? fw.subnet_span : fw.span,
        fmt::format("firewalls `{}` and `{}` are both in VNet `{}`: Azure allows one Azure Firewall per virtual "
                    "network (\"Azure Firewall limits\", \"Azure Firewalls per virtual network | 1\"), so the "
                    "deployment of one of them fails",
                    fw.symbol, it->second->symbol, v->symbol),
        fmt::format("put the rules of `{}` into firewall `{}`, or deploy `{}` in another (peered) VNet", fw.symbol,
                    it->second->symbol, fw.symbol));
    d.notes.push_back({it->second->span, fmt::format("firewall `{}` is in VNet `{}` too", it->second->symbol,
                                                     v->symbol)});
  }
}

// E0369: "Azure Firewall limits": "Number of Rule Collection Groups in a firewall policy | ... 90 for Firewall
// policies created after July 2022" (egress creates new policies) and "Number of firewalls referenced by a single
// firewall policy | 50".
void policy_limits(const Program& program, Diagnostics& diags) {
  for (const auto& p : program.firewall_policies) {
    if (p.groups.size() > facts::firewall::kMaxRuleCollectionGroups) {
      auto& d = diags.report(
          Code::E0369, p.groups[facts::firewall::kMaxRuleCollectionGroups].span,
          fmt::format("firewall policy `{}` has {} rule collection groups: a policy takes at most 90 (\"Azure Firewall "
                      "limits\", \"Number of Rule Collection Groups in a firewall policy\"), so Azure refuses the "
                      "groups past the 90th",
                      p.symbol, p.groups.size()),
          "merge rule collection groups: one group holds many rule collections");
      d.notes.push_back({p.span, fmt::format("firewall policy `{}` is declared here", p.symbol)});
    }
    std::vector<const Firewall*> users;
    for (const auto& fw : program.firewalls)
      if (fw.policy == &p) users.push_back(&fw);
    if (users.size() > facts::firewall::kMaxFirewallsPerPolicy) {
      auto& d = diags.report(
          Code::E0369, users[facts::firewall::kMaxFirewallsPerPolicy]->policy_span.length != 0
                           ? users[facts::firewall::kMaxFirewallsPerPolicy]->policy_span
                           : users[facts::firewall::kMaxFirewallsPerPolicy]->span,
          fmt::format("firewall policy `{}` is used by {} firewalls: a policy may be referenced by at most 50 "
                      "(\"Azure Firewall limits\", \"Number of firewalls referenced by a single firewall policy\"), so "
                      "the firewalls past the 50th cannot be associated with it",
                      p.symbol, users.size()),
          "give the other firewalls a child policy (`base` this one), which carries the same rules");
      d.notes.push_back({p.span, fmt::format("firewall policy `{}` is declared here", p.symbol)});
    }
  }
}

// E0370: "Configure Azure CNI Overlay networking in AKS", "Limitations with Azure CNI Overlay": with your own
// subnet, "the names of the subnet, VNET and resource group which contains the VNET, must be 63 characters or
// less", because they become node labels.
void overlay_name_lengths(const Program& program, Diagnostics& diags) {
  for (const auto& c : program.clusters) {
    if (!c.overlay || c.plugin != NetworkPlugin::azure || c.subnet == nullptr || c.subnet->vnet == nullptr) continue;
    const struct {
      const Text* name;
      Span fallback;
      std::string what;
    } names[] = {
        {&c.subnet->name, c.subnet->span, fmt::format("subnet `{}`", c.subnet->symbol)},
        {&c.subnet->vnet->name, c.subnet->vnet->span, fmt::format("VNet `{}`", c.subnet->vnet->symbol)},
        {program.group ? &program.group->name : nullptr, program.group ? program.group->span : c.span,
         "the resource group"},
    };
    for (const auto& n : names) {
      if (n.name == nullptr || !fully_known(*n.name, program)) continue;
      if (n.name->value.size() <= facts::aks::kMaxOverlayNetworkNameLength) continue;
      auto& d = diags.report(
          Code::E0370, n.name->span.length != 0 ? n.name->span : n.fallback,
          fmt::format("cluster `{}` uses Azure CNI Overlay, and the Azure name of {} is {} characters long: with "
                      "Overlay the names of the subnet, its VNet and their resource group become node labels and "
                      "\"must be 63 characters or less\" (\"Configure Azure CNI Overlay networking in AKS\", "
                      "\"Limitations with Azure CNI Overlay\"), so AKS cannot create the cluster",
                      c.symbol, n.what, n.name->value.size()),
          "shorten the name to 63 characters or fewer");
      d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
    }
  }
}

// W0260: "Configure Azure CNI Overlay networking in AKS", "IP address planning": "The private CIDR ranges available
// for the Pod CIDR are defined in RFC 1918 and RFC 6598. While we don't block the use of public IP ranges, they are
// considered out of Microsoft's support scope." A warning: AKS deploys the cluster.
void public_pod_cidr(const Cluster& c, Diagnostics& diags) {
  if (!pods_from_cidr(c) || !c.pod_cidr) return;
  for (const auto& r : facts::aks::kPodCidrPrivateRanges)
    if (range_cidr(r.base, r.length).contains(*c.pod_cidr)) return;
  auto& d = diags.report(
      Code::W0260, c.pod_cidr->span,
      fmt::format("cluster `{}`'s pod CIDR {} is not a private range (RFC 1918 or RFC 6598): AKS accepts it, but "
                  "\"they are considered out of Microsoft's support scope\", and pods cannot reach the public "
                  "addresses it hides (\"Configure Azure CNI Overlay networking in AKS\", \"IP address planning\")",
                  c.symbol, c.pod_cidr->str()),
      "use a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10");
  d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
}

// E0371: "Azure Firewall limits": at most 250 public IP addresses per firewall, and at most 200 IP Groups per
// firewall (counted over the rules the firewall runs: its own collections, or its policy's, which elaborate.cpp
// copies into it).
void firewall_counts(const Program& program, Diagnostics& diags) {
  for (const auto& fw : program.firewalls) {
    if (fw.frontends.size() > facts::firewall::kMaxPublicIps) {
      auto& d = diags.report(
          Code::E0371, fw.frontends[facts::firewall::kMaxPublicIps].span,
          fmt::format("firewall `{}` has {} frontend public IPs: Azure Firewall takes at most 250 (\"Azure Firewall "
                      "limits\"), so the deployment fails",
                      fw.symbol, fw.frontends.size()),
          "use fewer frontends; for SNAT capacity, a NAT gateway on AzureFirewallSubnet gives 64,512 ports per IP");
      d.notes.push_back({fw.span, fmt::format("firewall `{}` is declared here", fw.symbol)});
    }
    std::vector<const IpGroup*> groups;
    const Span* at = nullptr;
    const auto add = [&](const std::vector<Endpoint>& endpoints) {
      for (const auto& e : endpoints)
        if (e.ip_group != nullptr && std::find(groups.begin(), groups.end(), e.ip_group) == groups.end()) {
          groups.push_back(e.ip_group);
          if (groups.size() == facts::firewall::kMaxIpGroups + 1) at = &e.span;
        }
    };
    for (const auto& col : fw.collections) {
      for (const auto& r : col.network_rules) {
        add(r.sources);
        add(r.destinations);
      }
      for (const auto& r : col.application_rules) add(r.sources);
      for (const auto& r : col.dnat_rules) add(r.sources);
    }
    if (groups.size() <= facts::firewall::kMaxIpGroups) continue;
    auto& d = diags.report(
        Code::E0371, at != nullptr && at->length != 0 ? *at : fw.span,
        fmt::format("firewall `{}`'s rules use {} IP groups: Azure Firewall takes at most 200 IP Groups per firewall "
                    "(\"Azure Firewall limits\"), so the rules past the 200th group are refused",
                    fw.symbol, groups.size()),
        "merge IP groups (each holds up to 5,000 addresses and prefixes)");
    d.notes.push_back({fw.span, fmt::format("firewall `{}` is declared here", fw.symbol)});
  }
}

}  // namespace

void check_constraints(const Program& program, Diagnostics& diags) {
  vnet_forbidden_ranges(program, diags);
  aks_reserved_ranges(program, diags);
  for (const auto& c : program.clusters) {
    service_pod_overlap(c, diags);
    pod_cidr_room(c, diags);
    public_pod_cidr(c, diags);
  }
  kubenet_exclusive(program, diags);
  route_table_size(program, diags);
  vnet_limits(program, diags);
  firewalls_per_vnet(program, diags);
  policy_limits(program, diags);
  overlay_name_lengths(program, diags);
  firewall_counts(program, diags);
}

}  // namespace egress::model
