// Capacity advice for the firewall's SNAT: W0206 (ports for the clusters behind it) and W0207 (the article's
// "minimum of 20 frontend IPs" for production).
//
// The figures, from "Integrate NAT gateway with Azure Firewall ..." (facts::firewall, checked 2026-12-06) and
// the article:
//   - each public IP of the firewall gives 2,496 SNAT ports per backend instance;
//   - the firewall runs at least 2 instances (it scales out under load; 2 is what is certain);
//   - SNAT ports are used per destination IP and port, so the worst case is many connections to one
//     destination (a registry, an API): the case the article warns about.
// Demand is estimated at 1,024 concurrent connections per node to one destination: the SNAT ports Azure Load
// Balancer gives each VM of a pool of up to 50 by default, i.e. what the same nodes would get without the
// firewall. The warning fires when nodes x 1,024 > frontends x 2,496 x 2.
#include <fmt/format.h>

#include "base/numbers.hpp"
#include "model/network.hpp"
#include "sema/azure_facts.hpp"

namespace egress::model {

namespace {

constexpr std::uint64_t kSnatPortsPerIpPerInstance = facts::firewall::kSnatPortsPerIpPerInstance;
constexpr std::uint64_t kFirewallInstances = facts::firewall::kMinInstances;
constexpr std::uint64_t kConnectionsPerNode = 1024;
constexpr std::size_t kProductionFrontends = 20;

}  // namespace

void check_capacity(const Network& net, Diagnostics& diags) {
  const auto& program = net.program();
  for (const auto& fw : program.firewalls) {
    const std::size_t frontends = fw.frontends.size();
    const Span at = frontends != 0 ? fw.frontends.back().span : fw.span;

    // W0206: the clusters whose egress passes this firewall.
    std::vector<const sema::Cluster*> behind;
    std::uint64_t nodes = 0;
    for (const auto& c : program.clusters) {
      const auto e = net.egress(c);
      if (e.through_firewall() && e.firewall == &fw) {
        behind.push_back(&c);
        nodes += static_cast<std::uint64_t>(c.node_count);
      }
    }
    const std::uint64_t capacity = frontends * kSnatPortsPerIpPerInstance * kFirewallInstances;
    const std::uint64_t demand = nodes * kConnectionsPerNode;
    if (frontends != 0 && !behind.empty() && demand > capacity) {
      const std::uint64_t per_ip = kSnatPortsPerIpPerInstance * kFirewallInstances;
      const std::uint64_t needed = (demand + per_ip - 1) / per_ip;
      std::string who = behind.size() == 1 ? fmt::format("cluster `{}`", behind.front()->symbol)
                                           : fmt::format("{} clusters", behind.size());
      auto& d = diags.report(
          Code::W0206, at,
          fmt::format("firewall `{}` may run out of SNAT ports: {} frontend IP{} x 2,496 ports x {} instances = {} ports "
                      "per destination, while the {} node{} of {} may need {} x 1,024 = {} (1,024 concurrent connections per "
                      "node to one destination, what Azure Load Balancer would give each node); beyond that, new "
                      "outbound connections fail intermittently",
                      fw.symbol, frontends, frontends == 1 ? "" : "s", kFirewallInstances, thousands(capacity), nodes,
                      nodes == 1 ? "" : "s", who, nodes, thousands(demand)),
          fmt::format("give firewall `{}` at least {} frontend IPs: declare `public_ip NAME < sku standard >` and add "
                      "`frontend NAME` for each",
                      fw.symbol, needed));
      for (std::size_t i = 0; i < behind.size() && i < 3; ++i)
        d.notes.push_back({behind[i]->span, fmt::format("cluster `{}` has {} node{} and egresses through `{}`", behind[i]->symbol,
                                                        behind[i]->node_count, behind[i]->node_count == 1 ? "" : "s", fw.symbol)});
    }

    // W0207: the article's advice for production.
    if (program.profile == "production" && frontends < kProductionFrontends) {
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
