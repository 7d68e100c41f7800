// Options::free_memory = false (what egressc uses: the working memory is left to the process's exit) changes
// nothing a user sees: the same outputs and diagnostics as freeing it, in the library and in egressc.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using harness::run_command;
using harness::TempDir;

namespace {

Result compile_text(const std::string& text, bool free_memory) {
  SourceManager sources;
  const auto id = sources.add("main.egress", text);
  Options o;
  o.free_memory = free_memory;
  return compile(sources, id, o);
}

}  // namespace

TEST_CASE("compile() keeping its memory until exit gives what freeing it gives", "[driver]") {
  const auto article = slurp(source_dir() + "/examples/aks-egress/main.egress").value();
  const auto freed = compile_text(article, true);
  const auto kept = compile_text(article, false);
  REQUIRE(freed.ok());
  REQUIRE(kept.outputs.size() == freed.outputs.size());
  for (std::size_t i = 0; i < freed.outputs.size(); ++i) {
    CHECK(kept.outputs[i].filename == freed.outputs[i].filename);
    CHECK(kept.outputs[i].content == freed.outputs[i].content);
  }
  CHECK(kept.diagnostics.all().size() == freed.diagnostics.all().size());
  // A program with an error: the pipeline stops early, and what was built so far is kept or freed alike.
  const std::string bad = "group rg \"x\" in eastus\nvnet v 10.0.0.0/33\n";
  CHECK(compile_text(bad, false).diagnostics.error_count() == compile_text(bad, true).diagnostics.error_count());
  CHECK(compile_text(bad, false).outputs.empty());
}

TEST_CASE("egressc (which keeps its memory until exit) writes the article's golden outputs byte for byte", "[driver]") {
  TempDir out;
  const std::string dir = source_dir() + "/examples/aks-egress";
  REQUIRE(run_command(std::string(egress::testing::egress_binary()) + " build " + dir + "/main.egress -o " + out.path.string()).status == 0);
  for (const char* f : {"main.json", "main.bicep", "main.sh", "main.yaml"}) {
    INFO(f);
    CHECK(slurp(out.path / f) == slurp(dir + "/expected/" + f));
  }
}
