// libFuzzer target: the formatter. On every input that parses, fmt is idempotent (fmt(fmt(x)) == fmt(x)) and
// its output parses; on every input that compiles, compile(fmt(x)) gives the same outputs as compile(x);
// on one that does not, the same diagnostic codes.
//
// The formatter's entry lives in compiler/src/format/format.hpp. Until that header exists this target builds
// as a no-op (so the fuzz build never breaks on its absence) and says so once at start-up.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>

#include "fuzz_support.hpp"
#include "parse/parse.hpp"

#if __has_include("format/format.hpp")
#include "format/format.hpp"
#define EGRESS_HAVE_FORMAT 1
#else
#define EGRESS_HAVE_FORMAT 0
#endif

using namespace egress;

namespace {

#if EGRESS_HAVE_FORMAT
/// Parses `text` and formats it; nullopt when it does not parse.
std::optional<std::string> formatted(const std::string& text) {
  SourceManager sources;
  const auto id = sources.add("fuzz.egress", text);
  Diagnostics diags;
  const auto tree = parse::parse(sources, id, diags);
  if (diags.has_errors()) return std::nullopt;
  return format::format(tree, sources);
}

std::set<std::string> codes(const Diagnostics& diags) {
  std::set<std::string> out;
  for (const auto& d : diags.all()) out.insert(std::string(info(d.code).id));
  return out;
}
#endif

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (!EGRESS_HAVE_FORMAT) std::fprintf(stderr, "fuzz_format: compiler/src/format/format.hpp is missing; no-op\n");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
#if EGRESS_HAVE_FORMAT
  const std::string x(reinterpret_cast<const char*>(data), size);
  const auto once = formatted(x);
  if (!once) return 0;
  const auto twice = formatted(*once);
  EGRESS_FUZZ_ASSERT(twice.has_value(), "the formatter's output does not parse:\n" + *once);
  EGRESS_FUZZ_ASSERT(*twice == *once, "fmt is not idempotent:\n--- fmt(x)\n" + *once + "--- fmt(fmt(x))\n" + *twice);

  const Options options = fuzz::fuzz_options();
  SourceManager sa, sb;
  const Result a = compile(sa, sa.add("fuzz.egress", x), options);
  const Result b = compile(sb, sb.add("fuzz.egress", *once), options);
  EGRESS_FUZZ_ASSERT(a.ok() == b.ok(), "formatting changed whether the program compiles:\n" + *once);
  EGRESS_FUZZ_ASSERT(codes(a.diagnostics) == codes(b.diagnostics), "formatting changed the diagnostics:\n" + *once);
  EGRESS_FUZZ_ASSERT(a.outputs.size() == b.outputs.size(), "formatting changed the outputs");
  for (std::size_t i = 0; i < a.outputs.size(); ++i)
    EGRESS_FUZZ_ASSERT(a.outputs[i].content == b.outputs[i].content,
                       "formatting changed " + a.outputs[i].filename + ":\n" + *once);
#else
  (void)data;
  (void)size;
#endif
  return 0;
}
