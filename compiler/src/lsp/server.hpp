// The language server's core: JSON-RPC messages in, messages out. No I/O of its own: the driver
// (driver/cmd_lsp.cpp) frames messages on stdin/stdout and supplies the file reader for imports, and the tests
// call handle() directly.
//
// Lifecycle as LSP 3.17 has it: requests before `initialize` get ServerNotInitialized, after `shutdown`
// InvalidRequest; `exit` ends the server (exit code 0 after a shutdown, else 1). Documents are synced
// incrementally; every change re-runs the whole pipeline on the document (see analysis.hpp) and publishes its
// diagnostics, and documents that import the changed one are re-checked too. Malformed JSON, unknown methods
// (MethodNotFound for requests; notifications are ignored) and bad params are answered, never fatal.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "egress/compiler.hpp"
#include "lsp/analysis.hpp"

namespace egress::lsp {

using json = nlohmann::json;

// JSON-RPC and LSP error codes.
namespace error {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
inline constexpr int server_not_initialized = -32002;
inline constexpr int request_failed = -32803;
}  // namespace error

class Server {
 public:
  struct Options {
    FileReader read_file;                        // imports not open in the editor; null: none can be read
    std::function<void(std::string_view)> log;   // diagnostics about the server itself; may be null
    /// Check changed documents only when flush() is called (or a request needs them), so that a burst of
    /// changes costs one check. Off: every change is checked before handle() returns.
    bool defer_checks = false;
  };

  explicit Server(Options options);

  /// Handles one message; returns what to send back (responses and notifications), in order.
  std::vector<json> handle(const json& message);
  /// Parses a message body first: malformed JSON gets a ParseError response.
  std::vector<json> handle_text(std::string_view body);

  /// Checks the documents changed since the last flush and returns their diagnostics notifications.
  std::vector<json> flush();
  [[nodiscard]] bool has_pending_checks() const { return !dirty_.empty(); }

  /// Frees the analyses that newer ones replaced. Call it once the replies of handle() or flush() are sent and
  /// nothing is waiting: freeing a 10,000-rule analysis is a sixth of a re-check, and the diagnostics need not
  /// wait for it. What is still here when the next message comes is freed by handle() first, so at most one
  /// message's worth of old analyses is ever kept.
  void idle() { retired_.clear(); }
  /// How many replaced analyses idle() would free (for tests).
  [[nodiscard]] std::size_t retired() const { return retired_.size(); }

  [[nodiscard]] bool exited() const { return exited_; }
  [[nodiscard]] int exit_code() const { return shutdown_ ? 0 : 1; }
  /// The current analysis of an open document (for tests), or null.
  [[nodiscard]] const Analysis* analysis(const std::string& uri) const;

 private:
  struct Document {
    std::string text;
    int version = 0;
    std::string path;
  };

  json dispatch_request(const std::string& method, const json& params, std::vector<json>& out);
  void dispatch_notification(const std::string& method, const json& params, std::vector<json>& out);
  void open(const std::string& uri, std::string text, int version, std::vector<json>& out);
  void change(const std::string& uri, const json& params, std::vector<json>& out);
  void close(const std::string& uri, std::vector<json>& out);
  /// Re-analyses a document and queues its diagnostics.
  void refresh(const std::string& uri, std::vector<json>& out);
  /// Marks a document, and the open documents that import its file, to be checked again.
  void mark(const std::string& uri, const std::string& path);
  /// Checks `uri` now if it is marked.
  void settle(const std::string& uri, std::vector<json>& out);
  std::optional<std::string> read(const std::string& path) const;
  const Analysis* analysis_for(const json& params, std::vector<json>& out);
  std::uint32_t offset_in(const Analysis& a, const json& params) const;
  void log(std::string_view message) const;

  Options options_;
  bool initialized_ = false;
  bool shutdown_ = false;
  bool exited_ = false;
  std::map<std::string, Document> documents_;
  std::map<std::string, std::unique_ptr<Analysis>> analyses_;
  std::set<std::string> dirty_;  // open documents to check again
  std::vector<std::unique_ptr<Analysis>> retired_;  // replaced analyses, freed by idle() or the next handle()
};

/// Parses an LSP position/range from JSON params (helpers shared with the tests).
Range range_from_json(const json& j);

}  // namespace egress::lsp
