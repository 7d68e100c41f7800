// The language server's rename and workspace symbols (issue 13, part 4). A rename is checked by applying its
// edits and compiling the result: the program must stay valid and, because the rename keeps deployed names
// (it writes the old name as the explicit Azure name where there was none), the ARM template must not change.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using json = nlohmann::json;

namespace {

/// `text` with the TextEdits of `edits` applied (they do not overlap).
std::string apply_edits(const std::string& text, const json& edits) {
  const lsp::LineIndex lines(text);
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::string>> list;
  for (const auto& e : edits) {
    const auto b = lines.offset({e["range"]["start"]["line"].get<std::uint32_t>(), e["range"]["start"]["character"].get<std::uint32_t>()});
    const auto f = lines.offset({e["range"]["end"]["line"].get<std::uint32_t>(), e["range"]["end"]["character"].get<std::uint32_t>()});
    list.emplace_back(b, f, e["newText"].get<std::string>());
  }
  std::sort(list.begin(), list.end(), [](const auto& x, const auto& y) { return std::get<0>(x) > std::get<0>(y); });
  std::string out = text;
  for (const auto& [b, f, t] : list) out.replace(b, f - b, t);
  return out;
}

/// The ARM template of `text` (which must compile without errors).
std::string arm_of(const std::string& text) {
  SourceManager sources;
  const auto id = sources.add("examples/aks-egress/main.egress", text);
  Options o;
  o.targets = {Target::arm};
  const auto r = compile(sources, id, o);
  std::string rendered;
  for (const auto& d : r.diagnostics.all()) rendered += render(d, sources);
  INFO(rendered);
  REQUIRE(r.ok());
  REQUIRE(r.outputs.size() == 1);
  return r.outputs[0].content;
}

json rename_at(Session& s, const std::string& uri, const lsp::Position& p, const std::string& name) {
  return s.request("textDocument/rename",
                   {{"textDocument", {{"uri", uri}}}, {"position", pos_json(p)}, {"newName", name}});
}

/// A server with the article open at kArticleUri.
struct ArticleOpen {
  Session s;
  std::string text = article();
  ArticleOpen() {
    s.initialize();
    s.open(kArticleUri, text);
  }
};

}  // namespace

TEST_CASE_METHOD(ArticleOpen, "lsp: prepareRename gives the name's range, or refuses", "[lsp][rename]") {

  const auto pip = s.at("textDocument/prepareRename", kArticleUri, pos_of(text, "frontend fwpip", 0, 10));
  REQUIRE(pip.is_object());
  CHECK(pip["placeholder"] == "fwpip");
  // A subnet used as VNET.SUBNET: only the subnet's part is the name.
  const auto sub = s.at("textDocument/prepareRename", kArticleUri, pos_of(text, "in vnet.aks", 0, 9));
  CHECK(sub["placeholder"] == "aks");
  CHECK(sub["range"]["start"]["character"].get<int>() == static_cast<int>(pos_of(text, "in vnet.aks", 0, 8).character));
  // Nothing to rename on a keyword.
  CHECK(s.at("textDocument/prepareRename", kArticleUri, pos_of(text, "dns_proxy on")).is_null());
}

TEST_CASE_METHOD(ArticleOpen, "lsp: renaming a subnet without an Azure name keeps the deployed name", "[lsp][rename]") {
  const auto r = rename_at(s, kArticleUri, pos_of(text, "subnet AzureFirewallSubnet", 0, 8), "fwsubnet");
  REQUIRE(r.contains("result"));
  const auto& edits = r["result"]["changes"][kArticleUri];
  const auto renamed = apply_edits(text, edits);
  CHECK(renamed.find("subnet fwsubnet \"AzureFirewallSubnet\" ") != std::string::npos);
  CHECK(renamed.find("vnet.AzureFirewallSubnet") == std::string::npos);
  CHECK(renamed.find("vnet.fwsubnet") != std::string::npos);
  // Same template: the subnet is still deployed as AzureFirewallSubnet, the name Azure Firewall requires.
  CHECK(arm_of(renamed) == arm_of(text));
}

TEST_CASE_METHOD(ArticleOpen, "lsp: renaming a VNet rewrites the VNet part of its subnets' uses", "[lsp][rename]") {
  const auto r = rename_at(s, kArticleUri, pos_of(text, "vnet vnet", 0, 6), "spoke");
  REQUIRE(r.contains("result"));
  const auto renamed = apply_edits(text, r["result"]["changes"][kArticleUri]);
  CHECK(renamed.find("vnet spoke \"") != std::string::npos);  // it had an Azure name: none is added
  CHECK(renamed.find("in spoke.aks") != std::string::npos);
  CHECK(renamed.find("vnet.") == std::string::npos);
  CHECK(arm_of(renamed) == arm_of(text));

  // A parameter: its interpolations too. The template's parameter is renamed with it.
  const auto p = rename_at(s, kArticleUri, pos_of(text, "param prefix", 0, 6), "stem");
  const auto with_stem = apply_edits(text, p["result"]["changes"][kArticleUri]);
  CHECK(with_stem.find("${prefix}") == std::string::npos);
  CHECK(with_stem.find("\"${stem}-fw\"") != std::string::npos);
  arm_of(with_stem);
}

TEST_CASE_METHOD(ArticleOpen, "lsp: rename refuses clashes, bad names and the standard library", "[lsp][rename]") {
  const auto clash = rename_at(s, kArticleUri, pos_of(text, "frontend fwpip", 0, 10), "fw");
  REQUIRE(clash.contains("error"));
  CHECK(clash["error"]["code"] == -32803);
  CHECK(clash["error"]["message"].get<std::string>().find("`fw` is already the name of firewall fw") != std::string::npos);
  const auto bad = rename_at(s, kArticleUri, pos_of(text, "frontend fwpip", 0, 10), "9lives");
  REQUIRE(bad.contains("error"));
  CHECK(bad["error"]["message"].get<std::string>().find("not an egress name") != std::string::npos);
  const auto nothing = rename_at(s, kArticleUri, pos_of(text, "dns_proxy on"), "x");
  CHECK(nothing.contains("error"));

  // A rule set of the standard library, used by the document.
  const std::string uses = text + "\nfirewall fw <\n  use aks_recommended vnet.aks priority 300\n>\n";
  s.replace_all(kArticleUri, 2, uses);
  const auto std_set = rename_at(s, kArticleUri, pos_of(uses, "use aks_recommended", 0, 5), "mine");
  REQUIRE(std_set.contains("error"));
  CHECK(std_set["error"]["message"].get<std::string>().find("standard library") != std::string::npos);
}

TEST_CASE("lsp: a rename edits the imported file that declares the name", "[lsp][rename]") {
  Session s;
  s.initialize();
  const std::string net = "public_ip extra \"extra-pip\"\n";
  s.file("/work/egress-test/examples/aks-egress/net.egress", net);
  const std::string text = "import \"net.egress\"\n" + article() + "\nfirewall fw < frontend extra >\n";
  s.open(kArticleUri, text);
  const auto r = rename_at(s, kArticleUri, pos_of(text, "frontend extra", 0, 10), "second");
  REQUIRE(r.contains("result"));
  const auto& changes = r["result"]["changes"];
  const std::string net_uri = "file:///work/egress-test/examples/aks-egress/net.egress";
  REQUIRE(changes.contains(net_uri));
  CHECK(apply_edits(net, changes[net_uri]) == "public_ip second \"extra-pip\"\n");
  CHECK(apply_edits(text, changes[kArticleUri]).find("frontend second") != std::string::npos);
}

TEST_CASE_METHOD(ArticleOpen, "lsp: workspace symbols search every open document", "[lsp][workspace-symbol]") {
  const auto r = s.request("workspace/symbol", {{"query", "AKS"}})["result"];
  REQUIRE(r.is_array());
  std::vector<std::string> names;
  for (const auto& i : r) {
    names.push_back(i["name"].get<std::string>());
    CHECK(i["location"]["uri"] == kArticleUri);  // the stdlib's declarations are not listed
  }
  CHECK(has(names, "vnet.aks"));
  CHECK(has(names, "aks"));  // the cluster
  CHECK_FALSE(has(names, "fw"));
  for (const auto& i : r)
    if (i["name"] == "vnet.aks") CHECK(line_of(i["location"]) == line_of_text(text, "subnet aks"));
  CHECK(s.request("workspace/symbol", {{"query", "no-such-name"}})["result"].empty());
}
