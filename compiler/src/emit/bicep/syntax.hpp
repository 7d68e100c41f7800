// Bicep syntax for the emitter: identifiers, single-quoted strings and interpolations with every escape
// Bicep defines, and a writer that lays objects and arrays out the way `bicep format` does (2-space indent,
// one property or item per line, no commas, `{}` and `[]` when empty).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "emit/block_layout.hpp"

namespace egress::emit::bicep_detail {

/// `[A-Za-z_][A-Za-z0-9_]*`.
bool is_identifier(std::string_view s);

/// `s` with every character outside `[A-Za-z0-9_]` replaced by `_`, and `_` in front of a leading digit;
/// `fallback` when `s` is empty.
std::string to_identifier(std::string_view s, std::string_view fallback);

/// The inside of a single-quoted Bicep string that reads as exactly `s`: `\\`, `\'`, `\n`, `\r`, `\t`,
/// `\${` for `${`, `\u{X}` for other control characters; bytes that are not valid UTF-8 become U+FFFD.
std::string escape(std::string_view s);

/// `'<escape(s)>'`.
std::string quote(std::string_view s);
/// quote(s), appended to `out`.
void append_quoted(std::string& out, std::string_view s);

/// A string made of literal pieces and `${expression}` holes, rendered as the simplest Bicep expression:
/// `'literal'`, the bare expression when it is one hole alone, or `'lit${expr}lit'`.
class Interpolation {
 public:
  Interpolation& lit(std::string_view s);
  Interpolation& hole(std::string expression);
  [[nodiscard]] std::string render() const;

 private:
  struct Piece {
    bool hole = false;
    std::string text;
  };
  std::vector<Piece> pieces_;
};

/// Streams Bicep object and array syntax into `out`. Values are Bicep expressions, written as given.
class Writer : public BlockLayout<Writer> {
 public:
  explicit Writer(std::string& out) : BlockLayout(out, /*commas=*/false) {}
  explicit Writer(Stream& out) : BlockLayout(out, /*commas=*/false) {}

  /// A property name: bare when it is an identifier, else quoted.
  Writer& key(std::string_view k);
  /// A property name written as given (an interpolated string such as `'${id.id}'`).
  Writer& raw_key(std::string_view k);
  Writer& value(std::string_view expression);
  /// The string `s` as a value: value(quote(s)) without the temporary.
  Writer& string(std::string_view s);
  Writer& field(std::string_view k, std::string_view expression) { return key(k).value(expression); }
};

}  // namespace egress::emit::bicep_detail
