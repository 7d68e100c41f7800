// Block-style YAML printing: see yaml_writer.hpp.
#include "emit/yaml_writer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>

namespace egress::emit::yaml {

namespace {

constexpr std::size_t kPlainMax = 100;     // longer strings are quoted, so they can fold
constexpr std::size_t kFoldWidth = 80;     // content characters per line of a folded double-quoted scalar
constexpr std::size_t kLiteralLineMax = 160;

// One unit of a double-quoted scalar: the text to print and whether it is a bare space (which must not
// sit next to a line fold, where a reader would strip it).
struct Atom {
  std::string text;
  bool space = false;
  bool newline = false;  // the `\n` escape
};

// Decodes one UTF-8 code point at `i`; returns the code point, or -1 for an invalid sequence (one byte eaten).
long decode(std::string_view s, std::size_t& i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  long cp = 0;
  long min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return -1;
  }
  if (i + len > s.size()) {
    ++i;
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += len;
  return cp;
}

// YAML's printable set, minus the characters YAML 1.1 treats as line breaks (NEL, LS, PS) and the BOM.
bool printable(long cp) {
  if (cp == 0x85 || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) return false;
  return cp == 0x09 || cp == 0x0A || cp == 0x0D || (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

std::string hex_escape(long cp) {
  std::array<char, 16> buf{};
  if (cp < 0x100)
    std::snprintf(buf.data(), buf.size(), "\\x%02X", static_cast<unsigned>(cp));
  else if (cp < 0x10000)
    std::snprintf(buf.data(), buf.size(), "\\u%04X", static_cast<unsigned>(cp));
  else
    std::snprintf(buf.data(), buf.size(), "\\U%08X", static_cast<unsigned>(cp));
  return buf.data();
}

std::vector<Atom> atoms_of(std::string_view s) {
  std::vector<Atom> out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    long cp = decode(s, i);
    if (cp < 0) {
      out.push_back({"\\uFFFD"});  // not UTF-8: no YAML reader could take it
    } else if (cp == '"') {
      out.push_back({"\\\""});
    } else if (cp == '\\') {
      out.push_back({"\\\\"});
    } else if (cp == '\n') {
      out.push_back({"\\n", false, true});
    } else if (cp == '\t') {
      out.push_back({"\\t"});
    } else if (cp == '\r') {
      out.push_back({"\\r"});
    } else if (cp == ' ') {
      out.push_back({" ", true});
    } else if (!printable(cp)) {
      out.push_back({hex_escape(cp)});
    } else {
      out.push_back({std::string(s.substr(start, i - start))});
    }
  }
  return out;
}

// Whether the string needs any escape other than `\n` (then a literal block cannot hold it).
bool clean_multiline(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    long cp = decode(s, i);
    if (cp < 0 || cp == '\t' || cp == '\r' || (cp != '\n' && !printable(cp))) return false;
  }
  return true;
}

std::string spaces(std::size_t n) { return std::string(n, ' '); }

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool plain_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '/' || c == '-' || c == '@' || c == '+';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// `key: |` or `key: |-` content, or "" when a literal block cannot hold `s` exactly and cleanly.
// `indent` is the content's indentation.
std::string literal_block(std::string_view s, std::size_t indent) {
  if (s.find('\n') == std::string_view::npos || !clean_multiline(s)) return {};
  std::string_view body = s;
  bool keep_newline = false;
  if (body.back() == '\n') {
    body.remove_suffix(1);
    keep_newline = true;
    if (!body.empty() && body.back() == '\n') return {};  // more than one final newline: `|+` territory
  }
  if (body.find("\n\n\n") != std::string_view::npos) return {};  // yamllint's empty-lines limit
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0;;) {
    auto nl = body.find('\n', pos);
    lines.push_back(body.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  bool seen_text = false;
  for (auto line : lines) {
    if (line.empty()) continue;
    if (line.back() == ' ') return {};  // trailing spaces: lost by careless tools, flagged by yamllint
    if (line.size() + indent > kLiteralLineMax) return {};
    if (!seen_text && line.front() == ' ') return {};  // would change the detected indentation
    seen_text = true;
  }
  if (!seen_text) return {};
  std::string out = keep_newline ? "|" : "|-";
  for (auto line : lines) {
    out += '\n';
    if (!line.empty()) out += spaces(indent) + std::string(line);
  }
  return out;
}

// A double-quoted scalar, folded with escaped line breaks after each `\n` and at about kFoldWidth columns.
// Continuation lines sit at `indent`. A space next to a fold is written `\x20` so no reader can strip it.
std::string double_quoted(std::string_view s, std::size_t indent, bool fold) {
  auto atoms = atoms_of(s);
  std::string out = "\"";
  std::size_t width = 0;
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    const Atom& a = atoms[i];
    bool first_on_line = width == 0 && i > 0;
    bool raw_space = a.space && !first_on_line;
    out += a.space && !raw_space ? "\\x20" : a.text;
    width += a.text.size();
    bool more = i + 1 < atoms.size();
    if (fold && more && (a.newline || width >= kFoldWidth)) {
      if (raw_space) {
        out.resize(out.size() - 1);
        out += "\\x20";
      }
      out += "\\\n" + spaces(indent);
      width = 0;
    }
  }
  out += '"';
  return out;
}

}  // namespace

bool plain_ok(std::string_view s) {
  if (s.empty() || s.size() > kPlainMax) return false;
  char c0 = s.front();
  if (!(is_alpha(c0) || c0 == '_' || c0 == '/')) return false;  // no numbers, dates, indicators, `.inf`
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') {
      // "a:b" stays one plain scalar; ": " or a final ':' would start a mapping.
      if (i + 1 >= s.size() || !plain_char(s[i + 1])) return false;
      continue;
    }
    if (!plain_char(c)) return false;
  }
  static constexpr std::array<std::string_view, 9> kReserved = {"y", "n", "yes", "no", "true", "false", "on", "off", "null"};
  auto l = lower(s);
  return std::find(kReserved.begin(), kReserved.end(), l) == kReserved.end();
}

std::string inline_scalar(std::string_view s) { return plain_ok(s) ? std::string(s) : double_quoted(s, 0, false); }

std::string comment_text(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    long cp = decode(s, i);
    if (cp < 0 || cp == '\t' || cp == '\n' || cp == '\r' || !printable(cp))
      out += ' ';
    else
      out.append(s.substr(start, i - start));
  }
  return out;
}

Node Node::str(std::string s) {
  Node n;
  n.quoted_ = true;
  n.text_ = std::move(s);
  return n;
}

Node Node::num(long long v) {
  Node n;
  n.text_ = std::to_string(v);
  return n;
}

Node Node::boolean(bool b) {
  Node n;
  n.text_ = b ? "true" : "false";
  return n;
}

Node Node::map() {
  Node n;
  n.kind_ = Kind::map;
  return n;
}

Node Node::seq() {
  Node n;
  n.kind_ = Kind::seq;
  return n;
}

Node& Node::set(std::string key, Node value) {
  for (auto& [k, v] : entries_) {
    if (k == key) {
      v = std::move(value);
      return *this;
    }
  }
  entries_.emplace_back(std::move(key), std::move(value));
  return *this;
}

Node& Node::push(Node item) {
  items_.push_back(std::move(item));
  return *this;
}

class Printer {
 public:
  std::string out;

  // A scalar that follows `key: ` or `- ` where the key or dash sits at column `col`.
  [[nodiscard]] static std::string scalar(const Node& n, std::size_t col) {
    if (!n.quoted_) return n.text_;
    if (plain_ok(n.text_)) return n.text_;
    if (auto lit = literal_block(n.text_, col + 2); !lit.empty()) return lit;
    return double_quoted(n.text_, col + 2, true);
  }

  // The rest of a `key:` or `-` line (the key or dash at column `col`) and what nests under it.
  void value(const Node& v, std::size_t col) {
    switch (v.kind_) {
      case Node::Kind::scalar:
        out += " " + scalar(v, col) + "\n";
        break;
      case Node::Kind::map:
        if (v.empty()) {
          out += " {}\n";
        } else {
          out += "\n";
          map(v, col + 2, false);
        }
        break;
      case Node::Kind::seq:
        if (v.empty()) {
          out += " []\n";
        } else {
          out += "\n";
          seq(v, col + 2);
        }
        break;
    }
  }

  // Entries at column `col`; with `first_inline`, the first one continues a `- ` already written.
  void map(const Node& m, std::size_t col, bool first_inline) {
    bool first = true;
    for (const auto& [k, v] : m.entries_) {
      if (!(first && first_inline)) out += spaces(col);
      first = false;
      out += inline_scalar(k) + ":";
      value(v, col);
    }
  }

  void seq(const Node& s, std::size_t col) {
    for (const auto& item : s.items_) {
      out += spaces(col) + "-";
      if (item.kind_ == Node::Kind::map && !item.empty()) {
        out += " ";
        map(item, col + 2, true);  // the first entry shares the dash's line
      } else {
        value(item, col);
      }
    }
  }
};

std::string write_stream(const std::vector<std::string>& comment_lines, const std::vector<Node>& docs) {
  Printer p;
  for (const auto& line : comment_lines) p.out += "# " + comment_text(line) + "\n";
  for (const auto& d : docs) {
    p.out += "---\n";
    switch (d.kind()) {
      case Node::Kind::map:
        if (d.empty())
          p.out += "{}\n";
        else
          p.map(d, 0, false);
        break;
      case Node::Kind::seq:
        if (d.empty())
          p.out += "[]\n";
        else
          p.seq(d, 0);
        break;
      case Node::Kind::scalar:
        p.out += Printer::scalar(d, 0) + "\n";
        break;
    }
  }
  return p.out;
}

}  // namespace egress::emit::yaml
