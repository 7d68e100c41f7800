// "Did you mean ...?": the closest of a set of names by edit distance, for unknown names, keywords, service
// tags and regions alike.
#pragma once
#include "base/ascii.hpp"
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace egress {

/// Levenshtein distance (insertions, deletions, substitutions), in one row of |b| + 1 cells.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

enum class Case { sensitive, ignored };

/// The candidate closest to `word`, if it is close enough to be a typo of it (a distance under a third of
/// the word, at least 2), else "". With Case::ignored, `servicebus` finds `ServiceBus` and the candidate is
/// returned as it is spelled in `candidates`.
/// Bounded: edit distances cost |word|·|candidate|, and thousands of long unknown names against thousands
/// of declarations once took minutes (tests/unit/limits_test.cpp). Words over 64 bytes get no suggestion,
/// candidates whose length alone rules them out are skipped, and one call spends at most 2^18 table cells.
template <class Range>
std::string closest(std::string_view word, const Range& candidates, Case mode = Case::sensitive) {
  constexpr std::size_t kMaxWord = 64, kBudget = std::size_t{1} << 18;
  std::string best;
  if (word.size() > kMaxWord) return best;
  auto folded = [mode](std::string_view s) {
    std::string out(s);
    if (mode == Case::ignored)
      for (auto& c : out) c = ascii_lower(c);
    return out;
  };
  const std::string w = folded(word);
  std::size_t budget = kBudget;
  std::size_t best_distance = std::max<std::size_t>(2, w.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    const std::string_view cv(candidate);
    if ((cv.size() > w.size() ? cv.size() - w.size() : w.size() - cv.size()) >= best_distance) continue;
    const std::size_t cells = (w.size() + 1) * (cv.size() + 1);
    if (cells > budget) break;
    budget -= cells;
    const auto d = edit_distance(w, folded(cv));
    if (d < best_distance) {
      best_distance = d;
      best = std::string(cv);
    }
  }
  return best;
}

}  // namespace egress
