// Every example's golden outputs (examples/*/expected, equal to what egressc makes: golden_test.cpp) pass the
// shared validators: ARM --strict, Bicep (both grammars), the az argument checker (0 rejected), the Kubernetes
// checker, and shellcheck. So do the golden cases' (tests/golden/*/expected), and the templates the az scripts
// deploy large rule sets from (main.az.*.json). New ones are picked up by their folder.
//
// ctest runs this once per folder (tests/CMakeLists.txt, "validators: examples/NAME", with EGRESS_EXAMPLE set to
// the folder)
// so that the examples' checks, mostly the az CLI's start-up, run in parallel and each has its own timeout;
// the test case itself is hidden from catch_discover_tests.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/arm_strict.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress::testing;
using namespace egress::testing::harness;

namespace {

/// The examples and golden cases with outputs, as paths relative to the source tree ("examples/NAME",
/// "tests/golden/NAME").
std::vector<std::string> examples() {
  std::vector<std::string> out;
  for (const std::string parent : {"examples", "tests/golden"})
    for (const auto& e : fs::directory_iterator(fs::path(source_dir()) / parent))
      if (fs::exists(e.path() / "expected" / "main.json")) out.push_back(parent + "/" + e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

/// True when the ARM checker's report has no errors, nothing unchecked, and no warning but the one the checker
/// itself says ARM accepts: a resource without `properties` (a user-assigned identity has none to give). A
/// subscription-scope template (several resource groups) may also have the warning that the checker has no
/// subscription-level schema and checks the template's frame against the resource-group one; its resources are
/// in nested templates, which the test checks one by one (nested_templates()).
bool arm_clean(const std::string& out, bool subscription = false) {
  if (out.find(" 0 unchecked; 0 error(s), ") == std::string::npos) return false;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("warning ", 0) != 0) continue;
    if (line.find("must have required property 'properties' (ARM accepts this)") != std::string::npos) continue;
    if (subscription && line.find("subscriptionDeploymentTemplate.json#' is not a known deployment template schema") != std::string::npos)
      continue;
    return false;
  }
  return true;
}

/// The inline templates of a subscription-scope template's nested deployments, each written to `dir` as
/// <deployment name>.json; empty for a resource-group template.
std::vector<fs::path> nested_templates(const fs::path& main, const fs::path& dir) {
  std::vector<fs::path> out;
  const auto t = nlohmann::json::parse(slurp(main).value());
  for (const auto& res : t["resources"]) {
    if (res.value("type", "") != "Microsoft.Resources/deployments") continue;
    out.push_back(dir / (res.value("name", "nested") + ".json"));
    spit(out.back(), res["properties"]["template"].dump(2));
  }
  return out;
}

/// An env's parameter files (`egressc build --env NAME`), which no validator judges as such: arm_check knows only
/// deploymentTemplate schemas, and both tree-sitter grammars parse .bicep, not .bicepparam (`param x = v` is a
/// syntax error to them). So: the az CLI reads the ARM file as `--parameters @FILE` of a deployment of the
/// template beside it (it rejects a file it cannot parse), and the .bicepparam, its `param` lines turned into
/// `var` lines, goes through both grammars: every value must be a well-quoted Bicep expression. Their shape
/// against the template is environments_test.cpp's.
void validate_parameter_files(const fs::path& validators, const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto file = e.path().filename().string();
    const std::string suffix = ".parameters.json";
    if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0) {
      TempDir tmp;
      fs::copy_file(dir / "main.json", tmp.path / "main.json");
      fs::copy_file(e.path(), tmp.path / file);
      spit(tmp.path / "deploy.sh", "#!/usr/bin/env bash\nset -euo pipefail\naz deployment group validate --resource-group rg "
                                   "--template-file main.json --parameters '@" + file + "'\n");
      auto az = run_command("AZ_CHECK_STRICT=1 " + quoted(validators / "az_check.sh") + " " + quoted(tmp.path / "deploy.sh"));
      INFO(az.out);
      CHECK(az.status == 0);
      CHECK(az.out.find("1 accepted, 0 rejected") != std::string::npos);
    }
    if (e.path().extension() == ".bicepparam") {
      TempDir tmp;
      const auto text = slurp(e.path()).value_or("");
      spit(tmp.path / "params.bicep", std::regex_replace(text, std::regex("(^|\n)param "), "$1var "));
      auto bicep = run_command(quoted(validators / "bicep_check.sh") + " " + quoted(tmp.path / "params.bicep"));
      INFO(bicep.out);
      CHECK(bicep.status == 0);
      CHECK(bicep.out.find("BICEP: syntax OK") != std::string::npos);
    }
  }
}

/// Every validator on the outputs in `dir`; for an env's folder, its parameter files too.
void validate(const fs::path& validators, const std::string& name, const fs::path& dir) {
  INFO("folder " << dir.string());
    auto arm = run_command(quoted(validators / "arm_check.sh") + " " + quoted(dir / "main.json"));
    INFO(arm.out);
    CHECK(arm.status == 0);
    // --strict, on a copy without the union-level names of rule collections (support/arm_strict.hpp says why).
    TempDir tmp;
    write_strict_copy(dir / "main.json", tmp.path / "strict.json");
    auto strict = run_command(quoted(validators / "arm_check.sh") + " " + quoted(tmp.path / "strict.json") + " --strict");
    INFO(strict.out);
    CHECK(strict.status == 0);
    // Several resource groups: the frame and the resourceGroups/deployments resources above, and each nested
    // deployment's template on its own (from the strict copy), strictly, as a resource-group template.
    const auto nested = nested_templates(tmp.path / "strict.json", tmp.path);
    CHECK(arm_clean(strict.out, !nested.empty()));
    CHECK(arm_clean(arm.out, !nested.empty()));
    for (const auto& t : nested) {
      auto inner = run_command(quoted(validators / "arm_check.sh") + " " + quoted(t) + " --strict");
      INFO(t.filename().string() << ":\n" << inner.out);
      CHECK(inner.status == 0);
      CHECK(arm_clean(inner.out));
    }
    // The templates the az script deploys large rule sets from (main.az.<symbol>.json, emit/azcli/plan_bulk.cpp):
    // resource-group templates of one resource each, as strictly as the main template.
    for (const auto& f : fs::directory_iterator(dir)) {
      const auto file = f.path().filename().string();
      if (file.rfind("main.az.", 0) != 0 || f.path().extension() != ".json") continue;
      auto plain = run_command(quoted(validators / "arm_check.sh") + " " + quoted(f.path()));
      INFO(file << ":\n" << plain.out);
      CHECK(plain.status == 0);
      CHECK(arm_clean(plain.out));
      write_strict_copy(f.path(), tmp.path / ("strict." + file));
      auto body = run_command(quoted(validators / "arm_check.sh") + " " + quoted(tmp.path / ("strict." + file)) + " --strict");
      INFO(file << " --strict:\n" << body.out);
      CHECK(body.status == 0);
      CHECK(arm_clean(body.out));
      CHECK(body.out.find("ARM: 1 resource(s), 1 checked") != std::string::npos);
    }
    // Every Bicep file: the main file and, with several groups, each module.
    for (const auto& f : fs::directory_iterator(dir)) {
      if (f.path().extension() != ".bicep") continue;
      auto bicep = run_command(quoted(validators / "bicep_check.sh") + " " + quoted(f.path()));
      INFO(f.path().filename().string() << ": " << bicep.out);
      CHECK(bicep.status == 0);
      CHECK(bicep.out.find("BICEP: syntax OK") != std::string::npos);
    }
    // Every manifest: main.yaml, or main.<cluster>.yaml per cluster when the program has several.
    std::vector<fs::path> manifests;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".yaml") manifests.push_back(e.path());
    std::sort(manifests.begin(), manifests.end());
    CHECK(!manifests.empty());
    for (const auto& m : manifests) {
      auto k8s = run_command(quoted(validators / "k8s_check.sh") + " " + quoted(m));
      INFO(m.string() << "\n" << k8s.out);
      CHECK(k8s.status == 0);
      CHECK(k8s.out.find(" 0 invalid") != std::string::npos);
    }
    auto sc = run_command("shellcheck -s bash " + quoted(dir / "main.sh"));
    INFO(sc.out);
    CHECK(sc.status == 0);
    // The article's script goes through the az checker in emit_azcli_test.cpp ("azcli: shellcheck and the az
    // argument checker accept the article's script"), freshly emitted; the az CLI is this test's slow part.
    if (name != "examples/aks-egress") {
      // az_check runs the script under a recorder: it needs the YAML beside it, as the golden folder has.
      auto az = run_command("AZ_CHECK_STRICT=1 " + quoted(validators / "az_check.sh") + " " + quoted(dir / "main.sh"));
      INFO(az.out);
      CHECK(az.status == 0);
      CHECK(az.out.find(" 0 rejected") != std::string::npos);
      CHECK(az.out.find("REJECTED  az") == std::string::npos);
      CHECK(az.out.find("unchecked az") == std::string::npos);
    }
  validate_parameter_files(validators, dir);
}

}  // namespace

TEST_CASE("every example's outputs pass the validators", "[.][validators][examples]") {
  const fs::path validators = fs::path(source_dir()) / "build/validators";
  if (!fs::exists(validators / "arm_check.sh")) {
    WARN("build/validators is not set up: run shared/validators/setup.sh build/validators");
    return;
  }
  auto list = examples();
  REQUIRE(list.size() >= 2);
  if (const char* only = std::getenv("EGRESS_EXAMPLE"); only != nullptr) {
    INFO("EGRESS_EXAMPLE=" << only);
    REQUIRE(std::find(list.begin(), list.end(), only) != list.end());
    list = {only};
  }
  for (const auto& name : list) {
    DYNAMIC_SECTION(name) {
      // The defaults' outputs, then each env's (expected/<env>/, golden_test.cpp), which add parameter files.
      std::vector<fs::path> dirs{fs::path(source_dir()) / name / "expected"};
      for (const auto& e : fs::directory_iterator(dirs.front()))
        if (e.is_directory() && fs::exists(e.path() / "main.json")) dirs.push_back(e.path());
      std::sort(dirs.begin() + 1, dirs.end());
      // ctest runs the defaults (EGRESS_EXAMPLE_ENV=.) and each env (=NAME) as tests of their own.
      if (const char* env = std::getenv("EGRESS_EXAMPLE_ENV"); env != nullptr && *env != '\0') {
        const fs::path only = std::string(env) == "." ? dirs.front() : dirs.front() / env;
        INFO("EGRESS_EXAMPLE_ENV=" << env);
        REQUIRE(std::find(dirs.begin(), dirs.end(), only) != dirs.end());
        dirs = {only};
      }
      for (const auto& dir : dirs) validate(validators, name, dir);
    }
  }
}

// The reason for the strict copy: the checker rejects the union-level `name` of a rule collection however
// right it is. When this fails, the validator reads unions, and support/arm_strict.hpp's copy can go.
TEST_CASE("arm_check --strict still rejects the union-level names of rule collections", "[validators][examples]") {
  const fs::path validators = fs::path(source_dir()) / "build/validators";
  const fs::path policy = fs::path(source_dir()) / "examples/firewall-policy/expected/main.json";
  if (!fs::exists(validators / "arm_check.sh")) {
    WARN("build/validators is not set up: run shared/validators/setup.sh build/validators");
    return;
  }
  auto strict = run_command(quoted(validators / "arm_check.sh") + " " + quoted(policy) + " --strict");
  INFO(strict.out);
  CHECK(strict.status != 0);
  CHECK(strict.out.find("unknown property 'name' (not in schema) [strict]") != std::string::npos);
  TempDir tmp;
  CHECK(write_strict_copy(policy, tmp.path / "strict.json") > 0);
  auto copy = run_command(quoted(validators / "arm_check.sh") + " " + quoted(tmp.path / "strict.json") + " --strict");
  INFO(copy.out);
  CHECK(copy.status == 0);
}
