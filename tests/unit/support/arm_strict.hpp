// `arm_check.sh --strict` on a template with rule collection groups, and the one place that knows why the
// check needs a prepared copy.
//
// --strict closes every schema object that has properties and no oneOf (additionalProperties:false). The
// rule collections and rules of `firewallPolicies/ruleCollectionGroups` are unions in the published schema:
// `name`, `priority` (collections) and `name`, `description` (rules) are properties of the union itself, and
// each branch (FirewallPolicyFilterRuleCollection, NetworkRule, ...) lists only its own. So each closed
// branch rejects `name` whatever the template says, and a template Azure accepts (Bicep's own output
// included) cannot pass. The strict check therefore runs on a copy without exactly those union-level
// properties; every other property of a rule or collection is still checked strictly, and
// `strict_rejects_union_names` proves the limitation is still there (when the validator learns unions, it
// fails, and this copy can go).
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../test_support.hpp"  // support/ is not on the include path: relative to this folder

namespace egress::testing {

/// The template at `in` without the union-level properties of rule collections and rules, written to `out`.
/// Returns how many properties it removed.
inline int write_strict_copy(const std::filesystem::path& in, const std::filesystem::path& out) {
  auto t = nlohmann::json::parse(slurp(in).value());
  int removed = 0;
  auto drop = [&removed](nlohmann::json& o, const char* key) { removed += static_cast<int>(o.erase(key)); };
  // A template of several resource groups holds its resources in nested deployments' templates.
  std::vector<nlohmann::json*> resources = {&t["resources"]};
  for (auto& res : t["resources"])
    if (res.value("type", "") == "Microsoft.Resources/deployments") resources.push_back(&res["properties"]["template"]["resources"]);
  for (auto* list : resources)
  for (auto& res : *list) {
    if (res.value("type", "") != "Microsoft.Network/firewallPolicies/ruleCollectionGroups") continue;
    auto& props = res["properties"];
    if (!props.contains("ruleCollections")) continue;
    for (auto& col : props["ruleCollections"]) {
      drop(col, "name");
      drop(col, "priority");
      if (!col.contains("rules")) continue;
      for (auto& rule : col["rules"]) {
        drop(rule, "name");
        drop(rule, "description");
      }
    }
  }
  spit(out, t.dump(2));
  return removed;
}

}  // namespace egress::testing
