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

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string single_quote(std::string_view s) {
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
    if (all.find_first_of("$`\\") == std::string::npos) return single_quote(all);
    return "\"" + escape_in_double_quotes(all) + "\"";
  }
  if (segs_.size() == 1) return "\"$" + segs_.front().text + "\"";
  std::string out = "\"";
  for (const auto& s : segs_) {
    if (s.var)
      out += "${" + s.text + "}";
    else
      out += escape_in_double_quotes(s.text);
  }
  out += '"';
  return out;
}

}  // namespace egress::emit::sh
