// The az script creates the same resources (type and name) as the IR, each after everything it depends
// on: the script is run with `az` and `kubectl` as bash functions that log their arguments
// (harness::kRecorder), and the log is matched against the IR. On the programs of support/programs.hpp.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "api/stdlib.hpp"
#include "emit/api_versions.hpp"
#include "lower/lower.hpp"
#include "model/check.hpp"
#include "parse/parse.hpp"
#include "sema/elaborate.hpp"
#include "support/programs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;
using namespace egress::testing::harness;

namespace {

/// The IR of a program whose imports are stdlib modules only, built the way compile() builds it.
std::optional<ir::Deployment> lower_program(const std::string& path, const std::string& text) {
  SourceManager sources;
  Diagnostics diags;
  std::vector<syntax::File> trees;
  trees.reserve(8);
  trees.push_back(parse::parse(sources, sources.add(path, text), diags));
  std::set<std::string> modules{"azure"};
  for (const auto& s : trees[0].statements)
    if (s.head.text == "import") {
      if (s.items.size() != 1 || s.items[0].kind != syntax::ItemKind::word) return std::nullopt;  // a file
      modules.insert(s.items[0].text);
    }
  for (const auto& m : modules) {
    const auto& all = stdlib_modules();
    auto it = all.find(m);
    if (it == all.end()) return std::nullopt;
    trees.push_back(parse::parse(sources, sources.add("<stdlib>/" + m + ".egress", it->second), diags));
  }
  std::vector<const syntax::File*> files;
  for (const auto& t : trees) files.push_back(&t);
  sema::Catalog catalog;
  auto program = sema::elaborate(files, sources, catalog, diags);
  if (diags.has_errors()) return std::nullopt;
  lower::allocate_load_balancer_ips(program, diags);
  model::check(program, catalog, diags);
  if (diags.has_errors()) return std::nullopt;
  auto d = lower::lower(program, diags);
  if (diags.has_errors()) return std::nullopt;
  return d;
}

/// The az command that creates a resource of each kind ("network vnet create"), and the option that names it.
std::optional<std::pair<std::string, std::string>> creation_command(ir::Kind k) {
  switch (k) {
    case ir::Kind::public_ip: return std::pair{"network public-ip create", "--name"};
    case ir::Kind::identity: return std::pair{"identity create", "--name"};
    case ir::Kind::route_table: return std::pair{"network route-table create", "--name"};
    case ir::Kind::virtual_network: return std::pair{"network vnet create", "--name"};
    case ir::Kind::firewall: return std::pair{"network firewall create", "--name"};
    case ir::Kind::managed_cluster: return std::pair{"aks create", "--name"};
    case ir::Kind::vnet_peering: return std::pair{"network vnet peering create", "--name"};
    case ir::Kind::role_assignment: return std::pair{"role assignment create", ""};
    case ir::Kind::ip_group: return std::pair{"resource create", "--name"};
    case ir::Kind::firewall_policy: return std::pair{"network firewall policy create", "--name"};
    case ir::Kind::rule_collection_group: return std::pair{"network firewall policy rule-collection-group create", "--name"};
    case ir::Kind::nat_gateway: return std::pair{"network nat gateway create", "--name"};
  }
  return std::nullopt;
}

/// "az network vnet create --name x ..." -> does the call start with these words?
bool is_command(const Call& c, const std::string& words) {
  std::size_t i = 1;
  std::size_t p = 0;
  while (p < words.size()) {
    const auto space = words.find(' ', p);
    const auto w = words.substr(p, space == std::string::npos ? std::string::npos : space - p);
    if (i >= c.size() || c[i] != w) return false;
    ++i;
    p = space == std::string::npos ? words.size() : space + 1;
  }
  return true;
}

std::optional<std::string> option(const Call& c, const std::string& name) {
  for (std::size_t i = 1; i + 1 < c.size(); ++i)
    if (c[i] == name) return c[i + 1];
  return std::nullopt;
}

}  // namespace

TEST_CASE("the az script creates the IR's resources, each after what it depends on", "[equivalence]") {
  TempDir dir;
  spit(dir.path / "record.sh", kRecorder);
  std::size_t checked = 0;
  for (const auto& p : programs()) {
    DYNAMIC_SECTION(p.label) {
      auto b = build(p);
      if (!b) continue;
      auto d = lower_program(p.path, p.text);
      if (!d) continue;  // imports a file: the reader above handles stdlib modules only
      const fs::path work = dir.path / std::to_string(checked);
      fs::create_directories(work);
      spit(work / "main.sh", b->az);
      spit(work / "main.yaml", b->k8s);
      const std::string log = (work / "calls.log").string();
      const std::string cmd = "cd " + work.string() + " && bash " + (dir.path / "record.sh").string() + " " +
                              (work / "main.sh").string() + " " + log + " >" + (work / "out.txt").string() + " 2>&1";
      const int status = std::system(cmd.c_str());
      INFO("script output:\n" << slurp(work / "out.txt").value_or(""));
      REQUIRE(WIFEXITED(status));
      REQUIRE(WEXITSTATUS(status) == 0);
      const auto calls = read_calls(slurp(log).value_or(""));
      REQUIRE_FALSE(calls.empty());

      // Where each resource is created: the first call of its kind's creation command with its name.
      std::vector<std::optional<std::size_t>> created(d->resources.size());
      std::map<ir::Kind, std::size_t> unnamed_seen;  // role assignments have no --name: matched in order
      for (std::size_t i = 0; i < d->resources.size(); ++i) {
        const auto& r = d->resources[i];
        // `az aks create` grants the cluster's role assignments itself (the article's note): no command.
        if (r.kind == ir::Kind::role_assignment) continue;
        const auto cc = creation_command(r.kind);
        REQUIRE(cc);
        std::size_t nth = 0;
        for (std::size_t k = 0; k < calls.size(); ++k) {
          if (calls[k][0] != "az" || !is_command(calls[k], cc->first)) continue;
          if (cc->second.empty()) {
            if (nth++ == unnamed_seen[r.kind]) {
              created[i] = k;
              break;
            }
          } else if (option(calls[k], cc->second) == r.name.value) {
            created[i] = k;
            break;
          }
        }
        if (cc->second.empty()) ++unnamed_seen[r.kind];
        INFO("resource " << r.symbol << " (" << emit::api::of(r.kind).type << " " << r.name.value << ")");
        CHECK(created[i].has_value());
      }
      // Nothing created twice, nothing created that the IR does not have.
      std::set<std::pair<std::string, std::string>> creations;
      for (const auto& c : calls) {
        if (c[0] != "az" || c.size() < 3 || c.back() == "--help") continue;
        for (std::size_t i = 0; i < d->resources.size(); ++i) {
          const auto cc = creation_command(d->resources[i].kind);
          if (!cc->second.empty() && is_command(c, cc->first)) {
            const auto name = option(c, cc->second).value_or("?");
            INFO("created twice: " << cc->first << " " << name);
            CHECK(creations.insert({cc->first, name}).second);
            break;
          }
        }
      }
      // Order: every dependency is created first.
      for (std::size_t i = 0; i < d->resources.size(); ++i) {
        if (!created[i]) continue;
        // A dependency on a role assignment (no command of its own) stands for what the assignment depends on.
        std::vector<std::size_t> deps(d->resources[i].depends_on.begin(), d->resources[i].depends_on.end());
        for (std::size_t k = 0; k < deps.size(); ++k)
          if (d->resources[deps[k]].kind == ir::Kind::role_assignment)
            deps.insert(deps.end(), d->resources[deps[k]].depends_on.begin(), d->resources[deps[k]].depends_on.end());
        for (auto dep : deps) {
          if (d->resources[dep].kind == ir::Kind::role_assignment) continue;
          if (!created[dep]) continue;
          INFO(d->resources[i].symbol << " depends on " << d->resources[dep].symbol);
          CHECK(*created[dep] < *created[i]);
        }
      }
      // The resource group comes first, and kubectl runs only once a cluster exists.
      CHECK(is_command(calls.front(), "group create"));
      for (std::size_t k = 0; k < calls.size(); ++k) {
        if (calls[k][0] != "kubectl") continue;
        bool cluster_before = false;
        for (std::size_t i = 0; i < d->resources.size(); ++i)
          if (d->resources[i].kind == ir::Kind::managed_cluster && created[i] && *created[i] < k) cluster_before = true;
        CHECK(cluster_before);
      }
      ++checked;
    }
  }
  (void)checked;
  CHECK_FALSE(programs().empty());
}
