// api::check_keeping() (the language server's analysis) hands back the trees and the program check() built.
// check() stops lowering at the creation order (lower::check_creation_order) instead of building the IR it
// would throw away: it must still report exactly what compile() reports. Every program the repository holds
// is compared: the diagnostics' files (those that fire and the corrected ones), the examples and the designs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "api/analyse.hpp"
#include "test_support.hpp"

using namespace egress::testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> programs() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(source_dir()) / "tests/diagnostics"))
    if (e.path().extension() == ".egress") out.push_back("tests/diagnostics/" + e.path().filename().string());
  for (const char* dir : {"examples", "tests/designs"})
    for (const auto& e : fs::directory_iterator(fs::path(source_dir()) / dir))
      if (fs::exists(e.path() / "main.egress"))
        out.push_back(std::string(dir) + "/" + e.path().filename().string() + "/main.egress");
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("check() reports what compile() reports, for every program in the repository", "[driver]") {
  const auto files = programs();
  REQUIRE(files.size() > 300);
  std::size_t with_diagnostics = 0;
  for (const auto& path : files) {
    INFO(path);
    const auto checked = compile_file(path, /*emit=*/false);
    const auto built = compile_file(path, /*emit=*/true);
    CHECK(checked.rendered == built.rendered);
    CHECK(checked.result.outputs.empty());
    if (!built.rendered.empty()) ++with_diagnostics;
  }
  // The comparison is not vacuous: most of these programs report something.
  CHECK(with_diagnostics > files.size() / 2);
}

TEST_CASE("check() under --strict reports what compile() reports", "[driver]") {
  for (const std::string path : {"examples/aks-egress/main.egress", "examples/hub-spoke/main.egress"}) {
    INFO(path);
    const auto checked = compile_file(path, /*emit=*/false, /*strict=*/true);
    const auto built = compile_file(path, /*emit=*/true, /*strict=*/true);
    CHECK(checked.rendered == built.rendered);
    CHECK(checked.result.diagnostics.error_count() == built.result.diagnostics.error_count());
  }
}

TEST_CASE("check_keeping() hands back check()'s trees and program, and says when it did not elaborate", "[driver]") {
  const auto article = slurp(source_dir() + "/examples/aks-egress/main.egress").value();
  egress::SourceManager sources;
  const auto id = sources.add("main.egress", article);
  auto kept = egress::api::check_keeping(sources, id, egress::Options{});
  // One tree per file, in the order of their ids: the main file, then the prelude's modules.
  REQUIRE(kept.trees.size() == sources.size() - id);
  REQUIRE(kept.parse_errors.size() == kept.trees.size());
  CHECK_FALSE(kept.parse_errors.front());
  CHECK(kept.trees.front()->file == id);
  CHECK(kept.elaborated);
  CHECK(kept.program.firewalls.size() == 1);
  CHECK(kept.program.clusters.size() == 1);
  egress::SourceManager again;
  const auto same = egress::check(again, again.add("main.egress", article), egress::Options{});
  CHECK(kept.result.diagnostics.all().size() == same.diagnostics.all().size());
  CHECK(kept.result.diagnostics.warning_count() == same.diagnostics.warning_count());

  // A syntax error stops check() before elaboration: the trees are still handed back, the program is not.
  egress::SourceManager broken;
  const auto bad = broken.add("main.egress", "group rg \"x\" in eastus\nvnet v 10.0.0.0/16 <\n");
  auto stopped = egress::api::check_keeping(broken, bad, egress::Options{});
  REQUIRE(stopped.trees.size() == broken.size() - bad);
  CHECK(stopped.parse_errors.front());
  CHECK_FALSE(stopped.elaborated);
  CHECK(stopped.result.diagnostics.has_errors());
}
