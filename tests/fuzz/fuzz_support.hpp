// Shared by the fuzz targets: invariants every run must keep, checked on every input. A broken invariant
// prints what broke and aborts, which libFuzzer reports as a crash and saves the input.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "egress/compiler.hpp"
#include "egress/diagnostic.hpp"
#include "egress/source.hpp"

namespace egress::fuzz {

/// In a fuzzer: print and abort (libFuzzer saves the input). When the unit tests replay the regressions
/// (EGRESS_FUZZ_REPLAY, tests/unit/robustness_test.cpp): throw, so that Catch2 reports which input broke.
[[noreturn]] inline void fail(const char* what, const std::string& detail = {}) {
#ifdef EGRESS_FUZZ_REPLAY
  throw std::runtime_error(std::string("fuzz invariant broken: ") + what + " " + detail);
#else
  std::fprintf(stderr, "fuzz invariant broken: %s %s\n", what, detail.c_str());
  std::abort();
#endif
}

#define EGRESS_FUZZ_ASSERT(cond, detail) \
  do {                                   \
    if (!(cond)) ::egress::fuzz::fail(#cond, (detail)); \
  } while (0)

/// A span points into a file the SourceManager holds, and does not run past its end.
inline void check_span(const SourceManager& sources, const Span& s, const char* what) {
  EGRESS_FUZZ_ASSERT(s.file < sources.size(), what);
  const auto size = sources.text(s.file).size();
  EGRESS_FUZZ_ASSERT(s.offset <= size && s.length <= size - s.offset, what);
}

/// Every diagnostic has a registered code, a valid span (and valid note and fix-it spans), a message, and
/// renders without trouble. Returns how many errors there are.
inline std::size_t check_diagnostics(const Diagnostics& diags, const SourceManager& sources) {
  std::size_t errors = 0;
  for (const auto& d : diags.all()) {
    const auto& ci = info(d.code);
    EGRESS_FUZZ_ASSERT(ci.id.size() == 5, "a diagnostic without a registered code");
    EGRESS_FUZZ_ASSERT(!d.message.empty(), std::string(ci.id));
    check_span(sources, d.span, "diagnostic span");
    for (const auto& n : d.notes) check_span(sources, n.span, "note span");
    for (const auto& f : d.fixits) check_span(sources, f.span, "fix-it span");
    const std::string text = render(d, sources);
    EGRESS_FUZZ_ASSERT(text.find(ci.id) != std::string::npos, "the rendering does not show the code");
    if (d.severity == Severity::error) ++errors;
  }
  EGRESS_FUZZ_ASSERT(errors == diags.error_count(), "error_count() disagrees with the list");
  return errors;
}

/// Imports resolve to nothing: the fuzzers never touch the disk (stdlib modules still resolve, embedded).
inline Options fuzz_options() {
  Options o;
  o.targets = {Target::arm, Target::bicep, Target::az, Target::k8s};
  o.stem = "main";
  o.read_file = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  return o;
}

}  // namespace egress::fuzz
