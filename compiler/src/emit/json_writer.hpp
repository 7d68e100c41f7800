// A small streaming JSON writer: text goes straight into one std::string, pretty-printed with 2-space
// indentation (empty containers as `{}` and `[]`), with every string escaped. No tree is built, so a
// template with 100,000 firewall rules costs only its own bytes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "emit/block_layout.hpp"

namespace egress::emit::json {

/// Length of the well-formed UTF-8 sequence starting at s[i] (1..4), or 0 when the bytes there are not
/// valid UTF-8 (stray continuation, overlong form, surrogate, beyond U+10FFFF, or cut short).
std::size_t utf8_length(std::string_view s, std::size_t i);

/// Appends `s` as a JSON string literal, quotes included. `"` and `\` are escaped, control characters
/// become `\n`, `\t` ... or `\u00XX`, U+2028/U+2029 become `\u2028`/`\u2029`, and bytes that are not
/// valid UTF-8 become `\ufffd`, so the output is always valid JSON in valid UTF-8.
void append_quoted(std::string& out, std::string_view s);

/// `append_quoted` into a new string.
std::string quote(std::string_view s);

class Writer : public BlockLayout<Writer> {
 public:
  explicit Writer(std::string& out) : BlockLayout(out, /*commas=*/true) {}
  explicit Writer(Stream& out) : BlockLayout(out, /*commas=*/true) {}

  /// The next member's key; the value call that follows completes the member.
  Writer& key(std::string_view k);

  Writer& string(std::string_view s);
  Writer& number(std::int64_t n);
  Writer& boolean(bool b);
  Writer& null();

  Writer& field(std::string_view k, std::string_view s) { return key(k).string(s); }
  Writer& field_number(std::string_view k, std::int64_t n) { return key(k).number(n); }
  Writer& field_bool(std::string_view k, bool b) { return key(k).boolean(b); }
};

}  // namespace egress::emit::json
