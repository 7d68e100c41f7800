// libFuzzer target: the parser alone, on arbitrary bytes. It must never crash, hang or recurse without
// bound; every span it produces points into the file; every diagnostic has a code; the tree dumps.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "parse/parse.hpp"
#include "syntax/ast.hpp"

namespace {

using namespace egress;

void check_statements(const SourceManager& sources, std::span<const syntax::Statement> statements, int depth) {
  EGRESS_FUZZ_ASSERT(depth <= 64, "the tree is deeper than the parser's nesting limit");
  for (const auto& s : statements) {
    fuzz::check_span(sources, s.span, "statement span");
    fuzz::check_span(sources, s.head.span, "head span");
    EGRESS_FUZZ_ASSERT(!s.head.text.empty(), "a statement without a head");
    for (const auto& it : s.items) {
      fuzz::check_span(sources, it.span, "item span");
      for (const auto& p : it.parts()) fuzz::check_span(sources, p.span, "part span");
    }
    if (s.has_block) {
      fuzz::check_span(sources, s.block.open, "block open span");
      fuzz::check_span(sources, s.block.close, "block close span");
      check_statements(sources, s.block.statements, depth + 1);
    } else {
      EGRESS_FUZZ_ASSERT(s.block.statements.empty(), "statements in a block that is not there");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  SourceManager sources;
  const auto id = sources.add("fuzz.egress", std::string(reinterpret_cast<const char*>(data), size));
  Diagnostics diags;
  const syntax::File tree = parse::parse(sources, id, diags);
  fuzz::check_diagnostics(diags, sources);
  // The parser reports at most 100 diagnostics per file, plus the one for blocks left open at the end.
  EGRESS_FUZZ_ASSERT(diags.all().size() <= 101, std::to_string(diags.all().size()));
  check_statements(sources, tree.statements, 0);
  for (const auto& c : tree.comments) fuzz::check_span(sources, c.span, "comment span");
  (void)syntax::dump(tree, sources);
  return 0;
}
