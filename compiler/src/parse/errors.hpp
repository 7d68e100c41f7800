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
  const char* message = nullptr;  // what was expected
  Anchor anchor = Anchor::here;
  bool mentions_block = false;  // inside a block, add "or `>` to close the block opened at L:C"
  const char* hint = nullptr;
};

// The table. A rule with no entry here must not appear under must<> (checked by control<>::raise and a test).
template <typename Rule>
inline constexpr Spec error{};

template <>
inline constexpr Spec error<grammar::statement>{Code::E0001, "expected a statement keyword", Anchor::here, true,
                                                nullptr};
template <>
inline constexpr Spec error<grammar::item_end>{Code::E0001, "expected white space after this item", Anchor::here,
                                               false, "separate items with a space"};
template <>
inline constexpr Spec error<grammar::statement_end>{Code::E0001, "expected an item or the end of the statement",
                                                    Anchor::here, true, nullptr};
template <>
inline constexpr Spec error<grammar::close_done>{Code::E0001, "expected the end of the line after `>`",
                                                 Anchor::here, false,
                                                 "a statement cannot continue after the `>` that closes its block"};
template <>
inline constexpr Spec error<grammar::string_close>{Code::E0002, "expected `\"` to close the string",
                                                   Anchor::string_open, false,
                                                   "a string ends on the line it starts on"};
template <>
inline constexpr Spec error<grammar::escape_char>{Code::E0004,
                                                  "expected one of `\\\\` `\\\"` `\\n` `\\t` `\\$` after `\\`",
                                                  Anchor::escape, false, "write `\\\\` for a backslash"};
template <>
inline constexpr Spec error<grammar::interp_name>{Code::E0007, "expected a parameter name after `${`",
                                                  Anchor::interpolation, false,
                                                  "`${name}` inserts a parameter; write `\\$` in a string for a "
                                                  "literal `$`"};
template <>
inline constexpr Spec error<grammar::interp_close>{Code::E0007, "expected `}` to close `${`", Anchor::interpolation,
                                                   false, "a parameter name holds letters, digits, `_` and `.`"};

/// True when `Rule` has an entry in the table.
template <typename Rule>
inline constexpr bool has_message = error<Rule>.message != nullptr;

/// The control: like pegtl::normal, but a failed must<> reports its table entry to the state and throws
/// grammar::syntax_error, which `element` catches to recover.
template <typename Rule>
struct control : tao::pegtl::normal<Rule> {
  template <typename ParseInput, typename State>
  [[noreturn]] static void raise(const ParseInput& in, State& st) {
    static_assert(has_message<Rule>, "every rule under must<> needs an entry in parse/errors.hpp");
    st.syntax_error(error<Rule>, in.current());
    throw grammar::syntax_error{};
  }
};

}  // namespace egress::parse::errors
