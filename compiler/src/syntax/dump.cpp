// The AST dumper (`egressc --dump=ast`): one node per line, indented by depth, each with its kind, its text
// and where it starts (line:col). Stable by design: golden files compare it byte for byte.
//
//   statement "firewall" 1:1-1:49        head, then start-end (the end is just past the last character)
//     word "fw" 1:10
//     block 1:13-1:48                     where `<` and `>` are (`unclosed` when there is no `>`)
//       statement "dnat" 1:15-1:47
//         number "80" 1:20
//         string "store-front" 1:34
//   comment own-line "// ..." 3:1        comments last, in source order
//
// A word or string whose parts say more than its text lists them (`part`, `interpolation`); a word's
// prefix follows its text (`word "fwpip" /32`). Texts are quoted with `"`, `\` and control characters escaped.
#include <fmt/format.h>

#include "base/quote.hpp"
#include "syntax/ast.hpp"

namespace egress::syntax {
namespace {

std::string_view kind_name(ItemKind k) {
  switch (k) {
    case ItemKind::word: return "word";
    case ItemKind::string: return "string";
    case ItemKind::number: return "number";
    case ItemKind::port_range: return "port_range";
    case ItemKind::address: return "address";
    case ItemKind::arrow: return "arrow";
    case ItemKind::colon: return "colon";
    case ItemKind::comma: return "comma";
    case ItemKind::star: return "star";
    case ItemKind::equals: return "equals";
  }
  return "?";
}

class Dumper {
 public:
  Dumper(const SourceManager& sources, std::uint32_t file) : sources_(sources), file_(file) {}

  void statement(const Statement& s, int depth) {
    line(depth, fmt::format("statement {} {}-{}", quoted(s.head.text), at(s.span.offset), at(s.span.end())));
    for (const auto& it : s.items) item(it, depth + 1);
    if (!s.has_block) return;
    const bool closed = s.block.close.length > 0;
    line(depth + 1, fmt::format("block {}-{}", at(s.block.open.offset),
                                closed ? at(s.block.close.offset) : std::string("unclosed")));
    for (const auto& inner : s.block.statements) statement(inner, depth + 2);
  }

  void item(const Item& it, int depth) {
    std::string text = fmt::format("{} {}", kind_name(it.kind), quoted(it.text));
    if (it.prefix >= 0) text += fmt::format(" /{}", it.prefix);
    line(depth, fmt::format("{} {}", text, at(it.span.offset)));
    const auto parts = it.parts();
    const bool plain = parts.empty() || (parts.size() == 1 && !parts[0].interpolation && parts[0].text == it.text);
    if (plain) return;
    for (const auto& p : parts) {
      line(depth + 1,
           fmt::format("{} {} {}", p.interpolation ? "interpolation" : "part", quoted(p.text), at(p.span.offset)));
    }
  }

  void comment(const Comment& c) {
    line(0, fmt::format("comment {}{} {}", c.own_line ? "own-line " : "", quoted(sources_.slice(c.span)),
                        at(c.span.offset)));
  }

  std::string take() { return std::move(out_); }

 private:
  std::string at(std::uint32_t offset) const {
    const auto lc = sources_.line_col(file_, offset);
    return fmt::format("{}:{}", lc.line, lc.column);
  }
  void line(int depth, std::string_view text) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  const SourceManager& sources_;
  std::uint32_t file_;
  std::string out_;
};

}  // namespace

std::string dump(const File& file, const SourceManager& sources) {
  Dumper d(sources, file.file);
  for (const auto& s : file.statements) d.statement(s, 0);
  for (const auto& c : file.comments) d.comment(c);
  return d.take();
}

}  // namespace egress::syntax
