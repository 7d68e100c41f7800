// Looking resources up in a lowered deployment (lower/ir.hpp), for the tests of the order the IR deploys in.
#pragma once
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "lower/ir.hpp"

namespace egress::testing {

/// The index of the resource of kind `k` named `name`; the test fails when there is none.
inline std::size_t index_of(const ir::Deployment& d, ir::Kind k, std::string_view name) {
  for (std::size_t i = 0; i < d.resources.size(); ++i)
    if (d.resources[i].kind == k && d.resources[i].name.value == name) return i;
  FAIL("no resource " << name);
  return 0;
}

/// True when resource `r` names resource `on` among its dependencies (deployed after it).
inline bool depends(const ir::Deployment& d, std::size_t r, std::size_t on) {
  const auto& deps = d.resources[r].depends_on;
  return std::find(deps.begin(), deps.end(), on) != deps.end();
}

}  // namespace egress::testing
