// How many rules a resource carries: a classic firewall's collections, or a rule collection group's. The ARM and
// Bicep emitters size their output from it, and the az script decides from it whether a resource is deployed
// from a template (plan_bulk.cpp).
#pragma once
#include <cstddef>

#include "lower/ir.hpp"

namespace egress::emit {

inline std::size_t rule_count(const ir::Resource& r) {
  std::size_t n = 0;
  if (r.kind == ir::Kind::firewall) {
    const auto& fw = r.as<ir::Firewall>();
    for (const auto& c : fw.network_collections) n += c.rules.size();
    for (const auto& c : fw.application_collections) n += c.rules.size();
    for (const auto& c : fw.nat_collections) n += c.rules.size();
  } else if (r.kind == ir::Kind::rule_collection_group) {
    for (const auto& c : r.as<ir::RuleCollectionGroup>().collections)
      n += c.network.rules.size() + c.application.rules.size() + c.nat.rules.size();
  }
  return n;
}

}  // namespace egress::emit
