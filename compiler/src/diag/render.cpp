// Renders a diagnostic the way compilers users know do: position, code, message, source line, caret.
#include <fmt/format.h>

#include <algorithm>

#include "egress/diagnostic.hpp"

namespace egress {
namespace {

// Control bytes in a source line would corrupt the terminal; show them as '?' and tabs as spaces.
std::string printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (unsigned char c : line) out += c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  return out;
}

/// A message quotes user text (a name, a statement keyword); a 10 MB word must not make a 10 MB line.
std::string_view shorten(std::string_view message, std::string& buffer) {
  constexpr std::size_t kMaxMessage = 1000;  // the longest message egress writes itself is ~350 bytes
  if (message.size() <= kMaxMessage) return message;
  std::size_t cut = kMaxMessage;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  buffer = std::string(message.substr(0, cut)) + "...";
  return buffer;
}

// ANSI colours of the text format, as compilers use them: errors red, warnings yellow, notes cyan, the caret
// green; all bold. Only on a terminal that did not ask for NO_COLOR (the CLI decides).
struct Palette {
  std::string_view label, caret, reset;
};
constexpr Palette kPlain{"", "", ""};
Palette palette(bool colour, std::string_view label) {
  if (!colour) return kPlain;
  const std::string_view c = label.rfind("error", 0) == 0 ? "\x1b[1;31m" : label.rfind("warning", 0) == 0 ? "\x1b[1;33m" : "\x1b[1;36m";
  return {c, "\x1b[1;32m", "\x1b[0m"};
}

void render_location(std::string& out, const SourceManager& sources, const Span& span, std::string_view label,
                     std::string_view full_message, bool colour) {
  const Palette p = palette(colour, label);
  std::string buffer;
  const std::string_view message = shorten(full_message, buffer);
  if (span.file >= sources.size()) {
    out += fmt::format("{}{}{}: {}\n", p.label, label, p.reset, message);
    return;
  }
  const auto lc = sources.line_col(span.file, span.offset);
  out += fmt::format("{}:{}:{}: {}{}{}: {}\n", sources.path(span.file), lc.line, lc.column, p.label, label, p.reset,
                     message);
  const auto line = sources.line_text(span.file, span.offset);
  constexpr std::size_t kMaxShown = 200;  // very long lines are cut so the caret stays readable
  const std::size_t col = lc.column - 1;
  const std::size_t start = col > kMaxShown / 2 && line.size() > kMaxShown ? col - kMaxShown / 2 : 0;
  const auto shown = line.substr(std::min(start, line.size()), kMaxShown);
  const std::string gutter = fmt::format("{:>5}", lc.line);
  out += fmt::format("{} | {}\n", gutter, printable(shown));
  const std::size_t caret_at = std::min(col - start, shown.size());
  const std::size_t width = std::clamp<std::size_t>(span.length, 1, std::max<std::size_t>(1, shown.size() - caret_at));
  out += fmt::format("{} | {}{}{}{}\n", std::string(gutter.size(), ' '), std::string(caret_at, ' '), p.caret,
                     std::string(width, '^'), p.reset);
}

}  // namespace

std::string render(const Diagnostic& d, const SourceManager& sources, bool colour) {
  std::string out;
  const auto label = fmt::format("{}[{}]", d.severity == Severity::error ? "error" : "warning", info(d.code).id);
  render_location(out, sources, d.span, label, d.message, colour);
  for (const auto& note : d.notes) render_location(out, sources, note.span, "note", note.message, colour);
  if (!d.hint.empty()) out += fmt::format("  = hint: {}\n", d.hint);
  return out;
}

}  // namespace egress
