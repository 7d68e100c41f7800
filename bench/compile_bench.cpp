// Figures, not tests: how long egress takes on the article and on programs with many firewall rules,
// and how much memory the biggest run needs. Run: build/release/bench/egress_bench [rules...]
//   default sizes: 1000 10000 100000 rules (linear growth is what to look for)
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <time.h>

#include "egress/compiler.hpp"
#include "lsp/server.hpp"
#include "many_policy_rules.hpp"
#include "many_rules.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double run(const std::string& text, bool emit, std::vector<egress::Target> targets, std::size_t* bytes) {
  egress::SourceManager sources;
  const auto id = sources.add("bench.egress", text);
  egress::Options options;
  options.targets = std::move(targets);
  const auto start = Clock::now();
  auto result = emit ? egress::compile(sources, id, options) : egress::check(sources, id, options);
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (!result.ok()) std::fprintf(stderr, "bench: unexpected errors (%zu)\n", result.diagnostics.error_count());
  if (bytes != nullptr) {
    *bytes = 0;
    for (const auto& o : result.outputs) *bytes += o.content.size();
  }
  return ms;
}

double best_of(int n, const std::function<double()>& f) {
  double best = 1e300;
  for (int i = 0; i < n; ++i) best = std::min(best, f());
  return best;
}

double thread_cpu_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// Sorted samples of one figure, per keystroke.
struct Samples {
  std::vector<double> wall, cpu;
  void add(double wall_ms, double cpu_ms) {
    wall.push_back(wall_ms);
    cpu.push_back(cpu_ms);
  }
  [[nodiscard]] std::string summary() {
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    const auto at = [](const std::vector<double>& v, std::size_t percent) { return v[v.size() * percent / 100]; };
    char line[200];
    std::snprintf(line, sizeof line, "wall median %.2f ms, p90 %.2f ms, p95 %.2f ms; CPU median %.2f ms, p90 %.2f ms, p95 %.2f ms",
                  at(wall, 50), at(wall, 90), at(wall, 95), at(cpu, 50), at(cpu, 90), at(cpu, 95));
    return line;
  }
};

/// Times `f` into `samples`.
template <class F>
void timed(Samples& samples, F&& f) {
  const auto started = Clock::now();
  const double cpu_started = thread_cpu_ms();
  f();
  const double cpu = thread_cpu_ms() - cpu_started;
  samples.add(std::chrono::duration<double, std::milli>(Clock::now() - started).count(), cpu);
}

// The three steps of a keystroke, as functions of their own so that callgrind can count each one:
// `valgrind --tool=callgrind --toggle-collect='*lsp_recheck*' build/release/bench/egress_bench --lsp 10`.
// Their bodies differ (what they return), or the linker may fold two into one.
[[gnu::noinline]] std::size_t lsp_recheck(egress::lsp::Server& server, const nlohmann::json& change) {
  return server.handle(change).size();
}
[[gnu::noinline]] void lsp_idle(egress::lsp::Server& server) { server.idle(); }
[[gnu::noinline]] bool lsp_request(egress::lsp::Server& server, const nlohmann::json& request) {
  const auto replies = server.handle(request);
  return !replies.empty() && replies.front().contains("result");
}

/// The language server in process: `text` opened, then `keystrokes` one-character edits at the first
/// occurrence of `at` (plus `delta`), each re-checked and published before handle() returns. Prints the
/// median, 90th and 95th percentile of the wall and CPU time per keystroke. Then, as `egressc lsp` does once
/// the diagnostics are sent, idle() frees the analysis the keystroke replaced (its own line), and, as an editor
/// does next, a `semanticTokens/full` request reads the new analysis (its own line: it builds the index).
void lsp_keystrokes(const std::string& label, const std::string& text, const std::string& at, int delta, int keystrokes) {
  using nlohmann::json;
  egress::lsp::Server server({});
  const std::string uri = "file:///bench/main.egress";
  server.handle({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}, {"params", {{"capabilities", json::object()}}}});
  server.handle({{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", json::object()}});
  server.handle({{"jsonrpc", "2.0"},
                 {"method", "textDocument/didOpen"},
                 {"params", {{"textDocument", {{"uri", uri}, {"languageId", "egress"}, {"version", 1}, {"text", text}}}}}});
  const auto offset = text.find(at) + static_cast<std::size_t>(delta);
  const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
  const auto character = offset - (text.rfind('\n', offset - 1) + 1);
  Samples check, freeing, tokens;
  for (int i = 0; i < keystrokes; ++i) {
    const json range = {{"start", {{"line", line}, {"character", character}}}, {"end", {{"line", line}, {"character", character + 1}}}};
    const json message = {{"jsonrpc", "2.0"},
                          {"method", "textDocument/didChange"},
                          {"params", {{"textDocument", {{"uri", uri}, {"version", i + 2}}},
                                      {"contentChanges", json::array({{{"range", range}, {"text", i % 2 ? "3" : "4"}}})}}}};
    std::size_t published = 0;
    timed(check, [&] { published = lsp_recheck(server, message); });
    timed(freeing, [&] { lsp_idle(server); });
    const json request = {{"jsonrpc", "2.0"}, {"id", i + 2}, {"method", "textDocument/semanticTokens/full"},
                          {"params", {{"textDocument", {{"uri", uri}}}}}};
    bool answered = false;
    timed(tokens, [&] { answered = lsp_request(server, request); });
    if (published != 1 || !answered) std::fprintf(stderr, "bench: keystroke %d: %zu notifications, tokens %s\n", i, published, answered ? "answered" : "not answered");
  }
  std::printf("LSP re-check after a keystroke, %s: %s\n", label.c_str(), check.summary().c_str());
  std::printf("  then freeing the replaced analysis (idle(), after the reply): %s\n", freeing.summary().c_str());
  std::printf("  then semanticTokens/full (builds the index): %s\n", tokens.summary().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  // `--lsp [KEYSTROKES [RULES]]`: the language server's row only (issue 14: the re-check of 10,000 rules), with
  // more keystrokes than the full run's 30; RULES other than 10,000 shows how the re-check grows.
  if (argc >= 2 && std::string(argv[1]) == "--lsp") {
    const int keystrokes = argc >= 3 ? std::stoi(argv[2]) : 100;
    const std::size_t rules = argc >= 4 ? std::stoul(argv[3]) : 10000;
    lsp_keystrokes(std::to_string(rules) + " rules (" + std::to_string(keystrokes) + " keystrokes)",
                   egress::bench::many_rules(rules), " : 2\n", 3, keystrokes);
    return 0;
  }
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::stoul(argv[i]));
  if (sizes.empty()) sizes = {1000, 10000, 100000};

  const std::string article = read(std::string(EGRESS_SOURCE_DIR) + "/examples/aks-egress/main.egress");
  std::printf("article: check %.3f ms, build all targets %.3f ms (best of 20)\n",
              best_of(20, [&] { return run(article, false, {}, nullptr); }),
              best_of(20, [&] { return run(article, true, {egress::Target::arm, egress::Target::bicep, egress::Target::az, egress::Target::k8s}, nullptr); }));

  lsp_keystrokes("the article (300 keystrokes)", article, "nodes 3", 6, 300);
  lsp_keystrokes("10,000 rules (30 keystrokes)", egress::bench::many_rules(10000), " : 2\n", 3, 30);

  for (auto n : sizes) {
    const auto text = egress::bench::many_rules(n);
    std::size_t bytes = 0;
    const double check_ms = best_of(3, [&] { return run(text, false, {}, nullptr); });
    const double arm_ms = best_of(3, [&] { return run(text, true, {egress::Target::arm}, &bytes); });
    std::printf("%7zu rules (%5.1f MB source): check %8.1f ms, compile to ARM %8.1f ms (%5.1f MB out), %.2f us/rule\n", n,
                static_cast<double>(text.size()) / 1e6, check_ms, arm_ms, static_cast<double>(bytes) / 1e6,
                arm_ms * 1000.0 / static_cast<double>(n));
  }
  // The Firewall Policy workload (many_policy_rules.hpp) at n and 2n: base and child policy, IP groups,
  // groups of 200 rules, two firewalls.
  const std::vector<egress::Target> all = {egress::Target::arm, egress::Target::bicep, egress::Target::az, egress::Target::k8s};
  for (std::size_t n : {10000, 20000}) {
    const auto text = egress::bench::policy_rules(n);
    std::size_t bytes = 0;
    const double check_ms = best_of(3, [&] { return run(text, false, {}, nullptr); });
    const double build_ms = best_of(3, [&] { return run(text, true, all, &bytes); });
    std::printf("policy, %5zu rules in %3zu groups (%4.2f MB source): check %7.1f ms, all four targets %7.1f ms (%5.1f MB out)\n",
                n, egress::bench::policy_groups(n), static_cast<double>(text.size()) / 1e6, check_ms, build_ms,
                static_cast<double>(bytes) / 1e6);
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak resident memory of this process: %.1f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
