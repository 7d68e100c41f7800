// Bash quoting: see shell_quote.hpp.
#include "emit/shell_quote.hpp"

namespace egress::emit::sh {

namespace {

// Bash strings cannot hold NUL; a NUL would silently cut the value short, so it is dropped here.
std::string without_nul(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != '\0') out += c;
  return out;
}

// Control characters (a CR, a tab, ESC...) are legal inside quotes, but a script holding them raw is
// unreadable, shellcheck flags a CR (SC1017), and an editor or a copy-paste may change them: such text is
// written as ANSI-C quoting, $'...', where every one of them is an escape.
bool has_control(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  return false;
}

std::string ansi_c_quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "$'";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (u < 0x20 || u == 0x7F) {
          out += "\\x";  // at most two hex digits are read, so a digit after it stays a digit
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
  out += '\'';
  return out;
}

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string single_quote(std::string_view s) {
  if (has_control(without_nul(s))) return ansi_c_quote(without_nul(s));
  std::string out = "'";
  for (char c : without_nul(s)) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

std::string escape_in_double_quotes(std::string_view s) {
  std::string out;
  for (char c : without_nul(s)) {
    if (c == '\\' || c == '$' || c == '`' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

bool is_bare(std::string_view s) {
  if (s.empty() || s.front() == '-') return false;
  for (char c : s) {
    bool ok = is_ident_char(c) || c == '.' || c == '/' || c == ':' || c == '@' || c == '%' || c == '+' ||
              c == ',' || c == '=' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_identifier(std::string_view s) {
  if (s.empty() || (s.front() >= '0' && s.front() <= '9')) return false;
  for (char c : s)
    if (!is_ident_char(c)) return false;
  return true;
}

Word Word::lit(std::string s) {
  Word w;
  w.append_lit(s);
  return w;
}

Word Word::var(std::string name) {
  Word w;
  w.append_var(std::move(name));
  return w;
}

Word& Word::append_lit(std::string_view s) {
  if (s.empty()) return *this;
  if (!segs_.empty() && !segs_.back().var)
    segs_.back().text += s;
  else
    segs_.push_back({false, std::string(s)});
  return *this;
}

Word& Word::append_var(std::string name) {
  segs_.push_back({true, std::move(name)});
  return *this;
}

Word& Word::operator+=(const Word& w) {
  for (const auto& s : w.segs_) {
    if (s.var)
      append_var(s.text);
    else
      append_lit(s.text);
  }
  return *this;
}

bool Word::is_literal() const {
  for (const auto& s : segs_)
    if (s.var) return false;
  return true;
}

bool Word::starts_with_dash() const {
  return !segs_.empty() && !segs_.front().var && !segs_.front().text.empty() && segs_.front().text.front() == '-';
}

std::string Word::render() const {
  if (is_literal()) {
    std::string all;
    for (const auto& s : segs_) all += s.text;
    // `$`, backticks and backslashes read as literal in single quotes, but shellcheck flags them there
    // (SC2016, SC1003) as likely mistakes; escaped inside double quotes they mean the same and pass.
    if (has_control(without_nul(all)) || all.find_first_of("$`\\") == std::string::npos) return single_quote(all);
    return "\"" + escape_in_double_quotes(all) + "\"";
  }
  if (segs_.size() == 1) return "\"$" + segs_.front().text + "\"";
  // One word of adjacent pieces: "lit${VAR}lit", with a $'...' piece for literal text holding control
  // characters ("a"$'\r'"${B}" is one word).
  std::string out;
  bool open = false;
  for (const auto& s : segs_) {
    if (!s.var && has_control(without_nul(s.text))) {
      if (open) out += '"';
      open = false;
      out += ansi_c_quote(without_nul(s.text));
      continue;
    }
    if (!open) out += '"';
    open = true;
    out += s.var ? "${" + s.text + "}" : escape_in_double_quotes(s.text);
  }
  if (open) out += '"';
  return out;
}

}  // namespace egress::emit::sh
