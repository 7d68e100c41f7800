// Placement: which resource group each declaration lives in (the rules are listed in placement.hpp).
#include "base/ascii.hpp"
#include "sema/placement.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace egress::sema {

using syntax::ItemKind;
using syntax::Statement;

namespace {

// The statements a group block holds: the Azure declarations, and apps (which live in no group, W0300).
constexpr std::array<std::string_view, 10> kGroupMembers = {"identity", "public_ip", "nat_gateway", "route_table", "vnet",
                                                           "ip_group", "firewall_policy", "firewall", "cluster", "app"};

std::optional<SymbolKind> kind_of(std::string_view head) {
  if (head == "identity") return SymbolKind::identity;
  if (head == "public_ip") return SymbolKind::public_ip;
  if (head == "nat_gateway") return SymbolKind::nat_gateway;
  if (head == "route_table") return SymbolKind::route_table;
  if (head == "vnet") return SymbolKind::vnet;
  if (head == "ip_group") return SymbolKind::ip_group;
  if (head == "firewall_policy") return SymbolKind::firewall_policy;
  if (head == "firewall") return SymbolKind::firewall;
  if (head == "cluster") return SymbolKind::cluster;
  if (head == "app") return SymbolKind::app;
  return std::nullopt;
}

const std::string_view* declared_name(const Statement& s) {
  if (s.items.empty() || s.items[0].kind != ItemKind::word || s.items[0].has_interpolation()) return nullptr;
  return &s.items[0].text;
}

// The group a group statement declares (or reopens); null when it declared nothing.
const Group* group_of(const Context& cx, const Statement& group_statement) {
  const auto* name = declared_name(group_statement);
  if (name == nullptr) return nullptr;
  auto it = cx.symbols.find(*name);
  if (it == cx.symbols.end() || it->second.kind != SymbolKind::group) return nullptr;
  return static_cast<const Group*>(it->second.decl);
}

std::string group_list(const Program& p) {
  std::string out;
  for (const auto& g : p.groups) out += fmt::format("{}`{}`", out.empty() ? "" : ", ", g.symbol);
  return out;
}

}  // namespace

TopLevel top_level(Context& cx, const std::vector<const syntax::File*>& files) {
  TopLevel top;
  for (const auto* file : files)
    for (const auto& s : file->statements) {
      top.statements.push_back(&s);
      if (s.head.text != "group" || !s.has_block) continue;
      for (const auto& inner : s.block.statements) {
        if (std::find(kGroupMembers.begin(), kGroupMembers.end(), inner.head.text) == kGroupMembers.end()) {
          cx.unknown_statement(inner, "in a group", {"vnet", "public_ip", "nat_gateway", "route_table", "identity",
                                                     "ip_group", "firewall_policy", "firewall", "cluster"});
          continue;
        }
        top.statements.push_back(&inner);
        top.in_group.emplace(&inner, &s);
      }
    }
  return top;
}

void choose_main_group(Context& cx, const TopLevel& top) {
  Program& p = cx.program;
  if (p.groups.empty()) return;
  p.group = &p.groups.front();
  // With several groups, region-dependent checks (requirement rows' `${location}`, the firewall SKU's zones)
  // reason about the region the clusters run in: the group of the first cluster written in a group block.
  for (const auto* s : top.statements) {
    if (s->head.text != "cluster") continue;
    auto it = top.in_group.find(s);
    if (it == top.in_group.end()) continue;
    if (const Group* g = group_of(cx, *it->second)) p.group = g;
    break;
  }
  // "Resource and resource group names are case-insensitive unless specifically noted in the valid characters
  // column", and a resource group's scope is the subscription ("Naming rules and restrictions for Azure
  // resources", section Microsoft.Resources, learn.microsoft.com/azure/azure-resource-manager/management/
  // resource-name-rules; checked 2026-12-06): two groups of one name are one group to Azure.
  std::map<std::string, const Group*> by_name;
  for (const auto& g : p.groups) {
    if (!g.name.known || !g.name.is_literal()) continue;
    auto [it, fresh] = by_name.emplace(ascii_lower(g.name.value), &g);
    if (fresh) continue;
    auto& d = cx.diags.report(Code::E0401, g.span,
                              fmt::format("groups `{}` and `{}` have the same Azure name \"{}\": resource group names are "
                                          "unique in a subscription and compared without case, so Azure would deploy "
                                          "both into one group",
                                          it->second->symbol, g.symbol, g.name.value),
                              "give each group its own Azure name");
    d.notes.push_back({it->second->span, "the first group of that name"});
  }
}

void place_declarations(Context& cx, const TopLevel& top) {
  Program& p = cx.program;
  if (p.groups.empty()) return;
  const bool several = p.groups.size() > 1;
  std::vector<const Statement*> reopens;
  for (const auto* s : top.statements) {
    const auto kind = kind_of(s->head.text);
    const auto* name = declared_name(*s);
    if (!kind || name == nullptr) continue;
    auto sym = cx.symbols.find(*name);
    if (sym == cx.symbols.end() || sym->second.kind != *kind) continue;
    if (sym->second.span.offset != s->span.offset || sym->second.span.file != s->span.file) {
      reopens.push_back(s);
      continue;
    }
    auto in = top.in_group.find(s);
    const Group* g = in != top.in_group.end() ? group_of(cx, *in->second) : nullptr;
    if (*kind == SymbolKind::app) {
      if (in != top.in_group.end())
        cx.diags.report(Code::W0300, s->head.span,
                        fmt::format("app `{}` is written in a group block, but an app is a set of Kubernetes objects: "
                                    "it lives in its cluster, in no resource group",
                                    *name),
                        "move the app out of the group's block");
      continue;
    }
    if (g == nullptr && in == top.in_group.end()) {
      if (several) {
        cx.diags.report(Code::E0400, s->head.span,
                        fmt::format("{} `{}` is outside every group block, and the program has {} groups: egress cannot "
                                    "tell which resource group to deploy it into",
                                    s->head.text, *name, p.groups.size()),
                        fmt::format("write it inside one group's block, e.g. `group {} < {} {} ... >` (groups: {})",
                                    p.groups.front().symbol, s->head.text, *name, group_list(p)));
        continue;  // home_group() falls back to the main group, so nothing cascades
      }
      g = &p.groups.front();
    }
    if (g != nullptr) p.homes[sym->second.decl] = g;
  }
  // A reopened block adds to its declaration where it lives; in another group's block it would seem to move it.
  for (const auto* s : reopens) {
    auto in = top.in_group.find(s);
    if (in == top.in_group.end() || s->head.text == "app") continue;
    const Group* g = group_of(cx, *in->second);
    const auto* decl = cx.symbols.find(*declared_name(*s))->second.decl;
    const Group* home = home_group(p, decl);
    if (g == nullptr || home == nullptr || g == home) continue;
    auto& d = cx.diags.report(Code::E0402, s->head.span,
                              fmt::format("{} `{}` lives in group `{}`; reopening it in group `{}`'s block would not "
                                          "move it, and a resource is deployed into one resource group",
                                          s->head.text, *declared_name(*s), home->symbol, g->symbol),
                              fmt::format("reopen it in group `{}`'s block, or move its declaration", home->symbol));
    d.notes.push_back({cx.symbols.find(*declared_name(*s))->second.span, "declared here"});
  }
}

// "Any Azure resource that you connect to the virtual network must be in the same region as the virtual network",
// while "an Azure resource that you connect to the virtual network can be in the same resource group as the
// virtual network or in a different resource group" ("Create, change, or delete a virtual network", section
// "Create a virtual network", learn.microsoft.com/azure/virtual-network/manage-virtual-network; checked
// 2026-12-06). So a cluster or firewall may sit in another group than its VNet, but not in another region.
// Locations are compared when both are written as regions; a parameter's value is only known at deployment.
void check_group_regions(Context& cx) {
  const Program& p = cx.program;
  if (p.groups.size() < 2) return;
  auto check = [&](const void* decl, const std::string& symbol, std::string_view what, Span span, const Subnet* subnet) {
    if (subnet == nullptr || subnet->vnet == nullptr) return;
    const Group* mine = home_group(p, decl);
    const Group* theirs = home_group(p, subnet->vnet);
    if (mine == nullptr || theirs == nullptr || mine == theirs) return;
    if (!mine->location.is_literal() || !theirs->location.is_literal() || ascii_lower(mine->location.value) == ascii_lower(theirs->location.value))
      return;
    auto& d = cx.diags.report(Code::E0403, span,
                              fmt::format("{} `{}` is in group `{}` ({}), but its VNet `{}` is in group `{}` ({}): a "
                                          "resource connected to a virtual network must be in the VNet's region, so "
                                          "Azure rejects it",
                                          what, symbol, mine->symbol, mine->location.value, subnet->vnet->symbol,
                                          theirs->symbol, theirs->location.value),
                              fmt::format("put the {} in a group in {}, or the VNet in one in {}", what,
                                          theirs->location.value, mine->location.value));
    d.notes.push_back({subnet->vnet->span, "the VNet"});
  };
  for (const auto& c : p.clusters) check(&c, c.symbol, "cluster", c.span, c.subnet);
  for (const auto& fw : p.firewalls) check(&fw, fw.symbol, "firewall", fw.span, fw.subnet);

  // E0404: "Parent policy must be in the same region as child policy" ("Azure Firewall Manager policy overview",
  // section "Hierarchical policies", learn.microsoft.com/azure/firewall-manager/policy-overview, version of
  // 2025-07-09; checked 2026-12-07). A policy goes to its group's location, so the groups' regions decide it.
  for (const auto& policy : p.firewall_policies) {
    if (policy.base == nullptr) continue;
    const Group* mine = home_group(p, &policy);
    const Group* theirs = home_group(p, policy.base);
    if (mine == nullptr || theirs == nullptr || mine == theirs) continue;
    if (!mine->location.is_literal() || !theirs->location.is_literal() || ascii_lower(mine->location.value) == ascii_lower(theirs->location.value))
      continue;
    auto& d = cx.diags.report(Code::E0404, policy.base_span,
                              fmt::format("firewall policy `{}` is in group `{}` ({}), but its base policy `{}` is in "
                                          "group `{}` ({}): a child policy must be in its parent policy's region, so "
                                          "Azure rejects the child",
                                          policy.symbol, mine->symbol, mine->location.value, policy.base->symbol,
                                          theirs->symbol, theirs->location.value),
                              fmt::format("put policy `{}` in a group in {} (a firewall in another region may still "
                                          "use it: policies work across regions)",
                                          policy.symbol, theirs->location.value));
    d.notes.push_back({policy.base->span, "the base policy"});
  }
}

const Group* home_group(const Program& program, const void* decl) {
  auto it = program.homes.find(decl);
  return it != program.homes.end() ? it->second : program.group;
}

}  // namespace egress::sema
