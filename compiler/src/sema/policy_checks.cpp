// Checks of firewall policies that need the whole program: the `base` chain (cycles, threat intelligence that
// a child may only make stricter), what a policy's tier allows, the firewall SKUs that may use a tier, TLS
// inspection for the rules that need it, and policy-only rule features written in classic rules.
// Sources (checked 2026-12-06):
//   [overview] "Azure Firewall Manager policy overview", learn.microsoft.com/azure/firewall-manager/policy-overview,
//     sections "Basic, Standard, and Premium policies" (the table of features and firewall SKUs per policy
//     tier) and "Hierarchical policies" (inheritance, threat intelligence, NAT rule collections).
//   [premium] "Azure Firewall Premium features", learn.microsoft.com/azure/firewall/premium-features, section
//     "URL filtering": URL filtering of HTTPS needs TLS inspection, an opt-in of the application rule.
//   [certs] "Azure Firewall Premium certificates", learn.microsoft.com/azure/firewall/premium-certificates:
//     TLS inspection takes an intermediate CA certificate from Key Vault, read by a user-assigned identity.
//   [schema] the Microsoft.Network 2025-07-01 ARM schema: a classic rule (AzureFirewallApplicationRule) has no
//     webCategories, targetUrls or terminateTLS; a policy's ApplicationRule has them.
#include <fmt/format.h>

#include <set>

#include "sema/context.hpp"

namespace egress::sema {

namespace {

const char* tier_name(FirewallSku t) {
  return t == FirewallSku::basic ? "Basic" : t == FirewallSku::premium ? "Premium" : "Standard";
}
const char* mode_name(ThreatIntel t) {
  return t == ThreatIntel::off ? "off" : t == ThreatIntel::deny ? "deny" : "alert";
}

// The span that names a policy's tier: its `tier` line, else the declaration (the default, Standard).
Span tier_at(const FirewallPolicy& p) { return p.tier_span.length != 0 ? p.tier_span : p.span; }

bool has_tls_inspection(const FirewallPolicy& p) {
  for (const auto* q : policy_chain(p))
    if (q->tls_secret_id) return true;
  return false;
}

// E0318: a feature the policy's tier does not have ([overview], the table).
void premium_feature(Context& cx, const FirewallPolicy& p, Span at, std::string_view what, FirewallSku needs) {
  auto& d = cx.diags.report(
      Code::E0318, at,
      fmt::format("policy `{}` is a {} policy and {} needs a {} policy: Azure rejects the policy", p.symbol,
                  tier_name(p.tier), what, needs == FirewallSku::premium ? "Premium" : "Standard or Premium"),
      needs == FirewallSku::premium ? "write `tier premium` in the policy (its firewalls then need `sku premium`)"
                                    : "write `tier standard` (or `tier premium`) in the policy");
  d.notes.push_back({tier_at(p), fmt::format("the policy's tier is {}", tier_name(p.tier))});
}

void check_tier(Context& cx, const FirewallPolicy& p) {
  // An override adjusts the policy's IDPS; Azure keeps overrides in intrusionDetection, which needs its mode.
  if (!p.idps && !p.idps_signatures.empty())
    cx.diags.report(Code::E0107, p.idps_signatures.front().span,
                    fmt::format("policy `{}` overrides an IDPS signature but sets no IDPS mode", p.symbol),
                    "add `idps alert` (or `idps deny`) to the policy");
  if (p.tier != FirewallSku::premium) {
    if (p.idps && *p.idps != IdpsMode::off)
      premium_feature(cx, p, p.idps_span, "intrusion detection (IDPS)", FirewallSku::premium);
    else if (!p.idps_signatures.empty())
      premium_feature(cx, p, p.idps_signatures.front().span, "an IDPS signature override", FirewallSku::premium);
    if (p.tls_secret_id) premium_feature(cx, p, p.tls_span, "TLS inspection", FirewallSku::premium);
  }
  if (p.tier == FirewallSku::basic) {
    if (p.dns_proxy) premium_feature(cx, p, p.dns_proxy_span, "the DNS proxy", FirewallSku::standard);
    if (!p.dns_servers.empty()) premium_feature(cx, p, p.dns_servers_span, "custom DNS servers", FirewallSku::standard);
  }
  for (const auto& g : p.groups)
    for (const auto& col : g.collections) {
      // Network rules are a Basic feature too ("Azure Firewall Basic features", learn.microsoft.com/azure/firewall/
      // basic-features: "Network traffic filtering rules"; checked 2026-12-06); their FQDNs need the DNS proxy,
      // which Basic lacks (E0228 and the DNS-proxy check above).
      for (const auto& r : col.application_rules) {
        if (p.tier != FirewallSku::premium && !r.target_urls.empty())
          premium_feature(cx, p, r.target_urls.front().span,
                          fmt::format("URL filtering (`url` in rule `{}`)", r.name), FirewallSku::premium);
        if (p.tier != FirewallSku::premium && r.terminate_tls)
          premium_feature(cx, p, r.terminate_tls_span,
                          fmt::format("TLS inspection (`terminate_tls` in rule `{}`)", r.name), FirewallSku::premium);
        if (p.tier == FirewallSku::basic && !r.web_categories.empty())
          premium_feature(cx, p, r.web_categories.front().span,
                          fmt::format("web categories (`category` in rule `{}`)", r.name), FirewallSku::standard);
        // E0319: the rule terminates TLS, and the policy has no certificate to do it with ([certs]).
        if (r.terminate_tls && !has_tls_inspection(p))
          cx.diags.report(Code::E0319, r.terminate_tls_span,
                          fmt::format("rule `{}` terminates TLS, but policy `{}` has no TLS inspection: the firewall "
                                      "has no CA certificate to inspect the connection with, and Azure rejects the rule",
                                      r.name, p.symbol),
                          "add `tls_inspection keyvault_secret \"SECRET-ID\" identity IDENTITY` to the policy");
        // E0320: URLs of HTTPS traffic are only seen inside the TLS connection ([premium], "URL filtering").
        bool https = false;
        for (const auto& proto : r.protocols) https = https || proto.kind == AppProtocol::Kind::https;
        if (!r.target_urls.empty() && https && !r.terminate_tls)
          cx.diags.report(Code::E0320, r.target_urls.front().span,
                          fmt::format("rule `{}` filters HTTPS by URL without terminating TLS: the path of an HTTPS "
                                      "request is encrypted, so the firewall never sees the URL and the rule never "
                                      "matches",
                                      r.name),
                          "add `terminate_tls` to the rule (the policy needs `tls_inspection`), or filter by FQDN");
      }
    }
}

// E0317: the firewall SKUs a policy tier may be attached to ([overview], column "Firewall SKU support").
bool tier_fits(FirewallSku policy, FirewallSku firewall) {
  switch (policy) {
    case FirewallSku::basic: return firewall == FirewallSku::basic;
    case FirewallSku::standard: return firewall != FirewallSku::basic;
    case FirewallSku::premium: return firewall == FirewallSku::premium;
  }
  return true;
}

}  // namespace

std::vector<const FirewallPolicy*> policy_chain(const FirewallPolicy& policy) {
  std::vector<const FirewallPolicy*> out;
  for (const FirewallPolicy* p = &policy; p != nullptr && out.size() < 64; p = p->base) out.push_back(p);
  return std::vector<const FirewallPolicy*>(out.rbegin(), out.rend());
}

ThreatIntel effective_threat_intel(const FirewallPolicy& policy) {
  const auto chain = policy_chain(policy);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    if ((*it)->threat_intel_span.length != 0) return (*it)->threat_intel;
  return ThreatIntel::alert;
}

void check_policy_inheritance(Context& cx) {
  for (auto& p : cx.program.firewall_policies) {
    if (p.base == nullptr) continue;
    std::size_t steps = 0;
    const FirewallPolicy* q = p.base;
    while (q != nullptr && q != &p && ++steps <= cx.program.firewall_policies.size()) q = q->base;
    if (q == &p) {
      auto& d = cx.diags.report(Code::E0315, p.base_span,
                                fmt::format("policy `{}` inherits from itself through its `base` chain: Azure rejects "
                                            "a policy whose parent is one of its own children",
                                            p.symbol),
                                "remove one `base` line so the chain ends at a policy with no base");
      for (const FirewallPolicy* r = p.base; r != &p && r != nullptr; r = r->base)
        if (r->base_span.length != 0) d.notes.push_back({r->base_span, fmt::format("`{}` has base `{}`", r->symbol, r->base->symbol)});
      p.base = nullptr;  // broken here, so the rest of the compiler sees a chain
    }
  }
  // A child without its own mode has its parent's ("Threat Intelligence mode is also inherited"): the outputs
  // write that value, so that the policy resource says what the firewall does.
  for (auto& p : cx.program.firewall_policies)
    if (p.base != nullptr && p.threat_intel_span.length == 0) p.threat_intel = effective_threat_intel(p);
  // E0316: "you can't turn it off. It's only possible to override with a stricter value" ([overview],
  // "Hierarchical policies").
  for (const auto& p : cx.program.firewall_policies) {
    if (p.base == nullptr || p.threat_intel_span.length == 0) continue;
    const ThreatIntel parent = effective_threat_intel(*p.base);
    if (static_cast<int>(p.threat_intel) < static_cast<int>(parent)) {
      auto& d = cx.diags.report(
          Code::E0316, p.threat_intel_span,
          fmt::format("policy `{}` sets threat intelligence to {}, weaker than its base policy `{}` ({}): a child "
                      "policy may only make threat intelligence stricter, and Azure rejects the policy",
                      p.symbol, mode_name(p.threat_intel), p.base->symbol, mode_name(parent)),
          fmt::format("remove the line to inherit `{}`, or choose a stricter mode", mode_name(parent)));
      d.notes.push_back({p.base_span, "the base policy"});
    }
  }
}

void check_policy_features(Context& cx) {
  std::set<const FirewallPolicy*> bases, used_directly;
  for (const auto& p : cx.program.firewall_policies)
    if (p.base != nullptr) bases.insert(p.base);
  for (const auto& p : cx.program.firewall_policies) check_tier(cx, p);
  for (const auto& fw : cx.program.firewalls) {
    if (fw.policy == nullptr) {
      // E0321: policy-only fields of application rules ([schema]; [overview], "Classic rules and policies").
      for (const auto& col : fw.collections)
        for (const auto& r : col.application_rules)
          if (r.policy_feature_span.length != 0)
            cx.diags.report(Code::E0321, r.policy_feature_span,
                            fmt::format("rule `{}` of firewall `{}` uses web categories, URLs, TLS termination or "
                                        "HTTP headers, which only application rules of a Firewall Policy have: "
                                        "classic rules cannot express them",
                                        r.name, fw.symbol),
                            "move the firewall's rules into a `firewall_policy` and use it with `policy NAME`");
      continue;
    }
    used_directly.insert(fw.policy);
    if (!tier_fits(fw.policy->tier, fw.sku)) {
      auto& d = cx.diags.report(
          Code::E0317, fw.policy_span,
          fmt::format("firewall `{}` is {} and uses {} policy `{}`: a Basic policy serves only Basic firewalls, a "
                      "Standard policy Standard or Premium ones, a Premium policy only Premium ones; Azure rejects "
                      "the firewall",
                      fw.symbol, tier_name(fw.sku), tier_name(fw.policy->tier), fw.policy->symbol),
          fw.policy->tier == FirewallSku::premium ? "write `sku premium` in the firewall"
                                                  : "make the firewall's `sku` and the policy's `tier` agree");
      d.notes.push_back({tier_at(*fw.policy), fmt::format("the policy's tier is {}", tier_name(fw.policy->tier))});
    }
  }
  // W0240: "NAT rule collections aren't inherited" ([overview], "Hierarchical policies"): a base policy that no
  // firewall uses directly applies its DNAT rules nowhere.
  for (const auto& policy : cx.program.firewall_policies) {  // in source order, for a stable output
    const FirewallPolicy* p = &policy;
    if (bases.count(p) == 0 || used_directly.count(p) != 0) continue;
    for (const auto& g : p->groups)
      for (const auto& col : g.collections)
        if (col.kind == CollectionKind::nat)
          cx.diags.report(Code::W0240, col.span,
                          fmt::format("NAT collection `{}` of policy `{}` reaches no firewall: child policies do not "
                                      "inherit NAT rule collections, and no firewall uses `{}` itself",
                                      col.name, p->symbol, p->symbol),
                          "move the collection into a rule group of the child policy the firewall uses");
  }
}

}  // namespace egress::sema
