// The parser's actions: they build syntax::File as the grammar matches, through Builder, which also holds the
// stack of open blocks (the grammar is flat, see grammar.hpp) and reports errors. Builder is defined in parse.cpp.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "egress/diagnostic.hpp"
#include "egress/source.hpp"
#include "parse/errors.hpp"
#include "parse/grammar.hpp"
#include "syntax/ast.hpp"

namespace egress::parse {

/// Blocks may nest this deep; one more `<` is E0006.
inline constexpr std::size_t kMaxDepth = 32;
/// The parser stops after this many diagnostics in one file.
inline constexpr std::size_t kMaxDiagnostics = 100;

/// The state of one parse: the tree so far, the open blocks, where errors go and where to resume after one.
class Builder {
 public:
  /// Thrown when kMaxDiagnostics is reached; parse() catches it and stops.
  struct too_many_errors {};

  /// `text` is the file's whole text (offsets are counted from its first byte, BOM included).
  Builder(const SourceManager& sources, std::uint32_t file, std::string_view text, syntax::File& out,
          Diagnostics& diags);

  // For grammar::recover.
  [[nodiscard]] const char* resume_point() const { return resume_; }
  [[nodiscard]] std::size_t depth() const { return open_.size(); }

  // For errors::control: reports a failed must<> at `at`, and sets where recovery resumes.
  void syntax_error(const errors::Spec& spec, const char* at);

  // For the actions.
  void comment(const char* begin, const char* end);
  void head(const char* begin, const char* end);
  void word(const char* begin, const char* end);
  void string(const char* begin, const char* end);
  void token(syntax::ItemKind kind, const char* begin, const char* end);
  void string_opened(const char* at) {
    string_open_ = at;
    in_string_ = true;
  }
  void interpolation_opened(const char* at) { interp_open_ = at; }
  void end_statement();
  void open_block(const char* at);   // may report E0006 and throw grammar::syntax_error
  void close_block(const char* at);  // may report a stray `>` and throw grammar::syntax_error

  /// At the end of the file, or when parsing stopped: reports the blocks still open (E0003) and closes them.
  void finish();

 private:
  [[nodiscard]] Span span(const char* begin, const char* end) const {
    return Span{file_, static_cast<std::uint32_t>(begin - base_), static_cast<std::uint32_t>(end - begin)};
  }
  [[nodiscard]] std::uint32_t offset(const char* at) const { return static_cast<std::uint32_t>(at - base_); }
  [[nodiscard]] static std::string_view view(const char* begin, const char* end) {
    return {begin, static_cast<std::size_t>(end - begin)};
  }
  /// The finished statements of the innermost open block (of the file when none is open).
  [[nodiscard]] std::vector<syntax::Statement>& statements() { return done_[open_.size()]; }
  Diagnostic* report(Code code, Span span, std::string message, const char* hint);
  void stop_if_full();
  [[nodiscard]] std::string found(const char* at) const;
  [[nodiscard]] std::size_t char_length(const char* at) const;
  [[nodiscard]] bool at_line_end(const char* at) const;
  void take_items();
  void add_parts(syntax::Item& item, const char* begin, const char* end);
  void keep_parts(syntax::Item& item);
  void close(syntax::Statement& s);

  const SourceManager& sources_;
  std::uint32_t file_;
  const char* base_;   // the file's first byte
  const char* begin_;  // after the BOM, if any
  const char* end_;
  syntax::File& out_;
  Diagnostics& diags_;

  // Runs are gathered in these scratch vectors, which keep their capacity from one statement to the next, and
  // copied into the File's arenas once complete (syntax/arena.hpp): the tree itself allocates per chunk only.
  syntax::Statement pending_;                          // the statement being read
  std::vector<syntax::Item> items_;                    // its items so far
  std::vector<syntax::Part> parts_;                    // the parts of the item being read
  std::string unescaped_;                              // the text of the part being read, unescaped
  std::vector<syntax::Statement> open_;                // statements whose block is open, outermost first
  std::vector<std::vector<syntax::Statement>> done_;   // by depth: the finished statements of the file (0) and
                                                       // of each open block (open_[d - 1] for done_[d])
  const char* resume_ = nullptr;  // where recovery starts after an error
  const char* string_open_ = nullptr;
  const char* interp_open_ = nullptr;
  bool in_string_ = false;
  std::size_t reported_ = 0;
  Diagnostic* last_ = nullptr;  // valid only right after report()
};

/// Actions: one per rule that yields a node; everything else does nothing.
template <typename Rule>
struct action : tao::pegtl::nothing<Rule> {};

template <syntax::ItemKind Kind>
struct token_action {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.token(Kind, in.begin(), in.end());
  }
};

template <>
struct action<grammar::comment> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.comment(in.begin(), in.end());
  }
};
template <>
struct action<grammar::head> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.head(in.begin(), in.end());
  }
};
template <>
struct action<grammar::word> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.word(in.begin(), in.end());
  }
};
template <>
struct action<grammar::quote> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.string_opened(in.begin());
  }
};
template <>
struct action<grammar::interp_open> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.interpolation_opened(in.begin());
  }
};
template <>
struct action<grammar::string_lit> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.string(in.begin(), in.end());
  }
};
template <>
struct action<grammar::address> : token_action<syntax::ItemKind::address> {};
template <>
struct action<grammar::port_range> : token_action<syntax::ItemKind::port_range> {};
template <>
struct action<grammar::number> : token_action<syntax::ItemKind::number> {};
template <>
struct action<grammar::arrow> : token_action<syntax::ItemKind::arrow> {};
template <>
struct action<grammar::colon> : token_action<syntax::ItemKind::colon> {};
template <>
struct action<grammar::comma> : token_action<syntax::ItemKind::comma> {};
template <>
struct action<grammar::asterisk> : token_action<syntax::ItemKind::star> {};
template <>
struct action<grammar::equals> : token_action<syntax::ItemKind::equals> {};
template <>
struct action<grammar::statement_done> {
  static void apply0(Builder& b) { b.end_statement(); }
};
template <>
struct action<grammar::open> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.open_block(in.begin());
  }
};
template <>
struct action<grammar::close_sign> {
  template <typename Input>
  static void apply(const Input& in, Builder& b) {
    b.close_block(in.begin());
  }
};

}  // namespace egress::parse
