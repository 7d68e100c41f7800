// Large rule sets in the az script (emit/azcli/plan_bulk.cpp): above the threshold, a classic firewall or a rule
// collection group is deployed whole from a template beside the script, with one `az deployment group create`;
// at or below it, the script adds rule by rule as before. The threshold's edge, what the script says, the
// template's shape, `egressc build --az-bulk-threshold`, and W(20,000) in a script of a few dozen commands. That
// each rule is created exactly once, by a command or a template, is az_order_test.cpp's; the templates' validity
// is the [validators] test's (tests/golden/az-bulk).
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "../../bench/workload.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;
using namespace egress::testing::harness;

namespace {

// A classic firewall of `classic` network rules, and a policy whose one group holds `grouped` rules, on a second
// firewall.
std::string program(std::size_t classic, std::size_t grouped) {
  std::string s = R"(param location: region = eastus
param prefix: string = "bk"
param count: int = 2
group rg "${prefix}-rg" in location
vnet vnet "${prefix}-vnet" 10.42.0.0/16 <
  subnet aks 10.42.1.0/24
  subnet AzureFirewallSubnet 10.42.2.0/24
>
vnet apps "${prefix}-apps" 10.43.0.0/16 <
  subnet web 10.43.1.0/24
  subnet AzureFirewallSubnet 10.43.2.0/24
>
public_ip fwpip "${prefix}-fwpip"
public_ip appspip "${prefix}-appspip"
firewall fw "${prefix}-fw" in vnet.AzureFirewallSubnet <
  frontend fwpip
  network many priority 100 <
)";
  for (std::size_t r = 0; r < classic; ++r)
    s += "    allow c" + std::to_string(r) + " tcp 10.42.1.0/24 -> 198.18.0." + std::to_string(r % 250) + " : " +
         std::to_string(1000 + r) + "\n";
  s += R"(  >
>
firewall_policy p "${prefix}-policy" <
  rule_group g priority 200 <
    network grouped priority 100 <
)";
  for (std::size_t r = 0; r < grouped; ++r)
    s += "      allow g" + std::to_string(r) + " udp 10.43.1.0/24 -> 198.19.0." + std::to_string(r % 250) + " : " +
         std::to_string(2000 + r) + "\n";
  return s + R"(    >
  >
>
firewall appsfw "${prefix}-appsfw" in apps.AzureFirewallSubnet <
  policy p
  frontend appspip
>
)";
}

struct AzBuild {
  std::string script;
  std::vector<std::pair<std::string, std::string>> templates;
};

AzBuild build_az(const std::string& text, std::size_t threshold) {
  SourceManager sources;
  const auto id = sources.add("bulk.egress", text);
  Options o;
  o.targets = {Target::az};
  o.stem = "bulk";
  o.az_bulk_threshold = threshold;
  const auto result = compile(sources, id, o);
  INFO(result.diagnostics.all().size() << " diagnostics");
  REQUIRE(result.ok());
  AzBuild b;
  for (const auto& out : result.outputs) {
    REQUIRE(out.target == Target::az);
    if (out.filename == "bulk.sh") b.script = out.content;
    else b.templates.emplace_back(out.filename, out.content);
  }
  REQUIRE_FALSE(b.script.empty());
  return b;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("az bulk: at the threshold rule by rule, above it one deployment of a template", "[azcli][bulk]") {
  SECTION("both rule sets at the threshold: no template, every rule a command") {
    const auto b = build_az(program(5, 5), 5);
    CHECK(b.templates.empty());
    CHECK(occurrences(b.script, "az network firewall network-rule create ") == 5);
    CHECK(occurrences(b.script, "collection add-filter-collection ") + occurrences(b.script, "collection rule add ") == 5);
    CHECK(occurrences(b.script, "az deployment group create") == 0);
    CHECK(b.script.find("SCRIPT_DIR=") == std::string::npos);  // no apps, no template: as before
  }
  SECTION("the classic firewall one rule over: it alone is deployed from a template") {
    const auto b = build_az(program(6, 5), 5);
    REQUIRE(b.templates.size() == 1);
    CHECK(b.templates[0].first == "bulk.az.fw.json");
    CHECK(occurrences(b.script, "az network firewall network-rule create ") == 0);
    CHECK(occurrences(b.script, "az network firewall create ") == 1);  // appsfw, with its policy
    CHECK(occurrences(b.script, "collection rule add ") == 4);
    CHECK(occurrences(b.script, "az deployment group create ") == 1);
  }
  SECTION("both over: two templates, one per resource, each the resource alone") {
    const auto b = build_az(program(6, 7), 5);
    // In the order the script deploys them: the policy's group, then the firewalls.
    REQUIRE(b.templates.size() == 2);
    CHECK(b.templates[0].first == "bulk.az.p_g.json");
    CHECK(b.templates[1].first == "bulk.az.fw.json");
    CHECK(occurrences(b.script, "az network firewall policy rule-collection-group ") == 0);
    CHECK(occurrences(b.script, "az deployment group create ") == 2);
    const auto fw = nlohmann::json::parse(b.templates[1].second);
    REQUIRE(fw["resources"].size() == 1);
    CHECK(fw["resources"][0]["type"] == "Microsoft.Network/azureFirewalls");
    CHECK_FALSE(fw["resources"][0].contains("dependsOn"));  // the script orders the steps
    CHECK(fw["resources"][0]["properties"]["networkRuleCollections"][0]["properties"]["rules"].size() == 6);
    // The firewall is deployed whole: its IP configuration with the subnet and the public IP by resource ID.
    CHECK(fw["resources"][0]["properties"]["ipConfigurations"].size() == 1);
    // Every parameter of the program, so that the script can pass each of its values.
    CHECK(fw["parameters"].size() == 3);
    CHECK(fw["parameters"]["count"]["type"] == "int");
    const auto g = nlohmann::json::parse(b.templates[0].second);
    REQUIRE(g["resources"].size() == 1);
    CHECK(g["resources"][0]["type"] == "Microsoft.Network/firewallPolicies/ruleCollectionGroups");
    CHECK(g["resources"][0]["name"] == "[format('{0}-policy/g', parameters('prefix'))]");
  }
}

TEST_CASE("az bulk: the script deploys each template from its own folder with the script's values", "[azcli][bulk]") {
  const auto b = build_az(program(6, 7), 5);
  // The folder of the script, however it is started, and the template by its path there.
  CHECK(b.script.find("SCRIPT_DIR=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"") != std::string::npos);
  CHECK(b.script.find("az deployment group create --resource-group \"$RG\" --name 'egress-fw' \\\n"
                      "    --template-file \"${SCRIPT_DIR}/bulk.az.fw.json\" \\\n"
                      "    --parameters \"location=${LOCATION}\" \"prefix=${PREFIX}\" \"count=${COUNT}\"\n") != std::string::npos);
  CHECK(b.script.find("progress \"Deploying firewall ${FW_NAME} with its 6 rules from bulk.az.fw.json (this takes a few minutes)\"") !=
        std::string::npos);
  // The group waits for its policy, and the policy's firewall for the group: the order of the steps.
  const auto policy = b.script.find("az network firewall policy create ");
  const auto group = b.script.find("--template-file \"${SCRIPT_DIR}/bulk.az.p_g.json\"");
  const auto appsfw = b.script.find("az network firewall create ");
  CHECK(policy < group);
  CHECK(group < appsfw);
  // The firewall deployed whole is created by its template only: the one `firewall create` is appsfw's.
  CHECK(occurrences(b.script, "az network firewall create ") == 1);
  CHECK(b.script.find("az network firewall create --resource-group \"$RG\" --name \"$APPSFW_NAME\"") != std::string::npos);
}

TEST_CASE("az bulk: the same bytes every time, and the templates only in the az target", "[azcli][bulk]") {
  const auto a = build_az(program(8, 9), 3);
  const auto b = build_az(program(8, 9), 3);
  CHECK(a.script == b.script);
  CHECK(a.templates == b.templates);
  SourceManager sources;
  const auto id = sources.add("bulk.egress", program(8, 9));
  Options o;
  o.stem = "bulk";
  o.az_bulk_threshold = 3;
  o.targets = {Target::arm, Target::k8s};
  const auto result = compile(sources, id, o);
  REQUIRE(result.ok());
  CHECK(result.outputs.size() == 2);
}

TEST_CASE("az bulk: egressc build --az-bulk-threshold", "[azcli][bulk][driver]") {
  TempDir dir;
  spit(dir.path / "bulk.egress", program(6, 2));
  const std::string egressc = std::string(egress::testing::egress_binary()) + " build " + (dir.path / "bulk.egress").string() + " -o " + dir.path.string();
  SECTION("the default, 50: no template for 6 rules") {
    const auto r = run_command(egressc + " --target az");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(fs::exists(dir.path / "bulk.sh"));
    CHECK_FALSE(fs::exists(dir.path / "bulk.az.fw.json"));
  }
  SECTION("5: the firewall's template is written beside the script, and listed") {
    const auto r = run_command(egressc + " --target az --az-bulk-threshold 5");
    INFO(r.out);
    CHECK(r.status == 0);
    CHECK(r.out.find("/bulk.az.fw.json\n") != std::string::npos);
    CHECK(fs::exists(dir.path / "bulk.az.fw.json"));
    CHECK_FALSE(fs::exists(dir.path / "bulk.json"));
    const auto eq = run_command(egressc + " --az-bulk-threshold=5");  // every target: the template too
    CHECK(eq.status == 0);
    CHECK(eq.out.find("/bulk.az.fw.json\n") != std::string::npos);
    CHECK(fs::exists(dir.path / "bulk.json"));
  }
  SECTION("a number of rules, or a usage error") {
    for (const char* bad : {"", "-1", "many", "1e3", "1234567890"}) {
      INFO("--az-bulk-threshold '" << bad << "'");
      const auto r = run_command(egressc + " --az-bulk-threshold '" + bad + "'");
      CHECK(r.status == 2);
      CHECK(r.out.find("--az-bulk-threshold needs a number of rules") != std::string::npos);
    }
    CHECK(run_command(egressc + " --az-bulk-threshold").status == 2);
  }
}

TEST_CASE("az bulk: W(20,000) is one deployment, not 20,000 commands", "[azcli][bulk][perf]") {
  const auto b = build_az(bench::workload_egress(20000), kAzBulkThreshold);
  REQUIRE(b.templates.size() == 1);
  CHECK(b.templates[0].first == "bulk.az.fw.json");
  CHECK(occurrences(b.script, "az network firewall network-rule create ") == 0);
  CHECK(occurrences(b.script, "az deployment group create ") == 1);
  CHECK(b.script.size() < 16384);
  const auto t = nlohmann::json::parse(b.templates[0].second);
  std::size_t rules = 0;
  for (const auto& c : t["resources"][0]["properties"]["networkRuleCollections"]) rules += c["properties"]["rules"].size();
  CHECK(rules == 20000);
}
