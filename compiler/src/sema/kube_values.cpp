// Kubernetes values: resource quantities, image references, HTTP probe paths. See kube_values.hpp for the
// grammars. Every function is one left-to-right pass (or a fixed number of them) over its input.
#include "sema/kube_values.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <utility>

#include "base/quote.hpp"

namespace egress::sema::kube {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || is_digit(c); }
bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_hex_lower(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// 10^n for n >= 0: exact while it fits the mantissa (n <= 27 for an 80-bit long double).
long double pow10(long n) {
  if (n > 6000) return HUGE_VALL;
  long double r = 1.0L, base = 10.0L;
  while (n > 0) {
    if (n & 1) r *= base;
    base *= base;
    n >>= 1;
  }
  return r;
}

// The suffixes of resource.Quantity: binary (powers of 1024) and decimal SI (powers of 1000).
struct Suffix {
  std::string_view text;
  int exp10;  // decimal SI: the power of ten
  int exp2;   // binary: the power of two
};
constexpr std::array<Suffix, 15> kSuffixes = {{
    {"Ki", 0, 10}, {"Mi", 0, 20}, {"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50}, {"Ei", 0, 60},
    {"n", -9, 0},  {"u", -6, 0},  {"m", -3, 0},  {"k", 3, 0},   {"M", 6, 0},   {"G", 9, 0},
    {"T", 12, 0},  {"P", 15, 0},  {"E", 18, 0},
}};

constexpr int kSignificant = 36;  // digits kept in the mantissa; the rest only move the exponent

}  // namespace

std::optional<long double> quantity_value(std::string_view s) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  long double mantissa = 0.0L;
  long scale = 0;  // value = mantissa * 10^scale * 2^exp2
  int kept = 0;    // significant digits in the mantissa
  std::size_t digits = 0;
  for (; i < s.size() && is_digit(s[i]); ++i, ++digits) {
    if (kept < kSignificant) {
      mantissa = mantissa * 10.0L + static_cast<long double>(s[i] - '0');
      if (mantissa != 0.0L) ++kept;
    } else {
      ++scale;
    }
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && is_digit(s[i]); ++i, ++digits) {
      if (kept < kSignificant) {
        mantissa = mantissa * 10.0L + static_cast<long double>(s[i] - '0');
        if (mantissa != 0.0L) ++kept;
        --scale;
      }
    }
  }
  if (digits == 0) return std::nullopt;
  const std::string_view suffix = s.substr(i);
  int exp2 = 0;
  const Suffix* named = nullptr;
  for (const auto& x : kSuffixes)
    if (x.text == suffix) named = &x;
  if (named != nullptr) {
    scale += named->exp10;
    exp2 = named->exp2;
  } else if (suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    // A decimal exponent: e or E, an optional sign, digits (only digits: "1e2.5" is not a quantity).
    std::size_t j = 1;
    bool minus = false;
    if (suffix[j] == '+' || suffix[j] == '-') minus = suffix[j++] == '-';
    if (j >= suffix.size()) return std::nullopt;
    long e = 0;
    for (; j < suffix.size(); ++j) {
      if (!is_digit(suffix[j])) return std::nullopt;
      if (e < 100000) e = e * 10 + (suffix[j] - '0');  // past that it is infinite or zero anyway
    }
    scale += minus ? -e : e;
  } else if (!suffix.empty()) {
    return std::nullopt;
  }
  if (mantissa == 0.0L) return 0.0L;
  // Dividing by an exact power of ten (rather than multiplying by an inexact 10^-n) keeps "1000m" == "1".
  long double v = scale >= 0 ? mantissa * pow10(scale) : mantissa / pow10(-scale);
  v = std::ldexp(v, exp2);
  return negative ? -v : v;
}

bool is_quantity(std::string_view s) { return quantity_value(s).has_value(); }

bool quantity_exceeds(long double a, long double b) {
  if (!(a > b)) return false;
  if (std::isinf(a) || std::isinf(b)) return true;
  return a - b > std::fabs(b) * 1e-15L;
}

namespace {

// host ::= domain-component ("." domain-component)* | "[" IPv6 "]"; then an optional ":" port.
std::optional<std::string> domain_problem(std::string_view domain) {
  std::string_view host = domain, port;
  bool has_port = false;
  if (!domain.empty() && domain[0] == '[') {
    const auto close = domain.find(']');
    if (close == std::string_view::npos || close == 1) return "the registry address " + shown(domain) + " is not an IPv6 address in brackets";
    for (char c : domain.substr(1, close - 1))
      if (!(is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'))
        return "the registry address " + shown(domain) + " is not an IPv6 address in brackets";
    host = domain.substr(0, close + 1);
    const auto rest = domain.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':') return "the registry " + shown(domain) + " has text after its address";
      has_port = true;
      port = rest.substr(1);
    }
  } else {
    const auto colon = domain.find(':');
    if (colon != std::string_view::npos) {
      host = domain.substr(0, colon);
      port = domain.substr(colon + 1);
      has_port = true;
    }
    // Components of letters, digits and inner hyphens, separated by single dots.
    std::size_t start = 0;
    while (true) {
      const auto dot = host.find('.', start);
      const auto part = host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      bool ok = !part.empty() && is_alnum(part.front()) && is_alnum(part.back());
      for (char c : part) ok = ok && (is_alnum(c) || c == '-');
      if (!ok) return "the registry host " + shown(host) + " is not a host name";
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }
  if (has_port) {
    bool ok = !port.empty() && port.size() <= 5;
    for (char c : port) ok = ok && is_digit(c);
    if (!ok) return "the registry port " + shown(port) + " is not a port number";
  }
  return std::nullopt;
}

// component ::= [a-z0-9]+ (("." | "_" | "__" | "-"+) [a-z0-9]+)*
bool path_component_ok(std::string_view c) {
  if (c.empty() || !is_lower_alnum(c.front()) || !is_lower_alnum(c.back())) return false;
  std::size_t i = 0;
  while (i < c.size()) {
    if (is_lower_alnum(c[i])) {
      ++i;
      continue;
    }
    // A separator: it sits between two alphanumerics (front and back are alphanumeric).
    if (c[i] == '.') {
      ++i;
    } else if (c[i] == '_') {
      ++i;
      if (i < c.size() && c[i] == '_') ++i;
    } else if (c[i] == '-') {
      while (i < c.size() && c[i] == '-') ++i;
    } else {
      return false;
    }
    if (i >= c.size() || !is_lower_alnum(c[i])) return false;
  }
  return true;
}

std::optional<std::string> path_problem(std::string_view path) {
  for (char c : path)
    if (is_upper(c)) return "the repository " + shown(path) + " has upper-case letters";
  std::size_t start = 0;
  while (true) {
    const auto slash = path.find('/', start);
    const auto part = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty()) return "the repository " + shown(path) + " has an empty path component";
    if (!path_component_ok(part))
      return "the repository component " + shown(part) +
             " must be lower-case letters and digits, separated by single `.`, `_` or `__`, or by `-`";
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return std::nullopt;
}

// Where the name ends: at the tag's `:` (after the last `/`) or the digest's `@`.
std::size_t name_end(std::string_view s) {
  const auto at = s.find('@');
  const auto name_tag = s.substr(0, at);
  const auto slash = name_tag.rfind('/');
  const auto colon = name_tag.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) return colon;
  return name_tag.size();
}

}  // namespace

std::optional<std::string> image_reference_problem(std::string_view s) {
  if (s.empty()) return "it is empty";
  for (unsigned char c : s) {
    if (is_space(c)) return "it contains white space";
    if (is_control(c)) return "it contains a control character";
    if (c >= 0x80) return "it contains a character outside ASCII";
  }
  for (char c : s) {
    if (!(is_alnum(c) || c == '.' || c == '_' || c == '-' || c == '/' || c == ':' || c == '@' || c == '[' || c == ']'))
      return std::string("it contains `") + c + "`, which no image reference has";
  }
  // The digest.
  const auto at = s.find('@');
  if (at != std::string_view::npos) {
    const auto digest = s.substr(at + 1);
    if (digest.find('@') != std::string_view::npos) return std::string("it has more than one `@`");
    const auto colon = digest.find(':');
    const auto algorithm = digest.substr(0, colon);
    std::size_t want = 0;
    if (algorithm == "sha256") want = 64;
    else if (algorithm == "sha384") want = 96;
    else if (algorithm == "sha512") want = 128;
    if (colon == std::string_view::npos || want == 0)
      return "the digest " + shown(digest) + " is not sha256: followed by 64 hex digits";
    const auto hex = digest.substr(colon + 1);
    bool ok = hex.size() == want;
    for (char c : hex) ok = ok && is_hex_lower(c);
    if (!ok)
      return "the " + std::string(algorithm) + " digest must be " + std::to_string(want) + " lower-case hex digits";
  }
  // The tag.
  const auto end = name_end(s);
  const auto name_tag = s.substr(0, at);
  if (end < name_tag.size()) {
    const auto tag = name_tag.substr(end + 1);
    if (tag.empty()) return std::string("the tag after `:` is empty");
    if (tag.size() > 128) return std::string("the tag is longer than 128 characters");
    bool ok = is_alnum(tag[0]) || tag[0] == '_';
    for (char c : tag) ok = ok && (is_alnum(c) || c == '_' || c == '.' || c == '-');
    if (!ok)
      return "the tag " + shown(tag) + " must start with a letter, digit or `_` and hold only letters, digits, `_`, `.` and `-`";
  }
  // The name: an optional registry, then the repository path.
  const auto name = s.substr(0, end);
  if (name.empty()) return std::string("the repository name is empty");
  if (name.size() > 255) return std::string("the repository name is longer than 255 characters");
  std::string_view path = name;
  const auto slash = name.find('/');
  if (slash != std::string_view::npos) {
    const auto first = name.substr(0, slash);
    bool domain = first == "localhost" || first.find_first_of(".:[") != std::string_view::npos;
    for (char c : first) domain = domain || is_upper(c);
    if (domain) {
      if (auto why = domain_problem(first)) return why;
      path = name.substr(slash + 1);
    }
  }
  if (path.empty()) return std::string("the repository name is empty");
  if (path.find_first_of(":[]") != std::string_view::npos)
    return "the repository " + shown(path) + " has `:` or brackets, which only a registry address may have";
  return path_problem(path);
}

bool is_image_reference(std::string_view s) { return !image_reference_problem(s).has_value(); }

std::optional<std::string> lower_case_image_reference(std::string_view s) {
  std::string lowered(s);
  const auto end = name_end(s);
  bool changed = false;
  for (std::size_t i = 0; i < end; ++i) {
    if (is_upper(lowered[i])) {
      lowered[i] = static_cast<char>(lowered[i] - 'A' + 'a');
      changed = true;
    }
  }
  if (!changed || !is_image_reference(lowered)) return std::nullopt;
  return lowered;
}

std::optional<std::string> http_path_problem(std::string_view s) {
  if (s.empty()) return "it is empty";
  if (s.size() > kMaxHttpPath) return "it is longer than " + std::to_string(kMaxHttpPath) + " bytes";
  for (unsigned char c : s) {
    if (is_space(c)) return "it contains white space";
    if (is_control(c)) return "it contains a control character";
  }
  if (s[0] != '/') return std::string("it does not start with `/`");
  return std::nullopt;
}

bool is_http_path(std::string_view s) { return !http_path_problem(s).has_value(); }

std::string shown(std::string_view s) {
  constexpr std::size_t kMax = 60;
  if (s.size() <= kMax) return egress::quoted(s);
  std::size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not inside a UTF-8 character
  std::string out = egress::quoted(s.substr(0, n));
  out.insert(out.size() - 1, "...");
  return out;
}

}  // namespace egress::sema::kube
