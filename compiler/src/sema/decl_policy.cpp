// Elaboration of firewall policies: settings and rule collection groups, whose collections and rules have
// the forms of classic rules (decl_firewall.cpp parses both). Which firewall uses a policy, and what that
// makes of the firewall's own rules and settings, is decided in attach_policies().
#include <fmt/format.h>

#include "sema/context.hpp"

namespace egress::sema {

using syntax::Item;
using syntax::ItemKind;

namespace {

void rule_group(Context& cx, FirewallPolicy& policy, const syntax::Statement& s) {
  Args a(cx, s, "rule_group NAME priority N < network|application|nat NAME priority N < ... > >");
  auto name = a.name("the rule collection group's name");
  a.expect_word("priority");
  const Item* at = a.peek();
  auto priority = a.number(0, 100000, "the priority");
  a.finish();
  if (!name) return;
  for (const auto& g : policy.groups)
    if (g.name == *name) {
      auto& d = cx.diags.report(Code::E0103, s.span,
                                fmt::format("policy `{}` has two rule collection groups named `{}`: Azure keeps one "
                                            "and the other's rules are lost",
                                            policy.symbol, *name),
                                "rename one of the groups, or reopen the policy's block to add to the group");
      d.notes.push_back({g.span, "the first group of that name"});
      return;
    }
  RuleCollectionGroup& g = policy.groups.emplace_back();
  g.name = *name;
  g.priority = priority ? static_cast<int>(*priority) : 0;
  g.span = s.span;
  // "Priority is any number between 100 (highest priority) to 65,000 (lowest priority)": rule collection
  // groups and rule collections alike (learn.microsoft.com/azure/firewall/rule-processing, section "Rule
  // processing using Firewall Policy"; checked 2026-12-06).
  if (priority && (*priority < 100 || *priority > 65000))
    cx.diags.report(Code::E0312, at->span,
                    fmt::format("rule collection group `{}` has priority {}: Azure accepts 100 to 65000 and rejects "
                                "the deployment",
                                g.name, *priority),
                    "lower numbers are processed first; choose a priority from 100 to 65000");
  for (const auto& inner : s.block.statements) {
    const auto& head = inner.head.text;
    const auto before = g.collections.size();
    if (head == "use") {
      use_rule_set(cx, g.collections, inner);
    } else if (head == "network" || head == "application" || head == "nat") {
      rule_collection(cx, g.collections, inner);
    } else {
      cx.unknown_statement(inner, "in a rule collection group", {"network", "application", "nat", "use"});
      continue;
    }
    for (auto i = before; i < g.collections.size(); ++i)
      for (const auto& r : g.collections[i].dnat_rules)
        if (!r.destination_given) {
          auto& d = cx.diags.report(Code::E0314, r.span,
                                    fmt::format("DNAT rule `{}` of policy `{}` names no public IP: a policy's DNAT rule is "
                                                "written once for every firewall that uses it, so it has no frontend to "
                                                "default to",
                                                r.name, policy.symbol),
                                    "name the firewall's public IP: `dnat ... to PUBLIC_IP PORT -> ...`");
          d.notes.insert(d.notes.end(), g.collections[i].origin.begin(), g.collections[i].origin.end());
        }
  }
}

}  // namespace

void declare_firewall_policy(Context& cx, const syntax::Statement& s, FirewallPolicy* existing) {
  FirewallPolicy* policy = existing;
  if (policy == nullptr) {
    Args a(cx, s, "firewall_policy NAME [\"azure-name\"] [< tier ...; dns_proxy ...; threat_intel ...; rule_group ... >]");
    auto name = a.name("the policy's name");
    if (!name) return;
    policy = &cx.program.firewall_policies.emplace_back();
    policy->symbol = *name;
    policy->span = s.span;
    policy->name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
    a.finish();
    cx.declare(*name, SymbolKind::firewall_policy, policy, s.span);
  } else {
    policy->reopened.push_back(s.span);
  }
  std::map<std::string, Span, std::less<>> settings;
  for (const auto& inner : s.block.statements) {
    const auto& head = inner.head.text;
    if (head == "rule_group") {
      rule_group(cx, *policy, inner);
      continue;
    }
    cx.no_block(inner);
    if ((head == "tier" || head == "dns_proxy" || head == "threat_intel") && !cx.first_setting(settings, inner)) continue;
    if (head == "tier") {
      Args b(cx, inner, "tier basic|standard|premium");
      if (auto c = b.choice({"basic", "standard", "premium"}, "policy tier")) policy->tier = static_cast<FirewallSku>(*c);
      policy->tier_span = inner.span;
      b.finish();
    } else if (head == "dns_proxy") {
      Args b(cx, inner, "dns_proxy on|off");
      if (auto c = b.choice({"off", "on"}, "setting")) policy->dns_proxy = *c == 1;
      policy->dns_proxy_span = inner.span;
      b.finish();
    } else if (head == "threat_intel") {
      Args b(cx, inner, "threat_intel off|alert|deny");
      if (auto c = b.choice({"off", "alert", "deny"}, "threat intelligence mode"))
        policy->threat_intel = static_cast<ThreatIntel>(*c);
      policy->threat_intel_span = inner.span;
      b.finish();
    } else {
      cx.unknown_statement(inner, "in a firewall_policy", {"tier", "dns_proxy", "threat_intel", "rule_group"});
    }
  }
}

}  // namespace egress::sema
