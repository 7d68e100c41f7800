// Figures, not tests: the egressc process as users run it, timed from outside (fork, exec, wait4): wall
// time, CPU time (user + system) and peak resident memory, the median of several runs. These are the figures
// the tests used to assert and no longer do (a time is not a pass/fail condition on a shared machine).
//   build/release/bench/process_bench            the article, 10,000 and 100,000 rules, the source cap,
//                                                the Firewall Policy workload (below)
//   build/release/bench/process_bench --big      also a million rules and a 100 MB file (minutes, GBs)
//   build/release/bench/process_bench --policy   the Firewall Policy workload only
//   build/release/bench/process_bench --write-policy N FILE   writes that workload of N rules, for a profiler
//   build/release/bench/process_bench --workload [...]   issue 14's W(N) and jsonnet (workload_bench.cpp)
// The Firewall Policy workload (many_policy_rules.hpp): 10,000 and 20,000 rules in rule collection groups of
// 200, a base and a child policy, IP groups, two firewalls; beside it, in the same run, the classic workload
// (many_rules.hpp) with as many rules, the reference it is compared with. Printed: each command at n and 2n,
// and the ratios 2n/n (linear growth is 2; a quadratic phase shows as 4 once it dominates).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "many_policy_rules.hpp"
#include "many_rules.hpp"
#include "process_run.hpp"

namespace fs = std::filesystem;

namespace egress::bench {
/// `process_bench --workload ...`: issue 14's workload W(N) and its peer (bench/workload_bench.cpp).
int workload_main(const std::vector<std::string>& args);
}  // namespace egress::bench

namespace {

using egress::bench::median;
using egress::bench::Sample;

/// Runs `args` `runs` times and prints one row: medians of wall, CPU and peak memory, which it returns.
Sample row(const std::string& what, const std::vector<std::string>& args, int runs) {
  std::vector<double> wall, cpu, peak;
  int exit_code = 0;
  for (int i = 0; i < runs; ++i) {
    const auto s = egress::bench::run_once(EGRESS_BINARY, args);
    wall.push_back(s.wall_s);
    cpu.push_back(s.cpu_s);
    peak.push_back(s.peak_mb);
    exit_code = s.exit_code;
  }
  const Sample m{median(wall), median(cpu), median(peak), exit_code};
  std::printf("| %-58s | %9.3f s | %9.3f s | %8.1f MB | %4d |\n", what.c_str(), m.wall_s, m.cpu_s, m.peak_mb, exit_code);
  std::fflush(stdout);
  return m;
}

void header() {
  std::printf("| %-58s | %11s | %11s | %11s | %4s |\n", "command", "wall", "CPU", "peak RSS", "exit");
  std::printf("|%s|%s|%s|%s|%s|\n", std::string(60, '-').c_str(), std::string(13, '-').c_str(),
              std::string(13, '-').c_str(), std::string(13, '-').c_str(), std::string(6, '-').c_str());
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// `megabytes` of `unit` repeated, after a small valid program.
void write_filler(const fs::path& path, std::size_t megabytes, const std::string& unit) {
  std::ofstream out(path, std::ios::binary);
  out << "group rg \"rg\" in eastus\n";
  const std::size_t target = megabytes << 20;
  for (std::size_t size = 0; size < target; size += unit.size()) out << unit;
}

/// The Firewall Policy workload at `n` and `2n` rules, and the classic one with as many rules, each command
/// timed at both sizes in this run; then the ratios.
void policy_rows(const fs::path& dir, const std::string& out, std::size_t n, int runs) {
  struct Command {
    std::string what;
    std::vector<std::string> args;  // after the file
  };
  const std::vector<Command> commands = {
      {"check", {"check"}},
      {"build --target arm", {"build", "--target", "arm"}},
      {"build --target bicep", {"build", "--target", "bicep"}},
      {"build --target az", {"build", "--target", "az"}},
      {"build, all four targets", {"build"}},
  };
  struct Workload {
    std::string label;
    std::string (*text)(std::size_t);
  };
  const Workload workloads[] = {{"policy", egress::bench::policy_rules}, {"classic", egress::bench::many_rules}};
  std::vector<std::pair<std::string, Sample>> ratios;
  std::printf("\nFirewall Policy workload: %zu and %zu rules in groups of %zu; the classic workload with as many rules\n\n",
              n, 2 * n, egress::bench::kPolicyRulesPerGroup);
  header();
  for (const auto& w : workloads) {
    std::vector<Sample> at[2];
    for (int twice = 0; twice < 2; ++twice) {
      const std::size_t rules = twice ? 2 * n : n;
      const auto file = dir / (w.label + "-" + std::to_string(rules) + ".egress");
      write(file, w.text(rules));
      const auto size = std::to_string(rules) + " rules, " + w.label;
      for (const auto& c : commands) {
        std::vector<std::string> args{c.args.front(), file.string()};
        args.insert(args.end(), c.args.begin() + 1, c.args.end());
        if (c.args.front() == "build") args.insert(args.end(), {"-o", out});
        at[twice].push_back(row(c.what + ", " + size, args, runs));
      }
      fs::remove(file);
    }
    for (std::size_t i = 0; i < commands.size(); ++i) {
      const auto& a = at[0][i];
      const auto& b = at[1][i];
      ratios.push_back({commands[i].what + ", " + w.label,
                        {b.wall_s / a.wall_s, b.cpu_s / a.cpu_s, b.peak_mb / a.peak_mb, std::max(a.exit_code, b.exit_code)}});
    }
  }
  std::printf("\nRatios %zu rules / %zu rules (2 = linear)\n\n", 2 * n, n);
  std::printf("| %-58s | %11s | %11s | %11s |\n", "command", "wall", "CPU", "peak RSS");
  std::printf("|%s|%s|%s|%s|\n", std::string(60, '-').c_str(), std::string(13, '-').c_str(),
              std::string(13, '-').c_str(), std::string(13, '-').c_str());
  for (const auto& [what, r] : ratios)
    std::printf("| %-58s | %11.2f | %11.2f | %11.2f |\n", what.c_str(), r.wall_s, r.cpu_s, r.peak_mb);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--workload") == 0)
    return egress::bench::workload_main(std::vector<std::string>(argv + 2, argv + argc));
  if (argc == 4 && std::strcmp(argv[1], "--write-policy") == 0) {
    write(argv[3], egress::bench::policy_rules(std::stoul(argv[2])));
    return 0;
  }
  const bool big = argc > 1 && std::strcmp(argv[1], "--big") == 0;
  const bool policy_only = argc > 1 && std::strcmp(argv[1], "--policy") == 0;
  const fs::path dir = fs::temp_directory_path() / ("egress-process-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string out = (dir / "out").string();
  const std::string article = std::string(EGRESS_SOURCE_DIR) + "/examples/aks-egress/main.egress";

  std::printf("egressc as a process: medians; peak = the child's ru_maxrss\n");
  if (policy_only) {
    policy_rows(dir, out, 10000, 5);
    fs::remove_all(dir);
    return 0;
  }
  std::printf("\n");
  header();
  row("check, the article", {"check", article}, 9);
  row("build, the article, all four targets", {"build", article, "-o", out}, 9);

  std::vector<std::size_t> sizes{10000, 100000};
  if (big) sizes.push_back(1000000);
  for (const auto n : sizes) {
    const auto file = dir / ("rules-" + std::to_string(n) + ".egress");
    write(file, egress::bench::many_rules(n));
    const auto mib = std::to_string(fs::file_size(file) / (1 << 20) + 1);
    const int runs = n >= 1000000 ? 1 : 3;
    const auto label = std::to_string(n) + " rules";
    row("check, " + label, {"check", file.string(), "--max-input-mib", mib}, runs);
    row("build --target arm, " + label, {"build", file.string(), "--target", "arm", "-o", out, "--max-input-mib", mib}, runs);
    row("build, all four targets, " + label, {"build", file.string(), "-o", out, "--max-input-mib", mib}, runs);
    fs::remove(file);
  }

  // The source cap (E0008): a file over it is refused before parsing, in little memory.
  const auto capped = dir / "17mb-of-comments.egress";
  write_filler(capped, 17, "// a comment line that says nothing at all\n");
  row("check, 17 MB of comments (over the 16 MiB cap: E0008)", {"check", capped.string()}, 3);
  row("check, 17 MB of comments, --max-input-mib 18", {"check", capped.string(), "--max-input-mib", "18"}, 3);
  fs::remove(capped);
  if (big) {
    const auto huge = dir / "100mb-of-unknown-statements.egress";
    write_filler(huge, 100, "frobnicate the widgets 42 times\n");
    row("check, 100 MB of unknown statements (E0008)", {"check", huge.string()}, 1);
    row("check, 100 MB of unknown statements, --max-input-mib 128", {"check", huge.string(), "--max-input-mib", "128"}, 1);
  }
  policy_rows(dir, out, 10000, 5);
  fs::remove_all(dir);
  return 0;
}
