// The Azure, AKS and Kubernetes facts of issue 10: each test fails with the value egress used before
// (docs/azure-facts.md lists the facts and their sources).
#include <catch2/catch.hpp>

#include "egress/compiler.hpp"
#include "model/checks.hpp"
#include "sema/azure_facts.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

const std::string kBase =
    slurp(source_dir() + "/tests/diagnostics/common/checks-base.egress").value_or("") + "\n";

/// Compiles `text` (which may `import "common/..."` from tests/diagnostics) to every target.
Compiled compile_text(const std::string& text) {
  Compiled c;
  const auto id = c.sources.add("tests/diagnostics/facts.egress", text);
  Options o;
  const std::string base = source_dir() + "/";
  o.read_file = [base](const std::string& p) {
    return slurp(p.rfind('/', 0) == 0 ? p : base + "tests/diagnostics/" + p);
  };
  c.result = compile(c.sources, id, o);
  for (const auto& d : c.result.diagnostics.all()) c.rendered += render(d, c.sources);
  return c;
}

std::string output(const Compiled& c, Target t) {
  for (const auto& o : c.result.outputs)
    if (o.target == t) return o.content;
  return {};
}

bool has_code(const Compiled& c, std::string_view id) {
  for (const auto& d : c.result.diagnostics.all())
    if (info(d.code).id == id) return true;
  return false;
}

/// The base with its cluster reopened to add `settings`.
std::string with_cluster(const std::string& settings) { return kBase + "cluster aks < " + settings + " >\n"; }

}  // namespace

TEST_CASE("max_pods defaults to the network plugin's AKS default", "[facts]") {
  // "IP address planning for your AKS clusters", "Maximum pods per node": overlay 250, Azure CNI 30, kubenet 110.
  CHECK(facts::aks::default_max_pods(sema::NetworkPlugin::azure, true) == 250);
  CHECK(facts::aks::default_max_pods(sema::NetworkPlugin::azure, false) == 30);
  CHECK(facts::aks::default_max_pods(sema::NetworkPlugin::kubenet, false) == 110);
  // The value reaches the template: overlay was emitted as 30 before.
  auto overlay = compile_text(with_cluster("network_plugin azure overlay"));
  INFO(overlay.rendered);
  REQUIRE(overlay.result.ok());
  CHECK(output(overlay, Target::arm).find("\"maxPods\": 250") != std::string::npos);
  CHECK(output(overlay, Target::az).find("--max-pods 250") != std::string::npos);
  auto flat = compile_text(kBase);
  REQUIRE(flat.result.ok());
  CHECK(output(flat, Target::arm).find("\"maxPods\": 30") != std::string::npos);
  // A value given is kept.
  auto given = compile_text(with_cluster("network_plugin azure overlay; max_pods 110"));
  REQUIRE(given.result.ok());
  CHECK(output(given, Target::arm).find("\"maxPods\": 110") != std::string::npos);
}

TEST_CASE("without vm_size AKS chooses the VM size: no vmSize, no --node-vm-size", "[facts]") {
  auto none = compile_text(kBase);
  INFO(none.rendered);
  REQUIRE(none.result.ok());
  CHECK(output(none, Target::arm).find("vmSize") == std::string::npos);
  CHECK(output(none, Target::bicep).find("vmSize") == std::string::npos);
  CHECK(output(none, Target::az).find("--node-vm-size") == std::string::npos);
  CHECK(output(none, Target::arm).find("Standard_DS2_v2") == std::string::npos);
  auto given = compile_text(with_cluster("vm_size \"Standard_D4s_v5\""));
  REQUIRE(given.result.ok());
  CHECK(output(given, Target::arm).find("\"vmSize\": \"Standard_D4s_v5\"") != std::string::npos);
  CHECK(output(given, Target::az).find("--node-vm-size 'Standard_D4s_v5'") != std::string::npos);
}

TEST_CASE("kubernetes_version is emitted to ARM, Bicep and az, and must be MAJOR.MINOR[.PATCH]", "[facts]") {
  auto c = compile_text(with_cluster("kubernetes_version \"1.34\""));
  INFO(c.rendered);
  REQUIRE(c.result.ok());
  CHECK(output(c, Target::arm).find("\"kubernetesVersion\": \"1.34\"") != std::string::npos);
  CHECK(output(c, Target::bicep).find("kubernetesVersion: '1.34'") != std::string::npos);
  CHECK(output(c, Target::az).find("--kubernetes-version '1.34'") != std::string::npos);
  CHECK(has_code(compile_text(with_cluster("kubernetes_version \"v1.34\"")), "E0106"));
  CHECK_FALSE(has_code(compile_text(with_cluster("kubernetes_version \"1.34.2\"")), "E0106"));
  CHECK(facts::kubernetes::parse_version("1.34")->minor == 34);
  CHECK_FALSE(facts::kubernetes::parse_version("1"));
  CHECK_FALSE(facts::kubernetes::parse_version("1.34.2.1"));
  CHECK_FALSE(facts::kubernetes::parse_version("1..34"));
}

TEST_CASE("environment variable names are checked by the cluster's Kubernetes version", "[facts][names]") {
  using model::NameRule;
  // Before 1.34 (and when no version is declared): [-._a-zA-Z][-._a-zA-Z0-9]*.
  CHECK_FALSE(model::name_problem(NameRule::k8s_env_name, "app:mode").empty());
  CHECK_FALSE(model::name_problem(NameRule::k8s_env_name, "1ST").empty());
  CHECK(model::name_problem(NameRule::k8s_env_name, "my.var-1").empty());
  // From 1.34: printable ASCII but `=`.
  CHECK(model::name_problem(NameRule::k8s_env_name_relaxed, "app:mode").empty());
  CHECK(model::name_problem(NameRule::k8s_env_name_relaxed, "1ST var").empty());
  CHECK_FALSE(model::name_problem(NameRule::k8s_env_name_relaxed, "A=B").empty());
  CHECK_FALSE(model::name_problem(NameRule::k8s_env_name_relaxed, "tab\there").empty());
  CHECK(facts::kubernetes::relaxed_env_names({1, 34}));
  CHECK(facts::kubernetes::relaxed_env_names({2, 0}));
  CHECK_FALSE(facts::kubernetes::relaxed_env_names({1, 33}));
  const std::string app = R"(
app store on aks < deployment web image "mcr.microsoft.com/azuredocs/aks-helloworld:v1" <
  port 8080
  env "app:mode" = "production"
> >
)";
  CHECK(has_code(compile_text(with_cluster("kubernetes_version \"1.33\"") + app), "E0224"));
  CHECK(has_code(compile_text(kBase + app), "E0224"));
  auto relaxed = compile_text(with_cluster("kubernetes_version \"1.34\"") + app);
  INFO(relaxed.rendered);
  CHECK_FALSE(has_code(relaxed, "E0224"));
  CHECK(output(relaxed, Target::k8s).find("app:mode") != std::string::npos);
}

TEST_CASE("firewall names: at most 50 characters, the Azure Firewall FAQ's limit", "[facts][names]") {
  using model::NameRule;
  CHECK(model::name_problem(NameRule::firewall, std::string(50, 'f')).empty());
  CHECK_FALSE(model::name_problem(NameRule::firewall, std::string(51, 'f')).empty());
  // Other Microsoft.Network names keep the naming-rules page's 80.
  CHECK(model::name_problem(NameRule::network_child, std::string(80, 'f')).empty());
}

TEST_CASE("target FQDN wildcards: the forms the Azure Firewall FAQ supports", "[facts][fqdn]") {
  CHECK(model::fqdn_problem("*contoso.com", true).empty());
  CHECK(model::fqdn_problem("*.contoso.com", true).empty());
  CHECK(model::fqdn_problem("*-api.contoso.com", true).empty());
  CHECK(model::fqdn_problem("*", true).empty());
  CHECK_FALSE(model::fqdn_problem("www.contoso.*", true).empty());
  CHECK_FALSE(model::fqdn_problem("*.contoso.*", true).empty());
  CHECK_FALSE(model::fqdn_problem("www*.contoso.com", true).empty());
  CHECK_FALSE(model::fqdn_problem("**contoso.com", true).empty());
  CHECK_FALSE(model::fqdn_problem("*contoso-.com", true).empty());
  // Network rules take no wildcard at all.
  CHECK_FALSE(model::fqdn_problem("*contoso.com", false).empty());
}

TEST_CASE("nodes: at most 1,000 per node pool, 400 with kubenet", "[facts]") {
  CHECK(facts::aks::kMaxNodesPerPool == 1000);
  CHECK(has_code(compile_text(with_cluster("nodes 1001")), "E0106"));
  // 5,000 passed before.
  CHECK(has_code(compile_text(with_cluster("nodes 5000")), "E0106"));
  // kubenet: 400 (the base's cluster has a route table, so give it a user-assigned identity).
  CHECK(facts::aks::kMaxKubenetNodes == 400);
  const std::string kubenet = "identity cp \"cp\"\ncluster aks < network_plugin kubenet; identity user cp; pod_cidr 10.244.0.0/15; ";
  CHECK(has_code(compile_text(kBase + kubenet + "nodes 401 >\n"), "E0262"));
  CHECK_FALSE(has_code(compile_text(kBase + kubenet + "nodes 400 >\n"), "E0262"));
}

TEST_CASE("service tags: only those Azure Firewall takes, `.region` only where a regional form exists", "[facts][tags]") {
  const auto rule = [](const std::string& destination) {
    return compile_text(kBase + "firewall fw < network t priority 200 < allow a tcp 10.42.1.0/24 -> " + destination +
                        " : 443 > >\n");
  };
  for (const char* tag : {"AzureLoadBalancer", "AzurePlatformDNS", "AzurePlatformIMDS", "AzurePlatformLKM",
                          "GatewayManager", "Internet", "KustoAnalytics", "VirtualNetwork"}) {
    INFO(tag);
    CHECK(has_code(rule(tag), "E0231"));
  }
  for (const char* tag : {"AzureSentinel", "Marketplace", "AzureAttestation", "ChaosStudio", "AzureWebPubSub.eastus",
                          "AzureCloud.centralfrance", "AzureCloud.germanywc", "Storage.austriaeast"}) {
    auto c = rule(tag);
    INFO(tag << "\n" << c.rendered);
    CHECK(c.result.ok());
  }
  CHECK(has_code(rule("AzureActiveDirectory.eastus"), "E0261"));
  CHECK(has_code(rule("AzureResourceManager.${location}"), "E0261"));
  CHECK_FALSE(has_code(rule("AzureCloud.${location}"), "E0261"));
}

TEST_CASE("FQDN tags: HDInsight, and Microsoft 365 tags only with a Firewall Policy", "[facts][tags]") {
  const auto target = [](const std::string& tag) {
    return compile_text(kBase + "firewall fw < application t priority 200 < allow a https:443 10.42.1.0/24 -> tag " +
                        tag + " > >\n");
  };
  CHECK(target("HDInsight").result.ok());
  auto old = target("AzureHDInsight");
  CHECK(has_code(old, "E0232"));
  CHECK(old.rendered.find("did you mean `tag HDInsight`?") != std::string::npos);
  auto m365 = target("Office365.Exchange.Optimize");
  CHECK(has_code(m365, "E0260"));
  CHECK(m365.rendered.find("Use Azure Firewall to protect Microsoft 365") != std::string::npos);
}

TEST_CASE("regions of the current Azure regions list", "[facts]") {
  for (const char* region : {"austriaeast", "belgiumcentral", "chilecentral", "denmarkeast", "malaysiawest"}) {
    auto c = compile_text(kBase + "param other: region = " + region + "\n");
    INFO(region << "\n" << c.rendered);
    CHECK_FALSE(has_code(c, "E0117"));
  }
}

TEST_CASE("api-versions: the newest stable versions the validators know", "[facts]") {
  auto c = compile_text(kBase);
  REQUIRE(c.result.ok());
  const auto arm = output(c, Target::arm);
  CHECK(arm.find("\"apiVersion\": \"2025-07-01\"") != std::string::npos);
  CHECK(arm.find("\"apiVersion\": \"2026-05-01\"") != std::string::npos);
  CHECK(arm.find("2024-10-01") == std::string::npos);
  CHECK(arm.find("2025-10-01") == std::string::npos);
}
