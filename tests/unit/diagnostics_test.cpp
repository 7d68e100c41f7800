// One negative and one positive test for every diagnostic code, from files under tests/diagnostics/:
//   <ID>-<slug>.egress      must report <ID>; its rendered diagnostics must equal <ID>-<slug>.expected
//   <ID>-<slug>.ok.egress   the corrected program: must not report <ID>, and must have no errors
// and a coverage test that fails when a code of the registry has no such pair.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;

namespace {

// Codes that no .egress file can trigger, with the test that covers them instead.
const std::map<std::string, std::string> kCoveredElsewhere = {
    {"E0301", "driver_test.cpp: write failures (read-only folder, a folder that is a file)"},
    {"E0114", "order_test.cpp: a dependency cycle (the language gives no way to write one today)"},
    {"E0008", "limits_test.cpp: a program over the source cap (16 MiB: too big for a test file), and one at it"},
};

std::vector<fs::path> files_with(std::string_view suffix) {
  std::vector<fs::path> out;
  const fs::path dir = fs::path(source_dir()) / "tests/diagnostics";
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string code_of(const fs::path& p) { return p.filename().string().substr(0, 5); }

bool reports(const Compiled& c, const std::string& id) {
  for (const auto& d : c.result.diagnostics.all())
    if (info(d.code).id == id) return true;
  return false;
}

std::string relative_to_source(const fs::path& p) { return fs::relative(p, source_dir()).string(); }

}  // namespace

TEST_CASE("every negative diagnostics file reports its code, as the golden expectation says", "[diagnostics]") {
  for (const auto& path : files_with(".egress")) {
    const auto name = path.filename().string();
    if (name.find(".ok.egress") != std::string::npos) continue;
    DYNAMIC_SECTION(name) {
      auto c = compile_file(relative_to_source(path), false);
      INFO(c.rendered);
      CHECK(reports(c, code_of(path)));
      auto expected_path = path;
      expected_path.replace_extension(".expected");
      if (updating_golden()) {
        spit(expected_path, c.rendered);
      } else {
        const auto want = slurp(expected_path);
        INFO("expected file " << expected_path.string() << " (update with tests/update-golden.sh)");
        REQUIRE(want.has_value());
        CHECK(c.rendered == *want);
      }
    }
  }
}

TEST_CASE("every positive diagnostics file is clean of its code and of errors", "[diagnostics]") {
  for (const auto& path : files_with(".ok.egress")) {
    DYNAMIC_SECTION(path.filename().string()) {
      auto c = compile_file(relative_to_source(path), false);
      INFO(c.rendered);
      CHECK_FALSE(reports(c, code_of(path)));
      CHECK(c.result.ok());
    }
  }
}

TEST_CASE("every code in the registry has a negative and a positive test", "[diagnostics][coverage]") {
  std::set<std::string> negative, positive;
  for (const auto& p : files_with(".egress")) {
    const auto name = p.filename().string();
    (name.find(".ok.egress") != std::string::npos ? positive : negative).insert(code_of(p));
  }
  for (const auto& code : all_codes()) {
    const std::string id(code.id);
    if (kCoveredElsewhere.count(id)) continue;
    INFO("code " << id << " (" << code.slug << ") needs tests/diagnostics/" << id << "-" << code.slug
                 << ".egress and .ok.egress");
    CHECK(negative.count(id) == 1);
    CHECK(positive.count(id) == 1);
  }
}

TEST_CASE("every code in the registry is documented in docs/diagnostics.md", "[diagnostics][coverage]") {
  const auto doc = slurp(fs::path(source_dir()) / "docs/diagnostics.md");
  REQUIRE(doc.has_value());
  for (const auto& code : all_codes()) {
    INFO("docs/diagnostics.md needs a section for " << code.id);
    CHECK(doc->find("## " + std::string(code.id)) != std::string::npos);
  }
}
