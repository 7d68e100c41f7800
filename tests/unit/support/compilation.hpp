// A program compiled in memory, for the unit tests that look at its diagnostics and its outputs. One helper,
// so that every such test builds its programs the same way: imports of files resolved against the source tree
// (as compile_file() and analyse_text() do), diagnostics rendered into `rendered` for failure messages.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "egress/compiler.hpp"

namespace egress::testing {

struct Compilation {
  SourceManager sources;
  Result result;
  std::string rendered;  // every diagnostic, rendered as egressc prints it

  /// True when a diagnostic has `code` ("E0246") and, unless `text` is empty, `text` in its message.
  [[nodiscard]] bool has(std::string_view code, std::string_view text = {}) const;
  /// How many diagnostics have `code`.
  [[nodiscard]] std::size_t count(std::string_view code) const;
  /// The content of the first output whose file name ends with `extension` (".json"); empty when none does.
  [[nodiscard]] std::string output(std::string_view extension) const;
  /// The output named `filename` ("main.aks.yaml"), or null.
  [[nodiscard]] const Output* file(std::string_view filename) const;
  /// The content of the output named `filename`; empty when there is none.
  [[nodiscard]] std::string content(std::string_view filename) const;
};

/// Compiles `text` as if it were the file `name` (a path relative to the source tree: it names the file in the
/// diagnostics and is where relative imports start) with `options` (stem, env, targets, az_bulk_threshold, ...);
/// a null `options.read_file` is replaced by one reading the source tree.
std::unique_ptr<Compilation> compile_program(const std::string& name, const std::string& text,
                                             Options options = {});

/// The same with check(): diagnostics only, no outputs.
std::unique_ptr<Compilation> check_program(const std::string& name, const std::string& text, Options options = {});

}  // namespace egress::testing
