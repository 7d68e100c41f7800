// Message dispatch, the document store and the lifecycle of the language server.
#include "lsp/server.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "lsp/features.hpp"

namespace egress::lsp {

namespace {

struct RequestError {
  int code;
  std::string message;
};

json response(const json& id, json result) { return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}; }

json error_response(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json notification(const std::string& method, json params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

const json& member(const json& j, const char* key) {
  static const json null_value;
  if (!j.is_object()) return null_value;
  auto it = j.find(key);
  return it == j.end() ? null_value : *it;
}

std::string string_member(const json& j, const char* key) {
  const auto& v = member(j, key);
  if (!v.is_string()) throw RequestError{error::invalid_params, fmt::format("`{}` must be a string", key)};
  return v.get<std::string>();
}

std::optional<int> int_member(const json& j, const char* key) {
  const auto& v = member(j, key);
  if (v.is_number_integer()) {
    const auto x = v.get<std::int64_t>();
    if (x >= INT32_MIN && x <= INT32_MAX) return static_cast<int>(x);
  }
  return std::nullopt;
}

std::string document_uri(const json& params) { return string_member(member(params, "textDocument"), "uri"); }

json capabilities() {
  return {
      {"positionEncoding", "utf-16"},
      {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"hoverProvider", true},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"documentHighlightProvider", true},
      {"documentSymbolProvider", true},
      {"completionProvider", {{"triggerCharacters", json::array({".", "{"})}, {"resolveProvider", false}}},
      {"documentFormattingProvider", true},
      {"codeActionProvider", {{"codeActionKinds", json::array({"quickfix"})}}},
      {"renameProvider", {{"prepareProvider", true}}},
      {"workspaceSymbolProvider", true},
      {"semanticTokensProvider", {{"legend", semantic_tokens_legend()}, {"full", true}}},
      {"inlayHintProvider", true},
  };
}

}  // namespace

Range range_from_json(const json& j) {
  return {position_from_json(member(j, "start")), position_from_json(member(j, "end"))};
}

Server::Server(Options options) : options_(std::move(options)) {}

void Server::log(std::string_view message) const {
  if (options_.log) options_.log(message);
}

const Analysis* Server::analysis(const std::string& uri) const {
  auto it = analyses_.find(uri);
  return it == analyses_.end() ? nullptr : it->second.get();
}

std::vector<json> Server::handle_text(std::string_view body) {
  json message;
  try {
    message = json::parse(body);
  } catch (const json::exception& e) {
    return {error_response(nullptr, error::parse_error, fmt::format("malformed JSON: {}", e.what()))};
  }
  return handle(message);
}

std::vector<json> Server::handle(const json& message) {
  idle();  // normally done already, after the previous replies were sent
  std::vector<json> out;
  if (!message.is_object()) {
    out.push_back(error_response(nullptr, error::invalid_request, "a message must be a JSON object"));
    return out;
  }
  const auto& method_value = member(message, "method");
  const bool has_id = message.contains("id");
  const json& id = member(message, "id");
  if (method_value.is_null()) {
    // A response to a request of ours (the server sends none), or junk.
    if (!has_id || (!message.contains("result") && !message.contains("error")))
      out.push_back(error_response(nullptr, error::invalid_request, "a message needs a `method`"));
    return out;
  }
  if (has_id && !id.is_number_integer() && !id.is_string()) {
    out.push_back(error_response(nullptr, error::invalid_request, "`id` must be an integer or a string"));
    return out;
  }
  if (!method_value.is_string()) {
    if (has_id) out.push_back(error_response(id, error::invalid_request, "`method` must be a string"));
    return out;
  }
  const std::string method = method_value.get<std::string>();
  const json& params = member(message, "params");

  if (!has_id) {
    try {
      dispatch_notification(method, params, out);
    } catch (const RequestError& e) {
      log(fmt::format("{}: {}", method, e.message));
    } catch (const std::exception& e) {
      log(fmt::format("{}: {}", method, e.what()));
    }
    if (!options_.defer_checks) {
      auto checked = flush();
      out.insert(out.end(), std::make_move_iterator(checked.begin()), std::make_move_iterator(checked.end()));
    }
    return out;
  }

  if (!initialized_ && method != "initialize") {
    out.push_back(error_response(id, error::server_not_initialized, "the server is not initialized yet"));
    return out;
  }
  if (shutdown_) {
    out.push_back(error_response(id, error::invalid_request, "the server is shutting down"));
    return out;
  }
  std::vector<json> after;  // notifications caused by the request go after its response
  try {
    json result = dispatch_request(method, params, after);
    out.push_back(response(id, std::move(result)));
  } catch (const RequestError& e) {
    out.push_back(error_response(id, e.code, e.message));
  } catch (const json::exception& e) {
    out.push_back(error_response(id, error::invalid_params, fmt::format("bad params: {}", e.what())));
  } catch (const std::exception& e) {
    out.push_back(error_response(id, error::internal_error, fmt::format("internal error: {}", e.what())));
  }
  out.insert(out.end(), std::make_move_iterator(after.begin()), std::make_move_iterator(after.end()));
  return out;
}

json Server::dispatch_request(const std::string& method, const json& params, std::vector<json>& out) {
  if (method == "initialize") {
    if (initialized_) throw RequestError{error::invalid_request, "the server is already initialized"};
    initialized_ = true;
    return {{"capabilities", capabilities()}, {"serverInfo", {{"name", "egressc"}, {"version", std::string(version())}}}};
  }
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  if (method == "workspace/symbol") {
    std::vector<const Analysis*> all;
    for (const auto& [uri, doc] : documents_) {
      settle(uri, out);
      if (const auto* a = analysis(uri)) all.push_back(a);
    }
    const auto& query = member(params, "query");
    return workspace_symbols(all, query.is_string() ? query.get<std::string>() : std::string());
  }
  const bool document_request = method.rfind("textDocument/", 0) == 0;
  if (!document_request) throw RequestError{error::method_not_found, fmt::format("unknown method `{}`", method)};
  static constexpr std::string_view known[] = {"textDocument/hover", "textDocument/definition",
                                               "textDocument/references", "textDocument/documentHighlight",
                                               "textDocument/documentSymbol", "textDocument/completion",
                                               "textDocument/formatting", "textDocument/codeAction",
                                               "textDocument/prepareRename", "textDocument/rename",
                                               "textDocument/semanticTokens/full", "textDocument/inlayHint"};
  if (std::find(std::begin(known), std::end(known), method) == std::end(known))
    throw RequestError{error::method_not_found, fmt::format("unknown method `{}`", method)};
  const Analysis* a = analysis_for(params, out);
  if (a == nullptr) {
    // Not an open document: nothing is known about it.
    if (method == "textDocument/documentSymbol" || method == "textDocument/codeAction" || method == "textDocument/inlayHint")
      return json::array();
    return nullptr;
  }
  if (method == "textDocument/hover") return hover(*a, offset_in(*a, params));
  if (method == "textDocument/definition") return definition(*a, offset_in(*a, params));
  if (method == "textDocument/references") {
    const auto& ctx = member(params, "context");
    const auto& incl = member(ctx, "includeDeclaration");
    return references(*a, offset_in(*a, params), incl.is_boolean() ? incl.get<bool>() : true);
  }
  if (method == "textDocument/documentHighlight") return document_highlight(*a, offset_in(*a, params));
  if (method == "textDocument/documentSymbol") return document_symbols(*a);
  if (method == "textDocument/completion") return completion(*a, offset_in(*a, params));
  if (method == "textDocument/formatting") return formatting(*a);
  if (method == "textDocument/semanticTokens/full") return semantic_tokens(*a);
  if (method == "textDocument/inlayHint") return inlay_hints(*a, range_from_json(member(params, "range")));
  if (method == "textDocument/prepareRename" || method == "textDocument/rename") {
    try {
      if (method == "textDocument/prepareRename") return prepare_rename(*a, offset_in(*a, params));
      const auto& name = member(params, "newName");
      if (!name.is_string()) throw RequestError{error::invalid_params, "rename: `newName` must be a string"};
      return rename(*a, offset_in(*a, params), name.get<std::string>());
    } catch (const RenameError& e) {
      throw RequestError{error::request_failed, e.what()};
    }
  }
  // textDocument/codeAction
  return code_actions(*a, range_from_json(member(params, "range")), member(params, "context"));
}

void Server::dispatch_notification(const std::string& method, const json& params, std::vector<json>& out) {
  if (method == "exit") {
    exited_ = true;
    return;
  }
  if (!initialized_ || shutdown_) return;
  if (method == "textDocument/didOpen") {
    const auto& doc = member(params, "textDocument");
    open(string_member(doc, "uri"), string_member(doc, "text"), int_member(doc, "version").value_or(0), out);
  } else if (method == "textDocument/didChange") {
    change(document_uri(params), params, out);
  } else if (method == "textDocument/didClose") {
    close(document_uri(params), out);
  } else if (method == "workspace/didChangeWatchedFiles" || method == "textDocument/didSave") {
    // Files on disk may have changed: check every open document again.
    for (const auto& [uri, _] : documents_) dirty_.insert(uri);
  }
  // Everything else ("initialized", "$/cancelRequest", "$/setTrace", settings ...) needs nothing.
}

std::optional<std::string> Server::read(const std::string& path) const {
  for (const auto& [uri, doc] : documents_)
    if (doc.path == path) return doc.text;
  return options_.read_file ? options_.read_file(path) : std::nullopt;
}

void Server::refresh(const std::string& uri, std::vector<json>& out) {
  auto it = documents_.find(uri);
  if (it == documents_.end()) return;
  const Document& doc = it->second;
  auto a = analyze(uri, doc.path, doc.text, [this](const std::string& p) { return read(p); });
  log(fmt::format("checked {} (version {}) in {:.3f} ms", uri, doc.version, a->milliseconds));
  out.push_back(notification("textDocument/publishDiagnostics", publish_diagnostics(*a, doc.version)));
  // The replaced analysis is freed by idle(), after the diagnostics are sent.
  auto& slot = analyses_[uri];
  if (slot != nullptr) retired_.push_back(std::move(slot));
  slot = std::move(a);
}

void Server::mark(const std::string& uri, const std::string& path) {
  dirty_.insert(uri);
  for (const auto& [other, a] : analyses_)
    if (other != uri && std::find(a->dependencies.begin(), a->dependencies.end(), path) != a->dependencies.end())
      dirty_.insert(other);
}

void Server::settle(const std::string& uri, std::vector<json>& out) {
  if (dirty_.erase(uri) > 0) refresh(uri, out);
}

std::vector<json> Server::flush() {
  std::vector<json> out;
  const auto uris = std::move(dirty_);
  dirty_.clear();
  for (const auto& uri : uris) refresh(uri, out);
  return out;
}

void Server::open(const std::string& uri, std::string text, int version, std::vector<json>& out) {
  Document doc;
  doc.text = std::move(text);
  doc.version = version;
  doc.path = uri_to_path(uri).value_or(uri);
  documents_[uri] = std::move(doc);
  mark(uri, documents_[uri].path);
  (void)out;
}

void Server::change(const std::string& uri, const json& params, std::vector<json>& out) {
  auto it = documents_.find(uri);
  if (it == documents_.end()) throw RequestError{error::invalid_params, "didChange for a document that is not open"};
  Document& doc = it->second;
  const auto& changes = member(params, "contentChanges");
  if (!changes.is_array()) throw RequestError{error::invalid_params, "`contentChanges` must be an array"};
  for (const auto& c : changes) {
    const auto& text = member(c, "text");
    if (!text.is_string()) throw RequestError{error::invalid_params, "a content change needs `text`"};
    const auto& range = member(c, "range");
    if (range.is_null()) {
      doc.text = text.get<std::string>();
      continue;
    }
    const LineIndex lines(doc.text);
    const Range r = range_from_json(range);
    std::uint32_t from = lines.offset(r.start), to = lines.offset(r.end);
    if (to < from) std::swap(from, to);
    doc.text.replace(from, to - from, text.get_ref<const std::string&>());
  }
  if (auto v = int_member(member(params, "textDocument"), "version")) doc.version = *v;
  mark(uri, doc.path);
  (void)out;
}

void Server::close(const std::string& uri, std::vector<json>& out) {
  auto it = documents_.find(uri);
  if (it == documents_.end()) return;
  const std::string path = it->second.path;
  mark(uri, path);  // the documents that import it read the file from disk again
  dirty_.erase(uri);
  documents_.erase(it);
  analyses_.erase(uri);
  out.push_back(notification("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}}));
}

const Analysis* Server::analysis_for(const json& params, std::vector<json>& out) {
  const auto& uri = member(member(params, "textDocument"), "uri");
  if (!uri.is_string()) throw RequestError{error::invalid_params, "`textDocument.uri` must be a string"};
  settle(uri.get<std::string>(), out);  // a request sees the latest text
  return analysis(uri.get<std::string>());
}

std::uint32_t Server::offset_in(const Analysis& a, const json& params) const {
  const auto& p = member(params, "position");
  if (!p.is_object()) throw RequestError{error::invalid_params, "`position` must be an object"};
  return a.main_lines().offset(position_from_json(p));
}

}  // namespace egress::lsp
