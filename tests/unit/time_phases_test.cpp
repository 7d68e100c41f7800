// egressc --time-phases: which phases it reports and where, never how long they took (a time is not a
// pass/fail condition; the figures are bench/'s business and docs/performance.md's).
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "test_support.hpp"

using namespace egress::testing;
using harness::run_command;
using harness::TempDir;

namespace {

/// The phase names egressc printed, one per line "  NAME   12.345 ms", in order.
std::vector<std::string> phase_names(const std::string& printed) {
  std::vector<std::string> names;
  std::istringstream in(printed);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  ", 0) != 0 || line.size() < 4 || line.compare(line.size() - 3, 3, " ms") != 0) continue;
    const auto end = line.find_last_not_of(' ', line.find_last_of(' ', line.size() - 4));
    names.push_back(line.substr(2, end - 1));
  }
  return names;
}

/// egressc's standard error alone (its standard output thrown away).
std::string stderr_of(const std::string& args) {
  return run_command("{ " + std::string(egress::testing::egress_binary()) + " " + args + " 2>&1 >/dev/null; }", false).out;
}

}  // namespace

TEST_CASE("egressc build --time-phases names every phase on stderr, in the order they ran", "[driver]") {
  TempDir out;
  const std::string article = source_dir() + "/examples/aks-egress/main.egress";
  const auto err = stderr_of("build " + article + " --time-phases -o " + out.path.string());
  CHECK(err.find("egressc: time per phase") != std::string::npos);
  // The article imports `aks` from the stdlib, so both kinds of parse appear.
  CHECK(phase_names(err) == std::vector<std::string>{"read", "parse", "parse stdlib", "elaborate", "model checks", "lower",
                                                     "emit arm", "emit bicep", "emit az", "emit k8s", "write", "other",
                                                     "total"});
  // stdout keeps its lines ("wrote ...") and nothing else.
  const auto printed = run_command(std::string(egress::testing::egress_binary()) + " build " + article + " --time-phases -o " + out.path.string(), false);
  CHECK(printed.status == 0);
  CHECK(printed.out.find("time per phase") == std::string::npos);
  CHECK(printed.out.find("wrote ") != std::string::npos);
}

TEST_CASE("egressc --time-phases: check has no emitters or write and build names only the targets asked for", "[driver]") {
  TempDir out;
  const std::string article = source_dir() + "/examples/aks-egress/main.egress";
  CHECK(phase_names(stderr_of("check " + article + " --time-phases")) ==
        std::vector<std::string>{"read", "parse", "parse stdlib", "elaborate", "model checks", "lower", "other", "total"});
  CHECK(phase_names(stderr_of("build " + article + " --time-phases -t k8s -t arm -o " + out.path.string())) ==
        std::vector<std::string>{"read", "parse", "parse stdlib", "elaborate", "model checks", "lower", "emit k8s",
                                 "emit arm", "write", "other", "total"});
  // Without the flag, nothing about phases.
  CHECK(stderr_of("check " + article).find("time per phase") == std::string::npos);
}

TEST_CASE("egressc --time-phases on a program with errors: the phases that ran, then the diagnostics' exit status", "[driver]") {
  TempDir dir;
  const auto bad = dir.path / "bad.egress";
  spit(bad, "group rg \"x\" in eastus\nvnet v 10.0.0.0/33\n");
  const auto r = run_command("{ " + std::string(egress::testing::egress_binary()) + " build " + bad.string() + " --time-phases -o " +
                             (dir.path / "out").string() + " 2>&1 >/dev/null; }", false);
  CHECK(r.status == 1);
  const auto names = phase_names(r.out);
  REQUIRE_FALSE(names.empty());
  CHECK(names.front() == "read");
  CHECK(std::find(names.begin(), names.end(), "write") == names.end());
  CHECK(names.back() == "total");
}
