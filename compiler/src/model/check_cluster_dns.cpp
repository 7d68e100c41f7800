// E0286, W0231: a VNet's custom DNS servers (`dns_servers` in its block) that cannot answer. A blocked DNS flow of
// a cluster is E0246 (check_flows.cpp, row `cluster.dns_servers` of stdlib/aks.egress); these are the cases the
// firewall's rules do not decide.
//
// Sources (checked 2026-12-06):
//   "Azure Firewall DNS settings" (learn.microsoft.com/azure/firewall/dns-settings), section "DNS proxy", "Enable
//     DNS proxy": to use the firewall as DNS proxy, "configure your virtual network DNS servers setting to use the
//     firewall private IP address"; DNS proxy is disabled by default; "When enabled, the firewall listens on port
//     53 and forwards DNS requests to the configured DNS servers." So a firewall without it does not answer there.
//   "Outbound network and FQDN rules for AKS clusters" (learn.microsoft.com/azure/aks/outbound-rules-control-egress),
//     "Azure Global required network rules", row CustomDNSIP:53: "If you're using custom DNS servers, you must
//     ensure they're accessible by the cluster nodes."
#include <fmt/format.h>

#include "model/checks.hpp"
#include "model/flows.hpp"

namespace egress::model {

using namespace egress::sema;

void check_dns_servers(const Program& program, Diagnostics& diags) {
  for (const auto& vnet : program.vnets)
    for (const auto& ip : vnet.dns_servers)
      for (const auto& fw : program.firewalls) {
        if (fw.subnet == nullptr || fw.private_ip.value != ip.value || fw.dns_proxy) continue;
        auto& d = diags.report(
            Code::E0286, ip.span.length != 0 ? ip.span : vnet.dns_servers_span,
            fmt::format("VNet `{}` sends every DNS query of its machines to {}, the private IP of firewall `{}`, but the "
                        "firewall's DNS proxy is off, so nothing listens on port 53 there: name resolution fails in the "
                        "whole VNet, and a cluster in it cannot provision",
                        vnet.symbol, ip.str(), fw.symbol),
            fw.policy != nullptr ? fmt::format("turn the DNS proxy on in policy `{}`: `dns_proxy on`", fw.policy->symbol)
                                 : fmt::format("turn the DNS proxy on in firewall `{}`: `dns_proxy on`", fw.symbol));
        d.notes.push_back({fw.dns_proxy_span.length != 0 ? fw.dns_proxy_span : fw.span,
                           fw.dns_proxy_span.length != 0 ? "the DNS proxy is turned off here"
                                                         : fmt::format("firewall `{}` has no DNS proxy (Azure's default)", fw.symbol)});
      }
}

void report_unreachable_dns(const ClusterFlow& cf, Diagnostics& diags) {
  const auto& c = *cf.cluster;
  const auto& vnet = *c.subnet->vnet;
  Span at = vnet.dns_servers_span;
  for (const auto& ip : vnet.dns_servers)
    if (ip.value == cf.flow.address && ip.span.length != 0) at = ip.span;
  auto& d = diags.report(
      Code::W0231, at,
      fmt::format("cluster `{}` cannot reach its VNet's custom DNS server {}: {}. Its nodes send their DNS queries to "
                  "the VNet's servers, so queries to this one time out, and with no server reachable the cluster "
                  "cannot provision",
                  c.symbol, cf.flow.host,
                  cf.route == nullptr ? "no route from subnet `" + c.subnet->symbol + "` covers it"
                  : cf.route->route != nullptr
                      ? fmt::format("route `{}` sends {} to next hop None", cf.route->route->symbol, cf.route->prefix_text())
                      : fmt::format("Azure's system route for {} drops it (next hop None)", cf.route->prefix_text())),
      "put the server in the VNet or a peered VNet, or route its address to a firewall or gateway that reaches it");
  if (cf.route != nullptr && cf.route->route != nullptr) d.notes.push_back({cf.route->route->span, "the route that drops it"});
  d.notes.push_back({cf.required->span, fmt::format("required by `{}` ({})", cf.requirement->name, cf.requirement->title)});
}

}  // namespace egress::model
