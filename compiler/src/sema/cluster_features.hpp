// Cluster features that are not add-ons but bring their own outbound rows (issue 10, part 2): their settings in
// a `cluster` block, and the checks of their values. Kept apart from decl_cluster.cpp so the cluster's core
// settings and these features change independently.
#pragma once
#include <array>
#include <string_view>

#include "sema/program.hpp"
#include "syntax/ast.hpp"

namespace egress::sema {

struct Context;

/// The statement words this file handles in a cluster block.
inline constexpr std::array<std::string_view, 1> kClusterFeatureWords = {"defender"};

/// True when `head` is one of kClusterFeatureWords.
[[nodiscard]] bool is_cluster_feature(std::string_view head);

/// Elaborates one feature statement (`defender workspace "ID"`) into `c`; its head is one of
/// kClusterFeatureWords. Reports E0270 for a workspace that is not a Log Analytics workspace's resource ID.
void cluster_feature(Context& cx, Cluster& c, const syntax::Statement& s);

/// True when `id` has the form of a Log Analytics workspace's resource ID:
/// /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.OperationalInsights/workspaces/NAME (case-insensitive,
/// as Azure resource IDs are; no empty segment, no `"`, `\` or control character).
[[nodiscard]] bool is_workspace_resource_id(std::string_view id);

}  // namespace egress::sema
