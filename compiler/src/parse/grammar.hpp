// The grammar of egress as PEGTL rules. Rules only: actions.hpp builds the tree, errors.hpp words the errors.
//
// Every statement has one shape, `head item* [ '<' statement* '>' ]`. The grammar is flat on purpose: `<` ends
// a statement and opens a block, `>` is an element of its own that closes one, and actions.hpp keeps the open
// blocks on an explicit stack. So nesting costs no C++ stack however deep the input, and a line that fails
// to parse can be skipped (`recover`) without losing the blocks around it.
//
// The EBNF in the comments reads: `|` ordered choice, `*` `+` `?` repetition, `&x` "followed by x" (nothing
// consumed), `x - y` "x but not y", '...' literal bytes.
#pragma once
#include <algorithm>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace egress::parse::grammar {

namespace pegtl = tao::pegtl;

/// What a failed must<> throws once errors.hpp has reported it. `element` catches it and recovers.
struct syntax_error {};

// ---- characters and white space

// blank := ' ' | '\t'
struct blank : pegtl::one<' ', '\t'> {};
// newline := '\n' | '\r\n'                       (a lone '\r' is not a line end)
struct newline : pegtl::sor<pegtl::one<'\n'>, pegtl::string<'\r', '\n'>> {};
// bom := '\xEF\xBB\xBF'                          (skipped at the start of a file)
struct bom : pegtl::string<'\xEF', '\xBB', '\xBF'> {};
// comment := '//' (any - newline)*
struct comment : pegtl::seq<pegtl::two<'/'>,
                            pegtl::star<pegtl::sor<pegtl::not_one<'\r', '\n'>,
                                                   pegtl::seq<pegtl::one<'\r'>, pegtl::not_at<pegtl::one<'\n'>>>>>> {};
// sp := blank+ | comment                         (white space inside a statement)
struct sp : pegtl::sor<pegtl::plus<blank>, comment> {};
// gap := (blank+ | comment | newline | ';')*      (between statements: blank lines and lone `;` are fine)
struct gap : pegtl::star<pegtl::sor<pegtl::plus<blank>, comment, newline, pegtl::one<';'>>> {};

// ---- names

// ident_first := [A-Za-z_]
struct ident_first : pegtl::ranges<'a', 'z', 'A', 'Z', '_'> {};
// ident_char := [A-Za-z0-9_]
struct ident_char : pegtl::ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
// digits := [0-9]+
struct digits : pegtl::plus<pegtl::digit> {};
// interp_open := '${'
struct interp_open : pegtl::string<'$', '{'> {};
// dashes := '-'+ &(ident_char | interp_open)      (a word never ends in `-`, so `a->b` has an arrow)
struct dashes : pegtl::seq<pegtl::plus<pegtl::one<'-'>>, pegtl::at<pegtl::sor<ident_char, interp_open>>> {};
// head := ident_first (ident_char | dashes)*      (a statement keyword: a plain word)
struct head : pegtl::seq<ident_first, pegtl::star<pegtl::sor<ident_char, dashes>>> {};

// ---- interpolation: `${name}` in words and strings

// interp_name := ident_first ident_char* ('.' ident_first ident_char*)*
struct interp_name : pegtl::seq<ident_first, pegtl::star<ident_char>,
                                pegtl::star<pegtl::one<'.'>, ident_first, pegtl::star<ident_char>>> {};
// interp_close := '}'
struct interp_close : pegtl::one<'}'> {};
// interpolation := interp_open interp_name interp_close
struct interpolation : pegtl::seq<interp_open, pegtl::must<interp_name>, pegtl::must<interp_close>> {};

// ---- items

// word_dot := '.' &(ident_char | interp_open)
struct word_dot : pegtl::seq<pegtl::one<'.'>, pegtl::at<pegtl::sor<ident_char, interp_open>>> {};
// prefix := '/' digits                           (`fwpip/32`: a prefix length attached to a word)
struct prefix : pegtl::seq<pegtl::one<'/'>, digits> {};
// word := (ident_first | interpolation) (ident_char | interpolation | dashes | word_dot)* prefix?
struct word : pegtl::seq<pegtl::sor<ident_first, interpolation>,
                         pegtl::star<pegtl::sor<ident_char, interpolation, dashes, word_dot>>, pegtl::opt<prefix>> {};

// address := digits '.' digits '.' digits '.' digits ('/' digits)?   (lenient: checked by sema)
struct address : pegtl::seq<digits, pegtl::one<'.'>, digits, pegtl::one<'.'>, digits, pegtl::one<'.'>, digits,
                            pegtl::opt<pegtl::one<'/'>, digits>> {};
// port_range := digits '-' digits
struct port_range : pegtl::seq<digits, pegtl::one<'-'>, digits> {};
// number := digits
struct number : digits {};
// numeric := address | port_range | number
struct numeric : pegtl::sor<address, port_range, number> {};

// quote := '"'
struct quote : pegtl::one<'"'> {};
// escape_char := '\' | '"' | 'n' | 't' | '$'
struct escape_char : pegtl::one<'\\', '"', 'n', 't', '$'> {};
// escape := '\' escape_char
struct escape : pegtl::seq<pegtl::one<'\\'>, pegtl::must<escape_char>> {};
// plain := ((any - '"' - '\' - '$' - '\r' - '\n') | '$' - interp_open | '\r' - newline)+
struct plain : pegtl::plus<pegtl::sor<pegtl::not_one<'"', '\\', '$', '\r', '\n'>,
                                      pegtl::seq<pegtl::one<'$'>, pegtl::not_at<pegtl::one<'{'>>>,
                                      pegtl::seq<pegtl::one<'\r'>, pegtl::not_at<pegtl::one<'\n'>>>>> {};
// string_close := '"'                            (strings end on their own line)
struct string_close : pegtl::one<'"'> {};
// string_lit := quote (plain | escape | interpolation)* string_close
struct string_lit
    : pegtl::seq<quote, pegtl::star<pegtl::sor<plain, escape, interpolation>>, pegtl::must<string_close>> {};

// arrow := '->'    colon := ':'    comma := ','    asterisk := '*'    equals := '='
struct arrow : pegtl::string<'-', '>'> {};
struct colon : pegtl::one<':'> {};
struct comma : pegtl::one<','> {};
struct asterisk : pegtl::one<'*'> {};
struct equals : pegtl::one<'='> {};

// item_end := &(blank | newline | eof | '//' | ';' | '<' | '>' | ',' | ':' | '=' | '*' | '->')
//   (words, numbers and strings are not glued to the next item: `443abc` and `"a"b` are errors)
struct item_end : pegtl::at<pegtl::sor<blank, newline, pegtl::eof, pegtl::two<'/'>,
                                       pegtl::one<';', '<', '>', ',', ':', '=', '*'>, arrow>> {};
// item := (word | numeric | string_lit) item_end | arrow | colon | asterisk | equals
struct item : pegtl::sor<pegtl::seq<word, pegtl::must<item_end>>, pegtl::seq<numeric, pegtl::must<item_end>>,
                         pegtl::seq<string_lit, pegtl::must<item_end>>, arrow, colon, asterisk, equals> {};
// wrap := comma (sp | newline)*                   (a line break right after a comma continues the statement)
struct wrap : pegtl::seq<comma, pegtl::star<pegtl::sor<sp, newline>>> {};
// items := (sp | wrap | item)*
struct items : pegtl::star<pegtl::sor<sp, wrap, item>> {};

// ---- statements and blocks

// open := '<'                                    (ends the statement and opens its block)
struct open : pegtl::one<'<'> {};
// statement_done := ';' | newline | eof | &'>'
struct statement_done : pegtl::sor<pegtl::one<';'>, newline, pegtl::eof, pegtl::at<pegtl::one<'>'>>> {};
// statement_end := open | statement_done
struct statement_end : pegtl::sor<open, statement_done> {};
// statement := head item_end items statement_end
struct statement : pegtl::seq<head, pegtl::must<item_end>, items, pegtl::must<statement_end>> {};

// close_sign := '>'
struct close_sign : pegtl::one<'>'> {};
// close_done := ';' | newline | eof | &'>'
struct close_done : pegtl::sor<pegtl::one<';'>, newline, pegtl::eof, pegtl::at<pegtl::one<'>'>>> {};
// close := close_sign sp* close_done             (closes the innermost open block)
struct close : pegtl::seq<close_sign, pegtl::star<sp>, pegtl::must<close_done>> {};

// recover := any+
//   After an element failed (and was reported), skip from where the error was to the next line at the same
//   or an outer block level: `<` and `>` are counted outside strings, comments and `->`, a line ending in `,`
//   continues, and a `>` that closes the enclosing block is left for `close`. Matched by code, because it
//   counts and because it starts where the error was; the state tells it both (resume_point(), depth()),
//   and is told the comments it skips (comment()), so that File::comments still holds every comment.
struct recover {
  using rule_t = recover;
  using subs_t = pegtl::empty_list;

  template <pegtl::apply_mode, pegtl::rewind_mode, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  [[nodiscard]] static bool match(ParseInput& in, State& st) {
    const char* const start = in.current();
    const char* const end = in.end();
    const char* p = std::max(start, std::min(st.resume_point(), end));
    const bool in_block = st.depth() > 0;
    long balance = 0;
    char last = '\n';  // the last character that was neither blank nor in a comment
    while (p != end) {
      const char c = *p;
      if (c == '\n') {
        ++p;
        if (balance == 0 && last != ',') break;
        last = c;
        continue;
      }
      if (c == '"') {  // a string, to the closing quote or the end of the line
        ++p;
        while (p != end && *p != '"' && *p != '\n') p += (*p == '\\' && p + 1 != end && p[1] != '\n') ? 2 : 1;
        if (p != end && *p == '"') ++p;
        last = '"';
        continue;
      }
      if (c == '/' && p + 1 != end && p[1] == '/') {  // a comment, to the end of the line; still collected
        const char* const comment_begin = p;
        while (p != end && *p != '\n') ++p;
        st.comment(comment_begin, p != comment_begin && p[-1] == '\r' && p != end ? p - 1 : p);
        continue;
      }
      if (c == '-' && p + 1 != end && p[1] == '>') {  // an arrow, not a `>`
        p += 2;
        last = '>';
        continue;
      }
      if (c == '<') {
        ++balance;
      } else if (c == '>') {
        if (balance > 0) {
          --balance;
        } else if (in_block) {
          break;  // it closes the enclosing block
        }         // else: a stray `>` on a line already reported
      }
      if (c != ' ' && c != '\t' && c != '\r') last = c;
      ++p;
    }
    if (p == start) return false;
    in.bump(static_cast<std::size_t>(p - start));
    return true;
  }
};

// element := close | statement                   (when it fails: report, then recover)
struct element : pegtl::sor<pegtl::try_catch_type<syntax_error, pegtl::sor<close, pegtl::must<statement>>>, recover> {};

// file := bom? gap (element gap)* eof
struct file : pegtl::seq<pegtl::opt<bom>, gap, pegtl::until<pegtl::eof, element, gap>> {};

}  // namespace egress::parse::grammar

// recover always consumes when it succeeds; tell pegtl::analyze so.
template <typename Name>
struct tao::pegtl::analyze_traits<Name, egress::parse::grammar::recover> : analyze_any_traits<> {};
