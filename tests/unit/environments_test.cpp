// Environments (`env NAME < ... >`, `--env NAME`) and parameters beyond text: int counts, bool conditions,
// cidrs lists (issue 12, part 5). The golden case tests/golden/environments holds the outputs per env; these
// tests check what the goldens cannot say: the CLI's choices, the shape of the parameter files against the
// template they feed, and that values reach every target safely quoted.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

#include "emit/emit.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;
using harness::run_command;
using harness::TempDir;

namespace {

const std::string kCase = "tests/golden/environments/main.egress";

std::string egressc(const std::string& args) { return std::string(egress::testing::egress_binary()) + " " + args; }

const Output* output(const Result& r, const std::string& filename) {
  for (const auto& o : r.outputs)
    if (o.filename == filename) return &o;
  return nullptr;
}

// The case with one line changed (the program's text from the golden case, written beside its imports).
std::string edited_case(const std::string& from, const std::string& to) {
  auto text = slurp(source_dir() + "/" + kCase).value_or("");
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("environments: build --env writes the parameter files beside the outputs", "[environments][driver]") {
  TempDir out;
  const auto r = run_command(egressc("build " + source_dir() + "/" + kCase + " --env prod -o " + out.path.string()));
  INFO(r.out);
  REQUIRE(r.status == 0);
  for (const char* f : {"main.json", "main.bicep", "main.sh", "main.yaml", "main.prod.parameters.json", "main.prod.bicepparam"})
    CHECK(fs::exists(out.path / f));
  CHECK_FALSE(fs::exists(out.path / "main.dev.parameters.json"));
  // Only the targets asked for get their parameter file.
  TempDir arm_only;
  REQUIRE(run_command(egressc("build " + source_dir() + "/" + kCase + " --env=dev -t arm -o " + arm_only.path.string())).status == 0);
  CHECK(fs::exists(arm_only.path / "main.dev.parameters.json"));
  CHECK_FALSE(fs::exists(arm_only.path / "main.dev.bicepparam"));
}

TEST_CASE("environments: an unknown env is a usage error with a did-you-mean", "[environments][driver]") {
  const auto r = run_command(egressc("build " + source_dir() + "/" + kCase + " --env prdo -o /nonexistent-egress-dir"));
  CHECK(r.status == 2);
  CHECK(r.out.find("unknown env 'prdo'; did you mean 'prod'?") != std::string::npos);
  CHECK(r.out.find("dev, prod") != std::string::npos);
  const auto none = run_command(egressc("check " + source_dir() + "/examples/aks-egress/main.egress --env prod"));
  CHECK(none.status == 2);
  CHECK(none.out.find("declares no env") != std::string::npos);
  CHECK(run_command(egressc("check " + source_dir() + "/" + kCase + " --env")).status == 2);
}

TEST_CASE("environments: check without --env checks every env, and says which", "[environments][driver]") {
  TempDir dir;
  // prod's node count is past AKS's limit; dev's is fine: only prod's check fails.
  spit(dir.path / "main.egress", edited_case("  node_count 4\n", "  node_count 1500\n"));
  const auto r = run_command(egressc("check " + (dir.path / "main.egress").string()));
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK(r.out.find("error[E0434]") != std::string::npos);
  CHECK(r.out.find("with the values of env `prod`") != std::string::npos);
  CHECK(r.out.find("with the values of env `dev`") == std::string::npos);
  // One env at a time: dev alone is clean.
  CHECK(run_command(egressc("check " + (dir.path / "main.egress").string() + " --env dev")).status == 0);
  // The defaults alone are what build without --env checks.
  CHECK(run_command(egressc("check " + source_dir() + "/" + kCase)).status == 0);
}

TEST_CASE("environments: check() with every_env elaborates each env once and never the defaults", "[environments]") {
  // The program's text with prod past AKS's node limit, checked the two ways `egressc check` could: the defaults
  // and then every env (what it did before Options::every_env), and every env alone.
  const auto text = edited_case("  node_count 4\n", "  node_count 1500\n");
  const std::string base = source_dir() + "/tests/golden/environments/";
  const auto run = [&](bool every_env, PhaseTimes& times) {
    SourceManager sources;
    const auto id = sources.add("tests/golden/environments/main.egress", text);
    Options o;
    o.read_file = [base](const std::string& p) { return slurp(p.rfind('/', 0) == 0 ? p : base + p); };
    o.phase_times = &times;
    o.every_env = every_env;
    auto r = check(sources, id, o);
    if (!every_env) check_every_env(r, sources, id, o);
    std::string rendered;
    for (const auto& d : r.diagnostics.all()) rendered += render(d, sources);
    return std::pair{r.envs.size(), rendered};
  };
  const auto elaborations = [](const PhaseTimes& times) {
    for (const auto& p : times.phases())
      if (p.name == "elaborate") return p.runs;
    return 0;
  };
  PhaseTimes before, after;
  const auto [envs_before, old_way] = run(false, before);
  const auto [envs_after, new_way] = run(true, after);
  REQUIRE(envs_after == 2);
  CHECK(envs_before == envs_after);
  CHECK(new_way.find("E0434") != std::string::npos);
  CHECK(new_way == old_way);
  CHECK(elaborations(before) == 3);
  CHECK(elaborations(after) == 2);
}

TEST_CASE("environments: a diagnostic every env finds is shown once, naming each env", "[environments][driver]") {
  TempDir dir;
  // A warning whatever the env: a public IP nothing uses (W0101).
  spit(dir.path / "main.egress", edited_case("public_ip fwpip", "public_ip spare \"spare-ip\"\npublic_ip fwpip"));
  const auto r = run_command(egressc("check " + (dir.path / "main.egress").string()));
  INFO(r.out);
  CHECK(r.status == 0);
  std::size_t count = 0;
  for (auto at = r.out.find("warning[W0101]"); at != std::string::npos; at = r.out.find("warning[W0101]", at + 1)) ++count;
  CHECK(count == 1);
  CHECK(r.out.find("with the values of env `dev`") != std::string::npos);
  CHECK(r.out.find("with the values of env `prod`") != std::string::npos);
}

TEST_CASE("environments: the ARM parameters file fits the template it is for", "[environments]") {
  for (const std::string env : {"dev", "prod"}) {
    DYNAMIC_SECTION(env) {
      auto c = compile_file(kCase, true, false, env);
      INFO(c.rendered);
      REQUIRE(c.result.ok());
      const auto* params = output(c.result, "main." + env + ".parameters.json");
      const auto* arm = output(c.result, "main.json");
      REQUIRE(params != nullptr);
      REQUIRE(arm != nullptr);
      const auto p = nlohmann::json::parse(params->content);
      const auto t = nlohmann::json::parse(arm->content);
      // deploymentParameters.json (2019-04-01): exactly $schema, contentVersion (four numbers) and parameters.
      CHECK(p.size() == 3);
      CHECK(p["$schema"] == "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#");
      CHECK(std::regex_match(p["contentVersion"].get<std::string>(), std::regex(R"(^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$)")));
      REQUIRE(p["parameters"].is_object());
      CHECK(!p["parameters"].empty());
      for (const auto& [name, entry] : p["parameters"].items()) {
        INFO(name);
        // Each names a parameter of the template and holds only a value of its type.
        REQUIRE(t["parameters"].contains(name));
        REQUIRE(entry.size() == 1);
        REQUIRE(entry.contains("value"));
        const auto type = t["parameters"][name]["type"].get<std::string>();
        if (type == "int") CHECK(entry["value"].is_number_integer());
        else if (type == "bool") CHECK(entry["value"].is_boolean());
        else CHECK(entry["value"].is_string());
      }
      // Every template parameter without a default gets a value (here: none lacks one).
      for (const auto& [name, decl] : t["parameters"].items())
        if (!decl.contains("defaultValue")) CHECK(p["parameters"].contains(name));
      // The parameters that decide what is built are no template parameters.
      CHECK_FALSE(t["parameters"].contains("bastion"));
      CHECK_FALSE(t["parameters"].contains("admins"));
    }
  }
}

TEST_CASE("environments: the Bicep parameters file uses the Bicep file and its parameter names", "[environments]") {
  auto c = compile_file(kCase, true, false, "prod");
  REQUIRE(c.result.ok());
  const auto* bp = output(c.result, "main.prod.bicepparam");
  const auto* bicep = output(c.result, "main.bicep");
  REQUIRE(bp != nullptr);
  REQUIRE(bicep != nullptr);
  CHECK(bp->content.find("\nusing './main.bicep'\n") != std::string::npos);
  std::size_t params = 0;
  const std::regex line(R"(^param ([A-Za-z_][A-Za-z0-9_]*) = (.*)$)");
  std::istringstream in(bp->content);
  for (std::string l; std::getline(in, l);) {
    std::smatch m;
    if (!std::regex_match(l, m, line)) continue;
    ++params;
    INFO(l);
    CHECK(bicep->content.find("\nparam " + m[1].str() + " ") != std::string::npos);
  }
  CHECK(params == 3);  // location, prefix, node_count; bastion and admins are applied, not passed
  CHECK(bp->content.find("param node_count = 4\n") != std::string::npos);
  CHECK(bp->content.find("param location = 'westeurope'\n") != std::string::npos);
}

TEST_CASE("environments: the values each env is built with", "[environments]") {
  auto dev = compile_file(kCase, true, false, "dev");
  auto prod = compile_file(kCase, true, false, "prod");
  REQUIRE(dev.result.ok());
  REQUIRE(prod.result.ok());
  const auto dev_arm = nlohmann::json::parse(output(dev.result, "main.json")->content);
  const auto prod_arm = nlohmann::json::parse(output(prod.result, "main.json")->content);
  const auto resource = [](const nlohmann::json& t, const std::string& type) {
    for (const auto& r : t["resources"])
      if (r["type"] == type) return r;
    return nlohmann::json();
  };
  // The count stays a parameter; the env's value is in its parameter file and the script's default.
  CHECK(resource(dev_arm, "Microsoft.ContainerService/managedClusters")["properties"]["agentPoolProfiles"][0]["count"] ==
        "[parameters('node_count')]");
  CHECK(output(dev.result, "main.sh")->content.find("NODE_COUNT=\"${NODE_COUNT:-2}\"") != std::string::npos);
  CHECK(output(prod.result, "main.sh")->content.find("NODE_COUNT=\"${NODE_COUNT:-4}\"") != std::string::npos);
  CHECK(output(dev.result, "main.sh")->content.find("--node-count \"$NODE_COUNT\"") != std::string::npos);
  CHECK(output(dev.result, "main.bicep")->content.find("count: node_count") != std::string::npos);
  // The Bastion subnet exists in prod only.
  const auto subnets = [&](const nlohmann::json& t) {
    std::vector<std::string> names;
    const auto vnet = resource(t, "Microsoft.Network/virtualNetworks");  // kept: the loop reads into it
    for (const auto& s : vnet["properties"]["subnets"]) names.push_back(s["name"]);
    return names;
  };
  CHECK(subnets(dev_arm) == std::vector<std::string>{"aks-subnet", "AzureFirewallSubnet"});
  CHECK(subnets(prod_arm) == std::vector<std::string>{"aks-subnet", "AzureFirewallSubnet", "AzureBastionSubnet"});
  CHECK(output(prod.result, "main.sh")->content.find("AzureBastionSubnet") != std::string::npos);
  CHECK(output(dev.result, "main.sh")->content.find("AzureBastionSubnet") == std::string::npos);
  // The authorized ranges: each env's list, after the firewall's address.
  const auto ranges = [&](const nlohmann::json& t) {
    return resource(t, "Microsoft.ContainerService/managedClusters")["properties"]["apiServerAccessProfile"]["authorizedIPRanges"];
  };
  REQUIRE(ranges(dev_arm).size() == 3);
  CHECK(ranges(dev_arm)[1] == "131.107.0.0/16");
  CHECK(ranges(dev_arm)[2] == "40.112.0.0/24");
  REQUIRE(ranges(prod_arm).size() == 2);
  CHECK(ranges(prod_arm)[1] == "52.160.0.0/24");
}

TEST_CASE("environments: a value reaches every target quoted, whatever it holds", "[environments]") {
  ir::Deployment d;
  d.env = "prod";
  const std::string nasty = "a'b\"c\\d$(touch x)${e}`f`\nline";
  d.params.push_back({"note", ir::ParamType::string, "x", nasty});
  d.params.push_back({"count", ir::ParamType::integer, "3", "7"});
  d.params.push_back({"flag", ir::ParamType::boolean, std::nullopt, "true"});
  d.params.push_back({"kept", ir::ParamType::string, "default", std::nullopt});
  const emit::EmitOptions o{"main", "test"};
  const auto p = nlohmann::json::parse(emit::arm_parameters(d, o));
  CHECK(p["parameters"]["note"]["value"] == nasty);
  CHECK(p["parameters"]["count"]["value"] == 7);
  CHECK(p["parameters"]["flag"]["value"] == true);
  CHECK_FALSE(p["parameters"].contains("kept"));  // the env leaves it at the template's default
  const auto bp = emit::bicep_parameters(d, o);
  CHECK(bp.find("param note = 'a\\'b\"c\\\\d$(touch x)\\${e}`f`\\nline'\n") != std::string::npos);
  CHECK(bp.find("param count = 7\n") != std::string::npos);
  CHECK(bp.find("param flag = true\n") != std::string::npos);
  CHECK(bp.find("param kept") == std::string::npos);
  // The script's default is the env's value, and bash reads it back byte for byte.
  TempDir dir;
  spit(dir.path / "main.sh", emit::azcli(d, o));
  const auto r = run_command("cd '" + dir.path.string() + "' && bash -c 'source <(sed -n \"/^# Parameters/,/^$/p\" main.sh); printf %s \"$NOTE\"'", false);
  CHECK(r.out == nasty);
  CHECK_FALSE(fs::exists(dir.path / "x"));
}

TEST_CASE("environments: graph --env draws the network the env builds", "[environments][driver]") {
  const std::string file = source_dir() + "/" + kCase;
  // Only prod has the Bastion subnet (`when bastion`): the picture follows the env asked for.
  const auto prod = run_command(egressc("graph " + file + " --env prod"));
  INFO(prod.out);
  REQUIRE(prod.status == 0);
  CHECK(prod.out.find("AzureBastionSubnet") != std::string::npos);
  const auto dev = run_command(egressc("graph " + file + " --env=dev"));
  REQUIRE(dev.status == 0);
  CHECK(dev.out.find("AzureBastionSubnet") == std::string::npos);
  const auto defaults = run_command(egressc("graph " + file));
  REQUIRE(defaults.status == 0);
  CHECK(defaults.out.find("AzureBastionSubnet") == std::string::npos);
  // An env the program does not declare is a usage error, as for build and check.
  const auto typo = run_command(egressc("graph " + file + " --env prdo"));
  CHECK(typo.status == 2);
  CHECK(typo.out.find("unknown env 'prdo'; did you mean 'prod'?") != std::string::npos);
  CHECK(run_command(egressc("graph " + file + " --env")).status == 2);
}

TEST_CASE("environments: graph --env reports the env's errors, naming the env", "[environments][driver]") {
  TempDir dir;
  // prod's node count is past AKS's limit: the program does not elaborate with prod's values, only with dev's.
  spit(dir.path / "main.egress", edited_case("  node_count 4\n", "  node_count 1500\n"));
  const auto prod = run_command(egressc("graph " + (dir.path / "main.egress").string() + " --env prod"));
  INFO(prod.out);
  CHECK(prod.status == 1);
  CHECK(prod.out.find("error[E0434]") != std::string::npos);
  CHECK(prod.out.find("with the values of env `prod`") != std::string::npos);
  CHECK(run_command(egressc("graph " + (dir.path / "main.egress").string() + " --env dev")).status == 0);
}

TEST_CASE("environments: explain --env traces the flow in the env's network", "[environments][driver]") {
  const std::string file = source_dir() + "/" + kCase;
  const std::string flow = " --from vnet.AzureBastionSubnet --to mcr.microsoft.com:443/https";
  // The Bastion subnet exists only in prod: without --env (the defaults) it is not there to trace from (exit 2).
  const auto defaults = run_command(egressc("explain " + file + flow));
  CHECK(defaults.status == 2);
  const auto prod = run_command(egressc("explain " + file + flow + " --env prod"));
  INFO(prod.out);
  CHECK((prod.status == 0 || prod.status == 1));
  CHECK(prod.out.find("AzureBastionSubnet") != std::string::npos);
  const auto typo = run_command(egressc("explain " + file + flow + " --env=prdo"));
  CHECK(typo.status == 2);
  CHECK(typo.out.find("did you mean 'prod'?") != std::string::npos);
}
