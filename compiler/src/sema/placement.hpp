// Placement: which resource group each declaration lives in. This is the one place that decides it; the
// rules, in full:
//   - a declaration written inside `group NAME < ... >` lives in that group;
//   - with exactly one group, every declaration lives in it, wherever it is written;
//   - with several groups, an Azure declaration outside every group block is an error (E0400);
//   - reopening a declaration (`vnet v < ... >`) adds to it and never moves it (E0402 inside another group);
//   - apps are Kubernetes objects and live in no group (W0300 when written in a group block);
//   - derived resources: a subnet lives in its VNet, a peering in the group of the VNet that holds it, a role
//     assignment in its scope's group, a rule collection group in its policy's (lower/lower.cpp asks
//     home_group() for the VNet, the scope, the policy).
#pragma once
#include <map>
#include <vector>

#include "sema/context.hpp"
#include "syntax/ast.hpp"

namespace egress::sema {

/// The statements elaboration walks: each file's top-level statements, and after each `group ... < ... >`
/// the declarations of its block, as if they were written at the top level.
struct TopLevel {
  std::vector<const syntax::Statement*> statements;
  std::map<const syntax::Statement*, const syntax::Statement*> in_group;  // declaration -> its group's statement
};

/// Flattens the files' group blocks; reports E0101 for a statement a group block cannot hold.
TopLevel top_level(Context& cx, const std::vector<const syntax::File*>& files);

/// After the groups are declared: the main group (Program::group) and E0401 (two groups, one Azure name).
void choose_main_group(Context& cx, const TopLevel& top);

/// After every declaration: fills Program::homes; E0400, E0402, W0300.
void place_declarations(Context& cx, const TopLevel& top);

/// After references are resolved: a cluster or firewall in a group of another region than its VNet's (E0403).
void check_group_regions(Context& cx);

/// The group `decl` (a declaration of Program) lives in: its entry in Program::homes, else the main group.
const Group* home_group(const Program& program, const void* decl);

}  // namespace egress::sema
