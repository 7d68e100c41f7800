// Bash quoting for generated scripts. Every argument the az CLI emitter writes is built as a Word: literal
// text and references to shell variables. A Word renders as one bash word that expands to exactly its text,
// so no user string (a name, an FQDN, an env value) can ever run as code.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace egress::emit::sh {

/// `'...'`, with every `'` written as `'\''`; text holding control characters (CR, tab, newline, ESC...)
/// as ANSI-C quoting instead, `$'a\rb'`, so that none is ever raw in a script. Always one word, never
/// expanded.
std::string single_quote(std::string_view s);

/// Escapes `s` for the inside of a double-quoted bash string: `\`, `$`, `` ` `` and `"` get a backslash.
std::string escape_in_double_quotes(std::string_view s);

/// True when `s` needs no quoting at all: non-empty, only `[A-Za-z0-9._/:@%+,=-]`, not starting with `-`.
bool is_bare(std::string_view s);

/// A valid bash variable name: `[A-Za-z_][A-Za-z0-9_]*`.
bool is_identifier(std::string_view s);

/// One bash word made of literal pieces and `${VAR}` references.
class Word {
 public:
  struct Seg {
    bool var = false;
    std::string text;  // literal text, or the variable's name
  };

  Word() = default;
  static Word lit(std::string s);
  static Word var(std::string name);

  Word& operator+=(const Word& w);
  Word& append_lit(std::string_view s);
  Word& append_var(std::string name);
  friend Word operator+(Word a, const Word& b) { return a += b; }

  [[nodiscard]] bool is_literal() const;
  [[nodiscard]] bool starts_with_dash() const;  // the literal text it begins with starts with '-'
  [[nodiscard]] const std::vector<Seg>& segs() const { return segs_; }

  /// The quoted word: `'lit'` when literal (`''` when empty; double quotes when it holds `$`, `` ` `` or `\`;
  /// `$'...'` when it holds control characters), else `"lit${VAR}lit"` (`"$VAR"` alone; a literal piece with
  /// control characters as an adjacent `$'...'`).
  [[nodiscard]] std::string render() const;

 private:
  std::vector<Seg> segs_;
};

}  // namespace egress::emit::sh
