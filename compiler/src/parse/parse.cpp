// The parser: checks the encoding, runs the PEGTL grammar over the file's text in place (no copy), and
// builds the tree through Builder.
#include "parse/parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <tao/pegtl.hpp>

#include "parse/actions.hpp"
#include "parse/errors.hpp"
#include "parse/grammar.hpp"

namespace egress::parse {
namespace {

using syntax::ItemKind;

/// The offset of the first byte that is NUL or not part of well-formed UTF-8 (Unicode 15, table 3-7).
std::optional<std::size_t> first_invalid_byte(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {  // eight ASCII bytes, none of them NUL
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
      if ((w & highs) == 0 && ((w - ones) & ~w & highs) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      len = 3;
    } else if (c == 0xED) {
      len = 3, hi = 0x9F;  // no surrogates
    } else if (c == 0xF0) {
      len = 4, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4, hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::nullopt;
}

/// The code point of the UTF-8 sequence at `p` (already validated).
char32_t decode(const unsigned char* p, std::size_t len) {
  if (len == 1) return p[0];
  char32_t cp = p[0] & (0xFF >> (len + 1));
  for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (p[k] & 0x3F);
  return cp;
}

std::size_t utf8_length(unsigned char lead) { return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }

int parse_prefix(const char* begin, const char* end) {
  long long v = 0;
  for (const char* p = begin; p != end; ++p) {
    v = v * 10 + (*p - '0');
    if (v > std::numeric_limits<int>::max()) return std::numeric_limits<int>::max();
  }
  return static_cast<int>(v);
}

}  // namespace

// ---- Builder

Builder::Builder(const SourceManager& sources, std::uint32_t file, std::string_view text, syntax::File& out,
                 Diagnostics& diags)
    : sources_(sources),
      file_(file),
      base_(text.data()),
      begin_(text.data()),
      end_(text.data() + text.size()),
      out_(out),
      diags_(diags) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") begin_ += 3;
  open_.reserve(kMaxDepth);
  done_.resize(kMaxDepth + 1);
}

Diagnostic* Builder::report(Code code, Span span, std::string message, const char* hint) {
  if (reported_ >= kMaxDiagnostics) return nullptr;
  // One error is never reported twice (a cascade would produce the same code at the same place).
  if (last_ != nullptr && last_->code == code && last_->span.offset == span.offset) return nullptr;
  last_ = &diags_.report(code, span, std::move(message), hint != nullptr ? hint : "");
  ++reported_;
  return last_;
}

void Builder::stop_if_full() {
  if (reported_ < kMaxDiagnostics) return;
  if (last_ != nullptr) {
    last_->notes.push_back(
        {last_->span, fmt::format("this is error {} in this file; parsing stops here", kMaxDiagnostics)});
  }
  throw too_many_errors{};
}

bool Builder::at_line_end(const char* at) const {
  return at < end_ && (*at == '\n' || (*at == '\r' && at + 1 < end_ && at[1] == '\n'));
}

std::size_t Builder::char_length(const char* at) const {
  if (at >= end_) return 0;
  if (*at == '\r' && at + 1 < end_ && at[1] == '\n') return 2;
  return std::min<std::size_t>(utf8_length(static_cast<unsigned char>(*at)), static_cast<std::size_t>(end_ - at));
}

std::string Builder::found(const char* at) const {
  if (at >= end_) return "the end of the file";
  const auto c = static_cast<unsigned char>(*at);
  if (at_line_end(at)) return "the end of the line";
  if (c == '\'') return "`'`";
  if (c >= 0x20 && c < 0x7F) return fmt::format("'{}'", static_cast<char>(c));
  if (c == '\t') return "a tab";
  if (c < 0x80) return fmt::format("the control character U+{:04X}", static_cast<unsigned>(c));
  const std::size_t len = char_length(at);
  return fmt::format("'{}' (U+{:04X})", std::string_view(at, len),
                     static_cast<std::uint32_t>(decode(reinterpret_cast<const unsigned char*>(at), len)));
}

void Builder::syntax_error(const errors::Spec& spec, const char* at) {
  Span where{file_, offset(at), static_cast<std::uint32_t>(char_length(at))};
  switch (spec.anchor) {
    case errors::Anchor::here: break;
    case errors::Anchor::escape:  // `at` is just after the backslash
      where = Span{file_, offset(at - 1), static_cast<std::uint32_t>(1 + (at_line_end(at) ? 0 : char_length(at)))};
      break;
    case errors::Anchor::string_open: {
      const char* eol = at;  // the string runs to the end of its line
      while (eol < end_ && *eol != '\n') ++eol;
      if (eol > string_open_ && eol[-1] == '\r') --eol;
      where = span(string_open_, std::max(eol, string_open_ + 1));
      break;
    }
    case errors::Anchor::interpolation: where = span(interp_open_, std::max(at, interp_open_ + 2)); break;
  }
  std::string message = spec.expected;
  if (spec.mentions_block && !open_.empty()) {
    const auto lc = sources_.line_col(file_, open_.back().block.open.offset);
    message += fmt::format(" or `>` to close the block opened at {}:{}", lc.line, lc.column);
  }
  message += ", found ";
  message += found(at);
  report(spec.code, where, std::move(message), spec.hint);

  // Recovery skips the rest of the line from here; inside a string, from its opening quote, so that the
  // skip reads the string as a string.
  resume_ = in_string_ ? string_open_ : at;
  in_string_ = false;
  stop_if_full();
}

void Builder::comment(const char* begin, const char* end) {
  const auto at = offset(begin);
  if (!out_.comments.empty() && out_.comments.back().span.offset >= at) return;  // seen before a rewind
  const char* p = begin;
  while (p > begin_ && (p[-1] == ' ' || p[-1] == '\t')) --p;
  out_.comments.push_back({span(begin, end), p == begin_ || p[-1] == '\n'});
}

void Builder::keep_parts(syntax::Item& item) {
  item.set_parts(out_.storage.parts.keep(parts_));
  parts_.clear();
}

void Builder::add_parts(syntax::Item& item, const char* begin, const char* end) {
  // Words: literal runs and `${name}`, both views of the source (the grammar checked the interpolations). A
  // word without `${` has no parts: its text says it all (syntax/ast.hpp), and most words are such.
  const void* dollar = std::memchr(begin, '$', static_cast<std::size_t>(end - begin));
  if (dollar == nullptr) return;
  const char* literal = begin;
  const char* p = static_cast<const char*>(dollar);
  while (p < end) {
    if (p[0] == '$' && p + 1 < end && p[1] == '{') {
      if (literal != p) parts_.push_back({view(literal, p), span(literal, p), false});
      const char* close = static_cast<const char*>(std::memchr(p, '}', static_cast<std::size_t>(end - p)));
      parts_.push_back({view(p + 2, close), span(p, close + 1), true});
      p = literal = close + 1;
    } else {
      ++p;
    }
  }
  if (literal != end) parts_.push_back({view(literal, end), span(literal, end), false});
  keep_parts(item);
}

void Builder::head(const char* begin, const char* end) {
  pending_ = syntax::Statement{};
  items_.clear();
  auto& h = pending_.head;
  h.kind = ItemKind::word;
  h.span = span(begin, end);
  h.text = view(begin, end);
}

void Builder::word(const char* begin, const char* end) {
  auto& it = items_.emplace_back();
  it.kind = ItemKind::word;
  it.span = span(begin, end);
  const char* text_end = end;
  const char* digits = end;  // a trailing `/digits` is the prefix; `/` appears nowhere else in a word
  while (digits > begin && digits[-1] >= '0' && digits[-1] <= '9') --digits;
  if (digits != end && digits > begin && digits[-1] == '/') {
    text_end = digits - 1;
    it.prefix = parse_prefix(digits, end);
  }
  it.text = view(begin, text_end);
  add_parts(it, begin, text_end);
}

void Builder::string(const char* begin, const char* end) {
  in_string_ = false;
  auto& it = items_.emplace_back();
  it.kind = ItemKind::string;
  it.span = span(begin, end);
  const char* raw = begin + 1;
  const char* raw_end = end - 1;
  it.text = view(raw, raw_end);

  // A literal part is a view of the source, unless it holds an escape: then its unescaped text is gathered in
  // unescaped_ and kept in the File.
  const char* literal_begin = nullptr;
  bool escaped = false;
  auto flush = [&](const char* at) {
    if (literal_begin == nullptr) return;
    std::string_view text = view(literal_begin, at);
    if (escaped) {
      const auto kept = out_.storage.unescaped.keep({unescaped_.data(), unescaped_.size()});
      text = std::string_view(kept.data(), kept.size());
    }
    parts_.push_back({text, span(literal_begin, at), false});
    literal_begin = nullptr;
    escaped = false;
  };
  const char* p = raw;
  while (p < raw_end) {
    if (*p == '\\') {
      if (literal_begin == nullptr) literal_begin = p;
      if (!escaped) unescaped_.assign(literal_begin, p);  // the part so far had no escape
      escaped = true;
      const char c = p[1];
      unescaped_ += c == 'n' ? '\n' : c == 't' ? '\t' : c;  // the grammar allows only \\ \" \n \t \$
      p += 2;
    } else if (*p == '$' && p + 1 < raw_end && p[1] == '{') {
      flush(p);
      const char* close = static_cast<const char*>(std::memchr(p, '}', static_cast<std::size_t>(raw_end - p)));
      parts_.push_back({view(p + 2, close), span(p, close + 1), true});
      p = close + 1;
    } else {
      if (literal_begin == nullptr) literal_begin = p;
      const char* q = p + 1;
      while (q < raw_end && *q != '\\' && *q != '$') ++q;
      if (escaped) unescaped_.append(p, q);
      p = q;
    }
  }
  flush(raw_end);
  keep_parts(it);
}

void Builder::token(ItemKind kind, const char* begin, const char* end) {
  auto& it = items_.emplace_back();
  it.kind = kind;
  it.span = span(begin, end);
  it.text = view(begin, end);
}

void Builder::take_items() {
  pending_.items = out_.storage.items.keep(items_);
  items_.clear();
  pending_.span = pending_.items.empty() ? pending_.head.span : pending_.head.span.to(pending_.items.back().span);
}

void Builder::end_statement() {
  take_items();
  statements().push_back(pending_);
}

void Builder::open_block(const char* at) {
  const Span where = span(at, at + 1);
  if (open_.size() >= kMaxDepth) {
    report(Code::E0006, where, fmt::format("blocks are nested more than {} deep", kMaxDepth),
           "move the inner statements to a declaration of their own");
    resume_ = at;  // recovery skips this whole block
    stop_if_full();
    throw grammar::syntax_error{};
  }
  take_items();
  pending_.has_block = true;
  pending_.block.open = where;
  pending_.span = pending_.head.span.to(where);
  open_.push_back(pending_);
}

// Pops the innermost open statement into `s`, its block's statements kept in the File.
void Builder::close(syntax::Statement& s) {
  auto& inner = statements();
  s = open_.back();
  s.block.statements = out_.storage.statements.keep(inner);
  inner.clear();
  open_.pop_back();
}

void Builder::close_block(const char* at) {
  const Span where = span(at, at + 1);
  if (open_.empty()) {
    report(Code::E0001, where, "unexpected `>`: no block is open here",
           "a `>` closes the block that a `<` at the end of a statement opened");
    resume_ = at + 1;
    stop_if_full();
    throw grammar::syntax_error{};
  }
  syntax::Statement s;
  close(s);
  s.block.close = where;
  s.span = s.span.to(where);
  statements().push_back(s);
}

void Builder::finish() {
  if (!open_.empty()) {
    const auto& inner = open_.back();
    if (Diagnostic* d =
            report(Code::E0003, inner.block.open,
                   fmt::format("the block of `{}` is not closed with `>` before the end of the file", inner.head.text),
                   "add `>` on a line of its own after the block's last statement")) {
      if (open_.size() > 1) {
        const auto& outer = open_.front();
        d->notes.push_back({outer.block.open, open_.size() == 2
                                                  ? std::string("the block around it is not closed either")
                                                  : fmt::format("the {} blocks around it, from here, are not "
                                                                "closed either",
                                                                open_.size() - 1)});
      }
    }
  }
  const Span eof{file_, offset(end_), 0};
  while (!open_.empty()) {
    syntax::Statement s;
    close(s);
    s.block.close = eof;
    if (!s.block.statements.empty()) s.span = s.span.to(s.block.statements.back().span);
    statements().push_back(s);
  }
  out_.statements = out_.storage.statements.keep(statements());
  statements().clear();
}

// ---- the entry point

syntax::File parse(const SourceManager& sources, std::uint32_t file, Diagnostics& diags) {
  syntax::File out;
  out.file = file;
  const std::string_view text = sources.text(file);
  if (text.size() >= std::numeric_limits<std::uint32_t>::max()) {
    diags.report(Code::E0005, Span{file, 0, 0}, "the file is larger than 4 GiB");
    return out;
  }
  if (const auto bad = first_invalid_byte(text)) {
    const auto byte = static_cast<unsigned char>(text[*bad]);
    diags.report(Code::E0005, Span{file, static_cast<std::uint32_t>(*bad), 1},
                 byte == 0
                     ? std::string("the file holds a NUL byte")
                     : fmt::format("the file is not valid UTF-8: byte 0x{:02X} does not start a valid sequence", byte),
                 "save the file as UTF-8 text");
    return out;
  }

  Builder builder(sources, file, text, out, diags);
  tao::pegtl::memory_input<tao::pegtl::tracking_mode::lazy, tao::pegtl::eol::lf_crlf> in(
      text.data(), text.data() + text.size(), sources.path(file));
  try {
    // `file` cannot fail: every element either parses or is reported and skipped.
    (void)tao::pegtl::parse<grammar::file, action, errors::control>(in, builder);
  } catch (const Builder::too_many_errors&) {
    // The last diagnostic says so; finish() keeps the blocks still open and reports nothing more.
  }
  builder.finish();
  return out;
}

}  // namespace egress::parse
