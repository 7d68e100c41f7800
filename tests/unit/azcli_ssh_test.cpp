// The script's SSH option of `az aks create` follows the templates: `ssh generate` is --generate-ssh-keys, and a
// cluster without it gets --no-ssh-key (no key, as in ARM and Bicep) instead of nothing, which az before
// Azure/azure-cli#32254 turns into a failure when ~/.ssh/id_rsa.pub is missing (found with the public designs).
#include <catch2/catch.hpp>

#include <string>

#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

std::string script_of(const std::string& text) {
  SourceManager sm;
  const auto id = sm.add("main.egress", text);
  Options o;
  o.stem = "main";
  const auto r = compile(sm, id, o);
  for (const auto& out : r.outputs)
    if (out.target == Target::az) return out.content;
  return {};
}

std::string cluster_program(const std::string& setting) {
  return "group rg \"rg\" in eastus\n"
         "vnet vnet \"vnet\" 10.42.0.0/16 < subnet aks \"aks-subnet\" 10.42.1.0/24 >\n"
         "cluster aks \"aks\" in vnet.aks <\n  network_plugin azure\n" + setting + ">\n";
}

/// The `az aks create` command of the script, its continuation lines joined.
std::string aks_create(const std::string& script) {
  const auto at = script.find("az aks create");
  REQUIRE(at != std::string::npos);
  std::string cmd;
  for (std::size_t i = at; i < script.size(); ++i) {
    if (script[i] == '\n' && (i == 0 || script[i - 1] != '\\')) break;
    cmd += script[i];
  }
  return cmd;
}

}  // namespace

TEST_CASE("az aks create gets --no-ssh-key without `ssh generate`, --generate-ssh-keys with it", "[azcli]") {
  const auto without = aks_create(script_of(cluster_program("")));
  INFO(without);
  CHECK(without.find("--no-ssh-key") != std::string::npos);
  CHECK(without.find("--generate-ssh-keys") == std::string::npos);
  const auto with = aks_create(script_of(cluster_program("  ssh generate\n")));
  INFO(with);
  CHECK(with.find("--generate-ssh-keys") != std::string::npos);
  CHECK(with.find("--no-ssh-key") == std::string::npos);
}
