// A count of the steps taken by the algorithms that must stay linear in the size of a program: pieces of the
// shadowing index visited, candidate rules scanned for a flow, dependency edges walked. Tests compare the
// count for two input sizes, which is exact on any machine; a time would depend on what else the machine
// is doing. The count is per thread and costs one increment per step.
#pragma once
#include <cstdint>

namespace egress::work {

inline thread_local std::uint64_t steps = 0;

/// Records `n` steps of work.
inline void count(std::uint64_t n = 1) noexcept { steps += n; }

/// The steps counted while `f` runs on this thread.
template <class F>
std::uint64_t counted(F&& f) {
  const std::uint64_t before = steps;
  f();
  return steps - before;
}

}  // namespace egress::work
