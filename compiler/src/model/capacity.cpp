// Capacity advice for the firewall's SNAT: W0206 (ports for the clusters behind it) and W0207 (the article's
// "minimum of 20 frontend IPs" for production).
//
// The figures, checked 2026-12-07:
//   - "Scale SNAT ports with Azure NAT Gateway" (learn.microsoft.com/azure/firewall/integrate-with-nat-gateway),
//     introduction (facts::firewall): each public IP of the firewall gives 2,496 SNAT ports per backend instance,
//     and the firewall runs at least 2 instances (it scales out under load; 2 is what is certain);
//   - the same page (facts::nat_gateway): a NAT gateway gives 64,512 SNAT ports per public IP, up to 16 IPs, and
//     when it is associated with AzureFirewallSubnet all the firewall's outbound Internet traffic uses the NAT
//     gateway's public IPs instead of the firewall's frontends. Its ports are allocated at the subnet level, so
//     they do not multiply by firewall instances;
//   - SNAT ports are used per destination IP and port, so the worst case is many connections to one
//     destination (a registry, an API): the case the article warns about.
// Demand is estimated at 1,024 concurrent connections per node to one destination: the SNAT ports Azure Load
// Balancer gives each VM of a pool of up to 50 by default, i.e. what the same nodes would get without the
// firewall. The warning fires when nodes x 1,024 exceeds the capacity: frontends x 2,496 x 2, or, with a NAT
// gateway on the firewall's subnet, its public IPs x 64,512.
#include <fmt/format.h>

#include "base/numbers.hpp"
#include "model/network.hpp"
#include "sema/azure_facts.hpp"

namespace egress::model {

namespace {

constexpr std::uint64_t kSnatPortsPerIpPerInstance = facts::firewall::kSnatPortsPerIpPerInstance;
constexpr std::uint64_t kFirewallInstances = facts::firewall::kMinInstances;
constexpr std::uint64_t kNatSnatPortsPerIp = facts::nat_gateway::kSnatPortsPerIp;
constexpr std::uint64_t kConnectionsPerNode = 1024;
constexpr std::size_t kProductionFrontends = 20;

std::string plural(std::uint64_t n) { return n == 1 ? "" : "s"; }

/// A new frontend (or, with a NAT gateway on the firewall's subnet, a new NAT gateway IP) must also go into the
/// authorized ranges of every cluster behind the firewall that lists some: otherwise following W0206's advice
/// yields E0242 (check_cluster.cpp).
std::string authorized_note(const std::vector<const sema::Cluster*>& behind) {
  std::string names;
  for (const auto* c : behind)
    if (!c->authorized.empty()) names += fmt::format("{}`{}`", names.empty() ? "" : ", ", c->symbol);
  if (names.empty()) return "";
  return fmt::format(", and add each new IP to `api_server_authorized` of cluster{} {} (E0242)",
                     names.find(',') == std::string::npos ? "" : "s", names);
}

}  // namespace

const sema::NatGateway* firewall_nat_gateway(const sema::Firewall& fw) {
  if (fw.subnet == nullptr || fw.subnet->nat_gateway == nullptr) return nullptr;
  for (const auto* pip : fw.subnet->nat_gateway->public_ips)
    if (pip != nullptr) return fw.subnet->nat_gateway;
  return nullptr;  // without a public IP it provides no SNAT (W0250), so it changes no figure here
}

std::size_t nat_gateway_ip_count(const sema::NatGateway& ng) {
  std::size_t n = 0;
  for (const auto* pip : ng.public_ips) n += pip != nullptr ? 1 : 0;
  return n;
}

void check_capacity(const Network& net, Diagnostics& diags) {
  const auto& program = net.program();
  for (const auto& fw : program.firewalls) {
    const std::size_t frontends = fw.frontends.size();
    const Span at = frontends != 0 ? fw.frontends.back().span : fw.span;
    const sema::NatGateway* nat = firewall_nat_gateway(fw);

    // W0206: the clusters whose egress passes this firewall.
    std::vector<const sema::Cluster*> behind;
    std::uint64_t nodes = 0;
    for (const auto& c : program.clusters) {
      const auto e = net.egress(c);
      if (e.through_firewall() && e.firewall == &fw) {
        behind.push_back(&c);
        nodes += static_cast<std::uint64_t>(c.total_nodes());
      }
    }
    const std::uint64_t nat_ips = nat != nullptr ? nat_gateway_ip_count(*nat) : 0;
    const std::uint64_t capacity = nat != nullptr ? nat_ips * kNatSnatPortsPerIp
                                                  : frontends * kSnatPortsPerIpPerInstance * kFirewallInstances;
    const std::uint64_t demand = nodes * kConnectionsPerNode;
    const std::string who = behind.empty()         ? std::string()
                            : behind.size() == 1 ? fmt::format("cluster `{}`", behind.front()->symbol)
                                                 : fmt::format("{} clusters", behind.size());
    const std::string need = fmt::format("while the {} node{} of {} may need {} x 1,024 = {} (1,024 concurrent connections "
                                         "per node to one destination, what Azure Load Balancer would give each node); "
                                         "beyond that, new outbound connections fail intermittently",
                                         nodes, plural(nodes), who, nodes, thousands(demand));
    if ((frontends != 0 || nat != nullptr) && !behind.empty() && demand > capacity) {
      Diagnostic* d = nullptr;
      if (nat != nullptr) {
        const std::uint64_t needed = (demand + kNatSnatPortsPerIp - 1) / kNatSnatPortsPerIp;
        d = &diags.report(
            Code::W0206, nat->public_ip_spans.empty() ? nat->span : nat->public_ip_spans.back(),
            fmt::format("firewall `{}` may run out of SNAT ports: its outbound traffic leaves through NAT gateway `{}` "
                        "on its subnet, whose {} public IP{} x 64,512 ports = {} ports per destination, {}",
                        fw.symbol, nat->symbol, nat_ips, plural(nat_ips), thousands(capacity), need),
            needed <= facts::nat_gateway::kMaxPublicIps
                ? fmt::format("give NAT gateway `{}` at least {} public IPs (Standard, static): `public_ip A, B, ...` "
                              "in its block{}",
                              nat->symbol, needed, authorized_note(behind))
                : fmt::format("a NAT gateway takes at most {} public IPs ({} ports): spread the clusters over "
                              "several firewalls",
                              facts::nat_gateway::kMaxPublicIps,
                              thousands(facts::nat_gateway::kMaxPublicIps * kNatSnatPortsPerIp)));
      } else {
        const std::uint64_t per_ip = kSnatPortsPerIpPerInstance * kFirewallInstances;
        const std::uint64_t needed = (demand + per_ip - 1) / per_ip;
        d = &diags.report(
            Code::W0206, at,
            fmt::format("firewall `{}` may run out of SNAT ports: {} frontend IP{} x 2,496 ports x {} instances = {} "
                        "ports per destination, {}",
                        fw.symbol, frontends, plural(frontends), kFirewallInstances, thousands(capacity), need),
            fmt::format("give firewall `{}` at least {} frontend IPs: declare `public_ip NAME < sku standard >` and add "
                        "`frontend NAME` for each{}",
                        fw.symbol, needed, authorized_note(behind)));
      }
      for (std::size_t i = 0; i < behind.size() && i < 3; ++i)
        d->notes.push_back({behind[i]->span, fmt::format("cluster `{}` has {} node{} and egresses through `{}`",
                                                         behind[i]->symbol, behind[i]->total_nodes(),
                                                         behind[i]->total_nodes() == 1 ? "" : "s", fw.symbol)});
      if (nat != nullptr && fw.subnet != nullptr)
        d->notes.push_back({fw.subnet->nat_gateway_span,
                            fmt::format("NAT gateway `{}` is attached to the firewall's subnet here", nat->symbol)});
    }

    // W0207: the article's advice for production. A NAT gateway on the firewall's subnet is Azure's documented
    // answer to the same exhaustion: the firewall's outbound traffic then uses its ports, not the frontends'.
    if (program.profile == "production" && frontends < kProductionFrontends && nat == nullptr) {
      auto& d = diags.report(
          Code::W0207, at,
          fmt::format("firewall `{}` has {} frontend IP{}; for production the article recommends at least {} to avoid SNAT "
                      "port exhaustion (each adds 2,496 ports per firewall instance, and Azure picks among them at random)",
                      fw.symbol, frontends, frontends == 1 ? "" : "s", kProductionFrontends),
          fmt::format("add {} more Standard static public IPs as `frontend`s of `{}` (and to any allow-list that names "
                      "the firewall's addresses)",
                      kProductionFrontends - frontends, fw.symbol));
      d.notes.push_back({program.profile_span, "the program declares the production profile"});
    }
  }
}

}  // namespace egress::model
