// Strings quoted for a human to read (messages, --dump=ast): never for output files, which have their
// own writers (emit/json_writer, yaml_writer, shell_quote).
#pragma once
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace egress {

/// `text` in double quotes, with `"`, `\` and control characters escaped (\n \t \r, else \xNN).
inline std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
        else out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace egress
