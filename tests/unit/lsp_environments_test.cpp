// The language server and environments (issue 12's gaps, part 3): a program with envs is checked as `egressc
// check` checks it, once per env, each diagnostic published once with the envs it arises in; a parameter that
// only the envs give a value is no error in the editor.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "support/lsp_session.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using nlohmann::json;

namespace {

const std::string kUri = "file:///work/egress-test/envs/main.egress";

// A cluster whose API server admits `admins`, a cidrs parameter with no default: each env gives it. ENVS are
// the envs; NODES the count of the cluster (a number or `nodes_count`).
std::string program(const std::string& envs, const std::string& nodes = "3") {
  return R"(param location: region = eastus
param admins: cidrs
param nodes_count: int = 3
)" + envs + R"(
group rg "le-rg" in location
vnet vnet "le-vnet" 10.42.0.0/16 < subnet aks "aks-subnet" 10.42.1.0/24 >
cluster aks "le-aks" in vnet.aks <
  nodes )" + nodes + R"(
  network_plugin azure
  api_server_authorized admins
  ssh generate
>
)";
}

const std::string kEnvs = "env dev < admins 203.0.113.0/24 >\nenv prod < admins 198.51.100.0/24 >\n";

// The codes published, and for `code` the messages of its related information.
bool has_code(const json& diags, const std::string& code) {
  for (const auto& d : diags)
    if (d["code"] == code) return true;
  return false;
}

std::vector<std::string> related(const json& diags, const std::string& code) {
  std::vector<std::string> out;
  for (const auto& d : diags)
    if (d["code"] == code && d.contains("relatedInformation"))
      for (const auto& r : d["relatedInformation"]) out.push_back(r["message"].get<std::string>());
  return out;
}

int count_code(const json& diags, const std::string& code) {
  int n = 0;
  for (const auto& d : diags)
    if (d["code"] == code) ++n;
  return n;
}

}  // namespace

TEST_CASE("lsp environments: a parameter only the envs give a value is no error in the editor", "[lsp][environments]") {
  Session s;
  s.initialize();
  const auto diags = s.open(kUri, program(kEnvs));
  INFO(diags.dump(2));
  REQUIRE(diags.is_array());
  // With the defaults alone, `admins` has no value to build with (E0436); every env gives it one.
  CHECK_FALSE(has_code(diags, "E0436"));
  for (const auto& d : diags) CHECK(d["severity"] != 1);
  // Without envs the defaults are what is checked, and the same parameter is an error, as for `egressc check`.
  const auto plain = s.replace_all(kUri, 2, program(""));
  CHECK(has_code(plain, "E0436"));
}

TEST_CASE("lsp environments: a problem of one env is shown once, naming that env", "[lsp][environments]") {
  Session s;
  s.initialize();
  // prod's node count is past AKS's 1,000 per pool; dev's is fine.
  const std::string envs = "env dev < admins 203.0.113.0/24 >\nenv prod < admins 198.51.100.0/24; nodes_count 1500 >\n";
  const auto diags = s.open(kUri, program(envs, "nodes_count"));
  INFO(diags.dump(2));
  CHECK(count_code(diags, "E0434") == 1);
  const auto notes = related(diags, "E0434");
  CHECK(std::find(notes.begin(), notes.end(), "with the values of env `prod`") != notes.end());
  CHECK(std::find(notes.begin(), notes.end(), "with the values of env `dev`") == notes.end());
}

TEST_CASE("lsp environments: a problem of every env is shown once, naming each", "[lsp][environments]") {
  Session s;
  s.initialize();
  // A public IP nothing uses (W0101), whatever the env.
  const auto diags = s.open(kUri, program(kEnvs) + "public_ip spare \"le-spare\"\n");
  INFO(diags.dump(2));
  CHECK(count_code(diags, "W0101") == 1);
  const auto notes = related(diags, "W0101");
  CHECK(std::find(notes.begin(), notes.end(), "with the values of env `dev`") != notes.end());
  CHECK(std::find(notes.begin(), notes.end(), "with the values of env `prod`") != notes.end());
}
