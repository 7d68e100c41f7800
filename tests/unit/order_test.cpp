// The creation order: a stable topological sort, and the cycle it reports (E0114's algorithm).
#include <catch2/catch.hpp>

#include "lower/order.hpp"
#include "test_support.hpp"

using egress::lower::creation_order;
using egress::lower::OrderResult;

TEST_CASE("creation order puts dependencies first and keeps source order otherwise", "[order]") {
  // 0 public ip, 1 route table -> 0, 2 vnet -> 1, 3 firewall -> 0,2, 4 cluster -> 2,3
  auto r = creation_order(5, {{1, 0}, {2, 1}, {3, 0}, {3, 2}, {4, 2}, {4, 3}});
  REQUIRE(r.cycle.empty());
  CHECK(r.order == std::vector<std::size_t>{0, 1, 2, 3, 4});

  auto reversed = creation_order(3, {{0, 2}, {1, 2}});
  CHECK(reversed.order == std::vector<std::size_t>{2, 0, 1});

  auto independent = creation_order(3, {});
  CHECK(independent.order == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("a dependency cycle is reported with its members in order", "[order]") {
  // 0 -> 1 -> 2 -> 0 (each depends on the next), 3 is outside the cycle.
  auto r = creation_order(4, {{0, 1}, {1, 2}, {2, 0}, {3, 0}});
  CHECK(r.order.empty());
  REQUIRE(r.cycle.size() == 3);
  // Whatever member it starts from, each element depends on the next.
  for (std::size_t i = 0; i < r.cycle.size(); ++i) {
    const auto a = r.cycle[i], b = r.cycle[(i + 1) % r.cycle.size()];
    CHECK(((a == 0 && b == 1) || (a == 1 && b == 2) || (a == 2 && b == 0)));
  }
}

TEST_CASE("creation order is linear in the number of nodes", "[order]") {
  // A chain and a star (every node depends on node 0), at n and 2n nodes: the work counted must double.
  for (const bool star : {false, true}) {
    std::uint64_t work[2] = {};
    for (int half = 0; half < 2; ++half) {
      const std::size_t n = half == 0 ? 100000 : 200000;
      std::vector<std::pair<std::size_t, std::size_t>> edges;
      for (std::size_t i = 1; i < n; ++i) edges.emplace_back(i, star ? 0 : i - 1);
      OrderResult r;
      work[half] = egress::testing::steps([&] { r = creation_order(n, edges); });
      REQUIRE(r.order.size() == n);
      CHECK(r.order.front() == 0);
      CHECK(r.order.back() == n - 1);
    }
    INFO((star ? "star: " : "chain: ") << work[0] << " steps for 100,000 nodes, " << work[1] << " for 200,000");
    CHECK(egress::testing::grows_linearly(work[0], work[1]));
  }
}
