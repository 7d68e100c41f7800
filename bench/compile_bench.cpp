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

#include "egress/compiler.hpp"
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

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::stoul(argv[i]));
  if (sizes.empty()) sizes = {1000, 10000, 100000};

  const std::string article = read(std::string(EGRESS_SOURCE_DIR) + "/examples/aks-egress/main.egress");
  std::printf("article: check %.3f ms, build all targets %.3f ms (best of 20)\n",
              best_of(20, [&] { return run(article, false, {}, nullptr); }),
              best_of(20, [&] { return run(article, true, {egress::Target::arm, egress::Target::bicep, egress::Target::az, egress::Target::k8s}, nullptr); }));

  for (auto n : sizes) {
    const auto text = egress::bench::many_rules(n);
    std::size_t bytes = 0;
    const double check_ms = best_of(3, [&] { return run(text, false, {}, nullptr); });
    const double arm_ms = best_of(3, [&] { return run(text, true, {egress::Target::arm}, &bytes); });
    std::printf("%7zu rules (%5.1f MB source): check %8.1f ms, compile to ARM %8.1f ms (%5.1f MB out), %.2f us/rule\n", n,
                static_cast<double>(text.size()) / 1e6, check_ms, arm_ms, static_cast<double>(bytes) / 1e6,
                arm_ms * 1000.0 / static_cast<double>(n));
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak resident memory of this process: %.1f MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
