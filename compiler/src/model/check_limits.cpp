// Azure Firewall's documented scale limit on network rules (W0212): at most 20,000 unique
// source/destination pairs per firewall. Past it Azure may refuse the rules or slow down, so the
// program still compiles, with a warning (an error under --strict).
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/numbers.hpp"
#include "model/checks.hpp"

namespace egress::model {

using namespace sema;

namespace {

constexpr std::size_t kMaxNetworkRulePairs = 20000;

/// Gives each distinct source or destination a small number, so a pair is one 64-bit key.
class EndpointIds {
 public:
  std::uint32_t id(const Endpoint& e) {
    std::string key;
    switch (e.kind) {
      case Endpoint::Kind::any: key = "*"; break;
      case Endpoint::Kind::cidr: key = fmt::format("c{}/{}", e.cidr.first(), e.cidr.length); break;
      case Endpoint::Kind::fqdn: key = "f" + e.text; break;
      case Endpoint::Kind::service_tag: key = "t" + e.pattern.value; break;
      case Endpoint::Kind::fqdn_tag: key = "g" + e.text; break;
      case Endpoint::Kind::subnet: key = fmt::format("s{}", static_cast<const void*>(e.subnet)); break;
      case Endpoint::Kind::public_ip: key = fmt::format("p{}", static_cast<const void*>(e.public_ip)); break;
      case Endpoint::Kind::ip_group: key = fmt::format("i{}", static_cast<const void*>(e.ip_group)); break;  // ids() expands it
    }
    return ids_.try_emplace(std::move(key), static_cast<std::uint32_t>(ids_.size())).first->second;
  }

  /// The distinct ids of a list of endpoints.
  std::vector<std::uint32_t> ids(const std::vector<Endpoint>& endpoints) {
    std::vector<std::uint32_t> out;
    out.reserve(endpoints.size());
    for (const auto& e : endpoints) {
      if (e.kind != Endpoint::Kind::ip_group) {
        out.push_back(id(e));
        continue;
      }
      // A group counts as its addresses (Azure's formula counts source and destination IP addresses); each
      // group's are numbered once, however many rules name it.
      auto [it, fresh] = groups_.try_emplace(e.ip_group);
      if (fresh && e.ip_group != nullptr)
        for (const auto& m : e.ip_group->members) it->second.push_back(id(m));
      out.insert(out.end(), it->second.begin(), it->second.end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
  std::unordered_map<const IpGroup*, std::vector<std::uint32_t>> groups_;
};

void report(const Firewall& fw, const NetworkRule& rule, std::string what, Diagnostics& diags) {
  auto& d = diags.report(Code::W0212, rule.span,
                         fmt::format("{}: Azure Firewall takes at most 20,000 unique source/destination pairs in the "
                                     "network rules of firewall `{}`",
                                     what, fw.symbol),
                         "use wider prefixes or service tags instead of lists of addresses, move FQDN destinations "
                         "to application rules, or spread the rules over another firewall");
  d.notes.push_back({fw.span, fmt::format("firewall `{}` is declared here", fw.symbol)});
}

/// Counts unique pairs until the limit is passed. Each rule adds at most |sources|·|destinations| pairs and is
/// only enumerated when that product is within the limit, so the work per rule is at most about 71 times the
/// rule's own length (a product p of lists of total length n has p ≤ n²/4 and p ≤ 20,000): linear overall.
void network_rule_pairs(const Firewall& fw, Diagnostics& diags) {
  EndpointIds ids;
  std::unordered_set<std::uint64_t> pairs;
  for (const auto& col : fw.collections)
    for (const auto& rule : col.network_rules) {
      const auto sources = ids.ids(rule.sources), destinations = ids.ids(rule.destinations);
      const std::size_t product = sources.size() * destinations.size();
      if (product > kMaxNetworkRulePairs)
        return report(fw, rule, fmt::format("rule `{}` alone has {} source/destination pairs", rule.name, thousands(product)), diags);
      for (const auto s : sources)
        for (const auto d : destinations) pairs.insert(std::uint64_t{s} << 32 | d);
      if (pairs.size() > kMaxNetworkRulePairs)
        return report(fw, rule, fmt::format("rule `{}` brings the count of unique pairs past 20,000", rule.name),
                      diags);
    }
}

}  // namespace

void check_limits(const Program& program, Diagnostics& diags) {
  for (const auto& fw : program.firewalls) network_rule_pairs(fw, diags);
}

}  // namespace egress::model
