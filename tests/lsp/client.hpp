// A minimal LSP client for the tests: spawns `egressc lsp`, speaks Content-Length framed JSON-RPC over its
// stdin/stdout, and never blocks for long (every read has a timeout). POSIX only.
#pragma once
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

extern char** environ;

namespace egress::testing {

class LspProcess {
 public:
  using json = nlohmann::json;

  /// Starts `binary args...`; the server's stderr goes to /dev/null unless `quiet_stderr` is false.
  explicit LspProcess(const std::string& binary, std::vector<std::string> args = {"lsp"}, bool quiet_stderr = true) {
    int in[2], out[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    if (quiet_stderr) posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> argv_storage{binary};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    to_server_ = in[1];
    from_server_ = out[0];
    if (rc != 0) throw std::runtime_error("cannot start " + binary + ": " + std::strerror(rc));
    ::signal(SIGPIPE, SIG_IGN);  // a server that died must fail the test, not kill it
  }

  ~LspProcess() {
    if (to_server_ >= 0) ::close(to_server_);
    if (from_server_ >= 0) ::close(from_server_);
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }

  LspProcess(const LspProcess&) = delete;
  LspProcess& operator=(const LspProcess&) = delete;

  void send_raw(const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const auto n = ::write(to_server_, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::runtime_error("the server closed its input");
      }
      done += static_cast<std::size_t>(n);
    }
  }

  void send(const json& message) {
    const std::string body = message.dump();
    send_raw("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  }

  void notify(const std::string& method, json params) {
    send({{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }

  /// Sends a request and returns its response; notifications that arrive first are kept in `pending`.
  json request(const std::string& method, json params, int timeout_ms = 120000) {
    const int id = next_id_++;
    json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) message["params"] = std::move(params);
    send(message);
    return wait_response(id, timeout_ms);
  }

  json wait_response(const json& id, int timeout_ms = 120000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      auto m = receive(deadline);
      if (!m) throw std::runtime_error("no response to request " + id.dump());
      if (m->contains("id") && !m->contains("method") && (*m)["id"] == id) return *m;
      pending.push_back(std::move(*m));
    }
  }

  /// The next notification with `method` (from `pending` first).
  json wait_notification(const std::string& method, int timeout_ms = 120000) {
    for (auto it = pending.begin(); it != pending.end(); ++it)
      if (it->value("method", "") == method) {
        json m = *it;
        pending.erase(it);
        return m;
      }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      auto m = receive(deadline);
      if (!m) throw std::runtime_error("no " + method + " notification");
      if (m->value("method", "") == method) return *m;
      pending.push_back(std::move(*m));
    }
  }

  /// Reads one message; nullopt on timeout or end of output.
  std::optional<json> receive(std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      if (auto m = take_message()) return m;
      if (!fill(deadline)) return std::nullopt;
    }
  }

  void close_input() {
    if (to_server_ >= 0) ::close(to_server_);
    to_server_ = -1;
  }

  /// Waits for the server to exit; its exit code, or -1 on timeout or a signal.
  int wait_exit(int timeout_ms = 120000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      ::usleep(10000);
    }
    return -1;
  }

  std::deque<json> pending;  // notifications (and stray messages) not yet consumed

 private:
  std::optional<json> take_message() {
    const auto header_end = buffer_.find("\r\n\r\n");
    if (header_end == std::string::npos) return std::nullopt;
    const auto key = buffer_.find("Content-Length:");
    if (key == std::string::npos || key > header_end) throw std::runtime_error("a message without Content-Length");
    const std::size_t length = std::stoul(buffer_.substr(key + 15, header_end - key - 15));
    if (buffer_.size() < header_end + 4 + length) return std::nullopt;
    json m = json::parse(buffer_.substr(header_end + 4, length));
    buffer_.erase(0, header_end + 4 + length);
    return m;
  }

  bool fill(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{from_server_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r <= 0) return false;
    char chunk[65536];
    const auto n = ::read(from_server_, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int to_server_ = -1;
  int from_server_ = -1;
  bool exited_ = false;
  int next_id_ = 1;
  std::string buffer_;
};

}  // namespace egress::testing
