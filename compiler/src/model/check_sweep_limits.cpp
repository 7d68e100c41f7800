// E0251, E0252: two published hard limits the facts audit of 2026-12-07 found unchecked (issue 10, part 4, the
// constraint sweep), each a count a program alone can exceed. The values and their sources live here, beside the
// only check that uses them; docs/azure-facts.md lists them with the other constraints and
// docs/diagnostics/facts.md explains each code.
#include <fmt/format.h>

#include <cstddef>
#include <map>

#include "model/checks.hpp"

namespace egress::model {

using namespace sema;

namespace {

// "Azure subscription and service limits, quotas, and constraints", "Networking limits - Azure Resource
// Manager" (include `azure-virtual-network-limits.md`): "DNS servers per virtual network | 20". A VNet's custom
// DNS servers are its `dhcpOptions.dnsServers` (vnet `dns_servers`). Checked 2026-12-07 (the include as stored,
// ms.date 01/14/2020; no later copy was found).
constexpr std::size_t kMaxDnsServersPerVnet = 20;

// "Quotas, virtual machine size restrictions, and region availability in AKS" (learn.microsoft.com/azure/aks/
// quotas-skus-regions), table "Service quotas and limits" (include `container-service-limits.md`, ms.date
// 01/12/2024): "Maximum load-balanced kubernetes services per cluster with Standard Load Balancer SKU | 300"; the
// row has no "more are allowed upon request" footnote. egress's `public` and `internal` services are Services of
// type LoadBalancer on the cluster's Standard load balancers. Checked 2026-12-07.
constexpr std::size_t kMaxLoadBalancedServicesPerCluster = 300;

// E0251.
void vnet_dns_servers(const Program& program, Diagnostics& diags) {
  for (const auto& v : program.vnets) {
    if (v.dns_servers.size() <= kMaxDnsServersPerVnet) continue;
    auto& d = diags.report(
        Code::E0251, v.dns_servers_span.length != 0 ? v.dns_servers_span : v.span,
        fmt::format("VNet `{}` names {} DNS servers: Azure allows at most 20 DNS servers per virtual network "
                    "(\"Azure subscription and service limits\", \"Networking limits\"), so the VNet is not created",
                    v.symbol, v.dns_servers.size()),
        "name at most 20 servers; more resolvers can sit behind one forwarder (or the firewall's DNS proxy)");
    d.notes.push_back({v.span, fmt::format("VNet `{}` is declared here", v.symbol)});
  }
}

// E0252. Reported once per cluster, at the first service past the limit.
void cluster_load_balanced_services(const Program& program, Diagnostics& diags) {
  std::map<const Cluster*, std::size_t> counts;
  for (const auto& app : program.apps) {
    if (app.cluster == nullptr) continue;
    for (const auto& s : app.services) {
      if (s.exposure == Service::Exposure::cluster) continue;
      if (++counts[app.cluster] != kMaxLoadBalancedServicesPerCluster + 1) continue;
      const Cluster& c = *app.cluster;
      auto& d = diags.report(
          Code::E0252, s.span,
          fmt::format("cluster `{}` has more than 300 load-balanced services (`public` and `internal`): AKS allows "
                      "at most 300 per cluster with the Standard load balancer (\"Quotas, virtual machine size "
                      "restrictions, and region availability in AKS\", \"Service quotas and limits\"), so service "
                      "`{}` and the ones after it get no load balancer address",
                      c.symbol, s.name),
          "expose several apps through one ingress controller behind a single load-balanced service, or spread "
          "the apps over more clusters");
      d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
    }
  }
}

}  // namespace

void check_sweep_limits(const Program& program, Diagnostics& diags) {
  vnet_dns_servers(program, diags);
  cluster_load_balanced_services(program, diags);
}

}  // namespace egress::model
