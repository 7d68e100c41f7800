// Helpers shared by the tests: compile a file from disk, read and write files, render diagnostics.
#pragma once
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "base/work_count.hpp"
#include "egress/compiler.hpp"

namespace egress::testing {

/// The source tree and the egressc under test. They are defined in support/paths.cpp, the one file compiled
/// with their absolute paths, so that every other test file compiles to the same object in any checkout
/// (ccache reuses it across clones: scripts/test.sh).
std::string source_dir();
const char* egress_binary();

inline std::optional<std::string> slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The work steps (base/work_count.hpp) that `f` takes: a count, so that two input sizes can be compared
/// exactly on any machine, however busy, where a time could not.
template <class F>
std::uint64_t steps(F&& f) {
  return egress::work::counted(std::forward<F>(f));
}

/// True when the work for twice the input is at most 2.2 times the work for the input: linear growth with
/// room for logarithmic terms, where a quadratic algorithm takes four times as much.
inline bool grows_linearly(std::uint64_t at_n, std::uint64_t at_2n) {
  return at_n > 0 && static_cast<double>(at_2n) <= 2.2 * static_cast<double>(at_n);
}

inline void spit(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << text;
}

/// Set EGRESS_UPDATE_GOLDEN=1 (tests/update-golden.sh does) to rewrite expectations instead of comparing.
inline bool updating_golden() {
  const char* v = std::getenv("EGRESS_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

struct Compiled {
  SourceManager sources;
  Result result;
  std::string rendered;  // every diagnostic, rendered, with paths relative to the source dir
};

/// Compiles `path` (relative to the source dir) as egressc would; `display` is the name shown in output.
/// `env`: as `--env NAME` (empty: the defaults). `az_bulk_threshold`: as `--az-bulk-threshold N`.
inline Compiled compile_file(const std::string& path, bool emit = true, bool strict = false, const std::string& env = {},
                             std::size_t az_bulk_threshold = kAzBulkThreshold) {
  Compiled c;
  const auto text = slurp(source_dir() + "/" + path).value_or("");
  const auto id = c.sources.add(path, text);
  Options o;
  o.strict = strict;
  o.env = env;
  o.az_bulk_threshold = az_bulk_threshold;
  std::string stem = path.substr(path.find_last_of('/') + 1);
  stem = stem.substr(0, stem.rfind('.'));
  o.stem = stem;
  const std::string base = source_dir() + "/";
  o.read_file = [base](const std::string& p) { return slurp(p.rfind('/', 0) == 0 ? p : base + p); };
  c.result = emit ? compile(c.sources, id, o) : check(c.sources, id, o);
  for (const auto& d : c.result.diagnostics.all()) c.rendered += render(d, c.sources);
  return c;
}

/// Pieces for running generated scripts against files on disk. They have a namespace of their own so that
/// a test file's private copies of the same names stay unambiguous beside `using namespace egress::testing`;
/// take them with `using namespace egress::testing::harness;`.
namespace harness {

/// What a shell command printed (stdout, and stderr unless dropped) and its exit status (-1 if it did not exit).
struct CommandResult {
  int status = -1;
  std::string out;
};

inline CommandResult run_command(const std::string& cmd, bool merge_stderr = true) {
  CommandResult r;
  FILE* p = ::popen((cmd + (merge_stderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

/// A fresh directory under the system's temporary directory, removed with all it holds at the end of scope
/// (permissions are given back first, so a test may take them away).
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& prefix = "egress-test") {
    std::string t = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::permissions(path, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

/// One az or kubectl call as a script made it: the command's name, then its arguments.
using Call = std::vector<std::string>;

/// Bash functions standing in for `az` and `kubectl`: each succeeds and logs its arguments to "$log"
/// ("NAME COUNT\n", then COUNT NUL-terminated arguments); `az ... show|list`, and any call that reads a value
/// back with `--query` (`az resource create ... --query id`), prints `stub-value`.
inline const std::string kAzKubectlStubs = R"SH(
az() {
  { printf 'az %d\n' $#; [ $# -gt 0 ] && printf '%s\0' "$@"; } >>"$log"
  case " $* " in *" show "* | *" list "* | *" --query "*) printf 'stub-value\n' ;; esac
  return 0
}
kubectl() {
  { printf 'kubectl %d\n' $#; [ $# -gt 0 ] && printf '%s\0' "$@"; } >>"$log"
  return 0
}
)SH";

/// `bash record.sh SCRIPT LOG` runs SCRIPT with the stubs above, logging to LOG.
inline const std::string kRecorder = "script=$1 log=$2\n" + kAzKubectlStubs + R"SH(export -f az kubectl
export log
bash "$script"
)SH";

/// The calls in a log written by kRecorder (or any harness writing the same format), in order.
inline std::vector<Call> read_calls(const std::string& log) {
  std::vector<Call> calls;
  std::size_t p = 0;
  while (p < log.size()) {
    const auto nl = log.find('\n', p);
    if (nl == std::string::npos) break;
    const std::string header = log.substr(p, nl - p);
    p = nl + 1;
    const auto space = header.find(' ');
    Call call{header.substr(0, space)};
    const int count = std::stoi(header.substr(space + 1));
    for (int i = 0; i < count; ++i) {
      const auto nul = log.find('\0', p);
      if (nul == std::string::npos) break;
      call.push_back(log.substr(p, nul - p));
      p = nul + 1;
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

}  // namespace harness

}  // namespace egress::testing
