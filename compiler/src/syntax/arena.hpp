// Arena<T>: where a syntax::File keeps the runs its nodes point at (a statement's items, a block's statements,
// a string's parts, a string's unescaped text). The parser gathers each run in a scratch vector and copies it
// here once it is complete; nodes then hold a std::span of it.
//
// Why not a std::vector per statement: that was one heap allocation per statement, per word (its parts) and
// per long token, and a vector's spare capacity — about 1 KB and 5 allocations per rule line of a large
// firewall. Why not one flat vector per File: a vector that grows moves its elements, and every span into it
// would dangle. Here a run is copied into a chunk that has room for it, and a chunk is never grown past the
// capacity it was reserved with, so a run never moves: its span stays valid as long as the arena (moving the
// arena moves only the chunk list, not the chunks' memory). The whole tree is freed with its File, chunk by
// chunk, with no destructor per node (T is trivially copyable: views and numbers only).
#pragma once
#include <algorithm>
#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

namespace egress::syntax {

template <typename T>
class Arena {
  static_assert(std::is_trivially_copyable_v<T>, "runs are copied as bytes and never destroyed one by one");

 public:
  Arena() = default;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;
  // A copy would hold copies of the runs while the copied spans still point at the original's.
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  /// Copies `run` into the arena; the returned span stays valid, unchanged, as long as the arena.
  std::span<const T> keep(std::span<const T> run) {
    if (run.empty()) return {};
    if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < run.size()) {
      // Chunks double from a small first one (a small file needs little) up to a fixed size; a run larger
      // than that gets a chunk of exactly its size. What is left at the end of a chunk is not used.
      next_chunk_ = chunks_.empty() ? kFirstChunk : std::min(next_chunk_ * 2, kLargestChunk);
      chunks_.emplace_back().reserve(std::max(next_chunk_, run.size()));
    }
    auto& chunk = chunks_.back();
    const std::size_t at = chunk.size();
    chunk.insert(chunk.end(), run.begin(), run.end());  // within the reserved capacity: nothing moves
    return {chunk.data() + at, run.size()};
  }

 private:
  static constexpr std::size_t kFirstChunk = std::max<std::size_t>(1, 1024 / sizeof(T));
  static constexpr std::size_t kLargestChunk = std::max<std::size_t>(1, (256 * 1024) / sizeof(T));

  std::vector<std::vector<T>> chunks_;
  std::size_t next_chunk_ = 0;
};

}  // namespace egress::syntax
