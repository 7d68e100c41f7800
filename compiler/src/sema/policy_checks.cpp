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
//   [headers] "Configure HTTP header insertion in Azure Firewall", learn.microsoft.com/azure/firewall/
//     configure-http-header-insertion, sections "Supported scenarios" (Premium: HTTP, and HTTPS decrypted by
//     TLS inspection; Standard and Basic: HTTP), "Limitations" (the reserved headers) and the note of the
//     configuration steps (a name of at most 100 characters, a value of at most 16,000, all of a rule's names
//     and values together at most 16 KB, 16,384 bytes).
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

// [headers], "Limitations": headers an application rule may not insert, lower case (HTTP names are not
// case-sensitive).
bool reserved_header(std::string_view name) {
  static const std::set<std::string, std::less<>> reserved = {
      "host", "connection", "content-length", "transfer-encoding", "upgrade", "via", "te", "trailer",
      "proxy-authorization", "proxy-authenticate", "authorization", "cookie", "set-cookie",
      "content-security-policy", "strict-transport-security", "x-content-type-options", "x-frame-options",
      "referrer-policy", "x-xss-protection", "public-key-pins", "expect-ct", "x-xsrf-token",
      "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-forwarded-scheme",
      "forwarded", "metadata"};
  std::string lower(name);
  for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return reserved.count(lower) != 0;
}

// E0323-E0325: the HTTP headers an application rule of policy `p` inserts ([headers]).
void check_headers(Context& cx, const FirewallPolicy& p, const ApplicationRule& r) {
  if (r.headers.empty()) return;
  for (const auto& proto : r.protocols) {
    const bool readable = proto.kind == AppProtocol::Kind::http ||
                          (proto.kind == AppProtocol::Kind::https && r.terminate_tls && p.tier == FirewallSku::premium);
    if (readable) continue;
    const char* why = proto.kind == AppProtocol::Kind::mssql ? "MSSQL is not HTTP"
                      : p.tier != FirewallSku::premium      ? "a Standard or Basic policy inserts headers only into HTTP"
                                                            : "the rule does not decrypt HTTPS (no `terminate_tls`)";
    cx.diags.report(Code::E0323, proto.span,
                    fmt::format("rule `{}` inserts HTTP headers, but {}: the firewall cannot add headers to "
                                "traffic it cannot read, so they never reach the server",
                                r.name, why),
                    proto.kind == AppProtocol::Kind::https
                        ? "insert headers into `http:` only, or add `terminate_tls` (a Premium policy with "
                          "`tls_inspection`)"
                        : "insert headers only in rules for `http:` (or TLS-inspected `https:`)");
    break;
  }
  std::size_t total = 0;
  for (const auto& h : r.headers) {
    total += h.name.value.size() + h.value.value.size();
    if (reserved_header(h.name.value))
      cx.diags.report(Code::E0324, h.name.span,
                      fmt::format("rule `{}` inserts header `{}`, which Azure reserves: the rule is rejected",
                                  r.name, h.name.value),
                      "choose another name, such as an `X-` header of your own");
    if (h.name.value.size() > 100)
      cx.diags.report(Code::E0325, h.name.span,
                      fmt::format("header name of {} characters in rule `{}`: Azure takes at most 100",
                                  h.name.value.size(), r.name));
    if (h.value.value.size() > 16000)
      cx.diags.report(Code::E0325, h.value.span,
                      fmt::format("header value of {} characters in rule `{}`: Azure takes at most 16,000",
                                  h.value.value.size(), r.name));
  }
  if (total > 16384)
    cx.diags.report(Code::E0325, r.headers.front().span,
                    fmt::format("the headers of rule `{}` hold {} bytes of names and values: Azure takes at most "
                                "16 KB (16,384 bytes) per rule",
                                r.name, total),
                    "insert fewer or shorter headers");
}

void check_tier(Context& cx, const FirewallPolicy& p) {
  // An override, a bypass rule or private ranges adjust the policy's IDPS; Azure keeps them in
  // intrusionDetection.configuration, beside the mode they adjust.
  if (!p.idps && !p.idps_signatures.empty())
    cx.diags.report(Code::E0107, p.idps_signatures.front().span,
                    fmt::format("policy `{}` overrides an IDPS signature but sets no IDPS mode", p.symbol),
                    "add `idps alert` (or `idps deny`) to the policy");
  if (!p.idps && !p.idps_bypass.empty())
    cx.diags.report(Code::E0107, p.idps_bypass.front().span,
                    fmt::format("policy `{}` has an IDPS bypass rule but sets no IDPS mode", p.symbol),
                    "add `idps alert` (or `idps deny`) to the policy");
  if (!p.idps && p.idps_private_ranges_span.length != 0)
    cx.diags.report(Code::E0107, p.idps_private_ranges_span,
                    fmt::format("policy `{}` sets IDPS private ranges but no IDPS mode", p.symbol),
                    "add `idps alert` (or `idps deny`) to the policy");
  if (p.tier != FirewallSku::premium) {
    if (p.idps && *p.idps != IdpsMode::off)
      premium_feature(cx, p, p.idps_span, "intrusion detection (IDPS)", FirewallSku::premium);
    else if (!p.idps_signatures.empty())
      premium_feature(cx, p, p.idps_signatures.front().span, "an IDPS signature override", FirewallSku::premium);
    else if (!p.idps_bypass.empty())
      premium_feature(cx, p, p.idps_bypass.front().span, "an IDPS bypass rule", FirewallSku::premium);
    else if (p.idps_private_ranges_span.length != 0)
      premium_feature(cx, p, p.idps_private_ranges_span, "IDPS private ranges", FirewallSku::premium);
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
        check_headers(cx, p, r);
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
