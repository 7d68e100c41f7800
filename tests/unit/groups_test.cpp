// Several resource groups (issue 12): where each declaration lives (sema/placement.cpp), the IR's groups and
// deployment units (lower/units.cpp), and what each target makes of them. The golden case
// tests/golden/multi-group holds the whole outputs; these tests name the properties those outputs rest on.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "api/analyse.hpp"
#include "lower/lower.hpp"
#include "lower/units.hpp"
#include "sema/placement.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;

namespace {

struct Lowered {
  SourceManager sources;
  std::unique_ptr<api::Analysis> analysis;
  ir::Deployment ir;
};

std::unique_ptr<Lowered> lower_file(const std::string& path) {
  auto out = std::make_unique<Lowered>();
  const auto id = out->sources.add(path, slurp(source_dir() + "/" + path).value_or(""));
  Options o;
  o.read_file = [](const std::string& p) { return slurp(source_dir() + "/" + p); };
  out->analysis = api::analyse(out->sources, id, o);
  REQUIRE(out->analysis->usable);
  REQUIRE(!out->analysis->diagnostics.has_errors());
  out->ir = lower::lower(out->analysis->program, out->analysis->diagnostics);
  return out;
}

const ir::Resource& by_symbol(const ir::Deployment& d, const std::string& symbol) {
  auto it = std::find_if(d.resources.begin(), d.resources.end(), [&](const ir::Resource& r) { return r.symbol == symbol; });
  REQUIRE(it != d.resources.end());
  return *it;
}

std::size_t unit_of(const ir::Deployment& d, const std::string& symbol) {
  const auto i = static_cast<ir::Index>(&by_symbol(d, symbol) - d.resources.data());
  for (std::size_t u = 0; u < d.units.size(); ++u) {
    const auto& rs = d.units[u].resources;
    if (std::find(rs.begin(), rs.end(), i) != rs.end()) return u;
  }
  FAIL("resource " << symbol << " is in no unit");
  return 0;
}

}  // namespace

TEST_CASE("groups: each declaration lives in the group whose block holds it", "[groups]") {
  auto l = lower_file("tests/golden/multi-group/main.egress");
  const auto& p = l->analysis->program;
  REQUIRE(p.groups.size() == 2);
  const sema::Group* hub = &p.groups[0];
  const sema::Group* spoke = &p.groups[1];
  CHECK(sema::home_group(p, &p.vnets[0]) == hub);    // hubnet
  CHECK(sema::home_group(p, &p.vnets[1]) == spoke);  // spokenet
  CHECK(sema::home_group(p, &p.firewalls[0]) == hub);
  CHECK(sema::home_group(p, &p.clusters[0]) == spoke);
  CHECK(sema::home_group(p, &p.route_tables[0]) == spoke);
  // The main group, whose region the model uses: the first cluster's.
  CHECK(p.group == spoke);

  const auto& d = l->ir;
  REQUIRE(d.groups.size() == 2);
  CHECK(d.groups[0].symbol == "hub");
  CHECK(by_symbol(d, "fw").group == 0);
  CHECK(by_symbol(d, "aks").group == 1);
  // A peering lives in the group of the VNet that holds it; the cluster's role assignment in its scope's (the VNet's).
  CHECK(by_symbol(d, "hubnet_to_spokenet").group == 0);
  CHECK(by_symbol(d, "spokenet_to_hubnet").group == 1);
  CHECK(by_symbol(d, "aks_network").group == 1);
}

TEST_CASE("groups: the deployment units' dependencies are acyclic, with the peerings after both VNets", "[groups]") {
  auto l = lower_file("tests/golden/multi-group/main.egress");
  const auto& d = l->ir;
  REQUIRE(!d.units.empty());
  // Every unit depends only on earlier units: the order the templates list them in is a valid order.
  for (std::size_t u = 0; u < d.units.size(); ++u)
    for (auto dep : d.units[u].depends_on) CHECK(dep < u);
  // Each resource's dependencies are in its own unit or in units it depends on.
  for (std::size_t u = 0; u < d.units.size(); ++u)
    for (auto i : d.units[u].resources)
      for (auto dep : d.resources[i].depends_on) {
        const auto du = unit_of(d, d.resources[dep].symbol);
        CHECK((du == u || std::find(d.units[u].depends_on.begin(), d.units[u].depends_on.end(), du) != d.units[u].depends_on.end()));
      }
  // The spoke's route table reads the hub's public IP, so the spoke's first unit waits for the hub's. The hub's
  // peering needs the spoke's VNet: it cannot be in the hub's first unit, which the spoke waits for.
  const auto hub_first = unit_of(d, "hubnet");
  const auto spoke_first = unit_of(d, "spokenet");
  const auto hub_peering = unit_of(d, "hubnet_to_spokenet");
  const auto spoke_peering = unit_of(d, "spokenet_to_hubnet");
  CHECK(hub_peering != hub_first);
  CHECK(hub_peering > spoke_first);
  CHECK(spoke_peering > hub_first);
  CHECK(d.units[hub_peering].group == 0);
  CHECK(d.units[spoke_peering].group == 1);
  CHECK(d.units[hub_first].name == "hub");
  CHECK(d.units[spoke_first].name == "spoke");
  CHECK(d.units[hub_peering].name == "hub-2");
}

TEST_CASE("groups: a program of one group has no units and its outputs name no subscription scope", "[groups]") {
  auto l = lower_file("examples/aks-egress/main.egress");
  CHECK(l->ir.groups.size() == 1);
  CHECK(l->ir.units.empty());
  ir::Deployment copy = l->ir;
  lower::plan_units(copy);
  CHECK(copy.units.empty());
}

TEST_CASE("groups: the outputs of several groups", "[groups]") {
  const auto c = compile_file("tests/golden/multi-group/main.egress");
  INFO(c.rendered);
  REQUIRE(c.result.ok());
  auto file = [&](const std::string& name) -> const std::string& {
    auto it = std::find_if(c.result.outputs.begin(), c.result.outputs.end(), [&](const Output& o) { return o.filename == name; });
    REQUIRE(it != c.result.outputs.end());
    return it->content;
  };
  const auto& arm = file("main.json");
  CHECK(arm.find("subscriptionDeploymentTemplate.json#") != std::string::npos);
  CHECK(arm.find("\"type\": \"Microsoft.Resources/resourceGroups\"") != std::string::npos);
  // The spoke's peering names the hub VNet in the hub's group by its resource ID.
  CHECK(arm.find("resourceId(subscription().subscriptionId, format('{0}-hub-rg', parameters('prefix')), "
                 "'Microsoft.Network/virtualNetworks'") != std::string::npos);
  const auto& bicep = file("main.bicep");
  CHECK(bicep.find("targetScope = 'subscription'") != std::string::npos);
  CHECK(bicep.find("module hub_module './main.hub.bicep'") != std::string::npos);
  CHECK(file("main.spoke.bicep").find("existing") != std::string::npos);
  const auto& sh = file("main.sh");
  CHECK(sh.find("az group create --name \"$HUB\"") != std::string::npos);
  CHECK(sh.find("az group create --name \"$SPOKE\"") != std::string::npos);
  CHECK(sh.find("az network vnet show --resource-group \"$HUB\"") != std::string::npos);
}

// Every az command acts on a resource in the group that resource was created in: a command that names a VNet,
// cluster, firewall, policy or route table (`--vnet-name "$X"`, `--cluster-name "$X"`, ...) or shows/updates a
// created resource by `--name` passes the `--resource-group` its `create` had. The node pools of a cluster in a
// second spoke once went to the first spoke's group.
TEST_CASE("groups: the az script addresses each resource in its own group", "[groups][azcli]") {
  const auto c = compile_file("examples/hub-spoke/main.egress");
  INFO(c.rendered);
  REQUIRE(c.result.ok());
  auto it = std::find_if(c.result.outputs.begin(), c.result.outputs.end(), [](const Output& o) { return o.filename == "main.sh"; });
  REQUIRE(it != c.result.outputs.end());
  // One logical line per command (continuations joined).
  std::vector<std::string> commands;
  std::istringstream in(it->content);
  std::string line, cur;
  while (std::getline(in, line)) {
    const bool more = !line.empty() && line.back() == '\\';
    cur += more ? line.substr(0, line.size() - 1) : line;
    if (!more) {
      if (cur.find("az ") != std::string::npos) commands.push_back(cur);
      cur.clear();
    }
  }
  const std::regex group_re(R"re(--resource-group "\$(\w+)")re");
  const std::regex create_re(R"re(az ((?:\w[\w-]* )+?)create .*--name "\$(\w+)")re");
  auto group_of = [&](const std::string& cmd) {
    std::smatch m;
    return std::regex_search(cmd, m, group_re) ? m[1].str() : std::string();
  };
  std::map<std::string, std::pair<std::string, std::string>> created;  // name variable -> (command group, group)
  for (const auto& cmd : commands) {
    std::smatch m;
    if (std::regex_search(cmd, m, create_re) && !group_of(cmd).empty()) created[m[2].str()] = {m[1].str(), group_of(cmd)};
  }
  REQUIRE(created.count("AKS2_NAME") == 1);
  CHECK(created["AKS2_NAME"].second == "SPOKE2");
  std::size_t checked = 0;
  for (const auto& cmd : commands) {
    const auto group = group_of(cmd);
    if (group.empty()) continue;
    for (const char* opt : {"--vnet-name", "--cluster-name", "--firewall-name", "--policy-name", "--route-table-name"}) {
      std::smatch m;
      if (!std::regex_search(cmd, m, std::regex(std::string(opt) + R"re( "\$(\w+)")re"))) continue;
      if (created.count(m[1].str()) == 0) continue;
      INFO(cmd);
      CHECK(group == created[m[1].str()].second);
      ++checked;
    }
    std::smatch m;
    if (std::regex_search(cmd, m, std::regex(R"re(--name "\$(\w+)")re")) && created.count(m[1].str()) != 0 &&
        cmd.find("az " + created[m[1].str()].first) != std::string::npos) {
      INFO(cmd);
      CHECK(group == created[m[1].str()].second);
      ++checked;
    }
  }
  CHECK(checked > 20);
}
