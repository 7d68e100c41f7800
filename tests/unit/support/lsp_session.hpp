// What the language server tests share: the article's URI and text, positions found by searching the text,
// and Session, a server driven in process message by message.
#pragma once
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../test_support.hpp"
#include "lsp/server.hpp"
#include "lsp/text.hpp"

namespace egress::testing {

inline const std::string kArticlePath = "/work/egress-test/examples/aks-egress/main.egress";
inline const std::string kArticleUri = "file://" + kArticlePath;

/// The article, examples/aks-egress/main.egress, as an editor would open it at kArticleUri.
inline std::string article() { return slurp(source_dir() + "/examples/aks-egress/main.egress").value_or(""); }

/// The position of the `nth` occurrence of `needle` in `text`, plus `delta` bytes.
inline lsp::Position pos_of(const std::string& text, const std::string& needle, int nth = 0, int delta = 0) {
  std::size_t at = text.find(needle);
  for (int i = 0; i < nth && at != std::string::npos; ++i) at = text.find(needle, at + 1);
  REQUIRE(at != std::string::npos);
  return lsp::LineIndex(text).position(static_cast<std::uint32_t>(at + static_cast<std::size_t>(delta)));
}

inline nlohmann::json pos_json(const lsp::Position& p) { return {{"line", p.line}, {"character", p.character}}; }

/// A server driven in process, with an in-memory file system for imports.
class Session {
 public:
  using json = nlohmann::json;
  using Position = lsp::Position;

  Session() : files_(std::make_shared<std::map<std::string, std::string>>()) {
    lsp::Server::Options o;
    auto files = files_;
    o.read_file = [files](const std::string& path) -> std::optional<std::string> {
      auto it = files->find(path);
      if (it == files->end()) return std::nullopt;
      return it->second;
    };
    server_ = std::make_unique<lsp::Server>(std::move(o));
  }

  void file(const std::string& path, const std::string& text) { (*files_)[path] = text; }
  lsp::Server& server() { return *server_; }

  json request(const std::string& method, json params) {
    const int id = next_id_++;
    json m = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
    last_ = server_->handle(m);
    for (const auto& r : last_)
      if (r.contains("id") && r["id"] == id) return r;
    FAIL("no response to " << method);
    return nullptr;
  }

  std::vector<json> notify(const std::string& method, json params) {
    last_ = server_->handle({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
    return last_;
  }

  void initialize() {
    const auto r = request("initialize", {{"capabilities", json::object()}});
    REQUIRE(r.contains("result"));
    notify("initialized", json::object());
  }

  json open(const std::string& uri, const std::string& text, int version = 1) {
    notify("textDocument/didOpen",
           {{"textDocument", {{"uri", uri}, {"languageId", "egress"}, {"version", version}, {"text", text}}}});
    return published(uri);
  }

  json change(const std::string& uri, int version, json changes) {
    notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", version}}}, {"contentChanges", changes}});
    return published(uri);
  }

  json replace_all(const std::string& uri, int version, const std::string& text) {
    return change(uri, version, json::array({{{"text", text}}}));
  }

  /// The diagnostics the last message published for `uri` (null if none were).
  json published(const std::string& uri) const {
    for (const auto& m : last_)
      if (m.value("method", "") == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        return m["params"]["diagnostics"];
    return nullptr;
  }

  json at(const std::string& method, const std::string& uri, const Position& p, json extra = json::object()) {
    json params = {{"textDocument", {{"uri", uri}}}, {"position", pos_json(p)}};
    params.update(extra);
    return request(method, params)["result"];
  }

  std::string hover_text(const std::string& uri, const Position& p) {
    const auto h = at("textDocument/hover", uri, p);
    if (h.is_null()) return {};
    return h["contents"]["value"].get<std::string>();
  }

  const std::vector<json>& last() const { return last_; }

 private:
  std::shared_ptr<std::map<std::string, std::string>> files_;
  std::unique_ptr<lsp::Server> server_;
  std::vector<json> last_;
  int next_id_ = 1;
};

/// The labels of a completion result, a list or a CompletionList.
inline std::vector<std::string> labels(const nlohmann::json& completion) {
  std::vector<std::string> out;
  const auto& items = completion.is_array() ? completion : completion["items"];
  for (const auto& i : items) out.push_back(i["label"].get<std::string>());
  return out;
}

/// Whether `list` holds `s`.
inline bool has(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

/// The line a Location (or anything with a `range`) starts on, and the line `needle` first stands on.
inline int line_of(const nlohmann::json& location) { return location["range"]["start"]["line"].get<int>(); }

inline int line_of_text(const std::string& text, const std::string& needle) { return static_cast<int>(pos_of(text, needle).line); }

}  // namespace egress::testing
