// `autoscale MIN MAX` with int parameters (issue 12's gaps, part 4): like `nodes PARAM`, the outputs keep the
// parameters (ARM `[parameters('x')]`, Bicep `x`, the script's "$X"), and the checks use the values of the env
// being built (E0414's empty range, E0434's 0-1,000 per pool).
#include <catch2/catch.hpp>

#include "support/compilation.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::unique_ptr<Compilation> build(const std::string& text, const std::string& env = "") {
  Options o;
  o.env = env;
  return compile_program("tests/unit/pool_params.egress", text, o);
}

// A cluster with a system pool and a user pool whose autoscaler range is `AUTOSCALE`; PARAMS and ENVS declare.
std::string program(const std::string& autoscale, const std::string& params, const std::string& envs = "") {
  return "param location: region = eastus\n" + params + envs + R"(
group rg "pp-rg" in location
vnet vnet "pp-vnet" 10.42.0.0/16 < subnet aks "aks-subnet" 10.42.0.0/22 >
cluster aks "pp-aks" in vnet.aks <
  network_plugin azure
  ssh generate
  pool sys < mode system; nodes 2 >
  pool apps < mode user; autoscale )" + autoscale + R"( >
>
)";
}

const std::string kParams = "param apps_min: int = 1\nparam apps_max: int = 5\n";

}  // namespace

TEST_CASE("pool params: autoscale takes int parameters, kept as parameters in every output", "[pools][environments]") {
  const auto out = build(program("apps_min apps_max", kParams));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  const auto arm = out->content("main.json");
  CHECK(arm.find(R"("minCount": "[parameters('apps_min')]")") != std::string::npos);
  CHECK(arm.find(R"("maxCount": "[parameters('apps_max')]")") != std::string::npos);
  // The pool's initial count is the minimum's, the same parameter.
  CHECK(arm.find(R"("count": "[parameters('apps_min')]")") != std::string::npos);
  const auto bicep = out->content("main.bicep");
  CHECK(bicep.find("minCount: apps_min") != std::string::npos);
  CHECK(bicep.find("maxCount: apps_max") != std::string::npos);
  const auto sh = out->content("main.sh");
  CHECK(sh.find(R"(--min-count "$APPS_MIN" --max-count "$APPS_MAX")") != std::string::npos);
  // A literal range is written as it always was: bare numbers.
  const auto literal = build(program("1 5", kParams));
  REQUIRE(literal->result.ok());
  CHECK(literal->content("main.sh").find("--min-count 1 --max-count 5") != std::string::npos);
  CHECK(literal->content("main.json").find(R"("minCount": 1)") != std::string::npos);
}

TEST_CASE("pool params: the autoscaler's range is checked with the env's values", "[pools][environments]") {
  const std::string envs = "env dev < apps_max 3 >\nenv prod < apps_min 8; apps_max 6 >\n";
  const auto text = program("apps_min apps_max", kParams, envs);
  // The defaults (1-5) and dev (1-3) are fine; prod's minimum is above its maximum (E0414).
  CHECK(build(text)->result.ok());
  CHECK(build(text, "dev")->result.ok());
  const auto prod = build(text, "prod");
  INFO(prod->rendered);
  CHECK(prod->has("E0414", "autoscales from 8 to 6 nodes"));
  CHECK(prod->rendered.find("with the values of env `prod`") != std::string::npos);
  // A value past AKS's 1,000 nodes per pool, in one env only (E0434).
  const auto big = build(program("apps_min apps_max", kParams, "env prod < apps_max 1500 >\n"), "prod");
  CHECK(big->has("E0434", "`apps_max` is 1500 in env `prod`"));
}

TEST_CASE("pool params: autoscale takes only int parameters with a value", "[pools][environments]") {
  const auto text = build(program("apps_min size", kParams + "param size: string = \"5\"\n"));
  INFO(text->rendered);
  CHECK(text->has("E0434", "`size` is a string parameter"));
  const auto none = build(program("apps_min apps_none", kParams + "param apps_none: int\n"));
  CHECK(none->has("E0434", "`apps_none` has no value here"));
  // A minimum of 0 stays allowed for a user pool, whether written or a parameter's value.
  CHECK(build(program("zero apps_max", kParams + "param zero: int = 0\n"))->result.ok());
}

TEST_CASE("pool params: the subnet address check counts an env's autoscaler maximum", "[pools][environments]") {
  // examples/hub-spoke: prod's user pools autoscale to apps_max 7, (7 + 1) x 31 = 248 addresses of the apps
  // subnet's 251. At 8 they no longer fit (E0207), in prod only.
  auto text = slurp(source_dir() + "/examples/hub-spoke/main.egress").value_or("");
  const auto at = text.find("  apps_max 7\n");
  REQUIRE(at != std::string::npos);
  CHECK(build(text, "prod")->result.ok());
  text.replace(at, 13, "  apps_max 8\n");
  const auto prod = build(text, "prod");
  INFO(prod->rendered);
  CHECK(prod->has("E0207"));
  CHECK(prod->rendered.find("with the values of env `prod`") != std::string::npos);
  CHECK(build(text, "dev")->result.ok());
}

TEST_CASE("pools in several groups: each pool's commands name its cluster's and its subnet's group", "[pools][groups]") {
  // examples/hub-spoke: aks2 and its VNet live in group spoke2, not in the main group (spoke1, the first cluster's).
  const auto out = build(slurp(source_dir() + "/examples/hub-spoke/main.egress").value_or(""));
  INFO(out->rendered);
  REQUIRE(out->result.ok());
  const auto sh = out->content("main.sh");
  CHECK(sh.find(R"(az aks nodepool add --resource-group "$SPOKE2" --cluster-name "$AKS2_NAME")") != std::string::npos);
  CHECK(sh.find(R"(az aks nodepool add --resource-group "$SPOKE1" --cluster-name "$AKS2_NAME")") == std::string::npos);
  CHECK(sh.find(R"(az network vnet subnet show --resource-group "$SPOKE2" \
    --vnet-name "$SPOKE2NET_NAME" --name "$SPOKE2NET_APPS_SUBNET_NAME")") != std::string::npos);
}
