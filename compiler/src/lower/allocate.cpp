// Static internal load-balancer IPs, so the DNAT rule can name its translated address at compile time and
// ARM/Bicep need no step after deployment.
#include <fmt/format.h>

#include <set>

#include "lower/lower.hpp"
#include "sema/azure_facts.hpp"

namespace egress::lower {

namespace {
// Addresses the nodes of a cluster's pools in `subnet` (one per node, plus one surge node per pool for upgrades)
// and, with Azure CNI without overlay, their pods take from the start of the subnet ("IP address planning for
// your AKS clusters", "IP address sizing"); facts::aks::node_subnet_addresses counts them.
std::uint64_t cluster_addresses(const sema::Cluster& c, const sema::Subnet* subnet) {
  return facts::aks::node_subnet_addresses(c, subnet);
}
/// The subnet an internal load balancer's frontend takes its address from.
const sema::Subnet* lb_subnet_of(const sema::Service& svc, const sema::Cluster& c) {
  return svc.lb_subnet != nullptr ? svc.lb_subnet : c.subnet;
}

/// Internal load balancers placed in a subnet other than their cluster's (`internal in VNET.SUBNET`): each
/// from the top of its subnet, below addresses already given there and above the nodes of any cluster in it.
void allocate_in_other_subnets(sema::Program& program, Diagnostics& diags) {
  std::set<const sema::Subnet*> subnets;
  for (const auto& app : program.apps)
    for (const auto& svc : app.services)
      if (svc.exposure == sema::Service::Exposure::internal && svc.lb_subnet != nullptr && !svc.load_balancer_ip)
        subnets.insert(svc.lb_subnet);
  for (const auto* subnet : subnets) {
    const auto& prefix = subnet->prefix;
    if (prefix.length > 29) continue;
    const std::uint32_t first_usable = prefix.first() + 4;
    std::uint64_t taken_end = first_usable;
    for (const auto& c : program.clusters)
      taken_end += cluster_addresses(c, subnet);
    std::set<std::uint32_t> used;
    for (const auto& app : program.apps)
      for (const auto& svc : app.services)
        if (app.cluster != nullptr && svc.load_balancer_ip && lb_subnet_of(svc, *app.cluster) == subnet)
          used.insert(svc.load_balancer_ip->value);
    if (taken_end > prefix.last()) continue;
    std::uint32_t next = prefix.last() - 1;
    for (auto& app : program.apps)
      for (auto& svc : app.services) {
        if (svc.exposure != sema::Service::Exposure::internal || svc.lb_subnet != subnet || svc.load_balancer_ip) continue;
        while (used.count(next) != 0 && next > first_usable) --next;
        if (next < taken_end) {
          diags.report(Code::E0118, svc.span,
                       fmt::format("no address is left in subnet {} for the internal load balancer of \"{}\"",
                                   prefix.str(), svc.name),
                       "use a larger subnet, or give the service an address with `ip`");
          continue;
        }
        svc.load_balancer_ip = sema::Ip{next, svc.span};
        used.insert(next);
        --next;
      }
  }
}
}  // namespace

void allocate_load_balancer_ips(sema::Program& program, Diagnostics& diags) {
  for (const auto& cluster : program.clusters) {
    if (cluster.subnet == nullptr) continue;
    const auto& prefix = cluster.subnet->prefix;
    if (prefix.length > 29) continue;  // too small for anything; the model checks say so
    const std::uint32_t first_usable = prefix.first() + 4;  // Azure reserves .0-.3 and the last address
    const std::uint64_t taken_end = first_usable + cluster_addresses(cluster, cluster.subnet);  // exclusive
    std::set<std::uint32_t> used;
    // Clusters may share a subnet: every address already given in it is taken.
    for (const auto& app : program.apps)
      if (app.cluster != nullptr && app.cluster->subnet == cluster.subnet)
        for (const auto& svc : app.services)
          if (svc.load_balancer_ip && lb_subnet_of(svc, *app.cluster) == cluster.subnet)
            used.insert(svc.load_balancer_ip->value);
    // When the nodes alone overflow the subnet, the model's E0207 says so; no second error here.
    if (taken_end > prefix.last()) continue;
    std::uint32_t next = prefix.last() - 1;
    for (auto& app : program.apps) {
      if (app.cluster != &cluster) continue;
      for (auto& svc : app.services) {
        if (svc.exposure != sema::Service::Exposure::internal || svc.load_balancer_ip || svc.lb_subnet != nullptr) continue;
        while (used.count(next) != 0 && next > first_usable) --next;
        if (next < taken_end) {
          auto& d = diags.report(
              Code::E0118, svc.span,
              fmt::format("no address is left in subnet {} for the internal load balancer of \"{}\"",
                          prefix.str(), svc.name),
              fmt::format("the cluster's nodes and pods take {} addresses from the start of the subnet; use a larger "
                          "subnet, fewer nodes or max_pods, or give the service an address with `ip`",
                          cluster_addresses(cluster, cluster.subnet)));
          d.notes.push_back({cluster.span, "the cluster"});
          continue;
        }
        svc.load_balancer_ip = sema::Ip{next, svc.span};
        used.insert(next);
        --next;
      }
    }
  }
  allocate_in_other_subnets(program, diags);
}

}  // namespace egress::lower
