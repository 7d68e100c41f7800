// One analysis of an open document: the compiler's diagnostics (through the public check()), and the syntax
// trees, checked program, catalog and index the requests read. Rebuilt from scratch on every change: the
// whole pipeline takes well under a millisecond for a real program. The index is built when a request first
// needs it, not by the re-check: diagnostics are published without waiting for it.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "egress/compiler.hpp"
#include "lsp/index.hpp"
#include "lsp/text.hpp"
#include "sema/catalog.hpp"
#include "sema/program.hpp"
#include "syntax/ast.hpp"

namespace egress::lsp {

struct Analysis {
  std::string uri;
  std::string path;  // the document's file path (relative imports resolve from it), or the URI itself
  SourceManager sources;
  std::uint32_t main = 0;
  Diagnostics diagnostics;  // what `egressc check` reports
  std::vector<std::unique_ptr<syntax::File>> trees;  // by file id: the main file, its imports, the prelude
  bool main_parses = false;                          // the main file has no syntax error
  sema::Program program;
  sema::Catalog catalog;
  std::vector<LineIndex> lines;        // by file id
  std::vector<std::string> file_uris;  // by file id; empty for the embedded stdlib
  std::map<std::uint32_t, Span> imported_by;  // file id -> the main file's `import` item that loaded it
  std::vector<std::string> dependencies;      // paths read for imports
  double milliseconds = 0;                    // how long analyze() took

  [[nodiscard]] const syntax::File& main_tree() const { return *trees.at(main); }
  [[nodiscard]] const LineIndex& main_lines() const { return lines.at(main); }
  /// The index of the trees and the program, built on the first call (hover, definition, semantic tokens ...):
  /// it was a third of a keystroke's re-check in a 10,000-rule file, and a burst of keystrokes needs none.
  [[nodiscard]] const Index& index() const;
  [[nodiscard]] bool index_built() const { return index_ != nullptr; }

 private:
  mutable std::unique_ptr<Index> index_;  // a cache: built once, by index(), from members that do not change
};

/// Analyses `text` as the document `uri` whose file is `path`. `read_file` loads imports.
std::unique_ptr<Analysis> analyze(const std::string& uri, const std::string& path, std::string text,
                                  const FileReader& read_file);

}  // namespace egress::lsp
