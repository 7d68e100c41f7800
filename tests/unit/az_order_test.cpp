// The az script creates the same resources (type and name) as the IR, each after everything it depends
// on: the script is run with `az` and `kubectl` as bash functions that log their arguments
// (harness::kRecorder), and the log is matched against the IR. On the programs of support/programs.hpp. Rule sets
// the script deploys from templates (emit/azcli/plan_bulk.cpp) are read from the templates beside it.
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/stdlib.hpp"
#include "emit/api_versions.hpp"
#include "emit/arm/expression.hpp"
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
      modules.insert(std::string(s.items[0].text));
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

/// The IR resource a template resource is, by its type and its name as ARM writes it (a literal, or an expression
/// of the parameters): ARM names a rule collection group "<policy>/<group>".
std::map<std::pair<std::string, std::string>, std::size_t> arm_names(const ir::Deployment& d) {
  std::map<std::pair<std::string, std::string>, std::size_t> out;
  for (std::size_t i = 0; i < d.resources.size(); ++i) {
    const auto& r = d.resources[i];
    const auto name = r.kind == ir::Kind::rule_collection_group
                          ? emit::arm_detail::child_name(d.resources[r.as<ir::RuleCollectionGroup>().policy].name, r.name)
                          : r.name;
    out[{std::string(emit::api::of(r.kind).type), emit::arm_detail::text_value(name)}] = i;
  }
  return out;
}

/// Every resource of the ARM template `arm` (the nested templates' too, for several groups), without dependsOn.
std::vector<nlohmann::json> arm_resources(const nlohmann::json& arm) {
  std::vector<nlohmann::json> out;
  for (auto res : arm["resources"]) {
    if (res.value("type", "") == "Microsoft.Resources/deployments") {
      for (const auto& inner : arm_resources(res["properties"]["template"])) out.push_back(inner);
      continue;
    }
    res.erase("dependsOn");
    out.push_back(std::move(res));
  }
  return out;
}

/// A rule as a script or a template creates it: the IR resource holding it (firewall or rule collection group),
/// its collection and its own name.
using RuleKey = std::tuple<std::size_t, std::string, std::string>;

/// The IR's rules, each once.
std::multiset<RuleKey> ir_rules(const ir::Deployment& d) {
  std::multiset<RuleKey> out;
  for (std::size_t i = 0; i < d.resources.size(); ++i) {
    const auto& r = d.resources[i];
    if (r.kind == ir::Kind::firewall) {
      const auto& fw = r.as<ir::Firewall>();
      for (const auto& c : fw.network_collections)
        for (const auto& rule : c.rules) out.insert({i, c.name, rule.name});
      for (const auto& c : fw.application_collections)
        for (const auto& rule : c.rules) out.insert({i, c.name, rule.name});
      for (const auto& c : fw.nat_collections)
        for (const auto& rule : c.rules) out.insert({i, c.name, rule.name});
    } else if (r.kind == ir::Kind::rule_collection_group) {
      for (const auto& c : r.as<ir::RuleCollectionGroup>().collections) {
        for (const auto& rule : c.network.rules) out.insert({i, c.name(), rule.name});
        for (const auto& rule : c.application.rules) out.insert({i, c.name(), rule.name});
        for (const auto& rule : c.nat.rules) out.insert({i, c.name(), rule.name});
      }
    }
  }
  return out;
}

/// The rules of a template's firewall or rule collection group `res`, which is IR resource i.
void template_rules(const nlohmann::json& res, std::size_t i, std::multiset<RuleKey>& out) {
  const auto& props = res["properties"];
  for (const char* kind : {"networkRuleCollections", "applicationRuleCollections", "natRuleCollections"})
    if (props.contains(kind))
      for (const auto& c : props[kind])
        for (const auto& rule : c["properties"]["rules"]) out.insert({i, c["name"].get<std::string>(), rule["name"].get<std::string>()});
  if (props.contains("ruleCollections"))
    for (const auto& c : props["ruleCollections"])
      for (const auto& rule : c["rules"]) out.insert({i, c["name"].get<std::string>(), rule["name"].get<std::string>()});
}

/// The rules the calls create one command each: classic rules name their firewall, policy rules their policy and
/// group (found by name among the IR's resources).
void command_rules(const std::vector<Call>& calls, const ir::Deployment& d, std::multiset<RuleKey>& out) {
  auto find = [&](ir::Kind kind, const std::string& name, const std::optional<std::string>& policy) -> std::size_t {
    for (std::size_t i = 0; i < d.resources.size(); ++i) {
      const auto& r = d.resources[i];
      if (r.kind != kind || r.name.value != name) continue;
      if (policy && d.resources[r.as<ir::RuleCollectionGroup>().policy].name.value != *policy) continue;
      return i;
    }
    return d.resources.size();  // no such resource: matches no IR rule
  };
  for (const auto& c : calls) {
    if (c[0] != "az") continue;
    if (is_command(c, "network firewall network-rule create") || is_command(c, "network firewall application-rule create") ||
        is_command(c, "network firewall nat-rule create")) {
      out.insert({find(ir::Kind::firewall, option(c, "--firewall-name").value_or(""), std::nullopt),
                  option(c, "--collection-name").value_or(""), option(c, "--name").value_or("")});
    } else if (is_command(c, "network firewall policy rule-collection-group collection add-filter-collection") ||
               is_command(c, "network firewall policy rule-collection-group collection add-nat-collection")) {
      out.insert({find(ir::Kind::rule_collection_group, option(c, "--rcg-name").value_or(""), option(c, "--policy-name")),
                  option(c, "--name").value_or(""), option(c, "--rule-name").value_or("")});
    } else if (is_command(c, "network firewall policy rule-collection-group collection rule add")) {
      out.insert({find(ir::Kind::rule_collection_group, option(c, "--rcg-name").value_or(""), option(c, "--policy-name")),
                  option(c, "--collection-name").value_or(""), option(c, "--name").value_or("")});
    }
  }
}

/// Runs the script of `b` (with its templates beside it) under the recorder in `work`; the calls it made.
std::vector<Call> run_script(const Built& b, const fs::path& work, const fs::path& recorder) {
  fs::create_directories(work);
  spit(work / "main.sh", b.az);
  spit(work / "main.yaml", b.k8s);
  for (const auto& [file, text] : b.az_templates) spit(work / file, text);
  const std::string log = (work / "calls.log").string();
  const std::string cmd = "cd " + work.string() + " && bash " + recorder.string() + " " + (work / "main.sh").string() +
                          " " + log + " >" + (work / "out.txt").string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  INFO("script output:\n" << slurp(work / "out.txt").value_or(""));
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return read_calls(slurp(log).value_or(""));
}

}  // namespace

// Each program twice: with the default bulk threshold (its rule sets as the golden scripts have them), and with
// threshold 0, every firewall with classic rules and every rule collection group with rules deployed from a
// template (emit/azcli/plan_bulk.cpp). Either way each resource is created once, after what it needs, and each
// rule of the IR is created exactly once: by its own command or inside a template's resource, which is the ARM
// template's resource.
TEST_CASE("the az script creates the IR's resources, each after what it depends on", "[equivalence]") {
  TempDir dir;
  spit(dir.path / "record.sh", kRecorder);
  std::size_t checked = 0;
  for (const auto& p : programs()) {
    for (const std::size_t threshold : {kAzBulkThreshold, std::size_t{0}}) DYNAMIC_SECTION(p.label << ", threshold " << threshold) {
      auto b = build(p, threshold);
      if (!b) continue;
      auto d = lower_program(p.path, p.text);
      if (!d) continue;  // imports a file: the reader above handles stdlib modules only
      const auto calls = run_script(*b, dir.path / std::to_string(checked), dir.path / "record.sh");
      REQUIRE_FALSE(calls.empty());
      // The resources the script deploys from templates (large rule sets: emit/azcli/plan_bulk.cpp), at the
      // deployment's call, each in one template once.
      const auto by_arm_name = arm_names(*d);
      std::vector<std::optional<std::size_t>> deployed(d->resources.size());
      for (std::size_t k = 0; k < calls.size(); ++k) {
        if (calls[k][0] != "az" || !is_command(calls[k], "deployment group create")) continue;
        const auto file = option(calls[k], "--template-file");
        REQUIRE(file);
        const auto text = slurp(*file);
        REQUIRE(text);
        const auto t = nlohmann::json::parse(*text);  // not in the range expression: the temporary would die first
        for (const auto& res : t["resources"]) {
          const auto it = by_arm_name.find({res.value("type", ""), res.value("name", "")});
          INFO("template resource " << res.value("type", "") << " " << res.value("name", ""));
          REQUIRE(it != by_arm_name.end());
          CHECK_FALSE(deployed[it->second].has_value());
          deployed[it->second] = k;
        }
      }

      // Where each resource is created: the first call of its kind's creation command with its name.
      std::vector<std::optional<std::size_t>> created(d->resources.size());
      std::map<ir::Kind, std::size_t> unnamed_seen;  // role assignments have no --name: matched in order
      for (std::size_t i = 0; i < d->resources.size(); ++i) {
        const auto& r = d->resources[i];
        // `az aks create` grants the cluster's role assignments itself (the article's note): no command.
        if (r.kind == ir::Kind::role_assignment) continue;
        const auto cc = creation_command(r.kind);
        REQUIRE(cc);
        if (deployed[i]) {  // from a template: no command creates it as well (checked below)
          created[i] = deployed[i];
          continue;
        }
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
            const auto r = std::find_if(d->resources.begin(), d->resources.end(), [&](const ir::Resource& x) {
              return x.kind == d->resources[i].kind && x.name.value == name;
            });
            if (r != d->resources.end()) CHECK_FALSE(deployed[static_cast<std::size_t>(r - d->resources.begin())]);
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
      // A template's resource is the ARM template's, dependencies aside; every rule is created once.
      const auto arm = arm_resources(nlohmann::json::parse(b->arm));
      std::multiset<RuleKey> rules;
      for (const auto& [file, text] : b->az_templates) {
        const auto t = nlohmann::json::parse(text);
        for (const auto& res : t["resources"]) {
          INFO(file << ": " << res.value("type", "") << " " << res.value("name", ""));
          CHECK(std::find(arm.begin(), arm.end(), res) != arm.end());
          template_rules(res, by_arm_name.at({res.value("type", ""), res.value("name", "")}), rules);
        }
      }
      command_rules(calls, *d, rules);
      CHECK(rules == ir_rules(*d));
      // Threshold 0: every firewall with classic rules and every group with rules comes from a template.
      if (threshold == 0 && !ir_rules(*d).empty()) CHECK_FALSE(b->az_templates.empty());
      ++checked;
    }
  }
  (void)checked;  // each run of the test case enters one section: the counter cannot be checked here
  CHECK_FALSE(programs().empty());
}
