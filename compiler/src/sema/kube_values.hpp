// Kubernetes values an app statement writes into the manifest: resource quantities, container image
// references and HTTP probe paths. Pure functions with small hand-written parsers (linear time, no regex),
// used by sema/decl_app.cpp for E0106 and by the unit tests.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace egress::sema::kube {

/// A resource quantity as Kubernetes reads it (resource.Quantity):
///   quantity ::= [+|-] number suffix
///   number   ::= digits | digits.digits | digits. | .digits
///   suffix   ::= "" | Ki Mi Gi Ti Pi Ei | n u m k M G T P E | (e|E) [+|-] digits
/// "1E" is 10^18 (exa); "1E3" and "1e3" are 1000; "1e" is not a quantity. The empty string is not one.
[[nodiscard]] bool is_quantity(std::string_view s);

/// The value of a quantity in its base unit (cores, bytes), or nullopt when `s` is not a quantity.
/// Exact for the values people write (a whole number of milli- or binary units compares equal to the
/// same amount written another way: "1" and "1000m", "1Ki" and "1024"); past about 19 significant
/// digits it is rounded. Absurdly large exponents give infinity.
[[nodiscard]] std::optional<long double> quantity_value(std::string_view s);

/// True when `a` is more than `b`, ignoring a relative difference below 1e-15 (rounding, not intent).
[[nodiscard]] bool quantity_exceeds(long double a, long double b);

/// Why `s` is not a container image reference (distribution/reference, as the kubelet normalises it):
///   reference ::= name [":" tag] ["@" digest]
///   name      ::= [domain "/"] path          (at most 255 characters)
///   domain    ::= host [":" port]            (the first component, when it has `.` or `:`, is
///                                             `localhost`, or has upper-case letters)
///   path      ::= component ("/" component)*  component ::= [a-z0-9]+ (("." | "_" | "__" | "-"+) [a-z0-9]+)*
///   tag       ::= [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
///   digest    ::= sha256:<64 hex> | sha384:<96 hex> | sha512:<128 hex>   (lower-case hex)
/// nullopt when `s` is a valid reference; otherwise a short phrase such as `it is empty`.
[[nodiscard]] std::optional<std::string> image_reference_problem(std::string_view s);
[[nodiscard]] bool is_image_reference(std::string_view s);

/// A repository name in lower case, for a "did you mean": `s` with everything before its tag or digest
/// lowered, when that makes a valid reference; nullopt otherwise (or when `s` needs no change).
[[nodiscard]] std::optional<std::string> lower_case_image_reference(std::string_view s);

/// Why `s` is not an HTTP probe path: it must start with `/`, hold no white space or control characters
/// (ASCII 0-32 and 127) and be at most kMaxHttpPath bytes. nullopt when it is fine.
inline constexpr std::size_t kMaxHttpPath = 2048;
[[nodiscard]] std::optional<std::string> http_path_problem(std::string_view s);
[[nodiscard]] bool is_http_path(std::string_view s);

/// `s` in double quotes for a message: `"` and `\` escaped, control characters as \n, \t, \r or \xNN
/// (upper-case hex), and anything past 60 bytes cut (at a UTF-8 character boundary) with `...`.
[[nodiscard]] std::string shown(std::string_view s);

}  // namespace egress::sema::kube
