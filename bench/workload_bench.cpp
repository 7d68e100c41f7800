// process_bench --workload: issue 14's whole-process benchmark. For each N, W(N) (bench/workload.hpp) is
// written to files, then timed as users run it: `egressc check`, `egressc build` for each target alone and
// for all four, and the peer, jsonnet, turning the same rules as JSON into the firewall's ARM resource.
// Figures, not a test: medians of wall, CPU, peak RSS, the bytes written, and jsonnet's wall and CPU times over
// each command's (measured in the same run, so both saw the same machine load).
//   process_bench --workload [--n 1000,10000,100000,1000000] [--runs 3] [--peer-max 100000] [--jsonnet PATH]
//                            [--egressc PATH]
// --peer-max: the largest N jsonnet is run for (it takes minutes and gigabytes at 10^5: about 40 s, 1.2 GB).
// --egressc: another egressc binary than the one built beside this benchmark (a before/after comparison).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "process_run.hpp"
#include "workload.hpp"

namespace fs = std::filesystem;

namespace egress::bench {
namespace {

struct Config {
  std::vector<std::size_t> sizes{1000, 10000, 100000, 1000000};
  int runs = 3;
  std::size_t peer_max = 100000;
  std::string jsonnet;  // "" when there is none
  std::string egressc = EGRESS_BINARY;
};

struct Measure {
  Sample median;
  std::uintmax_t output_bytes = 0;
};

std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string d; std::getline(dirs, d, ':');) {
    const fs::path p = fs::path(d.empty() ? "." : d) / name;
    std::error_code ec;
    if (fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return "";
}

std::uintmax_t bytes_under(const fs::path& p) {
  std::error_code ec;
  if (fs::is_regular_file(p, ec)) return fs::file_size(p);
  std::uintmax_t total = 0;
  if (fs::is_directory(p, ec))
    for (const auto& e : fs::directory_iterator(p))
      if (e.is_regular_file()) total += e.file_size();
  return total;
}

/// `runs` runs of `program args`, each after removing `output` so that every run writes from scratch.
Measure measure(const std::string& program, const std::vector<std::string>& args, const fs::path& output, int runs) {
  std::vector<double> wall, cpu, peak;
  Measure m;
  for (int i = 0; i < runs; ++i) {
    fs::remove_all(output);
    const auto s = run_once(program, args);
    wall.push_back(s.wall_s);
    cpu.push_back(s.cpu_s);
    peak.push_back(s.peak_mb);
    m.median.exit_code = std::max(m.median.exit_code, s.exit_code);
    m.output_bytes = bytes_under(output);
  }
  m.median.wall_s = median(wall);
  m.median.cpu_s = median(cpu);
  m.median.peak_mb = median(peak);
  return m;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

std::string fmt_ratio(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fx", r);
  return buf;
}

/// `peer`: jsonnet's medians at this N, when it ran; the ratios are jsonnet's wall and CPU over the command's.
void print_row(const std::string& what, const std::string& n, const Measure& m, std::optional<Sample> peer) {
  const std::string wall_ratio = peer ? fmt_ratio(peer->wall_s / m.median.wall_s) : "-";
  const std::string cpu_ratio = peer ? fmt_ratio(peer->cpu_s / m.median.cpu_s) : "-";
  std::printf("| %-28s | %9s | %9.3f s | %9.3f s | %8.1f MB | %12ju | %9s | %9s | %4d |\n", what.c_str(), n.c_str(),
              m.median.wall_s, m.median.cpu_s, m.median.peak_mb, m.output_bytes, wall_ratio.c_str(), cpu_ratio.c_str(),
              m.median.exit_code);
  std::fflush(stdout);
}

std::optional<Config> parse(const std::vector<std::string>& args) {
  Config c;
  c.jsonnet = find_on_path("jsonnet");
  for (std::size_t i = 0; i + 1 < args.size(); i += 2) {
    const auto& flag = args[i];
    const auto& value = args[i + 1];
    try {
      if (flag == "--n") {
        c.sizes.clear();
        std::stringstream list(value);
        for (std::string n; std::getline(list, n, ',');) c.sizes.push_back(std::stoul(n));
      } else if (flag == "--runs") {
        c.runs = std::max(1, std::stoi(value));
      } else if (flag == "--peer-max") {
        c.peer_max = std::stoul(value);
      } else if (flag == "--jsonnet") {
        c.jsonnet = value;
      } else if (flag == "--egressc") {
        c.egressc = value;
      } else {
        return std::nullopt;
      }
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (args.size() % 2 != 0 || c.sizes.empty()) return std::nullopt;
  return c;
}

}  // namespace

int workload_main(const std::vector<std::string>& args) {
  const auto config = parse(args);
  if (!config) {
    std::fprintf(stderr, "usage: process_bench --workload [--n 1000,10000,...] [--runs K] [--peer-max N] [--jsonnet PATH] [--egressc PATH]\n");
    return 2;
  }
  const fs::path dir = fs::temp_directory_path() / ("egress-workload-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path out = dir / "out";
  const fs::path peer_out = dir / "peer.json";
  struct Command {
    std::string what;
    std::vector<std::string> args;  // after the file
  };
  const std::vector<Command> commands = {
      {"egressc check", {"check"}},
      {"egressc build --target arm", {"build", "--target", "arm"}},
      {"egressc build --target bicep", {"build", "--target", "bicep"}},
      {"egressc build --target az", {"build", "--target", "az"}},
      {"egressc build --target k8s", {"build", "--target", "k8s"}},
      {"egressc build (all four)", {"build"}},
  };
  std::printf("W(N), whole process: medians of %d runs; peak = the child's ru_maxrss; output = bytes written;\n"
              "jn/x wall, jn/x CPU = jsonnet's median wall and CPU times over the command's (the same run, the same N)\n",
              config->runs);
  std::printf("egressc: %s\njsonnet: %s\nload average before: %s\n\n", config->egressc.c_str(),
              config->jsonnet.empty() ? "(not found: apt-get install jsonnet, or scripts/setup.sh --bench)" : config->jsonnet.c_str(),
              load_average().c_str());
  std::printf("| %-28s | %9s | %11s | %11s | %11s | %12s | %9s | %9s | %4s |\n", "command", "N", "wall", "CPU",
              "peak RSS", "output", "jn/x wall", "jn/x CPU", "exit");
  std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(30, '-').c_str(), std::string(11, '-').c_str(),
              std::string(13, '-').c_str(), std::string(13, '-').c_str(), std::string(13, '-').c_str(),
              std::string(14, '-').c_str(), std::string(11, '-').c_str(), std::string(11, '-').c_str(),
              std::string(6, '-').c_str());
  // The article's check first: its start-up cost (the stdlib parsed on every run) is what the small rows show.
  const std::string article = std::string(EGRESS_SOURCE_DIR) + "/examples/aks-egress/main.egress";
  print_row("egressc check (the article)", "-", measure(config->egressc, {"check", article}, out, std::max(config->runs, 9)), std::nullopt);
  std::map<std::string, std::vector<std::pair<std::size_t, Sample>>> by_command;
  std::vector<std::string> order{"jsonnet (the peer)"};  // of the growth table
  for (const auto& c : commands) order.push_back(c.what);
  for (const auto n : config->sizes) {
    const std::string stem = "w" + std::to_string(n);
    const fs::path source = dir / (stem + ".egress"), rules = dir / (stem + ".rules.json"), jsonnet = dir / "firewall.jsonnet";
    {  // written and dropped before any child runs: the children's ru_maxrss starts from this process's size
      std::ofstream(source, std::ios::binary) << workload_egress(n);
      std::ofstream(rules, std::ios::binary) << workload_json(n);
      std::ofstream(jsonnet, std::ios::binary) << kWorkloadJsonnet;
    }
    const auto mib = std::to_string(fs::file_size(source) / (1 << 20) + 1);
    std::optional<Sample> peer;
    if (!config->jsonnet.empty() && n <= config->peer_max) {
      const auto m = measure(config->jsonnet, {"--tla-code-file", "workload=" + rules.string(), jsonnet.string(), "-o", peer_out.string()},
                             peer_out, config->runs);
      if (m.median.exit_code == 0) peer = m.median;
      print_row("jsonnet (the peer)", std::to_string(n), m, peer);
      by_command["jsonnet (the peer)"].push_back({n, m.median});
    }
    for (const auto& c : commands) {
      std::vector<std::string> a{c.args.front(), source.string()};
      a.insert(a.end(), c.args.begin() + 1, c.args.end());
      if (c.args.front() == "build") a.insert(a.end(), {"-o", out.string()});
      a.insert(a.end(), {"--max-input-mib", mib});
      const auto m = measure(config->egressc, a, out, config->runs);
      print_row(c.what, std::to_string(n), m, peer);
      by_command[c.what].push_back({n, m.median});
    }
    fs::remove(source);
    fs::remove(rules);
  }
  std::printf("\nload average after: %s\n\nGrowth: t(N) / t(previous N), wall / CPU / peak RSS (linear in N = the ratio of the Ns)\n\n",
              load_average().c_str());
  for (const auto& what : order) {
    const auto& samples = by_command[what];
    for (std::size_t i = 1; i < samples.size(); ++i) {
      const auto& [n0, a] = samples[i - 1];
      const auto& [n1, b] = samples[i];
      std::printf("  %-28s %8zu -> %8zu: %6.2f / %6.2f / %6.2f\n", what.c_str(), n0, n1, b.wall_s / a.wall_s,
                  b.cpu_s / a.cpu_s, b.peak_mb / a.peak_mb);
    }
  }
  fs::remove_all(dir);
  return 0;
}

}  // namespace egress::bench
