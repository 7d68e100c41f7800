// E0416, E0417, and E0334 for node pools: where a cluster's pools put their nodes. Every subnet a pool uses must
// be in the cluster's VNet, and, when the cluster's egress is user-defined routing through a firewall, must send
// 0.0.0.0/0 to that firewall as the cluster's own subnet does.
//
// Sources:
//   "Create node pools with unique subnets in Azure Kubernetes Service (AKS)" (learn.microsoft.com/azure/aks/
//     node-pool-unique-subnet), "Limitations": "All subnets assigned to node pools must belong to the same virtual
//     network (VNet)." Checked 2026-12-07.
//   "Customize cluster egress with a user-defined routing table in AKS" (learn.microsoft.com/azure/aks/egress-udr):
//     outbound type userDefinedRouting "requires a user-defined route with valid outbound connectivity for the
//     cluster" — each node subnet's 0.0.0.0/0 route is what carries its nodes' egress. Checked 2026-12-07.
//   Zones: E0334's sources (model/check_firewall_sku.cpp).
#include <fmt/format.h>

#include <set>

#include "model/checks.hpp"

namespace egress::model {

using namespace egress::sema;

namespace {

void pool_subnets(const Program& program, const Cluster& c, Diagnostics& diags) {
  if (c.subnet == nullptr || c.subnet->vnet == nullptr) return;
  const Firewall* fw = egress_firewall(program, c);
  std::set<const Subnet*> reported;
  for (const auto& p : c.pools) {
    const Subnet* s = p.subnet;
    if (s == nullptr || s == c.subnet || !reported.insert(s).second) continue;
    // E0416
    if (s->vnet != c.subnet->vnet) {
      auto& d = diags.report(
          Code::E0416, p.subnet_span,
          fmt::format("node pool `{}` of cluster `{}` is placed in subnet `{}` of VNet `{}`, but the cluster is in VNet "
                      "`{}`: all subnets of a cluster's node pools must belong to one virtual network, and AKS rejects "
                      "the pool",
                      p.name, c.symbol, s->symbol, s->vnet != nullptr ? s->vnet->symbol : "?", c.subnet->vnet->symbol),
          fmt::format("put the pool in a subnet of VNet `{}`", c.subnet->vnet->symbol));
      d.notes.push_back({c.subnet_span, "the cluster's subnet"});
      continue;
    }
    // E0417
    if (fw != nullptr && default_route_firewall(program, s) != fw) {
      auto& d = diags.report(
          Code::E0417, p.subnet_span,
          fmt::format("node pool `{}` of cluster `{}` is placed in subnet `{}`, which does not send 0.0.0.0/0 to firewall "
                      "`{}` as the cluster's subnet does: with user-defined routing the pool's nodes have no checked "
                      "egress, so they fail to provision or leave around the firewall",
                      p.name, c.symbol, s->symbol, fw->symbol),
          fmt::format("attach the cluster subnet's route table to subnet `{}` (`route_table {}` in its block)", s->symbol,
                      c.subnet->route_table != nullptr ? c.subnet->route_table->symbol : "NAME"));
      d.notes.push_back({s->span, "the pool's subnet"});
      d.notes.push_back({c.subnet_span, "the cluster's subnet routes to the firewall"});
    }
  }
}

// E0334 for pools: zones in a region without them.
// The cluster's region is its group's (its pools are part of it).
void pool_zones(const Program& program, const Catalog& catalog, const Cluster& c, Diagnostics& diags) {
  const Group* group = zoneless_group(program, catalog, &c);
  if (group == nullptr) return;
  const std::string& region = group->location.value;
  for (const auto& p : c.pools)
    if (!p.zones.empty())
      diags.report(Code::E0334, p.zones_span,
                   fmt::format("node pool `{}` of cluster `{}` asks for availability zones, but region {} has none: AKS "
                               "rejects the pool",
                               p.name, c.symbol, region),
                   "remove `zones` from the pool, or deploy to a region with zones");
}

}  // namespace

void check_pools(const Program& program, const Catalog& catalog, Diagnostics& diags) {
  for (const auto& c : program.clusters) {
    pool_subnets(program, c, diags);
    pool_zones(program, catalog, c, diags);
  }
}

}  // namespace egress::model
