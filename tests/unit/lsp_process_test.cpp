// `egressc lsp` as a real process, spoken to over pipes by tests/lsp/client.hpp: a session from initialize
// to exit with every kind of request, junk on the wire, and the exit code without shutdown.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "../lsp/client.hpp"
#include "lsp/server.hpp"
#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::lsp;
using namespace egress::testing;

TEST_CASE("egressc lsp over stdio", "[lsp][process]") {
  LspProcess server(egress::testing::egress_binary());
  const std::string text = article();
  // A request before initialize.
  auto early = server.request("textDocument/hover", {{"textDocument", {{"uri", kArticleUri}}}, {"position", {{"line", 0}, {"character", 0}}}});
  CHECK(early["error"]["code"] == error::server_not_initialized);

  const auto init = server.request("initialize", {{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", json::object()}});
  REQUIRE(init.contains("result"));
  CHECK(init["result"]["capabilities"]["hoverProvider"] == true);
  server.notify("initialized", json::object());

  server.notify("textDocument/didOpen",
                {{"textDocument", {{"uri", kArticleUri}, {"languageId", "egress"}, {"version", 1}, {"text", text}}}});
  auto published = server.wait_notification("textDocument/publishDiagnostics");
  CHECK(published["params"]["uri"] == kArticleUri);
  // The article's only diagnostic is the W0230 warning about the Ubuntu update hosts.
  auto only_w0230 = [](const json& diags) {
    for (const auto& d : diags)
      if (d["code"] != "W0230") return false;
    return diags.size() <= 1;
  };
  CHECK(only_w0230(published["params"]["diagnostics"]));

  // Introduce an error: the DNS proxy off (E0228).
  const auto p = pos_of(text, "dns_proxy on", 0, 10);
  server.notify("textDocument/didChange",
                {{"textDocument", {{"uri", kArticleUri}, {"version", 2}}},
                 {"contentChanges", json::array({{{"range", {{"start", pos_json(p)}, {"end", pos_json({p.line, p.character + 2})}}},
                                                  {"text", "off"}}})}});
  published = server.wait_notification("textDocument/publishDiagnostics");
  CHECK(published["params"]["version"] == 2);
  std::vector<std::string> codes;
  for (const auto& d : published["params"]["diagnostics"]) codes.push_back(d["code"].get<std::string>());
  CHECK(has(codes, "E0228"));
  for (const auto& c : codes) CHECK(c.size() == 5);

  // Back to the article, then the requests.
  server.notify("textDocument/didChange", {{"textDocument", {{"uri", kArticleUri}, {"version", 3}}}, {"contentChanges", json::array({{{"text", text}}})}});
  CHECK(only_w0230(server.wait_notification("textDocument/publishDiagnostics")["params"]["diagnostics"]));
  auto at = [&](const std::string& method, const std::string& needle, int delta, json extra = json::object()) {
    json params = {{"textDocument", {{"uri", kArticleUri}}}, {"position", pos_json(pos_of(text, needle, 0, delta))}};
    params.update(extra);
    return server.request(method, params)["result"];
  };
  const auto hover = at("textDocument/hover", "subnet aks", 8);
  CHECK(hover["contents"]["value"].get<std::string>().find("251 usable") != std::string::npos);
  const auto def = at("textDocument/definition", "in vnet.aks", 5);
  CHECK(line_of(def) == line_of_text(text, "subnet aks"));
  const auto refs = at("textDocument/references", "param prefix", 7, {{"context", {{"includeDeclaration", true}}}});
  CHECK(refs.size() == 10);
  const auto symbols = server.request("textDocument/documentSymbol", {{"textDocument", {{"uri", kArticleUri}}}})["result"];
  CHECK(symbols.size() == 11);
  const auto completion = server.request("textDocument/completion",
                                         {{"textDocument", {{"uri", kArticleUri}}}, {"position", pos_json(pos_of(text, "  nodes 3"))}})["result"];
  CHECK(has(labels(completion), "outbound"));
  const auto formatting = server.request("textDocument/formatting", {{"textDocument", {{"uri", kArticleUri}}}, {"options", {{"tabSize", 2}, {"insertSpaces", true}}}})["result"];
  CHECK(formatting == json::array());

  std::string typo = text;
  typo.replace(typo.find("dns_proxy on"), 12, "dns_proxy onn");
  server.notify("textDocument/didChange", {{"textDocument", {{"uri", kArticleUri}, {"version", 4}}}, {"contentChanges", json::array({{{"text", typo}}})}});
  server.wait_notification("textDocument/publishDiagnostics");
  const auto q = pos_of(typo, "onn");
  const auto actions = server.request("textDocument/codeAction", {{"textDocument", {{"uri", kArticleUri}}},
                                                                   {"range", {{"start", pos_json(q)}, {"end", pos_json(q)}}},
                                                                   {"context", {{"diagnostics", json::array()}}}})["result"];
  REQUIRE(actions.size() == 1);
  CHECK(actions[0]["edit"]["changes"][kArticleUri][0]["newText"] == "on");

  // Junk on the wire: malformed JSON, a header without a length, an unknown method; the server goes on.
  server.send_raw("Content-Length: 9\r\n\r\n{not json");
  const auto parse_error = server.receive(std::chrono::steady_clock::now() + std::chrono::seconds(120));
  REQUIRE(parse_error.has_value());
  CHECK((*parse_error)["error"]["code"] == error::parse_error);
  server.send_raw("Content-Type: x\r\n\r\n");
  CHECK(server.request("egress/unknown", json::object())["error"]["code"] == error::method_not_found);
  server.notify("egress/unknownNotification", json::object());

  CHECK(server.request("shutdown", nullptr)["result"].is_null());
  server.notify("exit", nullptr);
  CHECK(server.wait_exit() == 0);
}

TEST_CASE("egressc lsp exits with 1 without shutdown", "[lsp][process]") {
  {
    LspProcess server(egress::testing::egress_binary());
    server.request("initialize", {{"capabilities", json::object()}});
    server.notify("exit", nullptr);
    CHECK(server.wait_exit() == 1);
  }
  {
    LspProcess server(egress::testing::egress_binary());
    server.close_input();  // the editor went away
    CHECK(server.wait_exit() == 1);
  }
}
