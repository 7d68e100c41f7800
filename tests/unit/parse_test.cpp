// The parser: the tree it builds for every kind of item and statement, the spans, the errors E0001-E0007
// with their exact positions, recovery, limits, and the grammar's own checks (analyze, error table).
#include "parse/parse.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>
#include <vector>

#include "parse/errors.hpp"
#include "parse/grammar.hpp"
#include "test_support.hpp"
#include "syntax/ast.hpp"

namespace {

using namespace egress;
using syntax::ItemKind;

struct Parsed {
  SourceManager sources;
  std::uint32_t id = 0;
  Diagnostics diags;
  syntax::File file;

  /// "line:col" of an offset, for comparing positions.
  [[nodiscard]] std::string at(std::uint32_t offset) const {
    const auto lc = sources.line_col(id, offset);
    return std::to_string(lc.line) + ":" + std::to_string(lc.column);
  }
  [[nodiscard]] std::string at(const Span& s) const { return at(s.offset); }
  [[nodiscard]] std::string_view text(const Span& s) const { return sources.slice(s); }
  [[nodiscard]] const Diagnostic& only_diag() const {
    REQUIRE(diags.all().size() == 1);
    return diags.all().front();
  }
  [[nodiscard]] std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.all()) out.emplace_back(info(d.code).id);
    return out;
  }
};

std::unique_ptr<Parsed> parse_text(std::string text) {
  auto p = std::make_unique<Parsed>();
  p->id = p->sources.add("test.egress", std::move(text));
  p->file = parse::parse(p->sources, p->id, p->diags);
  return p;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Item kinds of a statement, for compact checks.
std::vector<ItemKind> kinds(const syntax::Statement& s) {
  std::vector<ItemKind> out;
  for (const auto& it : s.items) out.push_back(it.kind);
  return out;
}
std::vector<std::string> texts(const syntax::Statement& s) {
  std::vector<std::string> out;
  for (const auto& it : s.items) out.emplace_back(it.text);
  return out;
}

// ---- the error table covers every must<> (the static_assert in errors::control checks the same at compile time)

template <typename Rule>
struct must_messages {
  static void visit(std::vector<std::string>& /*missing*/, std::size_t& /*count*/) {}
};
template <typename Rule>
void require_message(std::vector<std::string>& missing, std::size_t& count) {
  ++count;
  if (!parse::errors::has_message<Rule>) missing.emplace_back(tao::pegtl::demangle<Rule>());
}
template <typename... Rules>
struct must_messages<tao::pegtl::must<Rules...>> {
  static void visit(std::vector<std::string>& missing, std::size_t& count) {
    (require_message<Rules>(missing, count), ...);
  }
};
template <typename... Rules>
struct must_messages<tao::pegtl::internal::must<Rules...>> {
  static void visit(std::vector<std::string>& missing, std::size_t& count) {
    (require_message<Rules>(missing, count), ...);
  }
};

}  // namespace

TEST_CASE("the grammar has no problems pegtl::analyze can find", "[parse]") {
  CHECK(tao::pegtl::analyze<parse::grammar::file>() == 0);
}

TEST_CASE("every rule under must<> has an error message", "[parse]") {
  std::vector<std::string> missing;
  std::size_t count = 0;
  tao::pegtl::visit<parse::grammar::file, must_messages>(missing, count);
  CHECK(count >= 8);  // statement, item_end, statement_end, close_done, string_close, escape_char, interp_*
  CHECK(missing.empty());
  for (const auto& m : missing) UNSCOPED_INFO("no error message for " << m);
}

TEST_CASE("the reference example parses with no diagnostics", "[parse]") {
  auto p = parse_text(read_file(egress::testing::source_dir() + "/examples/aks-egress/main.egress"));
  for (const auto& d : p->diags.all()) UNSCOPED_INFO(render(d, p->sources));
  REQUIRE(p->diags.all().empty());
  const auto& s = p->file.statements;
  REQUIRE(s.size() == 11);
  std::vector<std::string> heads;
  for (const auto& st : s) heads.emplace_back(st.head.text);
  CHECK(heads == std::vector<std::string>{"import", "param", "param", "group", "vnet", "public_ip", "firewall",
                                          "route_table", "cluster", "app", "firewall"});
  // firewall fw "${prefix}-fw" in vnet.AzureFirewallSubnet < ... network aksfwnr priority 100 < 6 rules > ... >
  const auto& fw = s[6];
  REQUIRE(fw.has_block);
  REQUIRE(fw.block.statements.size() == 4);
  CHECK(fw.block.statements[2].head.text == "network");
  CHECK(fw.block.statements[2].block.statements.size() == 6);
  const auto& docker = fw.block.statements[2].block.statements[4];
  CHECK(texts(docker) == std::vector<std::string>{"docker", "tcp", "*", "->", "docker.io", ",", "registry-1.docker.io",
                                                  ",", "production.cloudflare.docker.com", ":", "443"});
  CHECK(p->file.comments.size() == 10);
}

TEST_CASE("the design card's line parses", "[parse]") {
  auto p = parse_text("firewall fw < dnat 80 -> service \"store-front\" >");
  REQUIRE(p->diags.all().empty());
  REQUIRE(p->file.statements.size() == 1);
  const auto& fw = p->file.statements[0];
  CHECK(fw.head.text == "firewall");
  CHECK(fw.head.kind == ItemKind::word);
  REQUIRE(fw.items.size() == 1);
  CHECK(fw.items[0].is_word("fw"));
  REQUIRE(fw.has_block);
  CHECK(p->at(fw.block.open) == "1:13");
  CHECK(p->at(fw.block.close) == "1:48");
  CHECK(fw.span == Span{p->id, 0, 48});
  REQUIRE(fw.block.statements.size() == 1);
  const auto& dnat = fw.block.statements[0];
  CHECK(dnat.head.text == "dnat");
  CHECK(kinds(dnat) == std::vector{ItemKind::number, ItemKind::arrow, ItemKind::word, ItemKind::string});
  CHECK(texts(dnat) == std::vector<std::string>{"80", "->", "service", "store-front"});
  CHECK(p->text(dnat.span) == "dnat 80 -> service \"store-front\"");
  CHECK(p->text(dnat.items[3].span) == "\"store-front\"");
  CHECK_FALSE(dnat.has_block);
}

TEST_CASE("every kind of item", "[parse]") {
  auto p = parse_text("s w 443 8000-8080 10.42.0.0/16 10.42.2.4 999.1.1.1/40 -> : , * = \"str\"\n");
  REQUIRE(p->diags.all().empty());
  REQUIRE(p->file.statements.size() == 1);
  const auto& s = p->file.statements[0];
  CHECK(kinds(s) == std::vector{ItemKind::word, ItemKind::number, ItemKind::port_range, ItemKind::address,
                                ItemKind::address, ItemKind::address, ItemKind::arrow, ItemKind::colon, ItemKind::comma,
                                ItemKind::star, ItemKind::equals, ItemKind::string});
  CHECK(texts(s) == std::vector<std::string>{"w", "443", "8000-8080", "10.42.0.0/16", "10.42.2.4", "999.1.1.1/40", "->",
                                             ":", ",", "*", "=", "str"});
  for (const auto& it : s.items) {
    if (it.kind == ItemKind::string) continue;
    CHECK(p->text(it.span) == it.text);  // every span is exactly its token
  }
  CHECK(p->at(s.items[3].span) == "1:19");
  CHECK(s.items[0].prefix == -1);
}

TEST_CASE("punctuation needs no spaces, words, numbers and strings do", "[parse]") {
  auto p = parse_text("allow fqdn http:80, https:443 *->tag x\nroute r 80->8080 a-b->c\n");
  REQUIRE(p->diags.all().empty());
  CHECK(texts(p->file.statements[0]) ==
        std::vector<std::string>{"fqdn", "http", ":", "80", ",", "https", ":", "443", "*", "->", "tag", "x"});
  CHECK(texts(p->file.statements[1]) == std::vector<std::string>{"r", "80", "->", "8080", "a-b", "->", "c"});

  for (const char* glued : {"x 443abc", "x \"a\"b", "x 10.0.0.1x", "x a\"b\"", "x 1.2.3", "x a-", "x a.", "x ab/c"}) {
    INFO(glued);
    auto q = parse_text(glued);
    REQUIRE(q->diags.all().size() == 1);
    CHECK(q->diags.all()[0].code == Code::E0001);
  }
}

TEST_CASE("words", "[parse]") {
  auto p = parse_text(
      "w vnet.aks store-front user_defined_routing a--b _x AzureCloud.${location} ${prefix}-rg "
      "fwpip/32 ${a.b}${c}/0 v1.2\n");
  REQUIRE(p->diags.all().empty());
  REQUIRE(p->file.statements.size() == 1);
  const auto& items = p->file.statements[0].items;
  REQUIRE(items.size() == 10);
  for (const auto& it : items) CHECK(it.kind == ItemKind::word);
  CHECK(texts(p->file.statements[0]) == std::vector<std::string>{"vnet.aks", "store-front", "user_defined_routing",
                                                                 "a--b", "_x", "AzureCloud.${location}", "${prefix}-rg",
                                                                 "fwpip", "${a.b}${c}", "v1.2"});

  // A plain word has no parts: its text is all there is.
  CHECK(items[0].parts().empty());
  CHECK_FALSE(items[0].has_interpolation());

  const auto& cloud = items[5];
  REQUIRE(cloud.parts().size() == 2);
  CHECK(cloud.parts()[0].text == "AzureCloud.");
  CHECK_FALSE(cloud.parts()[0].interpolation);
  CHECK(cloud.parts()[1].text == "location");
  CHECK(cloud.parts()[1].interpolation);
  CHECK(p->text(cloud.parts()[1].span) == "${location}");
  CHECK(cloud.has_interpolation());

  const auto& rg = items[6];
  REQUIRE(rg.parts().size() == 2);
  CHECK(rg.parts()[0].interpolation);
  CHECK(rg.parts()[0].text == "prefix");
  CHECK(rg.parts()[1].text == "-rg");

  const auto& fwpip = items[7];
  CHECK(fwpip.text == "fwpip");
  CHECK(fwpip.prefix == 32);
  CHECK(p->text(fwpip.span) == "fwpip/32");
  CHECK(fwpip.parts().empty());

  const auto& two = items[8];
  CHECK(two.prefix == 0);
  REQUIRE(two.parts().size() == 2);
  CHECK(two.parts()[0].text == "a.b");
  CHECK(two.parts()[1].text == "c");
  CHECK(p->text(two.parts()[1].span) == "${c}");
}

TEST_CASE("strings: escapes and interpolation", "[parse]") {
  auto p = parse_text(R"(s "a\\b\"c\nd\te\$f" "\${x}" "aks-${prefix}-rg" "" "${a}${b.c}" "$5 and $" "é ✓ 😀")");
  for (const auto& d : p->diags.all()) UNSCOPED_INFO(render(d, p->sources));
  REQUIRE(p->diags.all().empty());
  REQUIRE(p->file.statements.size() == 1);
  const auto& items = p->file.statements[0].items;
  REQUIRE(items.size() == 7);
  for (const auto& it : items) CHECK(it.kind == ItemKind::string);

  CHECK(items[0].text == R"(a\\b\"c\nd\te\$f)");  // as written
  REQUIRE(items[0].parts().size() == 1);
  CHECK(items[0].parts()[0].text == "a\\b\"c\nd\te$f");  // unescaped
  CHECK(p->text(items[0].parts()[0].span) == R"(a\\b\"c\nd\te\$f)");

  REQUIRE(items[1].parts().size() == 1);  // `\$` is a literal `$`: no interpolation
  CHECK(items[1].parts()[0].text == "${x}");
  CHECK_FALSE(items[1].has_interpolation());

  const auto& rg = items[2];
  REQUIRE(rg.parts().size() == 3);
  CHECK(rg.parts()[0].text == "aks-");
  CHECK(rg.parts()[1].interpolation);
  CHECK(rg.parts()[1].text == "prefix");
  CHECK(p->text(rg.parts()[1].span) == "${prefix}");
  CHECK(p->at(rg.parts()[1].span) == "1:35");
  CHECK(rg.parts()[2].text == "-rg");
  CHECK(p->text(rg.parts()[2].span) == "-rg");

  CHECK(items[3].text.empty());
  CHECK(items[3].parts().empty());

  REQUIRE(items[4].parts().size() == 2);
  CHECK(items[4].parts()[1].text == "b.c");
  CHECK(items[4].parts()[1].interpolation);

  REQUIRE(items[5].parts().size() == 1);
  CHECK(items[5].parts()[0].text == "$5 and $");
  CHECK(items[6].parts()[0].text == "é ✓ 😀");
}

TEST_CASE("statements: separators, blocks, continuation, spans", "[parse]") {
  auto p = parse_text(
      "\n"
      "a 1; b 2;;\n"
      "\n"
      "c <\n"
      "  d <>\n"
      "  e < f ; g > ; h\n"
      ">\n"
      "list x, y,\n"
      "   z,  // wraps\n"
      "\n"
      "   w\n"
      "last");
  for (const auto& d : p->diags.all()) UNSCOPED_INFO(render(d, p->sources));
  REQUIRE(p->diags.all().empty());
  const auto& s = p->file.statements;
  REQUIRE(s.size() == 5);
  CHECK(s[0].head.text == "a");
  CHECK(s[1].head.text == "b");
  CHECK(p->text(s[1].span) == "b 2");

  const auto& c = s[2];
  REQUIRE(c.has_block);
  CHECK(p->at(c.span) == "4:1");
  CHECK(p->at(c.block.open) == "4:3");
  CHECK(p->at(c.block.close) == "7:1");
  CHECK(c.span.end() == c.block.close.end());
  REQUIRE(c.block.statements.size() == 3);
  const auto& d = c.block.statements[0];
  CHECK(d.has_block);
  CHECK(d.block.statements.empty());
  CHECK(p->text(d.span) == "d <>");
  const auto& e = c.block.statements[1];
  REQUIRE(e.block.statements.size() == 2);
  CHECK(e.block.statements[0].head.text == "f");
  CHECK(e.block.statements[1].head.text == "g");
  CHECK(c.block.statements[2].head.text == "h");

  const auto& list = s[3];
  CHECK(texts(list) == std::vector<std::string>{"x", ",", "y", ",", "z", ",", "w"});
  CHECK(p->at(list.items.back().span) == "11:4");
  CHECK(s[4].head.text == "last");
  CHECK(s[4].items.empty());
}

TEST_CASE("CRLF line ends and a BOM", "[parse]") {
  const std::string lf = "vnet v 10.0.0.0/16 <\n  subnet a 10.0.1.0/24 // c\n>\nx \"s\"\n";
  std::string crlf;
  for (const char c : lf) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto a = parse_text(lf);
  auto b = parse_text(crlf);
  auto c = parse_text("\xEF\xBB\xBF" + crlf);
  for (const auto* p : {a.get(), b.get(), c.get()}) {
    REQUIRE(p->diags.all().empty());
    REQUIRE(p->file.statements.size() == 2);
    const auto& v = p->file.statements[0];
    REQUIRE(v.block.statements.size() == 1);
    CHECK(texts(v.block.statements[0]) == std::vector<std::string>{"a", "10.0.1.0/24"});
    CHECK(p->at(v.block.close) == "3:1");
    CHECK(texts(p->file.statements[1]) == std::vector<std::string>{"s"});
    REQUIRE(p->file.comments.size() == 1);
    CHECK(p->text(p->file.comments[0].span) == "// c");  // without the '\r'
    CHECK_FALSE(p->file.comments[0].own_line);
  }
  // Offsets count the BOM's bytes; the first statement starts right after it.
  CHECK(c->file.statements[0].span.offset == 3);
  CHECK(c->at(c->file.statements[0].span) == "1:4");

  auto d = parse_text("\xEF\xBB\xBF// first\nx\n");
  REQUIRE(d->diags.all().empty());
  REQUIRE(d->file.comments.size() == 1);
  CHECK(d->file.comments[0].own_line);
}

TEST_CASE("comments are collected with their place", "[parse]") {
  auto p = parse_text(
      "// head\n"
      "a b // after\n"
      "  \t// indented\n"
      "c <  // opens\n"
      "  d x,  // in a list\n"
      "    y\n"
      "> // closes\n"
      "e// glued\n"
      "f \"// not a comment\"\n"
      "//");
  REQUIRE(p->diags.all().empty());
  const auto& cs = p->file.comments;
  REQUIRE(cs.size() == 8);
  std::vector<std::string> text;
  std::vector<bool> own;
  for (const auto& c : cs) {
    text.emplace_back(p->text(c.span));
    own.push_back(c.own_line);
  }
  CHECK(text == std::vector<std::string>{"// head", "// after", "// indented", "// opens", "// in a list", "// closes",
                                         "// glued", "//"});
  CHECK(own == std::vector<bool>{true, false, true, false, false, false, false, true});
  CHECK(p->at(cs[2].span) == "3:4");
  REQUIRE(p->file.statements.size() == 4);
  REQUIRE(p->file.statements[1].block.statements.size() == 1);
  CHECK(texts(p->file.statements[1].block.statements[0]) == std::vector<std::string>{"x", ",", "y"});
  REQUIRE(p->file.statements[3].items.size() == 1);
  CHECK(p->file.statements[3].items[0].text == "// not a comment");
}

// ---- errors: each code, with its exact position

TEST_CASE("E0001: syntax errors say what was expected", "[parse]") {
  {
    auto p = parse_text("a b @ c\n");
    const auto& d = p->only_diag();
    CHECK(d.code == Code::E0001);
    CHECK(p->at(d.span) == "1:5");
    CHECK(d.span.length == 1);
    CHECK(d.message == "expected an item or the end of the statement, found '@'");
  }
  {
    auto p = parse_text("ok\n\"x\" y\n");
    const auto& d = p->only_diag();
    CHECK(d.code == Code::E0001);
    CHECK(p->at(d.span) == "2:1");
    CHECK(d.message == "expected a statement keyword, found '\"'");
  }
  {
    auto p = parse_text("vnet v <\n  subnet a\n  10.0.0.0/8\n>\n");
    const auto& d = p->only_diag();
    CHECK(d.code == Code::E0001);
    CHECK(p->at(d.span) == "3:3");
    CHECK(d.message == "expected a statement keyword or `>` to close the block opened at 1:8, found '1'");
  }
  {
    auto p = parse_text("x < y >\n>\n");
    const auto& d = p->only_diag();
    CHECK(d.code == Code::E0001);
    CHECK(p->at(d.span) == "2:1");
    CHECK(d.message == "unexpected `>`: no block is open here");
  }
  {
    auto p = parse_text("x < y > z\n");
    const auto& d = p->only_diag();
    CHECK(p->at(d.span) == "1:9");
    CHECK(d.message == "expected the end of the line after `>`, found 'z'");
  }
  {
    auto p = parse_text("x é\n");
    const auto& d = p->only_diag();
    CHECK(p->at(d.span) == "1:3");
    CHECK(d.span.length == 2);  // the whole character
    CHECK(d.message == "expected an item or the end of the statement, found 'é' (U+00E9)");
  }
  {
    auto p = parse_text("x \"a\" 1\r\n$\r\n");
    const auto& d = p->only_diag();
    CHECK(p->at(d.span) == "2:1");
  }
}

TEST_CASE("E0002: a string not closed on its line", "[parse]") {
  auto p = parse_text("group rg \"aks-rg\n  in eastus\n");
  const auto& d = p->only_diag();
  CHECK(d.code == Code::E0002);
  CHECK(p->at(d.span) == "1:10");
  CHECK(p->text(d.span) == "\"aks-rg");
  CHECK(d.message == "expected `\"` to close the string, found the end of the line");
  // The next line is a statement of its own again.
  REQUIRE(p->file.statements.size() == 1);
  CHECK(p->file.statements[0].head.text == "in");

  auto q = parse_text("x \"abc");
  CHECK(q->only_diag().code == Code::E0002);
  CHECK(q->at(q->only_diag().span) == "1:3");
  CHECK(q->only_diag().message == "expected `\"` to close the string, found the end of the file");
}

TEST_CASE("E0003: a block not closed before the end of the file", "[parse]") {
  auto p = parse_text("a 1\nvnet v <\n  subnet s <\n    x\n  >\n  y\n");
  const auto& d = p->only_diag();
  CHECK(d.code == Code::E0003);
  CHECK(p->at(d.span) == "2:8");
  CHECK(d.span.length == 1);
  // Everything read is kept.
  REQUIRE(p->file.statements.size() == 2);
  const auto& v = p->file.statements[1];
  REQUIRE(v.block.statements.size() == 2);
  CHECK(v.block.statements[1].head.text == "y");
  CHECK(v.block.close.length == 0);

  auto q = parse_text("a <\n b <\n  c <\n");
  const auto& e = q->only_diag();
  CHECK(e.code == Code::E0003);
  CHECK(q->at(e.span) == "3:5");  // the innermost
  REQUIRE(e.notes.size() == 1);
  CHECK(q->at(e.notes[0].span) == "1:3");  // and a note on the outermost
}

TEST_CASE("E0004: unknown escapes", "[parse]") {
  auto p = parse_text("x \"C:\\path\"\n");
  const auto& d = p->only_diag();
  CHECK(d.code == Code::E0004);
  CHECK(p->at(d.span) == "1:6");
  CHECK(p->text(d.span) == "\\p");
  CHECK(d.message == "expected one of `\\\\` `\\\"` `\\n` `\\t` `\\$` after `\\`, found 'p'");

  auto q = parse_text("x \"abc\\");
  CHECK(q->only_diag().code == Code::E0004);
  CHECK(q->at(q->only_diag().span) == "1:7");
}

TEST_CASE("E0005: invalid UTF-8 or NUL, before anything is parsed", "[parse]") {
  struct Case {
    std::string text;
    std::string at;
  };
  const std::vector<Case> cases = {
      {std::string("a b\n c\0d", 8), "2:3"},     // NUL
      {"x \"caf\xE9\"\n", "1:7"},                // Latin-1
      {"x\n\xC0\xAF", "2:1"},                    // overlong
      {"x \xED\xA0\x80", "1:3"},                 // a surrogate
      {"x \xF4\x90\x80\x80", "1:3"},             // above U+10FFFF
      {"ok \"\xE2\x9C\x93\" \xE2\x9C", "1:10"},  // cut short at the end
      {"\xFF", "1:1"},
  };
  for (const auto& c : cases) {
    INFO(c.at);
    auto p = parse_text(c.text);
    const auto& d = p->only_diag();
    CHECK(d.code == Code::E0005);
    CHECK(p->at(d.span) == c.at);
    CHECK(d.span.length == 1);
    CHECK(p->file.statements.empty());
  }
}

TEST_CASE("E0006: blocks nested too deep", "[parse]") {
  std::string ok, deep;
  for (int i = 0; i < 32; ++i) ok += "a <\n";
  ok += "leaf\n";
  for (int i = 0; i < 32; ++i) ok += ">\n";
  auto p = parse_text(ok);
  CHECK(p->diags.all().empty());

  for (int i = 0; i < 33; ++i) deep.append("a").append(std::to_string(i)).append(" <\n");
  for (int i = 0; i < 33; ++i) deep += ">\n";
  deep += "after\n";
  auto q = parse_text(deep);
  const auto& d = q->only_diag();
  CHECK(d.code == Code::E0006);
  CHECK(q->at(d.span) == "33:5");
  // The too-deep block is skipped; the 32 around it close normally and parsing goes on.
  REQUIRE(q->file.statements.size() == 2);
  CHECK(q->file.statements[1].head.text == "after");
}

TEST_CASE("E0007: an interpolation that holds no parameter name", "[parse]") {
  struct Case {
    const char* text;
    const char* at;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"x \"a${}\"", "1:5", "expected a parameter name after `${`, found '}'"},
      {"x ${1}", "1:3", "expected a parameter name after `${`, found '1'"},
      {"x \"${a\"", "1:4", "expected `}` to close `${`, found '\"'"},
      {"x a.${b-c}", "1:5", "expected `}` to close `${`, found '-'"},
      {"x ${a.}", "1:3", "expected `}` to close `${`, found '.'"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    auto p = parse_text(c.text);
    const auto& d = p->only_diag();
    CHECK(d.code == Code::E0007);
    CHECK(p->at(d.span) == c.at);
    CHECK(p->text(d.span).substr(0, 2) == "${");
    CHECK(d.message == c.message);
  }
}

// ---- recovery

TEST_CASE("after an error the parser skips the line and goes on", "[parse]") {
  auto p = parse_text(
      "a 1\n"
      "b @\n"  // E0001
      "c <\n"
      "  d \"x\\q\" <\n"  // E0004: d and its block are skipped
      "    e <\n"
      "      oops )\n"  // not reported: inside the skipped block
      "    >\n"
      "  >\n"
      "  f 2\n"
      "  g ${}, h,\n"  // E0007; the list goes on on the next line, which is skipped too
      "    i, j\n"
      "  k 3 > l\n"  // k is fine, `>` closes c's block, `l` is E0001
      "m \"open\n"   // E0002
      "n 4\n");
  std::vector<std::string> where;
  for (const auto& d : p->diags.all()) where.push_back(std::string(info(d.code).id) + "@" + p->at(d.span));
  CHECK(where == std::vector<std::string>{"E0001@2:3", "E0004@4:7", "E0007@10:5", "E0001@12:9", "E0002@13:3"});
  std::vector<std::string> heads;
  for (const auto& s : p->file.statements) heads.emplace_back(s.head.text);
  CHECK(heads == std::vector<std::string>{"a", "c", "n"});
  const auto& c = p->file.statements[1];
  std::vector<std::string> inner;
  for (const auto& s : c.block.statements) inner.emplace_back(s.head.text);
  CHECK(inner == std::vector<std::string>{"f", "k"});
}

TEST_CASE("recovery does not take an arrow for the end of a block", "[parse]") {
  auto p = parse_text("network n <\n  allow a @ tcp * -> \"x\" : 443\n  allow b\n>\nafter\n");
  CHECK(p->codes() == std::vector<std::string>{"E0001"});
  REQUIRE(p->file.statements.size() == 2);
  REQUIRE(p->file.statements[0].block.statements.size() == 1);
  REQUIRE(p->file.statements[0].block.statements[0].items.size() == 1);
  CHECK(p->file.statements[0].block.statements[0].items[0].text == "b");
}

TEST_CASE("comments on skipped lines are still collected", "[parse]") {
  auto p = parse_text("a @ // one\r\nb < // two\r\n  c \"//\" // three\r\n  @ // four\r\n>\r\n// five");
  CHECK(p->codes() == std::vector<std::string>{"E0001", "E0001"});
  std::vector<std::string> text;
  for (const auto& c : p->file.comments) text.emplace_back(p->text(c.span));
  CHECK(text == std::vector<std::string>{"// one", "// two", "// three", "// four", "// five"});
}

TEST_CASE("a one-line block recovers inside the block", "[parse]") {
  auto p = parse_text("firewall fw < dnat 80 -> @ >\nnext\n");
  const auto& d = p->only_diag();
  CHECK(p->at(d.span) == "1:26");
  REQUIRE(p->file.statements.size() == 2);
  CHECK(p->file.statements[0].has_block);
  CHECK(p->at(p->file.statements[0].block.close) == "1:28");
  CHECK(p->file.statements[0].block.statements.empty());
  CHECK(p->file.statements[1].head.text == "next");
}

TEST_CASE("diagnostics stop at 100 per file", "[parse]") {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "x @\n";
  auto p = parse_text(text);
  REQUIRE(p->diags.all().size() == 100);
  CHECK(p->at(p->diags.all().back().span) == "100:3");
  CHECK_FALSE(p->diags.all().back().notes.empty());
}

// ---- limits: nothing overflows the stack, big inputs parse

TEST_CASE("10,000 nested blocks give E0006 without crashing", "[parse]") {
  std::string nested;
  for (int i = 0; i < 10000; ++i) nested += "a <";
  auto p = parse_text(nested);
  REQUIRE_FALSE(p->diags.all().empty());
  CHECK(p->diags.all()[0].code == Code::E0006);
  CHECK(p->at(p->diags.all()[0].span) == "1:99");
  CHECK(p->codes() == std::vector<std::string>{"E0006", "E0003"});

  auto q = parse_text(std::string(10000, '<'));
  CHECK(q->codes() == std::vector<std::string>{"E0001"});
  auto r = parse_text(std::string(10000, '>'));
  CHECK(r->codes() == std::vector<std::string>{"E0001"});
  std::string lines;
  for (int i = 0; i < 10000; ++i) lines += "a <\n";
  for (int i = 0; i < 10000; ++i) lines += ">\n";
  auto s = parse_text(lines);
  CHECK(s->codes() == std::vector<std::string>{"E0006"});
}

TEST_CASE("a 1 MB line parses", "[parse]") {
  std::string items = "allow big tcp * -> ";
  while (items.size() < (1u << 20)) items += "\"host.example.com\", 10.0.0.0/8, name-${p}, ";
  items += "x : 443\n";
  auto p = parse_text(items);
  REQUIRE(p->diags.all().empty());
  REQUIRE(p->file.statements.size() == 1);
  CHECK(p->file.statements[0].items.size() > 100000);

  auto q = parse_text("x \"" + std::string(1u << 20, 'a') + "\"\n");
  REQUIRE(q->diags.all().empty());
  REQUIRE(q->file.statements.size() == 1);
  REQUIRE(q->file.statements[0].items.size() == 1);
  REQUIRE(q->file.statements[0].items[0].parts().size() == 1);
  CHECK(q->file.statements[0].items[0].parts()[0].text.size() == (1u << 20));
}

TEST_CASE("the tree's texts are views of the source, valid as long as its SourceManager", "[parse]") {
  // A text this short is kept inside its std::string: the SourceManager must not move it when files are added
  // after the parse (imports are).
  SourceManager sources;
  const auto id = sources.add("short.egress", "a b\n");
  Diagnostics diags;
  const auto file = parse::parse(sources, id, diags);
  for (int i = 0; i < 100; ++i) sources.add("more" + std::to_string(i) + ".egress", "x\n");
  REQUIRE(file.statements.size() == 1);
  REQUIRE(file.statements[0].items.size() == 1);
  CHECK(file.statements[0].head.text == "a");
  CHECK(file.statements[0].items[0].text == "b");
  CHECK(file.statements[0].items[0].text.data() == sources.text(id).data() + 2);  // not a copy
}

TEST_CASE("a string's parts are views of the source, unless they hold an escape", "[parse]") {
  auto p = parse_text("s \"plain-${x}\" \"tab\\there\"\n");
  REQUIRE(p->diags.all().empty());
  REQUIRE(p->file.statements.size() == 1);
  const auto& items = p->file.statements[0].items;
  REQUIRE(items.size() == 2);
  const auto source = p->sources.text(p->id);
  const auto in_source = [&](std::string_view v) {
    return v.data() >= source.data() && v.data() + v.size() <= source.data() + source.size();
  };
  REQUIRE(items[0].parts().size() == 2);
  CHECK(items[0].parts()[0].text == "plain-");
  CHECK(in_source(items[0].parts()[0].text));
  CHECK(items[0].parts()[1].text == "x");
  CHECK(in_source(items[0].parts()[1].text));
  REQUIRE(items[1].parts().size() == 1);
  CHECK(items[1].parts()[0].text == "tab\there");
  CHECK_FALSE(in_source(items[1].parts()[0].text));  // unescaped: kept in the File
}

TEST_CASE("many statements and blocks: every run keeps its own items and statements", "[parse]") {
  // Enough to fill many of the File's storage chunks (syntax/arena.hpp), with runs of several lengths.
  std::string text;
  constexpr int kBlocks = 3000;
  for (int i = 0; i < kBlocks; ++i) {
    const auto n = std::to_string(i);
    text += "b" + n + " <\n  r" + n + " " + n + " x" + n + " \"s${p}" + n + "\"\n  s" + n + " <\n    t" + n;
    for (int k = 0; k < i % 7; ++k) text += " w" + std::to_string(k);
    text += "\n  >\n>\n";
  }
  auto p = parse_text(text);
  REQUIRE(p->diags.all().empty());
  REQUIRE(p->file.statements.size() == kBlocks);
  for (int i = 0; i < kBlocks; ++i) {
    INFO(i);
    const auto n = std::to_string(i);
    const auto& b = p->file.statements[static_cast<std::size_t>(i)];
    CHECK(b.head.text == "b" + n);
    REQUIRE(b.block.statements.size() == 2);
    const auto& r = b.block.statements[0];
    CHECK(r.head.text == "r" + n);
    CHECK(texts(r) == std::vector<std::string>{n, "x" + n, "s${p}" + n});
    REQUIRE(r.items.size() == 3);
    REQUIRE(r.items[2].parts().size() == 3);
    CHECK(r.items[2].parts()[2].text == n);
    const auto& inner = b.block.statements[1].block.statements;
    REQUIRE(inner.size() == 1);
    CHECK(inner[0].head.text == "t" + n);
    CHECK(inner[0].items.size() == static_cast<std::size_t>(i % 7));
    if (!inner[0].items.empty()) CHECK(inner[0].items.back().text == "w" + std::to_string(i % 7 - 1));
  }
}

TEST_CASE("any text parses without throwing, and every span is inside the file", "[parse]") {
  const std::string alphabet = "ab1 .-<>\"\\${}/;,:*=\n\n\r\t@_9";
  std::mt19937 rng(20240611);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const auto n = rng() % 80;
    for (std::uint32_t i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
    INFO(text);
    std::unique_ptr<Parsed> p;
    REQUIRE_NOTHROW(p = parse_text(text));
    for (const auto& d : p->diags.all()) {
      CHECK(d.span.end() <= text.size());
      if (d.span.offset < text.size()) CHECK(d.span.length >= 1);
      CHECK(info(d.code).id.substr(0, 3) == "E00");
    }
    // No error is reported twice.
    for (std::size_t i = 1; i < p->diags.all().size(); ++i) {
      CHECK_FALSE((p->diags.all()[i].code == p->diags.all()[i - 1].code &&
                   p->diags.all()[i].span == p->diags.all()[i - 1].span));
    }
  }
}

// ---- the dump

TEST_CASE("the AST dump is stable text", "[parse]") {
  auto p = parse_text("// top\nfirewall fw < dnat 80 -> service \"store-front\" >\nroute r fwpip/32 -> \"a${b}\"\n");
  REQUIRE(p->diags.all().empty());
  CHECK(syntax::dump(p->file, p->sources) ==
        "statement \"firewall\" 2:1-2:49\n"
        "  word \"fw\" 2:10\n"
        "  block 2:13-2:48\n"
        "    statement \"dnat\" 2:15-2:47\n"
        "      number \"80\" 2:20\n"
        "      arrow \"->\" 2:23\n"
        "      word \"service\" 2:26\n"
        "      string \"store-front\" 2:34\n"
        "statement \"route\" 3:1-3:28\n"
        "  word \"r\" 3:7\n"
        "  word \"fwpip\" /32 3:9\n"
        "  arrow \"->\" 3:18\n"
        "  string \"a${b}\" 3:21\n"
        "    part \"a\" 3:22\n"
        "    interpolation \"b\" 3:23\n"
        "comment own-line \"// top\" 1:1\n");
}
