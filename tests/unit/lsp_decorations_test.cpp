// The language server's semantic tokens and inlay hints (issue 13, part 4), on the article.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using json = nlohmann::json;

namespace {

struct Decoded {
  std::uint32_t line, character, length;
  std::string type;
  std::vector<std::string> modifiers;
};

/// The tokens of a semanticTokens result, with absolute positions and the legend's names.
std::vector<Decoded> decode(const json& result, const json& legend) {
  std::vector<Decoded> out;
  const auto& d = result["data"];
  REQUIRE(d.size() % 5 == 0);
  std::uint32_t line = 0, character = 0;
  for (std::size_t i = 0; i < d.size(); i += 5) {
    const auto dl = d[i].get<std::uint32_t>(), dc = d[i + 1].get<std::uint32_t>();
    line += dl;
    character = dl == 0 ? character + dc : dc;
    Decoded t{line, character, d[i + 2].get<std::uint32_t>(), legend["tokenTypes"][d[i + 3].get<std::size_t>()].get<std::string>(), {}};
    const auto mods = d[i + 4].get<unsigned>();
    for (std::size_t b = 0; b < legend["tokenModifiers"].size(); ++b)
      if ((mods >> b) & 1U) t.modifiers.push_back(legend["tokenModifiers"][b].get<std::string>());
    out.push_back(t);
  }
  return out;
}

const Decoded* token_at(const std::vector<Decoded>& tokens, const lsp::Position& p) {
  for (const auto& t : tokens)
    if (t.line == p.line && t.character == p.character) return &t;
  return nullptr;
}

}  // namespace

TEST_CASE("lsp: semantic tokens colour names by what they name", "[lsp][semantic-tokens]") {
  Session s;
  const auto init = s.request("initialize", {{"capabilities", json::object()}});
  const auto legend = init["result"]["capabilities"]["semanticTokensProvider"]["legend"];
  REQUIRE(legend["tokenTypes"].size() >= 5);
  s.notify("initialized", json::object());
  const std::string text = article();
  s.open(kArticleUri, text);
  const auto tokens = decode(s.request("textDocument/semanticTokens/full", {{"textDocument", {{"uri", kArticleUri}}}})["result"], legend);
  REQUIRE(tokens.size() > 50);

  const auto* prefix = token_at(tokens, pos_of(text, "param prefix", 0, 6));
  REQUIRE(prefix);
  CHECK(prefix->type == "parameter");
  CHECK(prefix->modifiers == std::vector<std::string>{"declaration"});
  const auto* use = token_at(tokens, pos_of(text, "${prefix}-fw\"", 0, 2));
  REQUIRE(use);
  CHECK(use->type == "parameter");
  CHECK(use->length == 6);
  CHECK(use->modifiers.empty());
  const auto* head = token_at(tokens, pos_of(text, "firewall fw \""));
  REQUIRE(head);
  CHECK(head->type == "keyword");
  const auto* fw = token_at(tokens, pos_of(text, "firewall fw \"", 0, 9));
  REQUIRE(fw);
  CHECK(fw->type == "class");
  const auto* subnet = token_at(tokens, pos_of(text, "in vnet.aks", 0, 3));
  REQUIRE(subnet);
  CHECK(subnet->type == "variable");
  CHECK(subnet->length == 8);
  const auto* tag = token_at(tokens, pos_of(text, "AzureCloud.${location}"));
  REQUIRE(tag);
  CHECK(tag->type == "enumMember");
  // Strictly in text order, no overlaps, one line each.
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    const auto& p = tokens[i - 1];
    const auto& t = tokens[i];
    CHECK((t.line > p.line || (t.line == p.line && t.character >= p.character + p.length)));
  }
}

TEST_CASE("lsp: inlay hints show the values the compiler derives", "[lsp][inlay-hints]") {
  Session s;
  s.initialize();
  const std::string text = article();
  s.open(kArticleUri, text);
  const json whole = {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 10000}, {"character", 0}}}};
  const auto hints = s.request("textDocument/inlayHint", {{"textDocument", {{"uri", kArticleUri}}}, {"range", whole}})["result"];
  REQUIRE(hints.is_array());
  std::vector<std::string> labels;
  for (const auto& h : hints) labels.push_back(h["label"].get<std::string>());
  CHECK(labels == std::vector<std::string>{"251 usable", "251 usable", "private IP 10.42.2.4", "10.42.2.4", "ip 10.42.1.254",
                                           "10.42.1.254"});
  // Each where it belongs: after the subnets' prefixes, the firewall's name, the route's `-> fw`, the
  // service's name and the DNAT's `service "store-front"`.
  CHECK(hints[0]["position"] == pos_json(pos_of(text, "10.42.1.0/24", 0, 12)));
  CHECK(hints[2]["position"] == pos_json(pos_of(text, "firewall fw \"", 0, 11)));
  CHECK(hints[3]["position"]["line"] == line_of_text(text, "0.0.0.0/0 -> fw"));
  CHECK(hints[4]["position"] == pos_json(pos_of(text, "service \"store-front\" internal", 0, 21)));
  CHECK(hints[5]["position"] == pos_json(pos_of(text, "-> service \"store-front\"", 0, 24)));

  // Only the hints in the requested lines.
  const int route_line = line_of_text(text, "0.0.0.0/0 -> fw");
  const json one = {{"start", {{"line", route_line}, {"character", 0}}}, {"end", {{"line", route_line}, {"character", 200}}}};
  const auto some = s.request("textDocument/inlayHint", {{"textDocument", {{"uri", kArticleUri}}}, {"range", one}})["result"];
  REQUIRE(some.size() == 1);
  CHECK(some[0]["label"] == "10.42.2.4");
}
