// Bicep syntax: see syntax.hpp.
#include "emit/bicep/syntax.hpp"

#include <array>

#include "emit/json_writer.hpp"

namespace egress::emit::bicep_detail {

namespace {

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

bool is_identifier(std::string_view s) {
  if (s.empty() || !ident_start(s.front())) return false;
  for (char c : s)
    if (!ident_char(c)) return false;
  return true;
}

std::string to_identifier(std::string_view s, std::string_view fallback) {
  if (s.empty()) return std::string(fallback);
  std::string out;
  out.reserve(s.size() + 1);
  if (!ident_start(s.front()) && ident_char(s.front())) out += '_';  // a leading digit
  for (char c : s) out += ident_char(c) ? c : '_';
  return out;
}

namespace {

// The bytes a single-quoted Bicep string holds as they are: printable ASCII except `\`, `'` and `$` (`${` starts
// an interpolation; a `$` is looked at by the full loop below). Names, addresses and ports are nearly always made
// of these alone, so they are looked up in a table and copied whole.
constexpr auto kPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x7F; ++c) t[static_cast<std::size_t>(c)] = c != '\\' && c != '\'' && c != '$';
  return t;
}();

std::size_t plain_prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && kPlain[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

// Appends escape(s) to `out`.
void append_escaped(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::size_t i = plain_prefix(s);
  out.append(s.data(), i);
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (kPlain[c]) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t n = json::utf8_length(s, i);
      if (n == 0) {
        out += "\\u{FFFD}";
        ++i;
      } else {
        out.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '$':
        out += (i + 1 < s.size() && s[i + 1] == '{') ? "\\$" : "$";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\u{";
          if (c >> 4) out += hex[c >> 4];
          out += hex[c & 0xF];
          out += '}';
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
}

}  // namespace

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_escaped(out, s);
  return out;
}

void append_quoted(std::string& out, std::string_view s) {
  out += '\'';
  append_escaped(out, s);
  out += '\'';
}

std::string quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_quoted(out, s);
  return out;
}

Interpolation& Interpolation::lit(std::string_view s) {
  if (s.empty()) return *this;
  if (!pieces_.empty() && !pieces_.back().hole)
    pieces_.back().text += s;
  else
    pieces_.push_back({false, std::string(s)});
  return *this;
}

Interpolation& Interpolation::hole(std::string expression) {
  pieces_.push_back({true, std::move(expression)});
  return *this;
}

std::string Interpolation::render() const {
  if (pieces_.size() == 1 && pieces_.front().hole) return pieces_.front().text;
  std::string out = "'";
  for (const auto& p : pieces_) out += p.hole ? "${" + p.text + "}" : escape(p.text);
  out += '\'';
  return out;
}

Writer& Writer::key(std::string_view k) { return is_identifier(k) ? raw_key(k) : raw_key(quote(k)); }

Writer& Writer::raw_key(std::string_view k) {
  begin_key();
  out_ += k;
  end_key();
  return *this;
}

Writer& Writer::value(std::string_view expression) {
  before_value();
  out_ += expression;
  return *this;
}

Writer& Writer::string(std::string_view s) {
  before_value();
  append_quoted(out_, s);
  return *this;
}

}  // namespace egress::emit::bicep_detail
