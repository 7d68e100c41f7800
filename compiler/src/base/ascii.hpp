// ASCII case folding, in one place. Azure compares resource group names, regions, FQDNs and tag names without
// case, and the diagnostics catalogue's anchors are lower case. Only A-Z change, with no locale, so a result never
// depends on the environment egressc runs in.
#pragma once
#include <string>
#include <string_view>

namespace egress {

[[nodiscard]] constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

[[nodiscard]] inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace egress
