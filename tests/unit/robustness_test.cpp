// Robustness: every input a fuzzer ever crashed on (tests/fuzz/regressions/<target>/) is replayed through the
// same code as the fuzz target, with its invariants; the invariants also hold on every .egress file of the
// repository. The write protocol of `egressc build` on a read-only and on a full filesystem (outputs are all
// written or none, and the previous ones stay byte for byte), and --strict.
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

// The fuzz targets, compiled into the unit tests under other names; EGRESS_FUZZ_REPLAY makes a broken
// invariant throw instead of abort.
#define EGRESS_FUZZ_REPLAY 1
#define LLVMFuzzerTestOneInput egress_fuzz_parse_one
#include "../fuzz/fuzz_parse.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput egress_fuzz_compile_one
#include "../fuzz/fuzz_compile.cpp"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput egress_fuzz_format_one
#define LLVMFuzzerInitialize egress_fuzz_format_initialize
#include "../fuzz/fuzz_format.cpp"
#undef LLVMFuzzerTestOneInput
#undef LLVMFuzzerInitialize

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;

namespace {

using OneInput = int (*)(const std::uint8_t*, std::size_t);

struct Target {
  const char* name;
  OneInput run;
};
const Target kTargets[] = {{"parse", egress_fuzz_parse_one},
                           {"compile", egress_fuzz_compile_one},
                           {"format", egress_fuzz_format_one}};

void replay(OneInput run, const std::string& data) {
  CHECK_NOTHROW(run(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
}

using harness::TempDir;

/// Runs a shell command line; returns its exit status, with stdout and stderr in `output`.
int shell(const std::string& command, std::string* output = nullptr) {
  TempDir dir;
  const auto log = dir.path / "out.txt";
  const int status = std::system((command + " >" + log.string() + " 2>&1").c_str());
  if (output != nullptr) *output = slurp(log).value_or("");
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string egressc() { return egress::testing::egress_binary(); }

}  // namespace

// ---------------------------------------------------------------------------------------------- fuzzing

TEST_CASE("every input a fuzzer crashed on is replayed with the target's invariants", "[robustness][fuzz]") {
  const fs::path root = fs::path(source_dir()) / "tests" / "fuzz" / "regressions";
  std::size_t replayed = 0;
  for (const auto& t : kTargets) {
    const fs::path dir = root / t.name;
    if (!fs::exists(dir)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() != ".md") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      DYNAMIC_SECTION(t.name << "/" << f.filename().string()) {
        replay(t.run, slurp(f).value());
        ++replayed;
      }
    }
  }
  CHECK(replayed > 0);
}

TEST_CASE("the fuzz invariants hold on every .egress file of the repository", "[robustness][fuzz]") {
  std::vector<fs::path> files;
  for (const char* sub : {"examples", "stdlib", "tests"}) {
    const fs::path dir = fs::path(source_dir()) / sub;
    if (!fs::exists(dir)) continue;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_directory() && it->path().filename() == "node_modules") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file() && it->path().extension() == ".egress") files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 10);
  for (const auto& f : files) {
    const auto text = slurp(f).value();
    INFO(f.string());
    for (const auto& t : kTargets) replay(t.run, text);
  }
}

// ---------------------------------------------------------------------------------------------- writing

namespace {

// Runs inside a private mount namespace (unshare -m): mounts a small tmpfs, builds OLD into it, then makes
// the filesystem read-only, full or nearly full, and builds NEW into the same folder. The second build
// must fail with E0301 and exit 1, leave the outputs of the first byte for byte, and leave no temporary
// file. Exit 0: as expected; 77: the setup is not possible here; anything else: a failure, said on stdout.
constexpr const char* kWriteScript = R"SH(
set -u
bin=$1 old=$2 new=$3 work=$4 mode=$5
mnt=$work/mnt
mkdir -p "$mnt" "$work/prev"
mount -t tmpfs -o size=256k,mode=0755 tmpfs "$mnt" 2>"$work/mount.err" ||
  { echo "SKIP: cannot mount a tmpfs: $(cat "$work/mount.err")"; exit 77; }
out=$mnt/out
if ! "$bin" build "$old" -o "$out" >/dev/null 2>"$work/first.err"; then
  echo "FAIL: the first build into the tmpfs failed: $(cat "$work/first.err")"; exit 1
fi
cp -p "$out"/* "$work/prev/"
case "$mode" in
  readonly)
    mount -o remount,ro "$mnt" 2>"$work/mount.err" ||
      { echo "SKIP: cannot remount read-only: $(cat "$work/mount.err")"; exit 77; } ;;
  bind-readonly)
    mount --bind "$out" "$out" && mount -o remount,bind,ro "$out" 2>"$work/mount.err" ||
      { echo "SKIP: cannot make a read-only bind mount: $(cat "$work/mount.err")"; exit 77; } ;;
  full)
    dd if=/dev/zero of="$mnt/fill" bs=4096 >/dev/null 2>&1
    : ;;
  nearly-full)
    # Room for some of the outputs but not all: the first files are written, a later one fails.
    dd if=/dev/zero of="$mnt/fill" bs=4096 >/dev/null 2>&1
    size=$(stat -c %s "$mnt/fill")
    truncate -s $((size - 12288)) "$mnt/fill" ;;
esac
"$bin" build "$new" -o "$out" >"$work/second.out" 2>"$work/second.err"
rc=$?
status=0
[ "$rc" = 1 ] || { echo "FAIL: egressc exited $rc, not 1"; status=1; }
grep -q 'E0301' "$work/second.err" || { echo "FAIL: no E0301 in: $(cat "$work/second.err")"; status=1; }
grep -q 'wrote' "$work/second.out" && { echo "FAIL: it claims to have written: $(cat "$work/second.out")"; status=1; }
for f in "$work"/prev/*; do
  cmp -s "$f" "$out/$(basename "$f")" || { echo "FAIL: $(basename "$f") changed"; status=1; }
done
left=$(ls -A "$out" | grep -v -x -F -f <(ls -A "$work/prev") || true)
[ -z "$left" ] || { echo "FAIL: files left behind: $left"; status=1; }
[ $status = 0 ] && echo "OK: $mode: $(head -c 300 "$work/second.err")"
exit $status
)SH";

/// Can this process make a private mount namespace and mount a tmpfs in it (root, or CAP_SYS_ADMIN)?
bool can_mount(std::string* why) {
  std::string out;
  const int rc = shell("unshare -m --propagation private sh -c 'mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt'",
                       &out);
  *why = out;
  return rc == 0;
}

}  // namespace

TEST_CASE("a read-only or full filesystem: E0301, exit 1, previous outputs byte-identical", "[robustness][driver]") {
  std::string why;
  if (!can_mount(&why)) {
    WARN("skipped: no private mount namespace with a tmpfs here (needs root or CAP_SYS_ADMIN and unshare): " << why);
    return;
  }
  TempDir dir;
  const std::string example = slurp(source_dir() + "/examples/aks-egress/main.egress").value();
  // OLD and NEW differ, so that an overwritten output would show.
  std::string old_text = example;
  const std::string from = "param prefix: string = \"aks-egress\"";
  REQUIRE(old_text.find(from) != std::string::npos);
  old_text.replace(old_text.find(from), from.size(), "param prefix: string = \"aks-old\"");
  spit(dir.path / "old" / "main.egress", old_text);
  spit(dir.path / "new" / "main.egress", example);
  spit(dir.path / "write.sh", kWriteScript);
  for (const char* mode : {"readonly", "bind-readonly", "full", "nearly-full"}) {
    DYNAMIC_SECTION(mode) {
      const fs::path work = dir.path / mode;
      fs::create_directories(work);
      std::string out;
      const int rc = shell("unshare -m --propagation private bash " + (dir.path / "write.sh").string() + " " +
                               egressc() + " " + (dir.path / "old" / "main.egress").string() + " " +
                               (dir.path / "new" / "main.egress").string() + " " + work.string() + " " + mode,
                           &out);
      INFO(out);
      if (rc == 77) {
        WARN("skipped " << mode << ": " << out);
      } else {
        CHECK(rc == 0);
      }
    }
  }
}

TEST_CASE("an output whose name is taken by a folder: nothing replaced, E0301", "[robustness][driver]") {
  TempDir dir;
  const std::string example = source_dir() + "/examples/aks-egress/main.egress";
  const fs::path out = dir.path / "out";
  std::string log;
  REQUIRE(shell(egressc() + " build " + example + " -o " + out.string(), &log) == 0);
  std::map<std::string, std::string> before;
  for (const auto& e : fs::directory_iterator(out)) before[e.path().filename().string()] = slurp(e.path()).value();
  // Each output in turn becomes a non-empty folder, so that its rename fails after the others succeeded.
  for (const char* name : {"main.json", "main.sh", "main.yaml"}) {
    DYNAMIC_SECTION(name) {
      // A different program, so that a replaced file would show.
      std::string changed = slurp(example).value();
      changed.replace(changed.find("aks-egress\""), 10, "aks-newer1");
      spit(dir.path / "new" / "main.egress", changed);
      fs::remove(out / name);
      fs::create_directories(out / name / "keep");
      const int rc = shell(egressc() + " build " + (dir.path / "new" / "main.egress").string() + " -o " + out.string(),
                           &log);
      INFO(log);
      CHECK(rc == 1);
      CHECK(log.find("E0301") != std::string::npos);
      for (const auto& [file, content] : before) {
        if (file == name) continue;
        CHECK(slurp(out / file) == std::optional<std::string>(content));
      }
      std::size_t entries = 0;
      for ([[maybe_unused]] const auto& e : fs::directory_iterator(out)) ++entries;
      CHECK(entries == before.size());  // no temporary file or backup left behind
      fs::remove_all(out / name);
      spit(out / name, before[name]);
    }
  }
}

TEST_CASE("an output folder that cannot be created: E0301, exit 1", "[robustness][driver]") {
  TempDir dir;
  const std::string example = source_dir() + "/examples/aks-egress/main.egress";
  spit(dir.path / "file", "x");
  std::string log;
  CHECK(shell(egressc() + " build " + example + " -o " + (dir.path / "file" / "sub").string(), &log) == 1);
  CHECK(log.find("E0301") != std::string::npos);
  CHECK(shell(egressc() + " build " + example + " -o " + (dir.path / "a" / "b" / "c").string(), &log) == 1);
  CHECK(log.find("E0301") != std::string::npos);
}

TEST_CASE("the output folder is fsynced after the last rename", "[robustness][driver]") {
  // Without it the renames may not survive a power cut right after egressc exits.
  if (shell("command -v strace") != 0) {
    WARN("skipped: strace is not installed (scripts/setup.sh --tests installs it)");
    return;
  }
  TempDir dir;
  const auto out = dir.path / "out";
  const auto trace = dir.path / "strace.log";
  const std::string example = source_dir() + "/examples/aks-egress/main.egress";
  std::string printed;
  // LeakSanitizer (in the sanitizer build) stops the world with ptrace at exit, which a traced process cannot.
  const int status = shell("ASAN_OPTIONS=detect_leaks=0 strace -qq -f -e trace=openat,fsync,rename -o " +
                               trace.string() + " " + egressc() +
                               " build " + example + " -o " + out.string(),
                           &printed);
  if (status != 0 && printed.find("ptrace") != std::string::npos) {
    WARN("skipped: strace cannot trace here: " << printed.substr(0, 200));
    return;
  }
  REQUIRE(status == 0);
  std::vector<std::string> calls;
  {
    std::istringstream in(slurp(trace).value_or(""));
    for (std::string line; std::getline(in, line);) calls.push_back(line);
  }
  std::size_t renames = 0, last_rename = 0;
  for (std::size_t i = 0; i < calls.size(); ++i)
    if (calls[i].find("rename(") != std::string::npos && calls[i].find(out.string()) != std::string::npos) {
      ++renames;
      last_rename = i;
    }
  CHECK(renames == 4);
  // After the last rename: the folder is opened (`openat(..., "OUT", ...O_DIRECTORY) = N`) and fsync(N).
  bool synced = false;
  std::string fd;
  for (std::size_t i = last_rename + 1; i < calls.size() && !synced; ++i) {
    const auto& c = calls[i];
    if (c.find("openat(") != std::string::npos && c.find("\"" + out.string() + "\"") != std::string::npos &&
        c.find("O_DIRECTORY") != std::string::npos)
      fd = c.substr(c.rfind("= ") + 2);
    else if (!fd.empty() && c.find("fsync(" + fd + ")") != std::string::npos)
      synced = true;
  }
  INFO(slurp(trace).value_or("").substr(0, 4000));
  CHECK(synced);
}

// ---------------------------------------------------------------------------------------------- --strict

TEST_CASE("strict mode: a program with a warning exits 0, and 1 with --strict, writing nothing", "[robustness][driver]") {
  TempDir dir;
  std::string text = slurp(source_dir() + "/examples/aks-egress/main.egress").value();
  // W0204: a rule that allows everything.
  text += "\nfirewall fw <\n  network anyany priority 400 <\n    allow everything any * -> * : *\n  >\n>\n";
  const auto file = dir.path / "warn.egress";
  spit(file, text);
  std::string log;
  CHECK(shell(egressc() + " check " + file.string(), &log) == 0);
  CHECK(log.find("warning[W0204]") != std::string::npos);
  CHECK(shell(egressc() + " check --strict " + file.string(), &log) == 1);
  CHECK(log.find("error[W0204]") != std::string::npos);
  const auto out = dir.path / "out";
  CHECK(shell(egressc() + " build --strict " + file.string() + " -o " + out.string(), &log) == 1);
  CHECK_FALSE(fs::exists(out / "warn.json"));
  CHECK(shell(egressc() + " build " + file.string() + " -o " + out.string(), &log) == 0);
  CHECK(fs::exists(out / "warn.json"));
  // Through the API as well.
  SourceManager sources;
  Options o;
  o.strict = true;
  const auto r = compile(sources, sources.add("warn.egress", text), o);
  CHECK_FALSE(r.ok());
  CHECK(r.outputs.empty());
}
