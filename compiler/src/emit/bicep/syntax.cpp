// Bicep syntax: see syntax.hpp.
#include "emit/bicep/syntax.hpp"

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

std::string escape(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
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
  return out;
}

std::string quote(std::string_view s) { return "'" + escape(s) + "'"; }

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

Writer& Writer::key(std::string_view k) { return raw_key(is_identifier(k) ? std::string(k) : quote(k)); }

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

}  // namespace egress::emit::bicep_detail
