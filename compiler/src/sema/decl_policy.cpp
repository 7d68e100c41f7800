// Elaboration of firewall policies: settings and rule collection groups, whose collections and rules have
// the forms of classic rules (decl_firewall.cpp parses both). Which firewall uses a policy, and what that
// makes of the firewall's own rules and settings, is decided in attach_policies().
#include <fmt/format.h>

#include "base/work_count.hpp"
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
  work::count();
  if (const auto [it, fresh] = cx.rule_groups.try_emplace({&policy, *name}, nullptr); !fresh) {
    auto& d = cx.diags.report(Code::E0103, s.span,
                              fmt::format("policy `{}` has two rule collection groups named `{}`: Azure keeps one "
                                          "and the other's rules are lost",
                                          policy.symbol, *name),
                              "rename one of the groups, or reopen the policy's block to add to the group");
    d.notes.push_back({it->second->span, "the first group of that name"});
    return;
  }
  RuleCollectionGroup& g = policy.groups.emplace_back();  // a deque: `g` stays where it is
  cx.rule_groups[{&policy, *name}] = &g;
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

bool is_setting(std::string_view head) {
  for (std::string_view h : {"tier", "dns_proxy", "threat_intel", "base", "idps", "idps_signature", "tls_inspection",
                             "threat_intel_allow", "dns_servers", "idps_bypass", "idps_private_ranges"})
    if (head == h) return true;
  return false;
}

// `base POLICY`: resolved once every policy is declared; a cycle is reported in check_policy_inheritance().
void base_policy(Context& cx, FirewallPolicy& policy, const syntax::Statement& s) {
  Args a(cx, s, "base FIREWALL_POLICY");
  const Item* at = a.peek();
  auto n = a.name("the base policy's name");
  a.finish();
  if (!n) return;
  policy.base_span = s.span;
  cx.fixups.push_back([&cx, p = &policy, name = *n, span = at->span] {
    p->base = cx.resolve_as<FirewallPolicy>(name, SymbolKind::firewall_policy, span, "the base policy");
    if (p->base != nullptr) cx.used.insert(p->base);
  });
}

// `idps_signature ID off|alert|deny`: IDPS signature ids are numbers (Azure's signature list), kept as text.
void idps_signature(Context& cx, FirewallPolicy& policy, const syntax::Statement& s) {
  Args a(cx, s, "idps_signature SIGNATURE-ID off|alert|deny");
  const Item* at = a.peek();
  auto id = a.number(1, 9999999999L, "an IDPS signature id");
  auto mode = a.choice({"off", "alert", "deny"}, "signature mode");
  a.finish();
  if (!id || !mode) return;
  for (const auto& other : policy.idps_signatures)
    if (other.id == std::to_string(*id)) {
      auto& d = cx.diags.report(Code::E0108, at->span,
                                fmt::format("signature {} is overridden twice in policy `{}`", *id, policy.symbol),
                                "keep one `idps_signature` line per signature");
      d.notes.push_back({other.span, "the first override"});
      return;
    }
  policy.idps_signatures.push_back({std::to_string(*id), static_cast<IdpsMode>(*mode), s.span});
}

// The sources or destinations of an IDPS bypass rule. Azure takes IP addresses, ranges and IP groups there
// (FirewallPolicyIntrusionDetectionBypassTrafficSpecifications in the Microsoft.Network ARM schema:
// sourceAddresses, destinationAddresses, sourceIpGroups, destinationIpGroups); FQDNs and tags are E0322.
std::vector<Endpoint> bypass_endpoints(Context& cx, Args& a, const std::string& rule, bool destination) {
  std::vector<Endpoint> out;
  do {
    auto e = endpoint(cx, a, destination);
    if (!e) {
      if (!a.ok()) break;
      continue;
    }
    if (e->kind == Endpoint::Kind::fqdn || e->kind == Endpoint::Kind::service_tag ||
        e->kind == Endpoint::Kind::fqdn_tag) {
      cx.diags.report(Code::E0322, e->span,
                      fmt::format("IDPS bypass rule `{}` names `{}`: Azure takes only IP addresses, prefixes and IP "
                                  "groups in a bypass rule and rejects the policy",
                                  rule, e->text),
                      "write the addresses or prefixes (or an `ip_group` holding them), or `*`");
      continue;
    }
    out.push_back(*e);
  } while (a.ok() && a.accept(ItemKind::comma));
  return out;
}

// `idps_bypass NAME PROTOCOL SOURCES -> DESTINATIONS [: PORTS]`: like a network rule with one protocol.
void idps_bypass(Context& cx, FirewallPolicy& policy, const syntax::Statement& s) {
  Args a(cx, s, "idps_bypass NAME tcp|udp|icmp|any SOURCES -> DESTINATIONS [: PORTS]");
  IdpsBypass b;
  b.span = s.span;
  auto name = a.name("the bypass rule's name");
  if (name) b.name = *name;
  auto proto = a.choice({"tcp", "udp", "icmp", "any"}, "protocol (one of tcp, udp, icmp, any)");
  if (proto) b.protocol = static_cast<Protocol>(*proto);
  if (a.ok()) b.sources = bypass_endpoints(cx, a, b.name, false);
  a.expect(ItemKind::arrow, "`->` and the destinations");
  if (a.ok()) b.destinations = bypass_endpoints(cx, a, b.name, true);
  if (a.ok() && a.accept(ItemKind::colon)) {
    do {
      if (auto p = a.port_range()) b.ports.push_back(*p);
    } while (a.ok() && a.accept(ItemKind::comma));
  }
  a.finish();
  if (!a.ok() || !name) return;
  for (const auto& other : policy.idps_bypass)
    if (other.name == b.name) {
      auto& d = cx.diags.report(Code::E0103, s.span,
                                fmt::format("policy `{}` has two IDPS bypass rules named `{}`", policy.symbol, b.name),
                                "rename one of them");
      d.notes.push_back({other.span, "the first rule of that name"});
      return;
    }
  // E0227, as for network rules: ICMP has no ports, TCP and UDP need them.
  const bool every_port = b.ports.size() == 1 && b.ports[0].first == 1 && b.ports[0].last == 65535;
  if (b.protocol == Protocol::icmp && !b.ports.empty() && !every_port)
    cx.diags.report(Code::E0227, b.ports.front().span,
                    fmt::format("IDPS bypass rule `{}` gives ports for ICMP, which has none", b.name),
                    "remove the ports (`: ...`)");
  else if (b.protocol != Protocol::icmp && b.ports.empty())
    cx.diags.report(Code::E0227, s.span,
                    fmt::format("IDPS bypass rule `{}` names no destination ports: Azure needs them", b.name),
                    "add the ports, e.g. `: 443`, or `: *` if every port is really meant");
  policy.idps_bypass.push_back(std::move(b));
}

// `idps_private_ranges PREFIX|VNET.SUBNET, ...`: the ranges IDPS counts as private (addresses, prefixes, and
// subnets for their prefix). Malformed prefixes are E0115/E0119 (to_cidr); FQDNs and tags cannot be written.
void idps_private_ranges(Context& cx, FirewallPolicy& policy, const syntax::Statement& s) {
  Args a(cx, s, "idps_private_ranges PREFIX|VNET.SUBNET[, ...]");
  policy.idps_private_ranges_span = s.span;
  do {
    auto e = endpoint(cx, a, false);
    if (!e) {
      if (!a.ok()) break;
      continue;
    }
    if (e->kind != Endpoint::Kind::cidr && e->kind != Endpoint::Kind::subnet) {
      cx.diags.report(Code::E0322, e->span,
                      fmt::format("`{}` is not an address range: IDPS private ranges are IP addresses and prefixes",
                                  e->text),
                      "write a prefix such as 10.0.0.0/8, or a subnet (`vnet.aks`) for its prefix");
      continue;
    }
    policy.idps_private_ranges.push_back(*e);
  } while (a.ok() && a.accept(ItemKind::comma));
  a.finish();
}

// `tls_inspection keyvault_secret "SECRET-ID" identity IDENTITY [certificate "NAME"]`.
void tls_inspection(Context& cx, FirewallPolicy& policy, const syntax::Statement& s) {
  Args a(cx, s, "tls_inspection keyvault_secret \"SECRET-ID\" identity IDENTITY [certificate \"NAME\"]");
  a.expect_word("keyvault_secret");
  auto secret = a.ok() ? a.text("the Key Vault secret id of the CA certificate") : std::nullopt;
  a.expect_word("identity");
  const Item* at = a.peek();
  auto identity = a.ok() ? a.name("a user-assigned identity") : std::nullopt;
  std::optional<Text> certificate;
  if (a.ok() && a.accept_word("certificate")) certificate = a.text("the CA certificate's name");
  a.finish();
  if (!secret || !identity) return;
  policy.tls_span = s.span;
  policy.tls_secret_id = *secret;
  // The certificate's name in the policy; Azure takes any, so the identity-free default is the policy's own.
  policy.tls_certificate_name = certificate.value_or(Text::literal(policy.symbol + "-ca", s.head.span));
  cx.fixups.push_back([&cx, p = &policy, name = *identity, span = at->span] {
    p->tls_identity = cx.resolve_as<Identity>(name, SymbolKind::identity, span, "the identity that reads the certificate");
    if (p->tls_identity != nullptr) cx.used.insert(p->tls_identity);
  });
}

// `threat_intel_allow ADDRESS|"FQDN", ...`: IPs and FQDNs that threat intelligence never alerts on or denies.
void threat_intel_allow(Context& cx, FirewallPolicy& policy, const syntax::Statement& s) {
  Args a(cx, s, "threat_intel_allow ADDRESS|\"FQDN\"[, ...]");
  do {
    if (a.at(ItemKind::string)) {
      if (auto t = a.text("an FQDN")) policy.threat_intel_allow_fqdns.push_back(*t);
    } else if (auto ip = a.ip("an IP address or a quoted FQDN")) {
      policy.threat_intel_allow_ips.push_back(*ip);
    }
  } while (a.ok() && a.accept(ItemKind::comma));
  policy.threat_intel_allow_span = s.span;
  a.finish();
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
    if (head != "idps_signature" && head != "idps_bypass" && is_setting(head) && !cx.first_setting(settings, inner)) continue;
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
    } else if (head == "base") {
      base_policy(cx, *policy, inner);
    } else if (head == "idps") {
      Args b(cx, inner, "idps off|alert|deny");
      if (auto c = b.choice({"off", "alert", "deny"}, "IDPS mode")) policy->idps = static_cast<IdpsMode>(*c);
      policy->idps_span = inner.span;
      b.finish();
    } else if (head == "idps_signature") {
      idps_signature(cx, *policy, inner);
    } else if (head == "idps_bypass") {
      idps_bypass(cx, *policy, inner);
    } else if (head == "idps_private_ranges") {
      idps_private_ranges(cx, *policy, inner);
    } else if (head == "tls_inspection") {
      tls_inspection(cx, *policy, inner);
    } else if (head == "threat_intel_allow") {
      threat_intel_allow(cx, *policy, inner);
    } else if (head == "dns_servers") {
      Args b(cx, inner, "dns_servers IP[, IP...]");
      do {
        if (auto ip = b.ip("a DNS server's IP address")) policy->dns_servers.push_back(*ip);
      } while (b.ok() && b.accept(ItemKind::comma));
      policy->dns_servers_span = inner.span;
      b.finish();
    } else {
      cx.unknown_statement(inner, "in a firewall_policy",
                           {"tier", "base", "dns_proxy", "dns_servers", "threat_intel", "threat_intel_allow", "idps",
                            "idps_signature", "idps_bypass", "idps_private_ranges", "tls_inspection", "rule_group"});
    }
  }
}

}  // namespace egress::sema
