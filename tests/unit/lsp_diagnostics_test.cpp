// The language server's diagnostics as you type (ranges, codes and their links, related information,
// imports), formatting and quick fixes, and how long a re-check takes. Driven in process by Session
// (support/lsp_session.hpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "lsp/features.hpp"
#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::lsp;
using namespace egress::testing;

namespace {
// The article's only diagnostic: W0230, it does not open the Ubuntu update hosts AKS recommends.
bool only_recommended_warning(const json& diags) {
  for (const auto& d : diags)
    if (d["code"] != "W0230") return false;
  return diags.size() <= 1;
}
}  // namespace

TEST_CASE("lsp: diagnostics as you type", "[lsp]") {
  Session s;
  s.initialize();
  const std::string text = article();
  auto diags = s.open(kArticleUri, text);
  REQUIRE(diags.is_array());
  CHECK(only_recommended_warning(diags));

  // Turning the DNS proxy off breaks the FQDNs in network rules: E0228.
  const auto p = pos_of(text, "dns_proxy on", 0, 10);
  diags = s.change(kArticleUri, 2,
                   json::array({{{"range", {{"start", pos_json(p)}, {"end", pos_json({p.line, p.character + 2})}}},
                                 {"text", "off"}}}));
  REQUIRE(diags.is_array());
  REQUIRE_FALSE(diags.empty());
  bool found = false;
  for (const auto& d : diags) {
    if (d["code"] != "E0228") continue;
    found = true;
    CHECK(d["severity"] == 1);
    CHECK(d["source"] == "egress");
    CHECK(d["codeDescription"]["href"] ==
          "https://github.com/egress-lang/egress/blob/main/docs/diagnostics.md#e0228-fqdn-needs-dns-proxy");
    CHECK(d["range"]["start"]["line"].get<int>() > 0);
    CHECK(d["message"].get<std::string>().find("hint: ") != std::string::npos);
  }
  CHECK(found);
  // The version is published with the diagnostics.
  CHECK(s.last().back()["params"]["version"] == 2);

  // A syntax error: E0003 at the unclosed block, and the rest is still known (hover works).
  diags = s.replace_all(kArticleUri, 3, text + "\nvnet broken 10.9.0.0/16 <\n");
  bool unclosed = false;
  for (const auto& d : diags) unclosed |= d["code"] == "E0003";
  CHECK(unclosed);
  CHECK(s.hover_text(kArticleUri, pos_of(text, "subnet aks", 0, 7)).find("10.42.1.0/24") != std::string::npos);

  // Back to the article: no error, only the recommended-hosts warning.
  diags = s.replace_all(kArticleUri, 4, text);
  CHECK(only_recommended_warning(diags));

  // Notes become relatedInformation.
  diags = s.replace_all(kArticleUri, 5, text + "\npublic_ip fwpip \"again\"\n");
  bool related = false;
  for (const auto& d : diags)
    if (d["code"] == "E0103") {
      REQUIRE(d.contains("relatedInformation"));
      CHECK(d["relatedInformation"][0]["location"]["uri"] == kArticleUri);
      CHECK(line_of(d["relatedInformation"][0]["location"]) == line_of_text(text, "public_ip fwpip"));
      related = true;
    }
  CHECK(related);

  // Closing clears them.
  s.notify("textDocument/didClose", {{"textDocument", {{"uri", kArticleUri}}}});
  CHECK(s.published(kArticleUri).empty());
  CHECK(s.server().analysis(kArticleUri) == nullptr);
}

TEST_CASE("lsp: every code's link points at its heading in docs/diagnostics.md", "[lsp]") {
  const auto doc = slurp(source_dir() + "/docs/diagnostics.md");
  REQUIRE(doc.has_value());
  for (const auto& code : all_codes()) {
    const auto href = code_href(code);
    const std::string heading = "## " + std::string(code.id) + " " + std::string(code.slug) + "\n";
    INFO(href);
    CHECK(href.rfind(std::string(kDiagnosticsDocs) + "#", 0) == 0);
    CHECK(doc->find(heading) != std::string::npos);
  }
}

TEST_CASE("lsp: imports resolve from the file's folder", "[lsp]") {
  Session s;
  s.file("/proj/net.egress", "// shared network\nvnet hub \"hub\" 10.50.0.0/16 < subnet AzureFirewallSubnet 10.50.1.0/26 >\n");
  s.initialize();
  const std::string uri = "file:///proj/main.egress";
  const std::string text =
      "import \"net.egress\"\ngroup rg \"rg\" in eastus\nfirewall fw \"fw\" in hub.AzureFirewallSubnet\n";
  auto diags = s.open(uri, text);
  for (const auto& d : diags) CHECK(d["code"] != "E0109");
  // Definition across files.
  const auto def = s.at("textDocument/definition", uri, pos_of(text, "hub.Azure", 0, 6));
  CHECK(def["uri"] == "file:///proj/net.egress");
  CHECK(line_of(def) == 1);
  // The import path goes to the file.
  const auto file = s.at("textDocument/definition", uri, pos_of(text, "net.egress", 0, 2));
  CHECK(file["uri"] == "file:///proj/net.egress");

  // An error inside the imported file shows at the import, with the place itself as related information.
  s.file("/proj/net.egress", "vnet hub \"hub\" 10.50.0.0/16 < subnet AzureFirewallSubnet 10.50.1.7/26 >\n");
  s.notify("workspace/didChangeWatchedFiles", {{"changes", json::array()}});
  diags = s.published(uri);
  REQUIRE(diags.is_array());
  bool shown = false;
  for (const auto& d : diags)
    if (d["code"] == "E0119") {
      shown = true;
      CHECK(line_of(d) == 0);
      CHECK(d["message"].get<std::string>().find("/proj/net.egress:1:") != std::string::npos);
      CHECK(d["relatedInformation"][0]["location"]["uri"] == "file:///proj/net.egress");
    }
  CHECK(shown);

  // An open document is read instead of the disk, and its importers are checked again when it changes.
  s.open("file:///proj/net.egress", "vnet hub \"hub\" 10.50.0.0/16 < subnet AzureFirewallSubnet 10.50.1.0/26 >\n");
  diags = s.published(uri);
  REQUIRE(diags.is_array());
  for (const auto& d : diags) CHECK(d["code"] != "E0119");
  s.change("file:///proj/net.egress", 2, json::array({{{"text", "vnet other \"o\" 10.60.0.0/16\n"}}}));
  diags = s.published(uri);
  REQUIRE(diags.is_array());
  bool unknown = false;
  for (const auto& d : diags) unknown |= d["code"] == "E0104";
  CHECK(unknown);

  // A missing import.
  diags = s.open("file:///proj/other.egress", "import \"missing.egress\"\n");
  bool missing = false;
  for (const auto& d : diags) missing |= d["code"] == "E0109";
  CHECK(missing);
}

TEST_CASE("lsp: formatting and quick fixes", "[lsp]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/fmt.egress";
  const std::string text = article();
  s.open(uri, text);
  auto format = [&] {
    return s.request("textDocument/formatting", {{"textDocument", {{"uri", uri}}}, {"options", {{"tabSize", 2}, {"insertSpaces", true}}}})["result"];
  };
  CHECK(format() == json::array());  // already formatted
  std::string messy = text;
  messy.replace(messy.find("  dns_proxy on"), 14, "dns_proxy    on");
  s.replace_all(uri, 2, messy);
  auto edits = format();
  REQUIRE(edits.size() == 1);
  CHECK(edits[0]["newText"] == text);
  CHECK(edits[0]["range"]["start"] == json({{"line", 0}, {"character", 0}}));
  s.replace_all(uri, 3, "vnet v <\n");
  CHECK(format().is_null());  // a syntax error: no formatting

  // A typo with a fix-it: `dns_proxy onn` (E0106, did you mean `on`?).
  std::string typo = text;
  typo.replace(typo.find("dns_proxy on"), 12, "dns_proxy onn");
  s.replace_all(uri, 4, typo);
  const auto p = pos_of(typo, "onn");
  auto actions = s.request("textDocument/codeAction",
                           {{"textDocument", {{"uri", uri}}},
                            {"range", {{"start", pos_json(p)}, {"end", pos_json(p)}}},
                            {"context", {{"diagnostics", json::array()}}}})["result"];
  REQUIRE(actions.size() == 1);
  CHECK(actions[0]["kind"] == "quickfix");
  CHECK(actions[0]["title"] == "Replace `onn` with `on` (E0106)");
  CHECK(actions[0]["diagnostics"][0]["code"] == "E0106");
  const auto& change = actions[0]["edit"]["changes"][uri];
  REQUIRE(change.size() == 1);
  CHECK(change[0]["newText"] == "on");
  CHECK(change[0]["range"]["start"] == pos_json(p));
  // Host bits set: the fix-it is the network address.
  std::string host = text;
  host.replace(host.find("10.42.1.0/24"), 12, "10.42.1.7/24");
  s.replace_all(uri, 5, host);
  const auto h = pos_of(host, "10.42.1.7/24");
  actions = s.request("textDocument/codeAction", {{"textDocument", {{"uri", uri}}},
                                                  {"range", {{"start", pos_json({h.line, 0})}, {"end", pos_json({h.line, 80})}}},
                                                  {"context", {{"diagnostics", json::array()}}}})["result"];
  REQUIRE(actions.size() == 1);
  CHECK(actions[0]["edit"]["changes"][uri][0]["newText"] == "10.42.1.0/24");
  // Elsewhere, or when only refactorings are asked for: none.
  CHECK(s.request("textDocument/codeAction", {{"textDocument", {{"uri", uri}}},
                                              {"range", {{"start", pos_json({0, 0})}, {"end", pos_json({0, 1})}}},
                                              {"context", json::object()}})["result"]
            .empty());
  CHECK(s.request("textDocument/codeAction", {{"textDocument", {{"uri", uri}}},
                                              {"range", {{"start", pos_json({h.line, 0})}, {"end", pos_json({h.line, 80})}}},
                                              {"context", {{"only", json::array({"refactor"})}}}})["result"]
            .empty());
}

// The time a re-check takes is a figure of bench/egress_bench ("LSP re-check after a keystroke").
TEST_CASE("lsp: every keystroke re-checks the article and publishes its diagnostics", "[lsp]") {
  Session s;
  s.initialize();
  const std::string text = article();
  const auto on_open = s.open(kArticleUri, text);
  REQUIRE(on_open.is_array());
  const auto p = pos_of(text, "nodes 3", 0, 6);
  for (int i = 0; i < 20; ++i) {
    const json change = {{{"range", {{"start", pos_json(p)}, {"end", pos_json({p.line, p.character + 1})}}},
                          {"text", i % 2 ? "3" : "4"}}};
    s.change(kArticleUri, i + 2, change);
    REQUIRE(s.published(kArticleUri).is_array());
    CHECK(s.published(kArticleUri) == on_open);  // `nodes 4` and `nodes 3` earn the same diagnostics
  }
}
