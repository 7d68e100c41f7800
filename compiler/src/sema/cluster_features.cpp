// Elaboration of the cluster features that bring their own outbound rows (see cluster_features.hpp).
//
// Microsoft Defender for Containers, `defender workspace "ID"`:
//  - emitted as securityProfile.defender { logAnalyticsWorkspaceResourceId, securityMonitoring.enabled } (ARM,
//    Bicep) and `az aks create --enable-defender --defender-config FILE` (az);
//  - the workspace is required: "ManagedClusterSecurityProfileDefender interface", property
//    logAnalyticsWorkspaceResourceId: "When Microsoft Defender is enabled, this field is required and must be a
//    valid workspace resource ID." (learn.microsoft.com/javascript/api/@azure-rest/arm-containerservice/
//    managedclustersecurityprofiledefender, checked 2026-12-06); without one, `az aks create --enable-defender`
//    would pick a default workspace of its own, and the az script and the templates would disagree;
//  - its rows are `when defender` in stdlib/aks.egress.
#include "sema/cluster_features.hpp"

#include <fmt/format.h>

#include <vector>

#include "sema/context.hpp"

namespace egress::sema {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

void defender(Context& cx, Cluster& c, const syntax::Statement& s) {
  Args a(cx, s, "defender workspace \"LOG-ANALYTICS-WORKSPACE-ID\"");
  c.defender_span = s.span;
  if (a.expect_word("workspace")) {
    if (auto t = a.text("the Log Analytics workspace's resource ID")) {
      c.defender = true;
      c.defender_workspace = *t;
      // A parameter without a default is only known at deploy time.
      const bool known = t->value.find("${") == std::string::npos;
      if (known && !is_workspace_resource_id(t->value))
        cx.diags.report(Code::E0270, t->span.length != 0 ? t->span : s.span,
                        fmt::format("\"{}\" is not the resource ID of a Log Analytics workspace: AKS rejects a cluster "
                                    "whose Microsoft Defender has no valid workspace resource ID",
                                    t->value),
                        "write /subscriptions/SUBSCRIPTION/resourceGroups/GROUP/providers/"
                        "Microsoft.OperationalInsights/workspaces/NAME");
    }
  }
  a.finish();
}

}  // namespace

bool is_cluster_feature(std::string_view head) {
  for (auto w : kClusterFeatureWords)
    if (w == head) return true;
  return false;
}

bool is_workspace_resource_id(std::string_view id) {
  // Segments between '/', after the leading one: subscriptions SUB resourceGroups RG providers
  // Microsoft.OperationalInsights workspaces NAME.
  if (id.empty() || id.front() != '/') return false;
  for (char ch : id)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f || ch == '"' || ch == '\\') return false;
  std::vector<std::string_view> seg;
  std::size_t pos = 1;
  while (pos <= id.size()) {
    const auto next = id.find('/', pos);
    const auto end = next == std::string_view::npos ? id.size() : next;
    seg.push_back(id.substr(pos, end - pos));
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  if (seg.size() != 8) return false;
  for (auto part : seg)
    if (part.empty()) return false;
  return iequal(seg[0], "subscriptions") && iequal(seg[2], "resourceGroups") && iequal(seg[4], "providers") &&
         iequal(seg[5], "Microsoft.OperationalInsights") && iequal(seg[6], "workspaces");
}

void cluster_feature(Context& cx, Cluster& c, const syntax::Statement& s) {
  if (s.head.text == "defender") defender(cx, c, s);
}

}  // namespace egress::sema
