// Source files and spans: every AST node and diagnostic points into a SourceManager.
#pragma once
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace egress {

/// A byte range in one source file. Line and column are computed only when printed.
struct Span {
  std::uint32_t file = 0;
  std::uint32_t offset = 0;
  std::uint32_t length = 0;

  [[nodiscard]] std::uint32_t end() const { return offset + length; }
  /// The smallest span covering both (they must be in the same file).
  [[nodiscard]] Span to(const Span& other) const;
  friend bool operator==(const Span&, const Span&) = default;
};

struct LineCol {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in bytes
};

/// Owns the text of every file in a compilation; files are never removed, so ids stay valid, and never move, so
/// the views text() returns (which the syntax tree holds) stay valid as long as the manager.
class SourceManager {
 public:
  /// Adds a file from memory; returns its id. The text is kept as given (BOM and CRLF included).
  std::uint32_t add(std::string path, std::string text);

  [[nodiscard]] const std::string& path(std::uint32_t file) const { return files_.at(file).path; }
  [[nodiscard]] std::string_view text(std::uint32_t file) const { return files_.at(file).text; }
  [[nodiscard]] std::size_t size() const { return files_.size(); }

  [[nodiscard]] LineCol line_col(std::uint32_t file, std::uint32_t offset) const;
  /// The whole line that holds `offset`, without its line terminator.
  [[nodiscard]] std::string_view line_text(std::uint32_t file, std::uint32_t offset) const;
  /// The text a span covers.
  [[nodiscard]] std::string_view slice(const Span& span) const;

 private:
  struct File {
    std::string path;
    std::string text;
    std::vector<std::uint32_t> line_starts;  // offsets of the first byte of every line
  };
  std::deque<File> files_;  // not a vector: growing one would move a short (in-place) text, and its views
};

}  // namespace egress
