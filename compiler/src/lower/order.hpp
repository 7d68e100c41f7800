// Creation order: a topological sort of the resource dependency graph (Boost.Graph).
#pragma once
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace egress::lower {

struct OrderResult {
  std::vector<std::size_t> order;  // every node, each after all it depends on; empty when there is a cycle
  std::vector<std::size_t> cycle;  // a -> b -> ... -> a, when there is one (first node not repeated)
};

/// `edges` are (dependent, dependency) pairs over nodes 0..count-1. Among nodes that are ready at the same
/// time the lower index comes first, so the order follows the source where dependencies allow.
OrderResult creation_order(std::size_t count, const std::vector<std::pair<std::size_t, std::size_t>>& edges);

}  // namespace egress::lower
