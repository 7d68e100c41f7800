// IDPS private ranges against the clusters a Premium policy's firewall serves (W0241).
// IDPS reads the direction of a connection (inbound, outbound, internal) from these ranges: "IDPS Private IP
// address ranges are used to identify traffic direction (i.e. inbound, outbound, etc.). By default, only ranges
// defined by IANA RFC 1918 are considered private IP addresses" (FirewallPolicyIntrusionDetectionConfiguration,
// privateRanges, in the Microsoft.Network 2025-07-01 ARM schema and the SDK reference on Learn,
// learn.microsoft.com/dotnet/api/azure.resourcemanager.network.models.firewallpolicyintrusiondetectionconfiguration
// .privateranges; "Azure Firewall Premium features", section "IDPS", learn.microsoft.com/azure/firewall/
// premium-features; checked 2026-12-06). A node subnet outside them is read as a public network, so the
// signatures meant for traffic leaving the private network are not the ones applied to the nodes' egress.
#include <fmt/format.h>

#include "model/checks.hpp"

namespace egress::model {

using namespace sema;

void check_idps(const Program& program, Diagnostics& diags) {
  static const std::vector<Cidr> rfc1918 = {*parse_cidr("10.0.0.0/8"), *parse_cidr("172.16.0.0/12"),
                                            *parse_cidr("192.168.0.0/16")};
  for (const auto& cluster : program.clusters) {
    const Firewall* fw = egress_firewall(program, cluster);
    if (fw == nullptr || fw->policy == nullptr || cluster.subnet == nullptr) continue;
    const FirewallPolicy& p = *fw->policy;  // the firewall's own policy: its IDPS settings are the ones written
    if (!p.idps || *p.idps == IdpsMode::off || p.tier != FirewallSku::premium) continue;
    std::vector<Cidr> ranges;
    for (const auto& e : p.idps_private_ranges)
      ranges.push_back(e.kind == Endpoint::Kind::subnet && e.subnet != nullptr ? e.subnet->prefix : e.cidr);
    const bool defaults = ranges.empty();
    if (defaults) ranges = rfc1918;
    const Cidr& nodes = cluster.subnet->prefix;
    bool covered = false;
    for (const auto& r : ranges) covered = covered || r.contains(nodes);
    if (covered) continue;
    auto& d = diags.report(
        Code::W0241, cluster.subnet_span.length != 0 ? cluster.subnet_span : cluster.span,
        fmt::format("cluster `{}` runs in {}, outside the IDPS private ranges of policy `{}` ({}): IDPS reads the "
                    "nodes as a public network, so it judges their egress by the signatures for traffic from outside",
                    cluster.symbol, nodes.str(), p.symbol,
                    defaults ? "Azure's default, the RFC 1918 ranges" : "its `idps_private_ranges`"),
        defaults ? fmt::format("add `idps_private_ranges 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, {}` to the policy",
                               nodes.str())
                 : fmt::format("add {} (or a prefix holding it) to `idps_private_ranges`", nodes.str()));
    d.notes.push_back({p.idps_private_ranges_span.length != 0 ? p.idps_private_ranges_span : p.idps_span,
                       defaults ? "IDPS is on, with the default private ranges" : "the policy's private ranges"});
  }
}

}  // namespace egress::model
