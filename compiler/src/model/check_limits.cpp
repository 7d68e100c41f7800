// Documented limits that a valid-looking program can still exceed:
//   W0212  Azure Firewall's rule limit: 20,000 "unique source-destination combinations in network rules", counted
//          by the formula the limits page publishes (facts::firewall). Past it Azure may refuse the rules or slow
//          down, so the program still compiles, with a warning (an error under --strict).
//   E0262  kubenet clusters: at most 400 nodes (facts::aks::kMaxKubenetNodes).
// Sources and dates: sema/azure_facts.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/numbers.hpp"
#include "model/checks.hpp"
#include "sema/azure_facts.hpp"

namespace egress::model {

using namespace sema;

namespace {

using facts::firewall::kMaxNetworkRuleCombinations;
using facts::firewall::kPortsPerCombination;

/// The distinct entries of a list of endpoints, as Azure receives them (a subnet or public IP is one address).
/// An IP group counts as its distinct addresses (the formula counts source and destination IP addresses),
/// counted once per group in `groups`, so a group named by many rules is not walked again for each.
std::size_t distinct(const std::vector<Endpoint>& endpoints,
                     std::unordered_map<const IpGroup*, std::size_t>& groups) {
  // Most rules name one address on a side: one entry, nothing to tell apart (and no set to build per rule).
  if (endpoints.size() == 1 && endpoints[0].kind != Endpoint::Kind::ip_group) return 1;
  std::unordered_set<std::string> seen;
  std::size_t in_groups = 0;
  const auto insert = [](std::unordered_set<std::string>& into, const Endpoint& e) {
    switch (e.kind) {
      case Endpoint::Kind::cidr: into.insert(fmt::format("c{}/{}", e.cidr.first(), e.cidr.length)); break;
      case Endpoint::Kind::subnet: into.insert(fmt::format("s{}", static_cast<const void*>(e.subnet))); break;
      case Endpoint::Kind::public_ip: into.insert(fmt::format("p{}", static_cast<const void*>(e.public_ip))); break;
      case Endpoint::Kind::service_tag: into.insert("t" + e.pattern().value); break;
      default: into.insert(std::string(1, static_cast<char>('0' + static_cast<int>(e.kind))) + e.text); break;
    }
  };
  for (const auto& e : endpoints) {
    if (e.kind != Endpoint::Kind::ip_group) {
      insert(seen, e);
      continue;
    }
    if (e.ip_group == nullptr) continue;
    auto [it, fresh] = groups.try_emplace(e.ip_group, 0);
    if (fresh) {
      std::unordered_set<std::string> members;
      for (const auto& m : e.ip_group->members) insert(members, m);
      it->second = members.size();
    }
    in_groups += it->second;
  }
  return seen.size() + in_groups;
}

/// The rule's "unique source-destination combinations", as the Azure Firewall limits page defines them:
/// protocols x sources x destinations x ceil(destination ports / 14). A rule with no ports (ICMP) sends `*`,
/// one entry. Saturates instead of overflowing.
std::uint64_t combinations(const NetworkRule& rule, std::unordered_map<const IpGroup*, std::size_t>& groups) {
  const std::uint64_t protocols = std::max<std::size_t>(rule.protocols.size(), 1);
  const std::uint64_t ports = std::max<std::size_t>(rule.ports.size(), 1);
  const std::uint64_t factors[] = {protocols, distinct(rule.sources, groups), distinct(rule.destinations, groups),
                                   (ports + kPortsPerCombination - 1) / kPortsPerCombination};
  std::uint64_t product = 1;
  for (auto f : factors) {
    if (f != 0 && product > UINT64_MAX / f) return UINT64_MAX;
    product *= f;
  }
  return product;
}

void report(const Firewall& fw, const NetworkRule& rule, std::string what, Diagnostics& diags) {
  auto& d = diags.report(
      Code::W0212, rule.span,
      fmt::format("{}: Azure Firewall takes at most 20,000 unique source-destination combinations in the network rules "
                  "of firewall `{}`, counted per rule as protocols × sources × destinations × ⌈destination ports ÷ 14⌉ "
                  "(\"Azure Firewall limits\")",
                  what, fw.symbol),
      "use wider prefixes or service tags instead of lists of addresses, fewer protocols or ports per rule, move FQDN "
      "destinations to application rules, or spread the rules over another firewall");
  d.notes.push_back({fw.span, fmt::format("firewall `{}` is declared here", fw.symbol)});
}

/// Sums the published count over the firewall's network rules: one pass, each rule's lists read once.
void network_rule_combinations(const Firewall& fw, Diagnostics& diags) {
  std::uint64_t total = 0;
  std::unordered_map<const IpGroup*, std::size_t> groups;
  for (const auto& col : fw.collections)
    for (const auto& rule : col.network_rules) {
      const auto count = combinations(rule, groups);
      if (count > kMaxNetworkRuleCombinations)
        return report(fw, rule, fmt::format("rule `{}` alone counts {} combinations", rule.name, thousands(count)),
                      diags);
      total += count;
      if (total > kMaxNetworkRuleCombinations)
        return report(fw, rule,
                      fmt::format("rule `{}` brings the count of combinations to {}, past 20,000", rule.name,
                                  thousands(total)),
                      diags);
    }
}

void kubenet_nodes(const Cluster& c, Diagnostics& diags) {
  if (c.plugin != NetworkPlugin::kubenet || c.total_nodes() <= facts::aks::kMaxKubenetNodes) return;
  auto& d = diags.report(
      Code::E0262, c.nodes_span.length != 0 ? c.nodes_span : c.span,
      fmt::format("cluster `{}` uses kubenet with {} nodes: kubenet supports at most {} nodes (its route table takes "
                  "one route per node, and a route table holds at most 400 routes), so AKS cannot create or scale "
                  "the cluster",
                  c.symbol, c.total_nodes(), facts::aks::kMaxKubenetNodes),
      "use `network_plugin azure overlay`, which has no such limit, or at most 400 nodes");
  d.notes.push_back({c.span, fmt::format("cluster `{}` is declared here", c.symbol)});
}

}  // namespace

void check_limits(const Program& program, Diagnostics& diags) {
  for (const auto& fw : program.firewalls) network_rule_combinations(fw, diags);
  for (const auto& c : program.clusters) kubenet_nodes(c, diags);
}

}  // namespace egress::model
