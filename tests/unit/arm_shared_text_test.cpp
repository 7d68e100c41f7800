// A build of the ARM and az targets writes the rules' text once: the az script's templates of large rule sets
// (emit/azcli/plan_bulk.cpp) take their resource's text from the ARM template (emit::arm_text(), ArmText::members)
// instead of walking the resource again. They must be the bytes the walk gives: every program of the repository
// is built with every rule set deployed from a template (threshold 0), the az target alone (templates walked)
// against the ARM and az targets together (templates taken from the ARM text), and the outputs compared.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "emit/emit.hpp"
#include "lower/lower.hpp"
#include "support/analysed.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> programs() {
  std::vector<std::string> out;
  for (const char* dir : {"examples", "tests/designs", "tests/golden"})
    for (const auto& e : fs::directory_iterator(fs::path(source_dir()) / dir))
      if (fs::exists(e.path() / "main.egress"))
        out.push_back(std::string(dir) + "/" + e.path().filename().string() + "/main.egress");
  std::sort(out.begin(), out.end());
  return out;
}

Result build(const std::string& path, std::vector<Target> targets) {
  SourceManager sources;
  const auto id = sources.add(path, slurp(source_dir() + "/" + path).value_or(""));
  Options o;
  o.targets = std::move(targets);
  o.az_bulk_threshold = 0;  // every firewall and rule collection group with a rule: a template
  const std::string base = source_dir() + "/";
  o.read_file = [base](const std::string& p) { return slurp(p.rfind('/', 0) == 0 ? p : base + p); };
  return compile(sources, id, o);
}

std::vector<const Output*> of(const Result& r, Target t) {
  std::vector<const Output*> out;
  for (const auto& o : r.outputs)
    if (o.target == t) out.push_back(&o);
  return out;
}

}  // namespace

TEST_CASE("the az templates taken from the ARM text are the templates a walk writes, for every program", "[azcli][bulk]") {
  const auto files = programs();
  REQUIRE(files.size() > 20);
  std::size_t templates = 0;
  for (const auto& path : files) {
    INFO(path);
    const auto alone = build(path, {Target::az});
    const auto both = build(path, {Target::arm, Target::az});
    REQUIRE(alone.ok());
    REQUIRE(both.ok());
    const auto walked = of(alone, Target::az);
    const auto shared = of(both, Target::az);
    REQUIRE(walked.size() == shared.size());
    for (std::size_t i = 0; i < walked.size(); ++i) {
      CHECK(walked[i]->filename == shared[i]->filename);
      CHECK(walked[i]->content == shared[i]->content);
    }
    templates += walked.size() - 1;  // the script, and then its templates
    // The ARM template itself is what emit::arm() writes (its output is filled in after the az target's).
    const auto arm = of(both, Target::arm);
    REQUIRE(arm.size() == 1);
    CHECK(arm[0]->content == of(build(path, {Target::arm}), Target::arm)[0]->content);
  }
  // Not vacuous: the programs hold many rule sets, each a template here.
  CHECK(templates > 20);
}

TEST_CASE("arm_text() is arm() with each resource's members located in it", "[arm]") {
  auto a = analyse_text("examples/aks-egress/main.egress", slurp(source_dir() + "/examples/aks-egress/main.egress").value(),
                        Expect::anything);
  REQUIRE(a->analysis->usable);
  Diagnostics diags;
  const auto d = lower::lower(a->analysis->program, diags);
  const emit::EmitOptions o;
  const auto t = emit::arm_text(d, o);
  CHECK(t.text == emit::arm(d, o));
  REQUIRE(t.members.size() == d.resources.size());
  for (ir::Index i = 0; i < d.resources.size(); ++i) {
    const auto [begin, end] = t.members[i];
    INFO(d.resources[i].symbol);
    // Members start on the line after the resource's `{` with its type, and stop before its dependsOn.
    CHECK(t.text.substr(begin, 15) == "\n      \"type\": ");
    CHECK(t.text.substr(begin - 1, 1) == "{");
    CHECK(t.text.substr(begin, end - begin).find("\"dependsOn\"") == std::string::npos);
    CHECK(emit::arm_resource_template(d, o, i, &t) == emit::arm_resource_template(d, o, i));
  }
}
