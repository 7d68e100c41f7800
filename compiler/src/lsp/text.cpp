// Byte offsets <-> LSP positions, and file URIs.
#include "base/ascii.hpp"
#include "lsp/text.hpp"

#include <algorithm>
#include <cstring>

namespace egress::lsp {

Utf8Step utf8_step(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char c = byte(at);
  std::uint32_t len = 0;
  if (c < 0x80) return {1, 1};
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) len = 3;
  else if (c >= 0xF0 && c <= 0xF4) len = 4;
  else return {1, 1};
  if (at + len > text.size()) return {1, 1};
  for (std::uint32_t i = 1; i < len; ++i)
    if ((byte(at + i) & 0xC0) != 0x80) return {1, 1};
  return {len, len == 4 ? 2u : 1u};
}

namespace {

/// Whether every byte is below 0x80, eight at a time.
bool all_ascii(std::string_view text) {
  std::uint64_t any = 0;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    any |= word;
  }
  for (; i < text.size(); ++i) any |= static_cast<unsigned char>(text[i]);
  return (any & 0x8080808080808080ULL) == 0;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) : text_(text), ascii_(all_ascii(text)) {
  starts_.push_back(0);
  if (text.find('\r') == std::string_view::npos) {
    // The usual text: "\n" breaks only, found with memchr (a byte-by-byte loop was 4 % of a keystroke's
    // re-check in a 10,000-rule file, which builds this index twice).
    for (auto at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', at + 1))
      starts_.push_back(static_cast<std::uint32_t>(at + 1));
    return;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      starts_.push_back(static_cast<std::uint32_t>(i + 1));
    } else if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      starts_.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }
}

std::uint32_t LineIndex::line_end(std::size_t line) const {
  std::uint32_t end = line + 1 < starts_.size() ? starts_[line + 1] : static_cast<std::uint32_t>(text_.size());
  if (line + 1 < starts_.size()) {
    // Step back over the line break: "\n", "\r\n" or "\r".
    if (end > starts_[line] && text_[end - 1] == '\n') --end;
    if (end > starts_[line] && text_[end - 1] == '\r') --end;
  }
  return end;
}

Position LineIndex::position(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(it - starts_.begin()) - 1;
  const std::uint32_t end = std::min(offset, line_end(line));
  if (ascii_) return {static_cast<std::uint32_t>(line), end - starts_[line]};
  std::uint32_t units = 0;
  for (std::size_t i = starts_[line]; i < end;) {
    const auto step = utf8_step(text_, i);
    if (i + step.bytes > end) {  // inside a sequence: count up to its start
      break;
    }
    units += step.units;
    i += step.bytes;
  }
  return {static_cast<std::uint32_t>(line), units};
}

std::uint32_t LineIndex::offset(const Position& p) const {
  if (p.line >= starts_.size()) return static_cast<std::uint32_t>(text_.size());
  const std::uint32_t end = line_end(p.line);
  if (ascii_) return starts_[p.line] + std::min(p.character, end - starts_[p.line]);
  std::uint32_t units = 0;
  std::size_t i = starts_[p.line];
  while (i < end && units < p.character) {
    const auto step = utf8_step(text_, i);
    if (units + step.units > p.character) break;  // the middle of a surrogate pair: stay before it
    units += step.units;
    i += step.bytes;
  }
  return static_cast<std::uint32_t>(i);
}

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> uri_to_path(std::string_view uri) {
  constexpr std::string_view scheme = "file://";
  if (uri.size() < scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (ascii_lower(uri[i]) != scheme[i]) return std::nullopt;
  uri.remove_prefix(scheme.size());
  // An authority ("localhost" or empty) may precede the path.
  const auto slash = uri.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  uri.remove_prefix(slash);
  std::string path;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex(uri[i + 1]) >= 0 && hex(uri[i + 2]) >= 0) {
      path += static_cast<char>(hex(uri[i + 1]) * 16 + hex(uri[i + 2]));
      i += 2;
    } else if (uri[i] == '?' || uri[i] == '#') {
      break;
    } else {
      path += uri[i];
    }
  }
  // file:///c%3A/x -> /c:/x stays as it is: paths are POSIX here.
  return path;
}

std::string path_to_uri(std::string_view path) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out = "file://";
  if (path.empty() || path.front() != '/') out += '/';
  for (const char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                       c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += ch;
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

}  // namespace egress::lsp
