// Public reference designs written in egress (tests/designs/, each file names its repository and commit):
// valid designs must compile with no error and no false warning. A false error on a real design is as serious as
// a missed one; each diagnostic a design gets is listed here, and tests/designs/README.md says why it is true.
// The designs' outputs go through the validators like the examples' (ARM --strict, Bicep, az, k8s, shellcheck).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/arm_strict.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;
using namespace egress::testing::harness;

namespace {

std::set<std::string> codes(const Compiled& c, Severity severity) {
  std::set<std::string> out;
  for (const auto& d : c.result.diagnostics.all())
    if (d.severity == severity) out.insert(std::string(info(d.code).id));
  return out;
}

/// What each design's main.egress gets: its warnings (no design has an error), each explained in
/// tests/designs/README.md, and the az commands the validators' az 2.45 rejects although current az takes them.
struct Expected {
  std::set<std::string> warnings;
  /// Arguments newer than az 2.45 that the design's script needs (docs/reference.md names each): every rejection
  /// of the az checker must be for one of them, and there must be exactly `az_rejected` rejections.
  std::vector<std::string> newer_az_arguments;
  int az_rejected = 0;
};

const std::map<std::string, Expected>& designs() {
  static const std::map<std::string, Expected> all = {
      // AzureLinux pools (az aks create and az aks nodepool add --os-sku AzureLinux) and API Server VNet
      // Integration (az aks create --enable-apiserver-vnet-integration --apiserver-subnet-id): one rejection for
      // az aks create (az 2.45 names only its first bad argument, the OS SKU), one for the user pool's nodepool add.
      {"aks-baseline", {{"W0230"}, {"AzureLinux", "--enable-apiserver-vnet-integration", "--apiserver-subnet-id"}, 2}},
      // W0206, W0213, W0215, W0230: its route sends 0.0.0.0/1 to the firewall, so names are checked there.
      {"aks-construction", {{"W0101", "W0206", "W0213", "W0215", "W0230"}, {}, 0}},
      // AzureLinux pools in both regions: az aks create and az aks nodepool add, once per cluster.
      {"aks-baseline-multi-region", {{"W0230"}, {"AzureLinux"}, 4}},
      {"aks-lza-private", {{"W0215", "W0230"}, {}, 0}},
      {"caf-aks-104-private", {{"W0230"}, {}, 0}},
      {"caf-aks-secure-baseline", {{"W0230"}, {}, 0}},
      {"jhipster-terraform-azure", {{"W0230"}, {}, 0}},
      {"private-aks-terraform", {{"W0206", "W0214"}, {}, 0}},
  };
  return all;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

/// The design's outputs written to `dir` under their own names (main.json, main.<unit>.bicep, ...).
void write_outputs(const Compiled& c, const fs::path& dir) {
  for (const auto& o : c.result.outputs) spit(dir / o.filename, o.content);
}

/// True when the ARM checker's report has no errors, nothing unchecked, and only the warnings the checker says
/// ARM accepts (a resource without `properties`; a subscription-scope frame checked with the resource-group schema).
bool arm_clean(const std::string& out) {
  if (out.find(" 0 unchecked; 0 error(s), ") == std::string::npos) return false;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("warning ", 0) != 0) continue;
    if (line.find("must have required property 'properties' (ARM accepts this)") != std::string::npos) continue;
    if (line.find("subscriptionDeploymentTemplate.json#' is not a known deployment template schema") != std::string::npos)
      continue;
    return false;
  }
  return true;
}

/// Each az command the checker rejected, with its reason (the "->" line after it).
std::vector<std::string> az_rejections(const std::string& out) {
  std::vector<std::string> reasons;
  std::istringstream lines(out);
  bool rejected = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" REJECTED ") != std::string::npos) {
      rejected = true;
      reasons.push_back(line);
      continue;
    }
    if (rejected && line.find("-> ") != std::string::npos) reasons.back() += "\n" + line;
    rejected = false;
  }
  return reasons;
}

void validate(const fs::path& validators, const Expected& want, const fs::path& dir) {
  // ARM: the template, its strict copy, and with several groups each nested deployment's template strictly.
  auto arm = run_command(quoted(validators / "arm_check.sh") + " " + quoted(dir / "main.json"));
  INFO(arm.out);
  CHECK(arm.status == 0);
  CHECK(arm_clean(arm.out));
  TempDir tmp;
  write_strict_copy(dir / "main.json", tmp.path / "strict.json");
  auto strict = run_command(quoted(validators / "arm_check.sh") + " " + quoted(tmp.path / "strict.json") + " --strict");
  INFO(strict.out);
  CHECK(strict.status == 0);
  CHECK(arm_clean(strict.out));
  const auto t = nlohmann::json::parse(slurp(tmp.path / "strict.json").value());
  for (const auto& res : t["resources"]) {
    if (res.value("type", "") != "Microsoft.Resources/deployments") continue;
    const auto nested = tmp.path / (res.value("name", "nested") + ".json");
    spit(nested, res["properties"]["template"].dump(2));
    auto inner = run_command(quoted(validators / "arm_check.sh") + " " + quoted(nested) + " --strict");
    INFO(nested.filename().string() << ":\n" << inner.out);
    CHECK(inner.status == 0);
    CHECK(arm_clean(inner.out));
  }
  // Every Bicep file (the main file and each module), both grammars; every manifest.
  int bicep_files = 0, manifests = 0;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().extension() == ".bicep") {
      ++bicep_files;
      auto bicep = run_command(quoted(validators / "bicep_check.sh") + " " + quoted(f.path()));
      INFO(f.path().filename().string() << ": " << bicep.out);
      CHECK(bicep.out.find("BICEP: syntax OK") != std::string::npos);
    }
    if (f.path().extension() == ".yaml") {
      ++manifests;
      auto k8s = run_command(quoted(validators / "k8s_check.sh") + " " + quoted(f.path()));
      INFO(f.path().filename().string() << ": " << k8s.out);
      CHECK(k8s.status == 0);
      CHECK(k8s.out.find(" 0 invalid") != std::string::npos);
    }
  }
  CHECK(bicep_files >= 1);
  CHECK(manifests >= 1);
  auto sc = run_command("shellcheck -s bash " + quoted(dir / "main.sh"));
  INFO(sc.out);
  CHECK(sc.status == 0);
  // az, strict (no abbreviations): nothing unchecked, and no rejection but the ones of arguments newer than az 2.45.
  auto az = run_command("AZ_CHECK_STRICT=1 " + quoted(validators / "az_check.sh") + " " + quoted(dir / "main.sh"));
  INFO(az.out);
  CHECK(az.out.find(" unchecked") == std::string::npos);
  CHECK(az.out.find(" " + std::to_string(want.az_rejected) + " rejected") != std::string::npos);
  const auto rejections = az_rejections(az.out);
  CHECK(static_cast<int>(rejections.size()) == want.az_rejected);
  for (const auto& r : rejections) {
    INFO(r);
    CHECK(std::any_of(want.newer_az_arguments.begin(), want.newer_az_arguments.end(),
                      [&r](const std::string& a) { return r.find(a) != std::string::npos; }));
  }
}

}  // namespace

TEST_CASE("every public design compiles with no error and only its documented warnings", "[designs]") {
  std::set<std::string> seen;
  for (const auto& entry : fs::directory_iterator(source_dir() + "/tests/designs")) {
    if (!entry.is_directory()) continue;
    const auto name = entry.path().filename().string();
    const auto path = "tests/designs/" + name + "/main.egress";
    if (!fs::exists(source_dir() + "/" + path)) continue;
    seen.insert(name);
    INFO(path);
    const auto c = compile_file(path);
    INFO(c.rendered);
    CHECK(codes(c, Severity::error).empty());
    const auto it = designs().find(name);
    REQUIRE(it != designs().end());
    CHECK(codes(c, Severity::warning) == it->second.warnings);
    // Every target writes its file; several groups add a Bicep module per deployment unit.
    std::set<Target> targets;
    for (const auto& o : c.result.outputs) targets.insert(o.target);
    CHECK(targets.size() == 4);
  }
  std::set<std::string> listed;
  for (const auto& [name, want] : designs()) listed.insert(name);
  CHECK(seen == listed);
}

TEST_CASE("aks-baseline's ingress load balancer in its own subnet is accepted", "[designs]") {
  // Its only error is the image that the older manifest pulls from Docker Hub, which the newer hub does not
  // open (the two files come from different commits of the design).
  const auto c = compile_file("tests/designs/aks-baseline/traefik-ilb.egress", false);
  INFO(c.rendered);
  CHECK(codes(c, Severity::error) == std::set<std::string>{"E0248"});
}

TEST_CASE("jhipster-terraform-azure's store images lack Docker Hub's token and layer hosts", "[designs]") {
  // The hub opens docker.io, registry-1.docker.io and production.cloudflare.docker.com (a network rule), not
  // auth.docker.io, which every pull asks first (stdlib/registries.egress: Docker's allowlist).
  const auto c = compile_file("tests/designs/jhipster-terraform-azure/apps.egress", false);
  INFO(c.rendered);
  CHECK(codes(c, Severity::error) == std::set<std::string>{"E0248"});
  bool names_auth = false;
  for (const auto& d : c.result.diagnostics.all())
    if (std::string(info(d.code).id) == "E0248" && d.message.find("auth.docker.io:443") != std::string::npos) names_auth = true;
  CHECK(names_auth);
  CHECK(codes(c, Severity::warning) == std::set<std::string>{"W0230"});
}

TEST_CASE("the designs' add-ons bring exactly the requirement rows their firewalls leave closed", "[designs]") {
  // addons.egress reopens each design's cluster with the add-ons the design turns on (README: which errors are true,
  // which come from what egress cannot model: private endpoints, service-tag contents).
  const std::map<std::string, std::multiset<std::string>> unreachable = {
      {"aks-baseline",
       {"*.monitoring.azure.com:443", "dc.services.visualstudio.com:443", "dc.services.visualstudio.com:443",
        "eastus2.handler.control.monitor.azure.com:443", "eastus2.ingest.monitor.azure.com:443", "vault.azure.net:443"}},
      {"aks-baseline-multi-region",
       {"*.monitoring.azure.com:443", "*.monitoring.azure.com:443", "centralus.handler.control.monitor.azure.com:443",
        "centralus.ingest.monitor.azure.com:443", "dc.services.visualstudio.com:443", "dc.services.visualstudio.com:443",
        "dc.services.visualstudio.com:443", "dc.services.visualstudio.com:443",
        "eastus2.handler.control.monitor.azure.com:443", "eastus2.ingest.monitor.azure.com:443", "vault.azure.net:443",
        "vault.azure.net:443"}},
      {"jhipster-terraform-azure", {"vault.azure.net:443"}},
      {"caf-aks-secure-baseline",
       {"data.policy.core.windows.net:443", "dc.services.visualstudio.com:443", "store.policy.core.windows.net:443"}},
      {"aks-lza-private",
       {"data.policy.core.windows.net:443", "dc.services.visualstudio.com:443", "dc.services.visualstudio.com:443",
        "eastus.handler.control.monitor.azure.com:443", "eastus.ingest.monitor.azure.com:443",
        "store.policy.core.windows.net:443", "vault.azure.net:443"}},
  };
  for (const auto& [name, hosts] : unreachable) {
    DYNAMIC_SECTION(name) {
      const auto c = compile_file("tests/designs/" + name + "/addons.egress", false);
      INFO(c.rendered);
      std::multiset<std::string> got;
      for (const auto& d : c.result.diagnostics.all()) {
        if (d.severity != Severity::error) continue;
        CHECK(std::string(info(d.code).id) == "E0246");
        const auto at = d.message.find("cannot reach HTTPS ");
        REQUIRE(at != std::string::npos);
        const auto host = d.message.substr(at + 19);
        got.insert(host.substr(0, host.find(':')) + ":443");
      }
      CHECK(got == hosts);
      CHECK(codes(c, Severity::warning) == designs().at(name).warnings);
    }
  }
}

TEST_CASE("aks-baseline-multi-region as published lacks exactly the tunnel rows of its two public clusters", "[designs]") {
  // main.egress adds UDP 1194 and TCP 9000 to AzureCloud.<region> (`tunnel_rules`, APPROX); the published hubs open
  // only TCP 443 there. Each cluster's rows take its own region (README: why egress keeps requiring them).
  const auto c = compile_file("tests/designs/aks-baseline-multi-region/published.egress", false, false, "published");
  INFO(c.rendered);
  std::multiset<std::string> got;
  for (const auto& d : c.result.diagnostics.all()) {
    if (d.severity != Severity::error) continue;
    CHECK(std::string(info(d.code).id) == "E0246");
    // "cluster `aks1` cannot reach TCP AzureCloud.eastus2:9000: firewall `fw1` has no rule ..."
    const auto end = d.message.find(": firewall ");
    REQUIRE(end != std::string::npos);
    got.insert(d.message.substr(0, end));
  }
  const std::multiset<std::string> want = {
      "cluster `aks1` cannot reach TCP AzureCloud.eastus2:9000", "cluster `aks1` cannot reach UDP AzureCloud.eastus2:1194",
      "cluster `aks2` cannot reach TCP AzureCloud.centralus:9000",
      "cluster `aks2` cannot reach UDP AzureCloud.centralus:1194"};
  CHECK(got == want);
  CHECK(codes(c, Severity::warning) == std::set<std::string>{"W0230"});
}

// The validators on each design's outputs, built in memory and written to a temporary folder: once per design, with
// its parameters' defaults (no env fan-out: no design declares envs). ctest runs it once per design
// (tests/CMakeLists.txt, "validators: tests/designs/NAME", EGRESS_DESIGN=NAME), so the az checker's runs go in
// parallel; hidden from catch_discover_tests like the examples' test.
TEST_CASE("every public design's outputs pass the validators", "[.][validators][designs]") {
  const fs::path validators = fs::path(source_dir()) / "build/validators";
  if (!fs::exists(validators / "arm_check.sh")) {
    WARN("build/validators is not set up: run shared/validators/setup.sh build/validators");
    return;
  }
  std::vector<std::string> names;
  for (const auto& [name, want] : designs()) names.push_back(name);
  if (const char* only = std::getenv("EGRESS_DESIGN"); only != nullptr) {
    INFO("EGRESS_DESIGN=" << only);
    REQUIRE(designs().count(only) == 1);
    names = {only};
  }
  for (const auto& name : names) {
    DYNAMIC_SECTION(name) {
      const auto c = compile_file("tests/designs/" + name + "/main.egress");
      INFO(c.rendered);
      REQUIRE(c.result.ok());
      TempDir dir("egress-design");
      write_outputs(c, dir.path);
      validate(validators, designs().at(name), dir.path);
    }
  }
}
