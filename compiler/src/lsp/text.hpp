// Positions as LSP counts them (line, UTF-16 code unit) and the byte offsets the compiler counts; document
// URIs and file paths. Line breaks are "\n", "\r\n" and a lone "\r", as the protocol defines them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace egress::lsp {

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;  // UTF-16 code units
  friend bool operator==(const Position&, const Position&) = default;
};

struct Range {
  Position start;
  Position end;
};

/// Converts between byte offsets and positions in one text. Invalid UTF-8 bytes count as one code unit each.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  [[nodiscard]] Position position(std::uint32_t offset) const;
  /// The byte offset of a position; a line past the end gives the text's end, a character past the line's
  /// end gives the line's end (as the protocol asks).
  [[nodiscard]] std::uint32_t offset(const Position& p) const;
  [[nodiscard]] Range range(std::uint32_t offset, std::uint32_t length) const {
    return {position(offset), position(offset + length)};
  }
  [[nodiscard]] std::size_t line_count() const { return starts_.size(); }

 private:
  [[nodiscard]] std::uint32_t line_end(std::size_t line) const;  // before the line break
  std::string_view text_;
  std::vector<std::uint32_t> starts_;
  // No byte above 0x7F: a UTF-16 column is then the byte distance from the line's start, with no walk along
  // the line (semantic tokens convert every name of a 10,000-rule file).
  bool ascii_ = false;
};

/// The length of a UTF-8 sequence starting with `lead` and the UTF-16 units it takes; 1 for invalid bytes.
struct Utf8Step {
  std::uint32_t bytes = 1;
  std::uint32_t units = 1;
};
Utf8Step utf8_step(std::string_view text, std::size_t at);

/// `file:///home/a%20b/x.egress` -> `/home/a b/x.egress`; nullopt for other schemes.
std::optional<std::string> uri_to_path(std::string_view uri);
/// `/home/a b/x.egress` -> `file:///home/a%20b/x.egress`.
std::string path_to_uri(std::string_view path);

}  // namespace egress::lsp
