// Checks that public designs showed missing (model_gaps.hpp): E0253 E0254 W0213 W0214 W0215. Each names its
// Microsoft Learn source (page, section, checked 2026-12-07); docs/diagnostics/model-gaps.md and docs/azure-facts.md
// repeat them.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <vector>

#include "model/checks.hpp"
#include "model/model_gaps.hpp"
#include "model/network.hpp"
#include "sema/azure_facts.hpp"

namespace egress::model {

namespace {

using sema::Cluster;
using sema::Endpoint;
using sema::Firewall;
using sema::Subnet;

std::string subnet_name(const Subnet& s) { return s.vnet != nullptr ? s.vnet->symbol + "." + s.symbol : s.symbol; }

/// The distinct subnets a cluster's nodes join: the cluster's own, then each pool's, in source order.
std::vector<const Subnet*> node_subnets(const Cluster& c) {
  std::vector<const Subnet*> out;
  auto add = [&](const Subnet* s) {
    if (s != nullptr && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  add(c.subnet);
  for (const auto& p : c.pools) add(c.pool_subnet(p));
  return out;
}

// E0253. "Supported Kubernetes versions in AKS" (learn.microsoft.com/azure/aks/supported-kubernetes-versions),
// sections "AKS Kubernetes release calendar", "LTS Versions" and "Platform support policy" (cluster creation is not
// supported past N-2); facts::kubernetes::kAksOldestCreatable holds the floor and why it is a floor. The format
// (MAJOR.MINOR[.PATCH]) is sema's (E0106).
void retired_versions(const sema::Program& program, Diagnostics& diags) {
  for (const auto& c : program.clusters) {
    const auto& text = c.kubernetes_version;
    if (text.value.empty() || !fully_known(text, program)) continue;
    const auto v = facts::kubernetes::parse_version(text.value);
    if (!v || !facts::kubernetes::below_aks_floor(*v)) continue;
    const auto floor = facts::kubernetes::kAksOldestCreatable;
    diags.report(
        Code::E0253, text.span.length != 0 ? text.span : c.span,
        fmt::format("cluster `{}` asks for Kubernetes {}, but AKS no longer creates clusters of {}.{}: by the AKS "
                    "release calendar every minor version up to {}.{} is past its end of life, long-term support "
                    "included (1.27 LTS ended in July 2025), and AKS creates clusters only of supported versions, so "
                    "the deployment fails (\"Supported Kubernetes versions in AKS\", checked 2026-12-07)",
                    c.symbol, text.value, v->major, v->minor, floor.major, floor.minor - 1),
        fmt::format("write a version AKS offers today (`az aks get-versions --location REGION` lists them; {}.{} or "
                    "later), or leave `kubernetes_version` out to take the region's default",
                    floor.major, floor.minor));
  }
}

// E0254. "Use kubenet networking with your own IP address ranges in AKS" (learn.microsoft.com/azure/aks/
// configure-kubenet), section "Bring your own subnet and route table with kubenet": "Each AKS cluster must use a
// single, unique route table for all subnets associated with the cluster" (and "With kubenet, a route table must
// exist on your cluster subnet(s)"). A pool in a subnet with another route table, or none while the others have
// one, breaks that: the pod routes AKS writes for the nodes of one subnet are missing from the other's table.
void kubenet_pool_tables(const sema::Program& program, Diagnostics& diags) {
  for (const auto& c : program.clusters) {
    if (c.plugin != sema::NetworkPlugin::kubenet || c.subnet == nullptr) continue;
    const auto* table = c.subnet->route_table;
    for (const auto& p : c.pools) {
      const auto* s = c.pool_subnet(p);
      if (s == nullptr || s == c.subnet || s->route_table == table) continue;
      const std::string theirs = s->route_table != nullptr ? fmt::format("route table `{}`", s->route_table->symbol)
                                                           : std::string("no route table");
      const std::string ours = table != nullptr ? fmt::format("route table `{}`", table->symbol)
                                                : std::string("no route table");
      auto& d = diags.report(
          Code::E0254, p.subnet_span.length != 0 ? p.subnet_span : p.span,
          fmt::format("pool `{}` of kubenet cluster `{}` runs in subnet `{}` with {}, while the cluster's subnet `{}` has "
                      "{}: \"Each AKS cluster must use a single, unique route table for all subnets associated with "
                      "the cluster\" (\"Use kubenet networking with your own IP address ranges in AKS\", \"Bring your "
                      "own subnet and route table with kubenet\"), since kubenet reaches pods on other nodes through "
                      "the routes AKS writes into that table; pods on this pool's nodes are unreachable from the rest",
                      p.name, c.symbol, subnet_name(*s), theirs, subnet_name(*c.subnet), ours),
          table != nullptr ? fmt::format("associate route table `{}` with subnet `{}` too (`subnet {} ... < route_table "
                                         "{} >`)",
                                         table->symbol, subnet_name(*s), s->symbol, table->symbol)
                           : fmt::format("give subnets `{}` and `{}` the same route table", subnet_name(*c.subnet),
                                         subnet_name(*s)));
      d.notes.push_back({c.subnet->span, fmt::format("cluster `{}`'s subnet `{}` has {}", c.symbol,
                                                     subnet_name(*c.subnet), ours)});
    }
  }
}

// W0213. Names take the firewall route when routes split the public space (name_routes.cpp); the parts left on the
// system route for 0.0.0.0/0 leave for the Internet unfiltered ("Virtual network traffic routing", "How Azure
// selects a route": longest prefix match; the system route sends 0.0.0.0/0 to the Internet).
void split_routes(const Network& net, Diagnostics& diags) {
  std::set<const Subnet*> seen;
  for (const auto& c : net.program().clusters)
    for (const auto* s : node_subnets(c)) {
      if (s->vnet == nullptr || !seen.insert(s).second) continue;
      const auto& routes = net.routes(*s);
      const auto& parts = routes.bypassing_parts();
      const auto* r = routes.name_route();
      if (parts.empty() || r == nullptr || r->firewall == nullptr || r->route == nullptr) continue;
      std::string list;
      for (std::size_t i = 0; i < parts.size() && i < 3; ++i) list += (i == 0 ? "" : ", ") + parts[i].prefix.str();
      if (parts.size() > 3) list += fmt::format(" and {} more", parts.size() - 3);
      auto& d = diags.report(
          Code::W0213, r->route->span,
          fmt::format("route table `{}` sends {} to firewall `{}` but leaves {} on the system route to the Internet: the "
                      "nodes of cluster `{}` in subnet `{}` reach addresses there without passing the firewall's rules, "
                      "and an FQDN such as a registry may resolve into either part",
                      r->table != nullptr ? r->table->symbol : "?", r->prefix_text(), r->firewall->symbol, list,
                      c.symbol, subnet_name(*s)),
          fmt::format("send the rest to the firewall too (`route NAME {} -> {}`), or use one route for 0.0.0.0/0",
                      parts.front().prefix.str(), r->firewall->symbol));
      d.notes.push_back({c.span, fmt::format("cluster `{}` has nodes in subnet `{}`", c.symbol, subnet_name(*s))});
    }
}

bool is_everywhere(const Endpoint& e) {
  return e.kind == Endpoint::Kind::any || (e.kind == Endpoint::Kind::cidr && e.cidr.length == 0);
}

/// True when the endpoint holds every address of `s` (a prefix around it, the subnet itself, or an IP group that
/// names either).
bool covers(const Endpoint& e, const Subnet& s) {
  switch (e.kind) {
    case Endpoint::Kind::any: return true;
    case Endpoint::Kind::cidr: return e.cidr.contains(s.prefix);
    case Endpoint::Kind::subnet: return e.subnet == &s;
    case Endpoint::Kind::ip_group:
      if (e.ip_group == nullptr) return false;
      return std::any_of(e.ip_group->members.begin(), e.ip_group->members.end(),
                         [&](const Endpoint& m) { return covers(m, s); });
    default: return false;
  }
}

// W0214. "Azure Firewall rule processing logic" (learn.microsoft.com/azure/firewall/rule-processing): "Application
// rules are always processed after Network rules ... regardless of Rule collection group or Rule collection priority
// and policy inheritance", and "the rules are terminating". A network rule that allows a protocol from the clusters
// to any address on every port therefore takes every such connection before an application rule sees it. W0204
// reports the rule that allows every protocol; this one a TCP or UDP rule. Not reported when the destinations are
// restricted (addresses, prefixes other than 0.0.0.0/0, service tags, FQDNs, IP groups): that is what network
// rules are for.
void allow_all_network_rules(const Network& net, Diagnostics& diags) {
  const auto& program = net.program();
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> reported;  // rule spans: a policy's rules reach every firewall that uses it
  for (const auto& fw : program.firewalls) {
    // The node subnets whose names go through this firewall.
    std::vector<std::pair<const Cluster*, const Subnet*>> behind;
    for (const auto& c : program.clusters)
      for (const auto* s : node_subnets(c)) {
        if (s->vnet == nullptr) continue;
        const auto* r = net.routes(*s).name_route();
        if (r != nullptr && r->firewall == &fw) behind.emplace_back(&c, s);
      }
    for (const auto& col : fw.collections) {
      if (col.kind != sema::CollectionKind::network || col.action != sema::Action::allow) continue;
      for (const auto& r : col.network_rules) {
        auto has = [&](sema::Protocol p) { return std::find(r.protocols.begin(), r.protocols.end(), p) != r.protocols.end(); };
        const bool any = has(sema::Protocol::any) || (has(sema::Protocol::tcp) && has(sema::Protocol::udp) && has(sema::Protocol::icmp));
        const bool tcp = any || has(sema::Protocol::tcp);
        const bool udp = any || has(sema::Protocol::udp);
        const bool every_port = r.ports.empty() || std::any_of(r.ports.begin(), r.ports.end(), [](const sema::PortRange& p) {
                                  return p.first <= 1 && p.last == 65535;
                                });
        if (!(tcp || udp) || !every_port) continue;
        if (std::none_of(r.destinations.begin(), r.destinations.end(), is_everywhere)) continue;
        const bool from_anywhere = std::any_of(r.sources.begin(), r.sources.end(), is_everywhere);
        // W0204 already reports `*` to `*` with every protocol.
        const bool w0204 = any && std::any_of(r.sources.begin(), r.sources.end(),
                                               [](const Endpoint& e) { return e.kind == Endpoint::Kind::any; }) &&
                           std::any_of(r.destinations.begin(), r.destinations.end(),
                                       [](const Endpoint& e) { return e.kind == Endpoint::Kind::any; });
        if (w0204) continue;
        const Cluster* cluster = nullptr;
        for (const auto& entry : behind) {
          const Subnet* node_subnet = entry.second;
          if (cluster == nullptr && std::any_of(r.sources.begin(), r.sources.end(),
                                                [&](const Endpoint& e) { return covers(e, *node_subnet); }))
            cluster = entry.first;
        }
        if (!from_anywhere && cluster == nullptr) continue;
        if (!reported.insert({r.span.file, r.span.offset, r.span.length}).second) continue;
        const std::string proto = tcp && udp ? "TCP and UDP" : tcp ? "TCP" : "UDP";
        auto& d = diags.report(
            Code::W0214, r.span,
            fmt::format("rule `{}` allows {} from {} to any address on every port: network rules are processed before "
                        "application rules and stop at the first match, so every {} connection {} is allowed here and "
                        "firewall `{}` no longer limits {} egress{}",
                        r.name, proto, from_anywhere ? "any source" : fmt::format("the nodes of cluster `{}`", cluster->symbol),
                        proto, cluster != nullptr ? fmt::format("of cluster `{}`", cluster->symbol) : std::string("through it"),
                        fw.symbol, proto,
                        tcp ? ": its application rules never filter HTTP or HTTPS" : std::string()),
            "allow only the destinations the workloads need (addresses, prefixes, service tags, or FQDNs with "
            "`dns_proxy on`) and leave HTTP and HTTPS to application rules");
        d.notes.push_back({col.span, fmt::format("allow collection `{}` of firewall `{}`", col.name, fw.symbol)});
      }
    }
  }
}

// W0215. "Limit network traffic with Azure Firewall in AKS" (learn.microsoft.com/azure/aks/limit-egress-traffic),
// section "Allow inbound traffic through Azure Firewall": with a default route to the firewall's private IP, a
// public load balancer ("ingress or Kubernetes service of type loadBalancer") receives requests on its public IP
// while the replies go to the firewall, which "drops the returning packet because the firewall isn't aware of an
// established session". The article's cluster uses outbound userDefinedRouting ("ensures that any outbound traffic
// is forced through the firewall and no other egress paths will exist"); with outbound loadBalancer AKS still
// builds the public load balancer that LoadBalancer services join. A declared public service gets E0219; this warns
// about the configuration that invites it (Azure/AKS-Construction discussion #300 met it with an ingress controller).
void load_balancer_behind_firewall(const Network& net, Diagnostics& diags) {
  const auto& program = net.program();
  for (const auto& c : program.clusters) {
    if (c.outbound != sema::OutboundType::load_balancer) continue;
    bool public_service = false;  // E0219 speaks for it
    for (const auto& app : program.apps)
      if (app.cluster == &c)
        for (const auto& svc : app.services) public_service = public_service || svc.exposure == sema::Service::Exposure::public_;
    if (public_service) continue;
    for (const auto* s : node_subnets(c)) {
      if (s->vnet == nullptr) continue;
      const auto* r = net.routes(*s).name_route();
      if (r == nullptr || r->hop != Hop::virtual_appliance || r->firewall == nullptr) continue;
      auto& d = diags.report(
          Code::W0215, c.outbound_span.length != 0 ? c.outbound_span : c.span,
          fmt::format("cluster `{}` uses outbound load_balancer, but subnet `{}` sends {} to firewall `{}`: AKS still "
                      "builds a public load balancer, and any Kubernetes service of type LoadBalancer (or ingress "
                      "controller) without the internal annotation gets a public IP whose replies leave through the "
                      "firewall, which never saw the session and drops them (asymmetric routing)",
                      c.symbol, subnet_name(*s), r->prefix_text(), r->firewall->symbol),
          "use `outbound user_defined_routing` with a 0.0.0.0/0 route to the firewall, as \"Limit network traffic with "
          "Azure Firewall in AKS\" does, and publish services as `internal` behind a DNAT rule of the firewall");
      if (r->route != nullptr)
        d.notes.push_back({r->route->span, fmt::format("route `{}` sends the replies to firewall `{}`", r->route->symbol,
                                                       r->firewall->symbol)});
      break;  // one report per cluster
    }
  }
}

}  // namespace

void check_model_gaps(const Network& network, Diagnostics& diags) {
  retired_versions(network.program(), diags);
  kubenet_pool_tables(network.program(), diags);
  split_routes(network, diags);
  allow_all_network_rules(network, diags);
  load_balancer_behind_firewall(network, diags);
}

}  // namespace egress::model
