// Numbers as messages print them.
#pragma once
#include <cstdint>
#include <string>

namespace egress {

/// 20164 -> "20,164": diagnostics and hovers quote counts the way Azure's documentation writes them.
inline std::string thousands(std::uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

}  // namespace egress
