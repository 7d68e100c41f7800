// IPv4 parsing and printing.
#include "sema/address.hpp"

#include <charconv>

namespace egress::sema {

std::optional<std::uint32_t> parse_ip(std::string_view text) {
  std::uint32_t value = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
    // The digits are read as they are counted (every rule's addresses come through here; std::from_chars after
    // the count was most of this function's cost).
    std::size_t digits = 0;
    unsigned part = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9' && digits < 4)
      part = part * 10 + static_cast<unsigned>(text[digits++] - '0');
    if (digits == 0 || digits > 3 || (digits > 1 && text[0] == '0')) return std::nullopt;
    if (part > 255) return std::nullopt;
    value = value << 8 | part;
    text.remove_prefix(digits);
  }
  if (!text.empty()) return std::nullopt;
  return value;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  const auto ip = parse_ip(text.substr(0, slash));
  if (!ip) return std::nullopt;
  if (slash == std::string_view::npos) return Cidr{*ip, 32, {}};
  const auto len_text = text.substr(slash + 1);
  if (len_text.empty() || len_text.size() > 2 || (len_text.size() > 1 && len_text[0] == '0')) return std::nullopt;
  int length = 0;
  const auto [ptr, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), length);
  if (ec != std::errc{} || ptr != len_text.data() + len_text.size() || length > 32) return std::nullopt;
  return Cidr{*ip, length, {}};
}

// Into a buffer, without the temporaries of string concatenation: lowering formats every address of every rule.
std::string format_ip(std::uint32_t v) {
  char buf[16];  // "255.255.255.255"
  char* p = buf;
  for (int shift = 24; shift >= 0; shift -= 8) {
    const unsigned octet = v >> shift & 255;  // at most three digits, so the buffer cannot overflow
    if (octet >= 100) *p++ = static_cast<char>('0' + octet / 100);
    if (octet >= 10) *p++ = static_cast<char>('0' + octet / 10 % 10);
    *p++ = static_cast<char>('0' + octet % 10);
    if (shift != 0) *p++ = '.';
  }
  return std::string(buf, p);
}

std::string Ip::str() const { return format_ip(value); }
std::string Cidr::str() const {
  std::string s = format_ip(base);
  s += '/';
  s += std::to_string(length);
  return s;
}

}  // namespace egress::sema
