// The parser's entry point: text in, syntax tree and diagnostics out.
#pragma once
#include <cstdint>

#include "egress/diagnostic.hpp"
#include "egress/source.hpp"
#include "syntax/ast.hpp"

namespace egress::parse {

/// Parses one file into the syntax tree. Never throws on bad input: errors go to `diags` and the
/// returned File holds every statement parsed before/around them.
///
/// A file that is not valid UTF-8 or holds a NUL byte gets one E0005 and an empty tree. Otherwise every
/// syntax error is reported (E0001-E0007, at most 100 per file) and the line that holds it is skipped, so
/// the statements around it, and the blocks that hold it, are still in the tree. Blocks nest at most 32 deep.
syntax::File parse(const SourceManager& sources, std::uint32_t file, Diagnostics& diags);

}  // namespace egress::parse
