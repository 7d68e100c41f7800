// egressc: the command line over libegress. Flags, files and exit codes live here and nowhere else.
//   exit 0: no errors (warnings allowed); 1: errors in the input or outputs not written; 2: usage errors.
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/suggest.hpp"
#include "driver/commands.hpp"
#include "driver/depfile.hpp"
#include "driver/files.hpp"
#include "driver/load.hpp"
#include "egress_revision.hpp"
#include "egress/compiler.hpp"

namespace egress::driver {
namespace {

constexpr const char* kUsage = R"(egressc - compile .egress programs to ARM, Bicep, az CLI and Kubernetes

usage:
  egressc build FILE [--target arm|bicep|az|k8s|all]... [-o DIR] [--env NAME] [--strict]
                     [--max-input-mib N] [--depfile FILE] [--az-bulk-threshold N]
  egressc build - ...  (and check -): the program from standard input; its outputs are named main.*
  egressc check FILE [--env NAME] [--strict] [--max-input-mib N]
  (build and check also take --diagnostics-format text|gcc|json|sarif and --time-phases)
  egressc fmt [FILE...|-] [--check | -w]
  egressc graph FILE [-o FILE] [--env NAME]
  egressc explain FILE --from SUBNET|CLUSTER|internet --to HOST:PORT/PROTO [--env NAME]
  egressc lsp
  egressc --help | --version

build writes DIR/<stem>.json (ARM), <stem>.bicep, <stem>.sh (az CLI) and <stem>.yaml (Kubernetes;
<stem>.<cluster>.yaml per cluster when there are several); DIR defaults to the current folder. Nothing is
written when there is an error.
--env NAME checks the program with the values of its `env NAME`; build then also writes
<stem>.NAME.parameters.json and <stem>.NAME.bicepparam, and the script takes the env's values as defaults.
check without --env checks the program once per env of it, each with its values. graph and explain with
--env look at the network the env builds (without it, the defaults').
--az-bulk-threshold N: the script deploys a firewall with more than N classic rules, or a rule collection
group with more than N rules, from a template beside it, <stem>.az.<name>.json, with one az command
(default 50; 0: every rule set from a template).
--depfile writes which files the build read, for Make, Ninja and CMake (DEPFILE).
--diagnostics-format: text for people (colour on a terminal unless NO_COLOR is set), gcc for editors'
problem matchers (file:line:col: error: message [E0101]), json and sarif (2.1.0) on stdout for programs.
--strict turns warnings into errors. --max-input-mib raises the cap on source size (16 MiB, E0008).
--time-phases prints on stderr the wall time of each phase (read, parse, ..., each emitter, write).
exit status: 0 no errors, 1 errors, 2 usage error, 3 internal error (a bug: please report it).
)";

int usage_error(const std::string& message) {
  fmt::print(stderr, "egressc: {}\n(run `egressc --help` for usage)\n", message);
  return 2;
}

/// `--env NAME` names no env of the program: a usage error, with the closest env's name.
int unknown_env(const std::string& env, const std::vector<std::string>& envs) {
  return usage_error(unknown_env_message(env, envs));
}

/// --time-phases: one line per phase in the order they ran, then the whole command (from reading its
/// arguments) and what no phase accounts for: sorting and printing the diagnostics, the depfile.
void print_phase_times(const PhaseTimes& times, std::chrono::steady_clock::time_point start) {
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double phases = 0;
  fmt::print(stderr, "egressc: time per phase (wall)\n");
  for (const auto& p : times.phases()) {
    fmt::print(stderr, "  {:<14} {:10.3f} ms\n", p.name, p.seconds * 1e3);
    phases += p.seconds;
  }
  fmt::print(stderr, "  {:<14} {:10.3f} ms\n", "other", (total - phases) * 1e3);
  fmt::print(stderr, "  {:<14} {:10.3f} ms\n", "total", total * 1e3);
}

int build_or_check(const std::vector<std::string>& args, bool build) {
  const auto start = std::chrono::steady_clock::now();
  std::string file, dir = ".", depfile, env;
  bool strict = false, time_phases = false;
  auto format = DiagnosticsFormat::text;
  std::size_t max_source = kDefaultMaxSourceBytes;
  std::size_t az_bulk_threshold = kAzBulkThreshold;
  std::vector<Target> targets;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--strict") {
      strict = true;
    } else if (a == "--time-phases") {
      time_phases = true;
    } else if (build && (a == "--target" || a == "-t" || a.rfind("--target=", 0) == 0)) {
      std::string value;
      if (a.rfind("--target=", 0) == 0) value = a.substr(9);
      else if (i + 1 < args.size()) value = args[++i];
      else return usage_error("--target needs a value: arm, bicep, az, k8s or all");
      if (value == "all") {
        targets = {Target::arm, Target::bicep, Target::az, Target::k8s};
      } else if (auto t = parse_target(value)) {
        if (std::find(targets.begin(), targets.end(), *t) == targets.end()) targets.push_back(*t);
      } else {
        return usage_error(fmt::format("unknown target '{}': use arm, bicep, az, k8s or all", value));
      }
    } else if (a == "--diagnostics-format" || a.rfind("--diagnostics-format=", 0) == 0) {
      std::string value;
      if (a.size() > 20) value = a.substr(21);
      else if (i + 1 < args.size()) value = args[++i];
      if (value == "text") format = DiagnosticsFormat::text;
      else if (value == "gcc") format = DiagnosticsFormat::gcc;
      else if (value == "json") format = DiagnosticsFormat::json;
      else if (value == "sarif") format = DiagnosticsFormat::sarif;
      else return usage_error(fmt::format("--diagnostics-format takes text, gcc, json or sarif (got '{}')", value));
    } else if (build && (a == "--depfile" || a.rfind("--depfile=", 0) == 0)) {
      if (a.size() > 9) depfile = a.substr(10);
      else if (i + 1 < args.size()) depfile = args[++i];
      if (depfile.empty()) return usage_error("--depfile needs a file name");
    } else if (a == "--env" || a.rfind("--env=", 0) == 0) {
      if (a.size() > 5) env = a.substr(6);
      else if (i + 1 < args.size()) env = args[++i];
      if (env.empty()) return usage_error("--env needs the name of one of the program's envs");
    } else if (a == "--max-input-mib" || a.rfind("--max-input-mib=", 0) == 0) {
      std::string value;
      if (a.size() > 15) value = a.substr(16);
      else if (i + 1 < args.size()) value = args[++i];
      const bool digits = !value.empty() && value.size() <= 6 &&
                          std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits || std::stoul(value) == 0 || std::stoul(value) > 4095)
        return usage_error("--max-input-mib needs a number of MiB from 1 to 4095");
      max_source = std::size_t{std::stoul(value)} << 20;
    } else if (build && (a == "--az-bulk-threshold" || a.rfind("--az-bulk-threshold=", 0) == 0)) {
      std::string value;
      if (a.size() > 19) value = a.substr(20);
      else if (i + 1 < args.size()) value = args[++i];
      const bool digits = !value.empty() && value.size() <= 9 &&
                          std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits) return usage_error("--az-bulk-threshold needs a number of rules from 0 to 999999999");
      az_bulk_threshold = std::stoul(value);
    } else if (build && (a == "-o" || a == "--output" || a.rfind("-o=", 0) == 0 || a.rfind("--output=", 0) == 0)) {
      if (const auto eq = a.find('='); eq != std::string::npos) dir = a.substr(eq + 1);
      else if (i + 1 < args.size()) dir = args[++i];
      else return usage_error("-o needs a folder");
      if (dir.empty()) return usage_error("-o needs a folder");
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return usage_error(fmt::format("unknown option '{}'", a));
    } else if (file.empty()) {
      file = a;
    } else {
      return usage_error(fmt::format("one input file only (got '{}' and '{}')", file, a));
    }
  }
  if (file.empty()) return usage_error("no input file");

  PhaseTimes times;
  PhaseTimes* const timer = time_phases ? &times : nullptr;
  const auto finish = [&](int status) {
    if (timer) print_phase_times(times, start);
    return status;
  };
  std::string error;
  auto text = timed(timer, "read", [&] {
    return file == "-" ? read_standard_input(max_source) : read_file(file, &error, max_source);
  });
  if (!text) {
    fmt::print(stderr, "egressc: error: cannot read {}: {}\n", file, error);
    return 1;
  }
  SourceManager sources;
  const auto id = sources.add(file, std::move(*text));
  Options options;
  if (!targets.empty()) options.targets = targets;
  options.strict = strict;
  options.max_source_bytes = max_source;
  options.az_bulk_threshold = az_bulk_threshold;
  options.phase_times = timer;
  options.free_memory = false;  // egressc exits right after: the kernel reclaims it all at once (docs/performance.md)
  // Every file read for an import, for --depfile (the stdlib is embedded and never read).
  std::vector<std::string> inputs;
  if (file != "-") inputs.push_back(file);
  options.read_file = [max_source, &inputs](const std::string& path) {
    auto text = read_file(path, nullptr, max_source);
    if (text) inputs.push_back(path);
    return text;
  };
  std::string stem = file.substr(file.find_last_of('/') + 1);
  if (auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem.resize(dot);
  if (file == "-") stem = "main";
  options.stem = stem;
  options.env = env;
  options.every_env = !build;  // check without --env: once per env (build without --env builds the defaults)

  // A build writes its files as it makes them (each to a temporary file, renamed into place once all are written),
  // so that the process never holds its outputs whole: W(10^6)'s are 1.25 GB (docs/performance.md).
  OutputFiles files(dir);
  if (build) options.sink = &files;
  auto result = build ? compile(sources, id, options) : check(sources, id, options);
  if (result.unknown_env) return unknown_env(env, result.envs);
  print_diagnostics(result.diagnostics, sources, format);
  if (!result.ok()) return finish(1);
  // With json or sarif on stdout, the list of files written goes to stderr so that stdout stays one document.
  std::FILE* progress = format == DiagnosticsFormat::json || format == DiagnosticsFormat::sarif ? stderr : stdout;
  if (build) {
    if (auto err = timed(timer, "write", [&] { return files.commit(); }); !err.empty()) {
      fmt::print(stderr, "egressc: error[{}]: {}; no output was changed\n", info(Code::E0301).id, err);
      return finish(1);
    }
    for (const auto& out : result.outputs) fmt::print(progress, "wrote {}/{}\n", dir, out.filename);
    if (!depfile.empty()) {
      std::vector<std::string> written;
      for (const auto& out : result.outputs) written.push_back(dir + "/" + out.filename);
      if (auto err = write_depfile(depfile, make_depfile(written, inputs)); !err.empty()) {
        fmt::print(stderr, "egressc: error[{}]: {} (the depfile); the outputs were written\n", info(Code::E0301).id, err);
        return finish(1);
      }
    }
  }
  return finish(0);
}

}  // namespace

void print_diagnostics(const Diagnostics& diags, const SourceManager& sources, DiagnosticsFormat format) {
  if (format == DiagnosticsFormat::json) {
    fmt::print("{}", diagnostics_json(diags.all(), sources));
    return;
  }
  if (format == DiagnosticsFormat::sarif) {
    fmt::print("{}", diagnostics_sarif(diags.all(), sources, version()));
    return;
  }
  // https://no-color.org: a NO_COLOR that is set and not empty turns colour off.
  const char* no_color = std::getenv("NO_COLOR");
  const bool colour = format == DiagnosticsFormat::text && ::isatty(STDERR_FILENO) == 1 &&
                      (no_color == nullptr || *no_color == '\0');
  for (const auto& d : diags.all())
    fmt::print(stderr, "{}", format == DiagnosticsFormat::gcc ? render_gcc(d, sources) : render(d, sources, colour));
  const auto errors = diags.error_count(), warnings = diags.warning_count();
  if (diags.dropped() > 0)
    fmt::print(stderr, "... and {} more not shown (egressc keeps the first {})\n", diags.dropped(),
               Diagnostics::kMaxKept);
  if (errors + warnings > 0)
    fmt::print(stderr, "{} error{}, {} warning{}\n", errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
}

int run(const std::vector<std::string>& args) {
  if (args.empty()) {
    // `egressc` alone: the usage, on stderr since nothing was asked for, and the usage error's status.
    fmt::print(stderr, "{}", kUsage);
    return 2;
  }
  const auto& cmd = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    fmt::print("{}", kUsage);
    return 0;
  }
  if (cmd == "--version") {
    fmt::print("egressc {} (git {})\n", version(), EGRESS_REVISION);
    return 0;
  }
  if (cmd == "build") return build_or_check(rest, true);
  if (cmd == "check") return build_or_check(rest, false);
  for (const auto& c : extra_commands())
    if (cmd == c.name) return c.run(rest);
  std::vector<std::string> commands = {"build", "check", "help"};
  for (const auto& c : extra_commands()) commands.emplace_back(c.name);
  if (const auto near = closest(cmd, commands); !near.empty())
    return usage_error(fmt::format("unknown command '{}'; did you mean '{}'?", cmd, near));
  return usage_error(fmt::format("unknown command '{}'", cmd));
}

}  // namespace egress::driver

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return egress::driver::run(args);
  } catch (const std::exception& e) {
    // A bug, never bad input: say so plainly rather than abort with a core dump.
    fmt::print(stderr, "egressc: internal error: {}\n", e.what());
    return 3;
  }
}
