// E0242-E0245, E0249, E0250, E0282, E0283, W0205, W0211: what AKS checks about a cluster's API-server access, identity,
// service CIDR and DNS service IP, and clusters left outside the firewall.
//
// Sources (verified against the current docs):
//   API server authorized IP ranges, https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges
//     "The upper limit for the number of IP ranges you can specify is 200"; the feature "isn't supported on
//     private clusters"; add "the cluster egress IP address (firewall, NAT gateway, ...)" to the list.
//   The article (aks-egress-firewall): "If you use secure access to the AKS API server with authorized IP address
//     ranges, you need to add the firewall public IP into the authorized IP range"; "For user-defined routing,
//     system-assigned identity only supports the CNI network plugin."
//   AKS networking, https://learn.microsoft.com/azure/aks/configure-azure-cni: "Service address CIDR must be
//     smaller than /12"; the DNS service IP is "within the Kubernetes service address range"; don't use its
//     first address (kubernetes.default takes it). Defaults: 10.0.0.0/16 and 10.0.0.10. Checked 2026-12-06 in
//     "Configure Azure CNI Overlay networking in AKS", "IP address planning" ("It must be smaller than /12";
//     "Don't use the first IP address in your address range") and "Use kubenet networking with your own IP
//     address ranges in AKS", `--dns-service-ip` ("The default value is 10.0.0.10").
#include <fmt/format.h>

#include <algorithm>

#include "model/checks.hpp"
#include "model/network.hpp"

namespace egress::model {

using namespace egress::sema;

namespace {

constexpr std::size_t kMaxAuthorizedRanges = 200;
const Cidr kDefaultServiceCidr{0x0A000000u, 16, {}};  // 10.0.0.0/16
constexpr std::uint32_t kDefaultDnsServiceIp = 0x0A00000Au;  // 10.0.0.10

std::string_view outbound_text(OutboundType t) {
  switch (t) {
    case OutboundType::load_balancer: return "load_balancer";
    case OutboundType::user_defined_routing: return "user_defined_routing";
    case OutboundType::managed_nat_gateway: return "managed_nat_gateway";
    case OutboundType::user_assigned_nat_gateway: return "user_assigned_nat_gateway";
  }
  return "";
}

void authorized_ranges(const Program& program, const Cluster& c, Diagnostics& diags) {
  if (c.authorized.empty()) return;
  // E0244
  if (c.private_cluster) {
    auto& d = diags.report(Code::E0244, c.authorized_span,
                           fmt::format("cluster `{}` is private and also lists API-server authorized ranges: AKS does "
                                       "not support authorized ranges on private clusters and rejects the cluster",
                                       c.symbol),
                           "remove `api_server_authorized` (a private API server is reachable only from the VNet), or "
                           "remove `private`");
    d.notes.push_back({c.span, fmt::format("cluster `{}` is private", c.symbol)});
    return;
  }
  // E0243
  if (c.authorized.size() > kMaxAuthorizedRanges) {
    auto& d = diags.report(Code::E0243, c.authorized_span,
                           fmt::format("cluster `{}` lists {} authorized ranges: AKS accepts at most 200 and rejects "
                                       "the cluster",
                                       c.symbol, c.authorized.size()),
                           "merge neighbouring addresses into wider prefixes");
    d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
  }
  // W0205
  for (const auto& a : c.authorized)
    if (a.cidr && a.cidr->length == 0) {
      auto& d = diags.report(Code::W0205, a.span,
                             fmt::format("cluster `{}` authorizes 0.0.0.0/0: the API server is open to the whole "
                                         "Internet, as if no ranges were set",
                                         c.symbol),
                             "authorize only the firewall's public IPs and your administrators' ranges");
      d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
    }
  // E0242: with egress through a firewall, the nodes reach the API server from the firewall's public IPs — or,
  // when a NAT gateway sits on the firewall's subnet, from the NAT gateway's: "When a NAT gateway resource is
  // associated with an Azure Firewall subnet, all outbound Internet traffic automatically uses the public IP
  // address of the NAT gateway" (Azure Firewall, "Scale SNAT ports with Azure NAT Gateway", checked 2026-12-07).
  const Firewall* fw = egress_firewall(program, c);
  if (fw == nullptr) return;
  auto authorized = [&](const PublicIp* pip) {
    return std::any_of(c.authorized.begin(), c.authorized.end(), [&](const AuthorizedRange& a) {
      return a.public_ip == pip || (a.cidr && a.cidr->length == 0);
    });
  };
  struct Source {
    const PublicIp* ip;
    Span span;
  };
  std::vector<Source> missing;
  const NatGateway* nat = firewall_nat_gateway(*fw);
  if (nat != nullptr) {
    for (std::size_t i = 0; i < nat->public_ips.size(); ++i)
      if (nat->public_ips[i] != nullptr && !authorized(nat->public_ips[i]))
        missing.push_back({nat->public_ips[i], i < nat->public_ip_spans.size() ? nat->public_ip_spans[i] : nat->span});
  } else {
    for (const auto& f : fw->frontends)
      if (f.public_ip != nullptr && !authorized(f.public_ip)) missing.push_back({f.public_ip, f.span});
  }
  if (missing.empty()) return;
  std::string names, append;
  for (const auto& m : missing) {
    names += fmt::format("{}`{}`", names.empty() ? "" : ", ", m.ip->symbol);
    append += ", " + m.ip->symbol;
  }
  const bool one = missing.size() == 1;
  const std::string what =
      nat != nullptr
          ? fmt::format("the public IP{} {} of NAT gateway `{}` on the firewall's subnet", one ? "" : "s", names, nat->symbol)
          : fmt::format("the firewall's public IP{} {}", one ? "" : "s", names);
  auto& d = diags.report(
      Code::E0242, c.authorized_span,
      fmt::format("cluster `{}` sends its egress through firewall `{}`, but its API-server authorized ranges miss "
                  "{}: the API server refuses the nodes' connections that leave through {}, so nodes fail to join or "
                  "drop out at random",
                  c.symbol, fw->symbol, what, one ? "it" : "them"),
      nat != nullptr
          ? fmt::format("add {} to `api_server_authorized` (with a NAT gateway on the firewall's subnet, the "
                        "firewall's Internet traffic leaves from the NAT gateway's IPs, one picked at random)",
                        names)
          : fmt::format("add {} to `api_server_authorized` (the firewall picks any of its frontends for each "
                        "connection)",
                        names));
  for (const auto& m : missing)
    d.notes.push_back({m.span, nat != nullptr ? fmt::format("a public IP of NAT gateway `{}`", nat->symbol)
                                              : fmt::format("a frontend of firewall `{}`", fw->symbol)});
  if (c.authorized_span.length != 0)
    d.fixits.push_back({Span{c.authorized_span.file, c.authorized_span.end(), 0}, append});
}

void identity_and_cidrs(const Cluster& c, Diagnostics& diags) {
  // E0245
  if (c.plugin == NetworkPlugin::kubenet && c.system_identity && c.subnet != nullptr && c.subnet->route_table != nullptr) {
    auto& d = diags.report(
        Code::E0245, c.identity_span.length != 0 ? c.identity_span : c.span,
        fmt::format("cluster `{}` uses kubenet with a system-assigned identity{} on a subnet with a route table: "
                    "\"For user-defined routing, system-assigned identity only supports the CNI network plugin\" "
                    "(AKS cannot be granted rights on the route table before the cluster exists)",
                    c.symbol, c.identity_span.length != 0 ? "" : " (the default)"),
        "use `identity user IDENTITY kubelet IDENTITY` with a user-assigned identity that has Network Contributor on "
        "the route table, or `network_plugin azure`");
    d.notes.push_back({c.subnet->route_table_span.length != 0 ? c.subnet->route_table_span : c.subnet->span,
                       "the subnet's route table"});
  }
  // E0249
  const Cidr service = c.service_cidr.value_or(kDefaultServiceCidr);
  if (c.service_cidr && c.service_cidr->length <= 12) {
    diags.report(Code::E0249, c.service_cidr->span,
                 fmt::format("cluster `{}`'s service CIDR {} is a /{}: AKS requires a range smaller than /12 and "
                             "rejects the cluster",
                             c.symbol, c.service_cidr->str(), c.service_cidr->length),
                 fmt::format("use a /13 or smaller, e.g. {}/16", format_ip(c.service_cidr->first())));
  }
  // E0250
  const std::uint32_t dns = c.dns_service_ip ? c.dns_service_ip->value : kDefaultDnsServiceIp;
  const bool inside = service.contains(dns);
  if (!inside || dns == service.first()) {
    const Span at = c.dns_service_ip && c.dns_service_ip->span.length != 0 ? c.dns_service_ip->span
                    : c.service_cidr                                        ? c.service_cidr->span
                                                                            : c.span;
    auto& d = diags.report(
        Code::E0250, at,
        !inside ? fmt::format("cluster `{}`'s {}DNS service IP {} is outside its {}service CIDR {}: AKS rejects the "
                              "cluster",
                              c.symbol, c.dns_service_ip ? "" : "default ", format_ip(dns),
                              c.service_cidr ? "" : "default ", service.str())
                : fmt::format("cluster `{}`'s DNS service IP {} is the first address of its service CIDR {}, which "
                              "the `kubernetes` service takes: AKS rejects the cluster",
                              c.symbol, format_ip(dns), service.str()),
        fmt::format("set `dns_service_ip {}` (an address inside the service CIDR, not its first)",
                    format_ip(service.first() + 10)));
    if (c.service_cidr) d.notes.push_back({c.service_cidr->span, "the service CIDR"});
  }
}

// E0282, E0283: the NAT-gateway outbound types: AKS's managed one never fits a declared VNet, a user-assigned one
// needs a NAT gateway on the cluster's subnet.
//   "Create a managed or user-assigned NAT gateway for your AKS cluster" (learn.microsoft.com/azure/aks/nat-gateway),
//   Before you begin: "Managed NAT gateway is incompatible with custom virtual networks." "Customize cluster egress
//   with outbound types" (learn.microsoft.com/azure/aks/egress-outboundtype): managedNATGateway with a managed VNet,
//   userAssignedNATGateway with your own VNet, which "requires a NAT gateway provisioned before cluster creation".
void nat_gateway_outbound(const Cluster& c, Diagnostics& diags) {
  const Span at = c.outbound_span.length != 0 ? c.outbound_span : c.span;
  if (c.outbound == OutboundType::managed_nat_gateway) {
    auto& d = diags.report(
        Code::E0282, at,
        fmt::format("cluster `{}` asks for an AKS-managed NAT gateway, but it runs in VNet `{}`, which the program "
                    "declares: AKS creates a managed NAT gateway only in a VNet AKS itself manages (\"Managed NAT "
                    "gateway is incompatible with custom virtual networks\", learn.microsoft.com/azure/aks/nat-gateway), "
                    "so the deployment fails",
                    c.symbol, c.subnet != nullptr && c.subnet->vnet != nullptr ? c.subnet->vnet->symbol : "?"),
        "use `outbound user_defined_routing` with a route table that sends 0.0.0.0/0 to a firewall, or "
        "`outbound load_balancer`");
    d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
  } else if (c.outbound == OutboundType::user_assigned_nat_gateway &&
             (c.subnet == nullptr || c.subnet->nat_gateway == nullptr)) {
    auto& d = diags.report(
        Code::E0283, at,
        fmt::format("cluster `{}` egresses through a user-assigned NAT gateway, which must be attached to its subnet "
                    "before the cluster is created (learn.microsoft.com/azure/aks/egress-outboundtype), but subnet "
                    "`{}` has no NAT gateway: the deployment would fail",
                    c.symbol, c.subnet != nullptr ? c.subnet->symbol : "?"),
        "attach one in the subnet's block (`nat_gateway NAME`, with `nat_gateway NAME < public_ip PIP >` declared), "
        "or use `outbound user_defined_routing` with a route table that sends 0.0.0.0/0 to a firewall");
    d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
  }
}

}  // namespace

const Firewall* default_route_firewall(const Program& program, const Subnet* subnet) {
  if (subnet == nullptr || subnet->route_table == nullptr) return nullptr;
  for (const auto& route : subnet->route_table->routes) {
    if (!route.prefix || route.prefix->length != 0 || route.next_hop != NextHop::virtual_appliance) continue;
    if (route.firewall != nullptr) return route.firewall;
    if (route.next_hop_ip)
      for (const auto& fw : program.firewalls)
        if (fw.subnet != nullptr && fw.private_ip.value == route.next_hop_ip->value) return &fw;
  }
  return nullptr;
}

const Firewall* egress_firewall(const Program& program, const Cluster& cluster) {
  if (cluster.outbound != OutboundType::user_defined_routing) return nullptr;
  return default_route_firewall(program, cluster.subnet);
}

void check_clusters(const Program& program, Diagnostics& diags) {
  const Cluster* locked = nullptr;
  for (const auto& c : program.clusters) {
    authorized_ranges(program, c, diags);
    identity_and_cidrs(c, diags);
    nat_gateway_outbound(c, diags);
    if (locked == nullptr && egress_firewall(program, c) != nullptr) locked = &c;
  }
  // W0211: one cluster's egress passes the firewall, another's goes straight out.
  if (locked == nullptr) return;
  for (const auto& c : program.clusters) {
    if (c.outbound == OutboundType::user_defined_routing) continue;
    auto& d = diags.report(
        Code::W0211, c.outbound_span.length != 0 ? c.outbound_span : c.span,
        fmt::format("cluster `{}`'s egress leaves through {}{}, unfiltered, while cluster `{}`'s passes firewall `{}`: "
                    "anything on `{}` reaches the Internet without the firewall's rules",
                    c.symbol, c.outbound == OutboundType::load_balancer ? "its load balancer" : "a NAT gateway",
                    c.outbound_span.length != 0 ? "" : fmt::format(" (`outbound {}` is the default)", outbound_text(c.outbound)),
                    locked->symbol, egress_firewall(program, *locked)->symbol, c.symbol),
        "use `outbound user_defined_routing` with a route table sending 0.0.0.0/0 to the firewall");
    d.notes.push_back({locked->outbound_span.length != 0 ? locked->outbound_span : locked->span,
                       fmt::format("cluster `{}` is locked down", locked->symbol)});
  }
}

}  // namespace egress::model
