// The parser's error table: for every rule under must<>, the code, the message ("expected ..."; the parser
// adds ", found ..."), where the span goes and a hint. And the PEGTL control that reports them.
#pragma once
#include <string_view>

#include "egress/diagnostic.hpp"
#include "parse/grammar.hpp"

namespace egress::parse::errors {

/// Where a syntax error's span starts.
enum class Anchor : unsigned char {
  here,           // the character where the rule failed
  escape,         // the `\` just before the failure (a bad escape)
  string_open,    // the opening quote of the string being read
  interpolation,  // the `${` being read
};

/// Everything the parser needs to report a failed must<> rule.
struct Spec {
  Code code = Code::E0001;
  const char* expected = nullptr;  // what was expected: "expected a statement keyword"
  Anchor anchor = Anchor::here;
  bool mentions_block = false;  // inside a block, add "or `>` to close the block opened at L:C"
  const char* hint = nullptr;
};

// The table. A rule with no entry here must not appear under must<> (checked by control<>::raise and a test).
template <typename Rule>
inline constexpr Spec error_message{};

template <>
inline constexpr Spec error_message<grammar::statement>{
    .expected = "expected a statement keyword",
    .mentions_block = true,
};
template <>
inline constexpr Spec error_message<grammar::item_end>{
    .expected = "expected white space after this item",
    .hint = "separate items with a space",
};
template <>
inline constexpr Spec error_message<grammar::statement_end>{
    .expected = "expected an item or the end of the statement",
    .mentions_block = true,
};
template <>
inline constexpr Spec error_message<grammar::close_done>{
    .expected = "expected the end of the line after `>`",
    .hint = "a statement cannot continue after the `>` that closes its block",
};
template <>
inline constexpr Spec error_message<grammar::string_close>{
    .code = Code::E0002,
    .expected = "expected `\"` to close the string",
    .anchor = Anchor::string_open,
    .hint = "a string ends on the line it starts on",
};
template <>
inline constexpr Spec error_message<grammar::escape_char>{
    .code = Code::E0004,
    .expected = "expected one of `\\\\` `\\\"` `\\n` `\\t` `\\$` after `\\`",
    .anchor = Anchor::escape,
    .hint = "write `\\\\` for a backslash",
};
template <>
inline constexpr Spec error_message<grammar::interp_name>{
    .code = Code::E0007,
    .expected = "expected a parameter name after `${`",
    .anchor = Anchor::interpolation,
    .hint = "`${name}` inserts a parameter; write `\\$` in a string for a literal `$`",
};
template <>
inline constexpr Spec error_message<grammar::interp_close>{
    .code = Code::E0007,
    .expected = "expected `}` to close `${`",
    .anchor = Anchor::interpolation,
    .hint = "a parameter name holds letters, digits, `_` and `.`",
};

/// True when `Rule` has an entry in the table.
template <typename Rule>
inline constexpr bool has_message = error_message<Rule>.expected != nullptr;

/// The control: like pegtl::normal, but a failed must<> reports its table entry to the state and throws
/// grammar::syntax_error, which `element` catches to recover.
template <typename Rule>
struct control : tao::pegtl::normal<Rule> {
  template <typename ParseInput, typename State>
  [[noreturn]] static void raise(const ParseInput& in, State& st) {
    static_assert(has_message<Rule>, "every rule under must<> needs an entry in parse/errors.hpp");
    st.syntax_error(error_message<Rule>, in.current());
    throw grammar::syntax_error{};
  }
};

}  // namespace egress::parse::errors
