// IPv4 addresses and prefixes as integers, so containment and overlap are a mask and a compare.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "egress/source.hpp"

namespace egress::sema {

struct Ip {
  std::uint32_t value = 0;
  Span span;
  [[nodiscard]] std::string str() const;
  friend bool operator==(const Ip& a, const Ip& b) { return a.value == b.value; }
};

struct Cidr {
  std::uint32_t base = 0;
  int length = 0;  // 0..32
  Span span;

  [[nodiscard]] std::uint32_t mask() const { return length == 0 ? 0 : ~std::uint32_t{0} << (32 - length); }
  [[nodiscard]] std::uint32_t first() const { return base & mask(); }
  [[nodiscard]] std::uint32_t last() const { return first() | ~mask(); }
  [[nodiscard]] std::uint64_t size() const { return std::uint64_t{1} << (32 - length); }
  [[nodiscard]] bool contains(std::uint32_t ip) const { return (ip & mask()) == first(); }
  [[nodiscard]] bool contains(const Cidr& other) const { return other.length >= length && contains(other.base); }
  [[nodiscard]] bool overlaps(const Cidr& other) const { return contains(other.base) || other.contains(base); }
  [[nodiscard]] bool host_bits_set() const { return (base & ~mask()) != 0; }
  [[nodiscard]] std::string str() const;
  friend bool operator==(const Cidr& a, const Cidr& b) { return a.base == b.base && a.length == b.length; }
};

/// Parses a dotted quad; nullopt if malformed (leading zeros are rejected: `inet_aton` reads `010` as octal 8,
/// other parsers as decimal 10).
std::optional<std::uint32_t> parse_ip(std::string_view text);
/// Parses "a.b.c.d/n" or "a.b.c.d" (as /32).
std::optional<Cidr> parse_cidr(std::string_view text);
std::string format_ip(std::uint32_t value);

}  // namespace egress::sema
