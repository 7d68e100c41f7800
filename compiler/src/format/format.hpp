// The formatter: one canonical layout for egress source, used by `egressc fmt` and the language server.
//
// The layout (the reference program examples/aks-egress/main.egress is written in it):
//   - two spaces of indentation per block level; one statement per line (`;` separators become line breaks);
//   - items separated by one space, except: no space before `,`; `param NAME: type`; `http:80`, `https:443`
//     (an application protocol and its port); every other `:` is written ` : ` (`-> "ntp.ubuntu.com" : 123`);
//   - a line break after a `,` is kept (long lists stay wrapped); the continuation is indented one level more;
//     a statement that ends in `,` (an error, but one that parses) keeps its `;`, or the next line would join it;
//   - a block written on one line that holds one statement without a block of its own and no comment stays on
//     one line when it fits in 80 columns (`subnet aks 10.42.1.0/24 < route_table fwrt >`); any other block
//     ends its line with `<` and gets its own `>` line;
//   - in a run of `allow`/`deny` rules (sibling lines with no blank line between them) the rule names are
//     padded to the longest, so that the protocols line up;
//   - at most one blank line between statements; none right after `<` or before `>`, none at either end;
//   - comments are kept: a comment on a line of its own stays on its own line, indented like what follows it;
//     a comment at the end of a line stays there, starting at column 46 or, if the code is longer, one space
//     after the longest code line of the run of consecutive lines with end-of-line comments;
//   - strings, words, numbers and addresses are re-emitted exactly as written;
//   - `\n` line ends (CRLF input gives LF output), no byte-order mark, one final newline, no trailing blanks.
// Formatting is idempotent and changes only white space, `;` separators and the BOM, so a formatted program
// compiles to the same outputs.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "egress/diagnostic.hpp"
#include "egress/source.hpp"
#include "syntax/ast.hpp"

namespace egress::format {

/// Formats a file that parsed without errors (`tree` is its syntax tree, `sources` holds its text).
[[nodiscard]] std::string format(const syntax::File& tree, const SourceManager& sources);

/// Parses `file` and formats it. A file with syntax errors is not formatted: its diagnostics go to `diags`
/// and the result is nullopt.
[[nodiscard]] std::optional<std::string> format_file(const SourceManager& sources, std::uint32_t file,
                                                     Diagnostics& diags);

/// Formats text on its own (as file "<input>"); nullopt on syntax errors.
[[nodiscard]] std::optional<std::string> format_text(std::string text);

}  // namespace egress::format
