// Determinism of the four outputs: the same input gives the same bytes, run after run (and in another
// SourceManager, after other compilations in the same process), with `\n` line ends, no BOM, a final newline.
// On the programs of support/programs.hpp.
#include <catch2/catch.hpp>

#include <string>

#include "support/programs.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

TEST_CASE("determinism: the same input gives the same bytes, whatever ran before", "[equivalence]") {
  for (const auto& p : programs()) {
    DYNAMIC_SECTION(p.label) {
      auto first = build(p);
      if (!first) continue;
      // Something else compiled in between, in the same process.
      (void)build(Program{"other", "examples/aks-egress/main.egress", example_text() + "\n// other\n"});
      auto second = build(p);
      REQUIRE(second);
      CHECK(first->arm == second->arm);
      CHECK(first->bicep == second->bicep);
      CHECK(first->az == second->az);
      CHECK(first->k8s == second->k8s);
      for (const auto* out : {&first->arm, &first->bicep, &first->az, &first->k8s}) {
        CHECK(out->find("\r\n") == std::string::npos);
        CHECK(out->rfind("\xEF\xBB\xBF", 0) == std::string::npos);
        CHECK((!out->empty() && out->back() == '\n'));
      }
    }
  }
}
