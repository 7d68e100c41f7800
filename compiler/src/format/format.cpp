// The formatter (see format.hpp for the layout). It walks the syntax tree in source order, emitting lines, and
// merges the comments of File::comments in by offset: a comment is flushed just before the first token that
// follows it, either onto the line being built (an end-of-line comment) or as a line of its own. Two passes
// then finish the picture: rule names are padded while a block is emitted, comment columns once at the end.
#include "format/format.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "egress/compiler.hpp"
#include "parse/parse.hpp"

namespace egress::format {

namespace {

using syntax::Item;
using syntax::ItemKind;
using syntax::Statement;

constexpr std::size_t kIndent = 2;          // spaces per block level
constexpr std::size_t kCommentColumn = 45;  // end-of-line comments start here (0-based) when the code fits
constexpr std::size_t kOneLineWidth = 80;   // a one-line block must fit in this many columns

/// Display width of UTF-8 text: code points, not bytes.
std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (const unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

struct Line {
  std::size_t indent = 0;
  std::string code;     // empty for blank lines and comment-only lines
  std::string comment;  // a trailing comment, or the whole content of a comment-only line
  bool blank = false;
};

bool is_protocol_word(const Item& it) {
  return it.is_word("tcp") || it.is_word("udp") || it.is_word("icmp") || it.is_word("any");
}

bool is_app_protocol_word(const Item& it) {
  return it.is_word("http") || it.is_word("https") || it.is_word("mssql");
}

/// `allow NAME PROTOCOL ...` / `deny NAME ...`: a rule whose first item is its name.
bool is_named_rule(const Statement& s) {
  if (s.head.text != "allow" && s.head.text != "deny") return false;
  if (s.items.size() < 2 || s.items[0].kind != ItemKind::word || is_protocol_word(s.items[0])) return false;
  return s.items[1].kind != ItemKind::colon;
}

class Formatter {
 public:
  Formatter(const syntax::File& tree, const SourceManager& sources)
      : tree_(tree), text_(sources.text(tree.file)) {
    comments_ = tree.comments;
    std::sort(comments_.begin(), comments_.end(),
              [](const syntax::Comment& a, const syntax::Comment& b) { return a.span.offset < b.span.offset; });
  }

  std::string run() {
    statements(tree_.statements, 0);
    flush_comments(static_cast<std::uint32_t>(text_.size()) + 1, 0);
    align_comments();
    while (!lines_.empty() && lines_.back().blank) lines_.pop_back();
    std::string out;
    for (const auto& l : lines_) {
      if (!l.blank) {
        if (!l.code.empty() || !l.comment.empty()) out.append(l.indent, ' ');
        out += l.code;
        if (!l.comment.empty()) {
          if (!l.code.empty()) out += ' ';  // align_comments() has padded the code
          out += l.comment;
        }
      }
      out += '\n';
    }
    return out;
  }

 private:
  [[nodiscard]] std::string_view raw(const Span& s) const { return text_.substr(s.offset, s.length); }

  /// True when [from, to) holds a line that is empty, or only white space and `;`.
  [[nodiscard]] bool has_blank_line(std::uint32_t from, std::uint32_t to) const {
    if (from >= to || to > text_.size()) return false;
    std::size_t newlines = 0;
    bool only_blank = true;
    for (std::uint32_t i = from; i < to; ++i) {
      const char c = text_[i];
      if (c == '\n') {
        if (newlines > 0 && only_blank) return true;
        ++newlines;
        only_blank = true;
      } else if (c != ' ' && c != '\t' && c != '\r' && c != ';') {
        only_blank = false;
      }
    }
    return false;
  }

  [[nodiscard]] bool has_newline(std::uint32_t from, std::uint32_t to) const {
    if (from >= to || to > text_.size()) return false;
    return text_.substr(from, to - from).find('\n') != std::string_view::npos;
  }

  [[nodiscard]] bool has_comment(std::uint32_t from, std::uint32_t to) const {
    auto it = std::lower_bound(comments_.begin(), comments_.end(), from,
                               [](const syntax::Comment& c, std::uint32_t at) { return c.span.offset < at; });
    return it != comments_.end() && it->span.offset < to;
  }

  static std::string comment_text(std::string_view c) {
    while (!c.empty() && (c.back() == ' ' || c.back() == '\t' || c.back() == '\r')) c.remove_suffix(1);
    return std::string(c);
  }

  void new_line(std::size_t indent) {
    lines_.push_back(Line{indent, {}, {}, false});
    open_ = true;
  }

  void blank_line() {
    if (!lines_.empty() && !lines_.back().blank) lines_.push_back(Line{0, {}, {}, true});
    open_ = false;
  }

  /// Emits the comments that start before `before`; own-line comments get `indent`.
  void flush_comments(std::uint32_t before, std::size_t indent) {
    while (next_comment_ < comments_.size() && comments_[next_comment_].span.offset < before) {
      const auto& c = comments_[next_comment_++];
      const std::string body = comment_text(raw(c.span));
      const bool trailing = !c.own_line && open_ && !lines_.empty() && !lines_.back().code.empty() &&
                            lines_.back().comment.empty();
      if (trailing) {
        lines_.back().comment = body;
      } else {
        if (!at_block_start_ && has_blank_line(last_end_, c.span.offset)) blank_line();
        lines_.push_back(Line{indent, {}, body, false});
      }
      open_ = false;  // a comment ends its line
      at_block_start_ = false;
      last_end_ = c.span.end();
    }
  }

  /// Starts the line of an element (a statement or a block's `>`) that begins at `offset`.
  void start_element(std::uint32_t offset, std::size_t indent, bool blank_allowed) {
    flush_comments(offset, indent);
    if (blank_allowed && !at_block_start_ && has_blank_line(last_end_, offset)) blank_line();
    new_line(indent);
    at_block_start_ = false;
  }

  void append(std::string_view s) { lines_.back().code += s; }

  /// The separator written before items[index] (index 0 follows the head).
  static std::string_view separator(const Statement& s, std::size_t index) {
    const Item& cur = s.items[index];
    const Item& prev = index == 0 ? s.head : s.items[index - 1];
    if (cur.kind == ItemKind::comma) return "";
    // A pool's `label KEY=VALUE` and `taint KEY=VALUE:EFFECT` are written as Kubernetes writes them.
    if ((s.head.text == "label" || s.head.text == "taint") &&
        (cur.kind == ItemKind::equals || prev.kind == ItemKind::equals ||
         (s.head.text == "taint" && (cur.kind == ItemKind::colon || prev.kind == ItemKind::colon))))
      return "";
    if (cur.kind == ItemKind::colon) {
      if (s.head.text == "param" && index == 1) return "";  // param NAME: type
      if (index + 1 < s.items.size() && is_app_protocol_word(prev) && s.items[index + 1].kind == ItemKind::number)
        return "";  // https:443
      return " ";
    }
    if (prev.kind == ItemKind::colon && index >= 2 && is_app_protocol_word(s.items[index - 2]) &&
        cur.kind == ItemKind::number && !(s.head.text == "param" && index == 2))
      return "";
    return " ";
  }

  /// Whether `s`'s block stays on one line (see format.hpp).
  [[nodiscard]] bool one_line_block(const Statement& s, std::size_t indent) const {
    if (!s.has_block || s.block.statements.size() > 1) return false;
    if (has_newline(s.block.open.offset, s.block.close.offset) || has_comment(s.block.open.offset, s.block.close.end()))
      return false;
    if (s.block.close.length == 0) return false;  // an unclosed block (only after errors)
    if (!s.block.statements.empty() && s.block.statements.front().has_block) return false;
    return indent + width(inline_text(s)) <= kOneLineWidth;
  }

  /// A statement and, if any, its one-line block, as one line of text.
  [[nodiscard]] std::string inline_text(const Statement& s) const {
    std::string out(raw(s.head.span));
    for (std::size_t i = 0; i < s.items.size(); ++i) {
      out += separator(s, i);
      out += raw(s.items[i].span);
    }
    if (s.has_block) {
      out += " <";
      for (const auto& inner : s.block.statements) {
        out += ' ';
        out += inline_text(inner);
      }
      out += " >";
    }
    return out;
  }

  void statements(std::span<const Statement> list, std::size_t depth) {
    // Rule names are padded within runs of named rules with no blank line between them.
    std::vector<std::size_t> pad(list.size(), 0);
    for (std::size_t i = 0; i < list.size();) {
      if (!is_named_rule(list[i])) {
        ++i;
        continue;
      }
      std::size_t j = i + 1;
      while (j < list.size() && is_named_rule(list[j]) &&
             !has_blank_line(list[j - 1].span.end(), list[j].head.span.offset))
        ++j;
      std::size_t widest = 0;
      for (std::size_t k = i; k < j; ++k) widest = std::max(widest, width(raw(list[k].items[0].span)));
      for (std::size_t k = i; k < j; ++k) pad[k] = widest;
      i = j;
    }
    for (std::size_t i = 0; i < list.size(); ++i) statement(list[i], depth, pad[i]);
  }

  void statement(const Statement& s, std::size_t depth, std::size_t pad) {
    const std::size_t indent = depth * kIndent;
    start_element(s.head.span.offset, indent, true);
    append(raw(s.head.span));
    last_end_ = s.head.span.end();
    for (std::size_t i = 0; i < s.items.size(); ++i) {
      const Item& it = s.items[i];
      const bool wrapped = i > 0 && s.items[i - 1].kind == ItemKind::comma && has_newline(last_end_, it.span.offset);
      if (wrapped) {
        flush_comments(it.span.offset, indent + kIndent);
        new_line(indent + kIndent);
      } else {
        flush_comments(it.span.offset, indent + kIndent);
        if (!open_) new_line(indent + kIndent);  // only after a comment inside the statement
        append(separator(s, i));
      }
      append(raw(it.span));
      if (i == 0 && pad > 0) {
        const std::size_t w = width(raw(it.span));
        if (w < pad) lines_.back().code.append(pad - w, ' ');
      }
      last_end_ = it.span.end();
    }
    if (!s.has_block) {
      // A statement that ends in `,` was ended by a `;` (a line break would have continued it): keep the `;`,
      // or the next statement would become part of this one (found by tests/fuzz/fuzz_format).
      if (!s.items.empty() && s.items.back().kind == ItemKind::comma) append(";");
      return;
    }
    if (one_line_block(s, indent)) {
      append(" <");
      for (const auto& inner : s.block.statements) {
        append(" ");
        append(inline_text(inner));
      }
      append(" >");
      last_end_ = s.block.close.end();
      return;
    }
    append(" <");
    last_end_ = s.block.open.end();
    at_block_start_ = true;
    statements(s.block.statements, depth + 1);
    if (s.block.close.length == 0) return;  // unclosed (only after errors): nothing to write
    flush_comments(s.block.close.offset, indent + kIndent);
    start_element(s.block.close.offset, indent, false);
    append(">");
    last_end_ = s.block.close.end();
  }

  /// End-of-line comments: in a run of consecutive code lines that carry one, they share a column.
  void align_comments() {
    for (std::size_t i = 0; i < lines_.size();) {
      auto has = [&](std::size_t k) {
        return k < lines_.size() && !lines_[k].blank && !lines_[k].code.empty() && !lines_[k].comment.empty();
      };
      if (!has(i)) {
        ++i;
        continue;
      }
      std::size_t j = i;
      std::size_t widest = 0;
      while (has(j)) {
        widest = std::max(widest, lines_[j].indent + width(lines_[j].code));
        ++j;
      }
      const std::size_t column = std::max(kCommentColumn, widest + 1);
      for (std::size_t k = i; k < j; ++k) {
        const std::size_t w = lines_[k].indent + width(lines_[k].code);
        // run() writes one space between code and comment.
        if (column - 1 > w) lines_[k].code.append(column - 1 - w, ' ');
      }
      i = j;
    }
  }

  const syntax::File& tree_;
  std::string_view text_;
  std::vector<syntax::Comment> comments_;
  std::size_t next_comment_ = 0;
  std::vector<Line> lines_;
  bool open_ = false;            // lines_.back() takes more code
  bool at_block_start_ = true;   // nothing emitted yet in the current block (or file)
  std::uint32_t last_end_ = 0;   // source offset after the last token or comment emitted
};

}  // namespace

std::string format(const syntax::File& tree, const SourceManager& sources) { return Formatter(tree, sources).run(); }

std::optional<std::string> format_file(const SourceManager& sources, std::uint32_t file, Diagnostics& diags) {
  // The same cap as compile(): the tree takes about 8 bytes per source byte of rule lines (syntax/ast.hpp).
  if (sources.text(file).size() > kDefaultMaxSourceBytes) {
    diags.report(Code::E0008, Span{file, 0, 0},
                 fmt::format("the file is larger than {} MiB, the most egressc formats", kDefaultMaxSourceBytes >> 20));
    return std::nullopt;
  }
  Diagnostics local;
  auto tree = parse::parse(sources, file, local);
  const bool failed = local.has_errors();
  diags.append(local);
  if (failed) return std::nullopt;
  return format(tree, sources);
}

std::optional<std::string> format_text(std::string text) {
  SourceManager sources;
  const auto id = sources.add("<input>", std::move(text));
  Diagnostics diags;
  return format_file(sources, id, diags);
}

}  // namespace egress::format
