// `egressc lsp`: the language server on stdin/stdout (lsp/server.hpp). The driver's part is the I/O: framing
// messages, reading imported files from disk, and logging to stderr (set EGRESS_LSP_LOG=1 to see each check
// and its time). Exit status: 0 after `shutdown` and `exit`, 1 when the client goes away without them.
#include <fmt/format.h>
#include <poll.h>

#include <csignal>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "driver/files.hpp"
#include "lsp/server.hpp"
#include "lsp/transport.hpp"

namespace egress::driver {

namespace {

/// True when more of the client's input is already here (buffered, or readable on fd 0 without waiting).
bool input_waiting() {
  if (std::cin.rdbuf()->in_avail() > 0) return true;
  pollfd p{0, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}

}  // namespace

int run_lsp(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
    fmt::print("usage: egressc lsp\n  speaks the Language Server Protocol on stdin and stdout\n");
    return 0;
  }
  // The server takes no arguments; some clients pass `--stdio` (which is what it does anyway) or
  // `--clientProcessId=N`, both accepted and ignored.
  for (const auto& a : args)
    if (a != "--stdio" && a.rfind("--clientProcessId", 0) != 0) {
      fmt::print(stderr, "egressc lsp: unknown argument '{}'\n", a);
      return 2;
    }
  std::ios::sync_with_stdio(false);
  const char* env = std::getenv("EGRESS_LSP_LOG");
  const bool verbose = env != nullptr && std::string(env) == "1";

  lsp::Server::Options options;
  options.read_file = [](const std::string& path) { return read_file(path); };
  options.log = [verbose](std::string_view message) {
    if (verbose) fmt::print(stderr, "egressc lsp: {}\n", message);
  };
  options.defer_checks = true;
  lsp::Server server(std::move(options));
  // A client that went away must not kill the server with SIGPIPE; the next read sees the end of input.
  std::signal(SIGPIPE, SIG_IGN);

  auto send = [](const nlohmann::json& message) {
    lsp::write_message(std::cout, message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
  while (!server.exited()) {
    auto in = lsp::read_message(std::cin);
    if (in.status == lsp::Incoming::Status::eof) break;
    if (in.status != lsp::Incoming::Status::message) {
      fmt::print(stderr, "egressc lsp: {}\n", in.error);
      if (in.status == lsp::Incoming::Status::too_large)
        send({{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", lsp::error::invalid_request}, {"message", in.error}}}});
      continue;
    }
    for (const auto& reply : server.handle_text(in.body)) send(reply);
    // Changes are checked once the client has nothing more queued: a burst of keystrokes costs one check.
    if (server.has_pending_checks() && !input_waiting())
      for (const auto& note : server.flush()) send(note);
    // The replies are out: free the analyses they replaced while the client has nothing for us.
    if (!input_waiting()) server.idle();
  }
  return server.exited() ? server.exit_code() : 1;
}

}  // namespace egress::driver
