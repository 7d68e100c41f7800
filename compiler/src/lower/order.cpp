// Kahn's algorithm over a Boost adjacency list with a min-heap of ready nodes gives a stable order
// (Boost's topological_sort is DFS-based and would reverse the source order of independent resources);
// on a cycle, a depth-first search with Boost finds one back edge and walks the parents to print it.
#include "lower/order.hpp"

#include "base/work_count.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <functional>
#include <queue>

namespace egress::lower {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

struct CycleFinder : boost::default_dfs_visitor {
  std::vector<Vertex>* parent;
  std::vector<std::size_t>* cycle;
  void tree_edge(Edge e, const Graph& g) const { (*parent)[boost::target(e, g)] = boost::source(e, g); }
  void back_edge(Edge e, const Graph& g) const {
    if (!cycle->empty()) return;
    // The edge u -> v closes a cycle v -> ... -> u -> v along tree edges.
    const Vertex u = boost::source(e, g), v = boost::target(e, g);
    std::vector<std::size_t> path{u};
    for (Vertex w = u; w != v; w = (*parent)[w]) path.push_back((*parent)[w]);
    cycle->assign(path.rbegin(), path.rend());
  }
};

}  // namespace

OrderResult creation_order(std::size_t count, const std::vector<std::pair<std::size_t, std::size_t>>& edges) {
  // Edges point from a dependency to its dependent: the direction in which creation flows.
  Graph g(count);
  for (const auto& [dependent, dependency] : edges) boost::add_edge(dependency, dependent, g);

  std::vector<std::size_t> indegree(count, 0);
  for (auto [e, end] = boost::edges(g); e != end; ++e) ++indegree[boost::target(*e, g)];
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t v = 0; v < count; ++v)
    if (indegree[v] == 0) ready.push(v);

  OrderResult result;
  while (!ready.empty()) {
    const auto v = ready.top();
    ready.pop();
    result.order.push_back(v);
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e, work::count())
      if (--indegree[boost::target(*e, g)] == 0) ready.push(boost::target(*e, g));
  }
  if (result.order.size() == count) return result;

  result.order.clear();
  std::vector<Vertex> parent(count);
  for (std::size_t v = 0; v < count; ++v) parent[v] = v;
  CycleFinder finder;
  finder.parent = &parent;
  finder.cycle = &result.cycle;
  boost::depth_first_search(g, boost::visitor(finder));
  // The DFS walks creation edges (dependency -> dependent); report the cycle as "depends on" links.
  std::reverse(result.cycle.begin(), result.cycle.end());
  return result;
}

}  // namespace egress::lower
