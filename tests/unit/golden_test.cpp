// Golden tests: every example and every tests/golden/<case>/main.egress compiles to files that must match
// <case>/expected/ byte for byte, and, for each `env NAME` of the program, built with `--env NAME` to
// <case>/expected/NAME/ (the four outputs, the parameter files and the diagnostics). A case whose folder has a
// file `az-bulk-threshold` is built with that threshold (`--az-bulk-threshold N`), so that a short program shows
// the az script's templates for large rule sets. Regenerate with tests/update-golden.sh and review the diff.
#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;

namespace {

/// Compares `files` with `expected`/NAME (or writes them when updating).
void compare(const fs::path& expected, const std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& [name, content] : files) {
    if (updating_golden()) {
      fs::create_directories(expected);
      spit(expected / name, content);
      continue;
    }
    const auto want = slurp(expected / name);
    INFO("golden file " << (expected / name).string() << " (update with tests/update-golden.sh)");
    REQUIRE(want.has_value());
    CHECK(content == *want);
  }
}

/// The case's `--az-bulk-threshold`: the number in its file `az-bulk-threshold`, else the default.
std::size_t az_bulk_threshold(const std::string& c) {
  const auto text = slurp(source_dir() + "/" + c + "/az-bulk-threshold");
  return text ? std::stoul(*text) : kAzBulkThreshold;
}

std::vector<std::string> golden_cases() {
  std::vector<std::string> cases;
  for (const char* root : {"examples", "tests/golden"}) {
    const fs::path dir = fs::path(source_dir()) / root;
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir))
      if (fs::exists(entry.path() / "main.egress")) cases.push_back(std::string(root) + "/" + entry.path().filename().string());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

}  // namespace

TEST_CASE("golden outputs of every example and golden case", "[golden]") {
  const auto cases = golden_cases();
  REQUIRE(!cases.empty());
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c) {
      const auto threshold = az_bulk_threshold(c);
      auto compiled = compile_file(c + "/main.egress", true, false, {}, threshold);
      INFO(compiled.rendered);
      REQUIRE(compiled.result.ok());
      // ARM, Bicep, az and Kubernetes; several groups add Bicep modules, several clusters a manifest each.
      REQUIRE(compiled.result.outputs.size() >= 4);
      const fs::path expected = fs::path(source_dir()) / c / "expected";
      // Warnings are part of the expectation too.
      std::vector<std::pair<std::string, std::string>> files;
      for (const auto& out : compiled.result.outputs) files.emplace_back(out.filename, out.content);
      files.emplace_back("diagnostics.txt", compiled.rendered);
      compare(expected, files);
      for (const auto& env : compiled.result.envs) {
        auto built = compile_file(c + "/main.egress", true, false, env, threshold);
        INFO("env " << env << ": " << built.rendered);
        REQUIRE(built.result.ok());
        // The outputs of the defaults' build and the two parameter files.
        REQUIRE(built.result.outputs.size() == compiled.result.outputs.size() + 2);
        std::vector<std::pair<std::string, std::string>> env_files;
        for (const auto& out : built.result.outputs) env_files.emplace_back(out.filename, out.content);
        env_files.emplace_back("diagnostics.txt", built.rendered);
        compare(expected / env, env_files);
      }
    }
  }
}

TEST_CASE("outputs are deterministic: the same input gives the same bytes", "[golden]") {
  auto a = compile_file("examples/aks-egress/main.egress");
  auto b = compile_file("examples/aks-egress/main.egress");
  REQUIRE(a.result.ok());
  REQUIRE(a.result.outputs.size() == b.result.outputs.size());
  for (std::size_t i = 0; i < a.result.outputs.size(); ++i) CHECK(a.result.outputs[i].content == b.result.outputs[i].content);
}
