// The language server's parts (positions, URIs, framing) and its protocol, driven message by message in
// process: the lifecycle, malformed messages, incremental edits and odd input. The features are tested in
// lsp_diagnostics_test.cpp, lsp_navigation_test.cpp and lsp_completion_test.cpp; `egressc lsp` as a
// process in lsp_process_test.cpp. The shared Session is in support/lsp_session.hpp.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <sstream>
#include <string>

#include "lsp/server.hpp"
#include "lsp/text.hpp"
#include "lsp/transport.hpp"
#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::lsp;
using namespace egress::testing;

// ---------------------------------------------------------------------------------------------- parts

TEST_CASE("lsp: byte offsets and UTF-16 positions", "[lsp]") {
  // "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 units (a surrogate pair).
  const std::string text = "ab\n\xC3\xA9x\r\n\xF0\x9F\x98\x80y\rz";
  LineIndex idx(text);
  CHECK(idx.line_count() == 4);
  CHECK(idx.position(0) == Position{0, 0});
  CHECK(idx.position(2) == Position{0, 2});
  CHECK(idx.position(3) == Position{1, 0});
  CHECK(idx.position(5) == Position{1, 1});   // after é
  CHECK(idx.position(6) == Position{1, 2});   // after x
  CHECK(idx.position(8) == Position{2, 0});   // after \r\n
  CHECK(idx.position(12) == Position{2, 2});  // after the emoji
  CHECK(idx.position(13) == Position{2, 3});
  CHECK(idx.position(14) == Position{3, 0});  // a lone \r ends a line
  CHECK(idx.position(999) == Position{3, 1});
  CHECK(idx.offset({1, 1}) == 5);
  CHECK(idx.offset({2, 2}) == 12);
  CHECK(idx.offset({2, 1}) == 8);    // inside the surrogate pair: before the character
  CHECK(idx.offset({1, 99}) == 6);   // past the line's end: the line's end (before \r\n)
  CHECK(idx.offset({99, 0}) == text.size());
  // Invalid UTF-8 counts one unit a byte.
  LineIndex bad("\xFF\xFE" "a");
  CHECK(bad.position(2) == Position{0, 2});
  CHECK(bad.offset({0, 1}) == 1);
}

TEST_CASE("lsp: file URIs", "[lsp]") {
  CHECK(uri_to_path("file:///home/a%20b/x.egress") == "/home/a b/x.egress");
  CHECK(uri_to_path("file://localhost/tmp/x.egress") == "/tmp/x.egress");
  CHECK(uri_to_path("FILE:///tmp/%C3%A9.egress") == "/tmp/\xC3\xA9.egress");
  CHECK_FALSE(uri_to_path("untitled:Untitled-1").has_value());
  CHECK(path_to_uri("/home/a b/é.egress") == "file:///home/a%20b/%C3%A9.egress");
  CHECK(uri_to_path(path_to_uri("/x/y z#?.egress")) == "/x/y z#?.egress");
}

TEST_CASE("lsp: Content-Length framing", "[lsp]") {
  std::istringstream in(std::string("Content-Length: 2\r\n\r\n{}") + "Content-Type: application/vscode-jsonrpc\r\nContent-Length: 4\r\n\r\nnull" +
                        "X-Junk: 1\r\n\r\n" + "Content-Length: 3\r\n\r\n[1]" + "Content-Length: 99999999999\r\n\r\n" +
                        "Content-Length: 10\r\n\r\nshort");
  auto m = read_message(in);
  CHECK(m.status == Incoming::Status::message);
  CHECK(m.body == "{}");
  m = read_message(in);
  CHECK(m.body == "null");
  m = read_message(in);
  CHECK(m.status == Incoming::Status::bad_header);  // skipped, and reading goes on
  m = read_message(in);
  CHECK(m.body == "[1]");
  m = read_message(in);
  CHECK(m.status == Incoming::Status::too_large);
  m = read_message(in);
  CHECK(m.status == Incoming::Status::eof);
  std::ostringstream out;
  write_message(out, "{\"a\":1}");
  CHECK(out.str() == "Content-Length: 7\r\n\r\n{\"a\":1}");
}

// ---------------------------------------------------------------------------------------------- the protocol

TEST_CASE("lsp: lifecycle and malformed messages", "[lsp]") {
  Session s;
  // Before initialize: requests are refused, notifications dropped.
  auto r = s.request("textDocument/hover", json::object());
  CHECK(r["error"]["code"] == error::server_not_initialized);
  CHECK(s.notify("textDocument/didOpen", {{"textDocument", {{"uri", "file:///a.egress"}, {"text", "x"}}}}).empty());
  r = s.request("initialize", {{"capabilities", json::object()}});
  const auto& caps = r["result"]["capabilities"];
  CHECK(caps["textDocumentSync"]["change"] == 2);
  CHECK(caps["hoverProvider"] == true);
  CHECK(caps["definitionProvider"] == true);
  CHECK(caps["referencesProvider"] == true);
  CHECK(caps["documentSymbolProvider"] == true);
  CHECK(caps["documentFormattingProvider"] == true);
  CHECK(caps.contains("completionProvider"));
  CHECK(caps["codeActionProvider"]["codeActionKinds"][0] == "quickfix");
  CHECK(caps["positionEncoding"] == "utf-16");
  CHECK(r["result"]["serverInfo"]["name"] == "egressc");
  CHECK(s.request("initialize", json::object())["error"]["code"] == error::invalid_request);

  // Unknown methods: an error for requests, nothing for notifications.
  CHECK(s.request("textDocument/frobnicate", json::object())["error"]["code"] == error::method_not_found);
  CHECK(s.request("workspace/executeCommand", {{"command", "x"}})["error"]["code"] == error::method_not_found);
  CHECK(s.notify("$/cancelRequest", {{"id", 1}}).empty());
  CHECK(s.notify("custom/whatever", json::object()).empty());

  // Malformed input never throws.
  auto out = s.server().handle_text("{not json");
  REQUIRE(out.size() == 1);
  CHECK(out[0]["error"]["code"] == error::parse_error);
  CHECK(out[0]["id"].is_null());
  out = s.server().handle_text(std::string("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"\xff\"}"));
  CHECK(out[0]["error"]["code"] == error::parse_error);
  out = s.server().handle_text("[1,2,3]");
  CHECK(out[0]["error"]["code"] == error::invalid_request);
  out = s.server().handle_text("{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"shutdown\"}");
  CHECK(out[0]["error"]["code"] == error::invalid_request);
  out = s.server().handle_text("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":42}");
  CHECK(out[0]["error"]["code"] == error::invalid_request);
  out = s.server().handle_text("{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":7}}");
  CHECK(out[0]["id"] == "s");
  CHECK(out[0]["error"]["code"] == error::invalid_params);
  out = s.server().handle_text("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":{\"uri\":\"file:///nope\"},\"position\":{\"line\":0,\"character\":0}}}");
  CHECK(out[0]["result"].is_null());
  CHECK(s.notify("textDocument/didChange", {{"textDocument", {{"uri", "file:///nope"}}}, {"contentChanges", json::array()}}).empty());
  CHECK(s.notify("textDocument/didOpen", {{"textDocument", 3}}).empty());
  // A response from the client (the server sends no requests) is ignored.
  CHECK(s.server().handle({{"jsonrpc", "2.0"}, {"id", 99}, {"result", nullptr}}).empty());

  // shutdown, then exit with code 0.
  CHECK(s.request("shutdown", nullptr)["result"].is_null());
  CHECK(s.request("textDocument/hover", json::object())["error"]["code"] == error::invalid_request);
  CHECK_FALSE(s.server().exited());
  s.notify("exit", nullptr);
  CHECK(s.server().exited());
  CHECK(s.server().exit_code() == 0);

  Session t;
  t.initialize();
  t.notify("exit", nullptr);
  CHECK(t.server().exited());
  CHECK(t.server().exit_code() == 1);  // exit without shutdown
}

TEST_CASE("lsp: incremental edits count UTF-16 units", "[lsp]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/unicode.egress";
  // "é" (1 unit) and "😀" (2 units) before the edit on the same line.
  const std::string text = "group rg \"é😀\" in eastus // comment\n";
  s.open(uri, text);
  // Replace `eastus` (after 1 + 2 units of non-ASCII) with `westeurope`.
  const Position start = pos_of(text, "eastus");
  CHECK(start.character == 18);  // 21 bytes, 18 UTF-16 units: `group rg "é😀" in `
  s.change(uri, 2, json::array({{{"range", {{"start", pos_json(start)}, {"end", pos_json({start.line, start.character + 6})}}},
                                 {"text", "westeurope"}}}));
  // Two changes in one notification apply in order.
  s.change(uri, 3, json::array({{{"range", {{"start", {{"line", 1}, {"character", 0}}}, {"end", {{"line", 1}, {"character", 0}}}}},
                                 {"text", "param x: int = 1\n"}},
                                {{"range", {{"start", {{"line", 2}, {"character", 0}}}, {"end", {{"line", 2}, {"character", 0}}}}},
                                 {"text", "param y: int = 2"}}}));
  const auto* a = s.server().analysis(uri);
  REQUIRE(a != nullptr);
  CHECK(std::string(a->sources.text(a->main)) ==
        "group rg \"é😀\" in westeurope // comment\nparam x: int = 1\nparam y: int = 2");
  // Hover on `westeurope` lands on the region, counted in UTF-16.
  CHECK(s.hover_text(uri, {0, 18}).find("westeurope") != std::string::npos);
}

TEST_CASE("lsp: never crashes on odd input", "[lsp]") {
  Session s;
  s.initialize();
  const std::string uri = "file:///tmp/odd.egress";
  const std::string text = article();
  // NUL bytes (E0005), a huge document, deep nesting, ranges out of bounds and backwards.
  CHECK_FALSE(s.open(uri, std::string("vnet v\0x", 8)).empty());
  std::string huge;
  while (huge.size() < (4u << 20)) huge += "vnet v" + std::to_string(huge.size()) + " 10.0.0.0/16 < subnet s 10.0.1.0/24 > // c\n";
  s.replace_all(uri, 2, huge);
  CHECK(s.published(uri).is_array());
  s.request("textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}});
  s.replace_all(uri, 3, std::string(5000, '<') + std::string(5000, '>'));
  s.change(uri, 4, json::array({{{"range", {{"start", {{"line", 99}, {"character", 5}}}, {"end", {{"line", 0}, {"character", 0}}}}},
                                 {"text", "x"}}}));
  s.change(uri, 5, json::array({{{"range", {{"start", {{"line", -3}, {"character", 1.5}}}, {"end", "bad"}}}, {"text", "y"}}}));

  // Random edits of the article, and every request at random places after each.
  std::mt19937 rng(42);
  std::string doc = text;
  s.replace_all(uri, 6, doc);
  const std::string alphabet = "<>\"${}:,->*/ \n\tabcvnet.0123456789éx";
  for (int round = 0; round < 150; ++round) {
    const LineIndex idx(doc);
    const auto a = static_cast<std::uint32_t>(rng() % (doc.size() + 1));
    const auto b = std::min<std::uint32_t>(static_cast<std::uint32_t>(doc.size()), a + rng() % 8);
    std::string insert;
    for (unsigned k = rng() % 4; k > 0; --k) insert += alphabet[rng() % alphabet.size()];
    if (insert.find('\xC3') != std::string::npos && insert.back() == '\xC3') insert.pop_back();
    const auto start = idx.position(a), end = idx.position(b);
    s.change(uri, 7 + round, json::array({{{"range", {{"start", pos_json(start)}, {"end", pos_json(end)}}}, {"text", insert}}}));
    const auto* an = s.server().analysis(uri);
    REQUIRE(an != nullptr);
    doc = std::string(an->sources.text(an->main));
    const LineIndex now(doc);
    const auto p = now.position(static_cast<std::uint32_t>(rng() % (doc.size() + 1)));
    for (const char* m : {"textDocument/hover", "textDocument/definition", "textDocument/completion",
                          "textDocument/references", "textDocument/documentHighlight"}) {
      const auto r = s.request(m, {{"textDocument", {{"uri", uri}}}, {"position", pos_json(p)}, {"context", json::object()}});
      CHECK_FALSE(r.contains("error"));
    }
    CHECK_FALSE(s.request("textDocument/documentSymbol", {{"textDocument", {{"uri", uri}}}}).contains("error"));
    CHECK_FALSE(s.request("textDocument/formatting", {{"textDocument", {{"uri", uri}}}}).contains("error"));
    CHECK_FALSE(s.request("textDocument/codeAction", {{"textDocument", {{"uri", uri}}},
                                                      {"range", {{"start", pos_json(p)}, {"end", pos_json(p)}}},
                                                      {"context", json::object()}})
                    .contains("error"));
  }
}
