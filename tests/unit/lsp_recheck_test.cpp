// What a keystroke's re-check does and leaves for later (issue 14): the index is built by the first request
// that reads it, the replaced analysis is freed after the reply, and the index's lists stay in text order
// (token_at and occurrence_at search them by position).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "lsp/analysis.hpp"
#include "lsp/server.hpp"
#include "lsp/text.hpp"
#include "support/lsp_session.hpp"

using namespace egress::lsp;
using namespace egress::testing;

namespace {

template <class List>
bool in_text_order(const List& list) {
  return std::is_sorted(list.begin(), list.end(), [](const auto& a, const auto& b) {
    return a.span.file != b.span.file ? a.span.file < b.span.file : a.span.offset < b.span.offset;
  });
}

}  // namespace

TEST_CASE("lsp: a keystroke's re-check leaves the index to the first request that reads it", "[lsp]") {
  Session s;
  s.initialize();
  const std::string text = article();
  s.open(kArticleUri, text);
  const auto* before = s.server().analysis(kArticleUri);
  REQUIRE(before != nullptr);
  CHECK_FALSE(before->index_built());

  // A request builds it, once, and answers as it always did.
  const auto hover = s.hover_text(kArticleUri, pos_of(text, "fwpip", 1));
  CHECK(hover.find("public IP") != std::string::npos);
  const auto* a = s.server().analysis(kArticleUri);
  REQUIRE(a == before);  // no change came in between: the same analysis
  CHECK(a->index_built());
  const Index* index = &a->index();
  CHECK(&a->index() == index);

  // The next keystroke publishes its diagnostics without building one.
  const auto p = pos_of(text, "nodes 3", 0, 6);
  const auto published = s.change(kArticleUri, 2, json::array({{{"range", {{"start", pos_json(p)}, {"end", pos_json({p.line, p.character + 1})}}},
                                                                 {"text", "4"}}}));
  CHECK(published.is_array());
  const auto* after = s.server().analysis(kArticleUri);
  REQUIRE(after != nullptr);
  CHECK_FALSE(after->index_built());
  // Semantic tokens build the new one; they are the same as a fresh server's for the same text.
  const auto tokens = s.request("textDocument/semanticTokens/full", {{"textDocument", {{"uri", kArticleUri}}}})["result"];
  CHECK(after->index_built());
  Session fresh;
  fresh.initialize();
  fresh.open(kArticleUri, std::string(after->sources.text(after->main)));
  CHECK(tokens == fresh.request("textDocument/semanticTokens/full", {{"textDocument", {{"uri", kArticleUri}}}})["result"]);
}

TEST_CASE("lsp: a replaced analysis is freed by idle() or by the next message", "[lsp]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/retire.egress";
  s.open(uri, "param a: int = 1\n");
  CHECK(s.server().retired() == 0);  // nothing was replaced
  s.replace_all(uri, 2, "param a: int = 2\n");
  CHECK(s.server().retired() == 1);  // kept until the reply is out
  s.server().idle();
  CHECK(s.server().retired() == 0);
  s.replace_all(uri, 3, "param a: int = 3\n");
  CHECK(s.server().retired() == 1);
  // The driver did not get to idle(): the next message frees it before anything else.
  s.request("textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}});
  CHECK(s.server().retired() == 0);
  REQUIRE(s.server().analysis(uri) != nullptr);
  CHECK(s.server().analysis(uri)->sources.text(s.server().analysis(uri)->main) == "param a: int = 3\n");
}

TEST_CASE("lsp: the index keeps its tokens and occurrences in text order", "[lsp]") {
  // Statements whose items are classified out of order (the region after `in` before the word `in` itself,
  // a route's hop before its other words), in the main file and in an import.
  Session s;
  s.initialize();
  s.file("/tmp/order/net.egress",
         "param where: region = westeurope\n"
         "group shared \"shared-rg\" in eastus\n"
         "vnet hub \"hub\" 10.1.0.0/16 < subnet AzureFirewallSubnet 10.1.1.0/24 >\n");
  const std::string uri = "file:///tmp/order/main.egress";
  const std::string text =
      "import \"net.egress\"\n"
      "group rg \"rg\" in eastus\n"
      "group other \"other-rg\" in where\n"
      "vnet v \"v\" 10.2.0.0/16 < subnet aks 10.2.1.0/24 < route_table rt > >\n"
      "public_ip pip < sku standard >\n"
      "firewall fw in hub.AzureFirewallSubnet < frontend pip\n"
      "  network c priority 100 < allow r tcp v.aks -> 10.9.0.1 : 443 >\n>\n"
      "route_table rt < route out 0.0.0.0/0 -> fw >\n";
  s.open(uri, text);
  const auto* a = s.server().analysis(uri);
  REQUIRE(a != nullptr);
  REQUIRE(a->trees.size() > 2);  // the main file, its import, the prelude
  const auto& index = a->index();
  CHECK(in_text_order(index.tokens()));
  CHECK(in_text_order(index.occurrences()));
  // What the order is for: finding what is at a position.
  const auto* region = index.token_at(a->main, static_cast<std::uint32_t>(text.find("eastus")));
  REQUIRE(region != nullptr);
  CHECK(region->kind == Token::Kind::region);
  CHECK(region->text == "eastus");
  const auto* in = index.token_at(a->main, static_cast<std::uint32_t>(text.find(" in eastus") + 1));
  REQUIRE(in != nullptr);
  CHECK(in->text == "in");
  const auto* param = index.occurrence_at(a->main, static_cast<std::uint32_t>(text.find("where")));
  REQUIRE(param != nullptr);
  CHECK(index.symbols()[static_cast<std::size_t>(param->symbol)].name == "where");
  CHECK(s.hover_text(uri, pos_of(text, "hub.AzureFirewallSubnet")).find("subnet") != std::string::npos);
}

TEST_CASE("lsp: positions in ASCII text are the same as with a multi-byte character after them", "[lsp]") {
  // LineIndex counts columns as bytes when the text has no byte above 0x7F; a text that ends in "é" takes the
  // UTF-16 walk for every line.
  const std::string text = "group rg \"x\" in eastus\n\n  vnet v 10.0.0.0/16 < >\r\nlast\n";
  const std::string with_e = text + "\xC3\xA9";
  const LineIndex fast(text);
  const LineIndex slow(with_e);
  for (std::uint32_t at = 0; at <= text.size(); ++at) {
    INFO("offset " << at);
    CHECK(fast.position(at) == slow.position(at));
  }
  for (std::uint32_t line = 0; line < 4; ++line)
    for (std::uint32_t ch = 0; ch < 40; ++ch) CHECK(fast.offset({line, ch}) == slow.offset({line, ch}));
  CHECK(fast.offset({4, 0}) == text.size());
  CHECK(fast.position(999) == Position{4, 0});
}

TEST_CASE("lsp: positions are the same in text with \"\\n\" breaks only as with \"\\r\" among them", "[lsp]") {
  // LineIndex finds "\n" with memchr when the text has no "\r": the answers must not change with the path.
  const std::string text = "group rg \"\xC3\xA9\" in eastus\n\n  vnet v\n\xF0\x9F\x98\x80 x\nlast";
  const std::string with_cr = text + "\r";  // LineIndex keeps a view of its text
  const LineIndex fast(text);
  const LineIndex slow(with_cr);
  CHECK(fast.line_count() == 5);
  CHECK(slow.line_count() == 6);
  for (std::uint32_t at = 0; at <= text.size(); ++at) {
    INFO("offset " << at);
    CHECK(fast.position(at) == slow.position(at));
  }
  for (std::uint32_t line = 0; line < 5; ++line)
    for (std::uint32_t ch = 0; ch < 30; ++ch) CHECK(fast.offset({line, ch}) == slow.offset({line, ch}));
}
