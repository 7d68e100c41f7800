// Elaboration of firewalls: settings, frontends, rule collections and rules, DNAT.
#include <fmt/format.h>

#include "sema/context.hpp"

namespace egress::sema {

using syntax::Item;
using syntax::ItemKind;

std::optional<Endpoint> endpoint(Context& cx, Args& a, bool destination) {
  const Item* it = a.peek();
  Endpoint e;
  if (it == nullptr) {
    a.fail(it, destination ? "a destination" : "a source");
    return std::nullopt;
  }
  e.span = it->span;
  // Inside a rule set's body, a parameter stands for its use's argument (sema/decl_rule_set.cpp).
  if (cx.bindings != nullptr && it->kind == ItemKind::word && !it->has_interpolation() && it->prefix < 0) {
    if (const Endpoint* bound = cx.bindings->find(it->text)) {
      a.next();
      if (!destination && bound->kind == Endpoint::Kind::fqdn) {
        auto& d = cx.diags.report(Code::E0106, bound->span,
                                  fmt::format("an FQDN cannot be a rule's source, and rule set `{}` uses parameter "
                                              "`{}` as one",
                                              cx.bindings->set->symbol, it->text),
                                  "sources are `*`, addresses, prefixes, subnets or IP groups");
        d.notes.push_back({it->span, fmt::format("`{}` is a source here", it->text)});
        return std::nullopt;
      }
      return *bound;
    }
  }
  if (it->kind == ItemKind::star) {
    a.next();
    e.kind = Endpoint::Kind::any;
    e.text = "*";
    return e;
  }
  if (it->kind == ItemKind::address) {
    a.next();
    auto c = to_cidr(cx, *it);
    if (!c) return std::nullopt;
    e.kind = Endpoint::Kind::cidr;
    e.cidr = *c;
    e.text = it->text;
    return e;
  }
  if (it->kind == ItemKind::string) {
    a.next();
    if (!destination) {
      cx.diags.report(Code::E0106, it->span, "an FQDN cannot be a rule's source",
                      "sources are `*`, addresses, prefixes or subnets");
      return std::nullopt;
    }
    e.kind = Endpoint::Kind::fqdn;
    e.set_pattern(cx.text(*it));
    return e;
  }
  if (it->is_word("tag")) {
    a.next();
    const Item* tag = a.peek();
    // FQDN tag names may hold dots (`Office365.Exchange.Optimize`), never `${...}` or a prefix.
    if (tag == nullptr || tag->kind != ItemKind::word || tag->has_interpolation() || tag->prefix >= 0) {
      a.fail(tag, "an FQDN tag such as AzureKubernetesService");
      return std::nullopt;
    }
    a.next();
    e.kind = Endpoint::Kind::fqdn_tag;
    e.text = tag->text;
    e.span = it->span.to(tag->span);
    return e;
  }
  if (it->kind == ItemKind::word) {
    a.next();
    // A declared subnet (vnet.sub) or public IP is used by its address; any other word is a service tag.
    if (!it->has_interpolation()) {
      if (auto sym = cx.symbols.find(it->text); sym != cx.symbols.end()) {
        if (sym->second.kind == SymbolKind::subnet) {
          e.kind = Endpoint::Kind::subnet;
          e.subnet = static_cast<const Subnet*>(sym->second.decl);
          e.text = it->text;
          return e;
        }
        if (sym->second.kind == SymbolKind::ip_group) {
          cx.used.insert(sym->second.decl);
          e.kind = Endpoint::Kind::ip_group;
          e.ip_group = static_cast<const IpGroup*>(sym->second.decl);
          e.text = it->text;
          return e;
        }
        if (sym->second.kind == SymbolKind::public_ip) {
          cx.used.insert(sym->second.decl);
          e.kind = Endpoint::Kind::public_ip;
          e.public_ip = static_cast<const PublicIp*>(sym->second.decl);
          e.text = it->text;
          return e;
        }
      }
      const auto dot = it->text.find('.');
      if (dot != std::string::npos) {
        if (auto sym = cx.symbols.find(it->text.substr(0, dot));
            sym != cx.symbols.end() && sym->second.kind == SymbolKind::vnet) {
          cx.resolve(it->text, SymbolKind::subnet, it->span, "the rule's subnet");
          return std::nullopt;
        }
      }
    }
    e.kind = Endpoint::Kind::service_tag;
    e.set_pattern(cx.text(*it));
    return e;
  }
  a.fail(it, destination ? "a destination: `*`, an address, \"fqdn\", a service tag or `tag NAME`"
                         : "a source: `*`, an address, a subnet or an IP group");
  return std::nullopt;
}

static std::vector<Endpoint> endpoint_list(Context& cx, Args& a, bool destination) {
  std::vector<Endpoint> list;
  do {
    if (auto e = endpoint(cx, a, destination)) list.push_back(std::move(*e));
    else if (!a.ok()) break;
  } while (a.accept(ItemKind::comma));
  return list;
}

static std::optional<Protocol> protocol(Args& a) {
  auto c = a.choice({"tcp", "udp", "icmp", "any"}, "protocol");
  if (!c) return std::nullopt;
  return static_cast<Protocol>(*c);
}

static void network_rule(Context& cx, RuleCollection& col, const syntax::Statement& s) {
  Args a(cx, s, "allow|deny NAME PROTOCOL[, PROTOCOL] SOURCES -> DESTINATIONS [: PORTS]");
  cx.no_block(s);
  NetworkRule r;
  r.span = s.span;
  auto name = a.name("the rule's name");
  if (name) r.name = *name;
  do {
    if (auto p = protocol(a)) r.protocols.push_back(*p);
  } while (a.ok() && a.accept(ItemKind::comma));
  if (a.ok()) r.sources = endpoint_list(cx, a, false);
  a.expect(ItemKind::arrow, "`->` and the destinations");
  if (a.ok()) r.destinations = endpoint_list(cx, a, true);
  if (a.ok() && a.accept(ItemKind::colon)) {
    do {
      if (auto p = a.port_range()) r.ports.push_back(*p);
    } while (a.ok() && a.accept(ItemKind::comma));
  }
  a.finish();
  if (a.ok()) col.network_rules.push_back(std::move(r));
}

// The targets of an application rule: FQDNs and FQDN tags (endpoints), and, in policies, `category "NAME"`
// (a web category) and `url "HOST/PATH"` (a target URL, Premium).
static void application_targets(Context& cx, Args& a, ApplicationRule& r) {
  do {
    const Item* at = a.peek();
    if (a.accept_word("category") || a.accept_word("url")) {
      const bool category = at->text == "category";
      auto t = a.text(category ? "a web category such as \"Gambling\"" : "a URL without its scheme, such as \"www.contoso.com/a\"");
      if (!t) break;
      (category ? r.web_categories : r.target_urls).push_back(*t);
      if (r.policy_feature_span.length == 0) r.policy_feature_span = at->span;
    } else if (auto e = endpoint(cx, a, true)) {
      r.targets.push_back(*e);
    } else if (!a.ok()) {
      break;
    }
  } while (a.accept(ItemKind::comma));
}

static void application_rule(Context& cx, RuleCollection& col, const syntax::Statement& s) {
  Args a(cx, s, "allow|deny NAME http:80, https:443 SOURCES -> \"fqdn\"|tag NAME|category \"NAME\"|url \"URL\" [, ...] "
                "[terminate_tls] [header \"NAME\" \"VALUE\" ...]");
  cx.no_block(s);
  ApplicationRule r;
  r.span = s.span;
  auto name = a.name("the rule's name");
  if (name) r.name = *name;
  do {
    const Item* at = a.peek();
    auto kind = a.choice({"http", "https", "mssql"}, "application protocol");
    a.expect(ItemKind::colon, "`:` and a port, as in https:443");
    auto port = a.number(1, 65535, "a port");
    if (kind && port)
      r.protocols.push_back({static_cast<AppProtocol::Kind>(*kind), static_cast<std::uint16_t>(*port), at->span});
  } while (a.ok() && a.accept(ItemKind::comma));
  if (a.ok()) r.sources = endpoint_list(cx, a, false);
  a.expect(ItemKind::arrow, "`->` and the target FQDNs");
  if (a.ok()) application_targets(cx, a, r);
  while (a.ok() && !a.done()) {  // options of Firewall Policy rules (policy_checks.cpp rejects them in classic rules)
    const Item* at = a.peek();
    if (a.accept_word("terminate_tls")) {
      r.terminate_tls = true;
      r.terminate_tls_span = at->span;
    } else if (a.accept_word("header")) {
      auto name = a.text("the header's name, such as \"X-Tenant\"");
      auto value = name ? a.text("the header's value") : std::nullopt;
      if (!name || !value) break;
      r.headers.push_back({*name, *value, at->span.to(value->span)});
    } else {
      a.fail(at, "`terminate_tls`, `header \"NAME\" \"VALUE\"` or the end of the rule");
      break;
    }
    if (r.policy_feature_span.length == 0) r.policy_feature_span = at->span;
  }
  a.finish();
  // "As a source address in application rules" (learn.microsoft.com/azure/firewall/ip-groups; checked
  // 2026-12-06): application rules match FQDNs and FQDN tags, never an IP group as the target.
  for (const auto& t : r.targets)
    if (t.kind == Endpoint::Kind::ip_group)
      cx.diags.report(Code::E0310, t.span,
                      fmt::format("IP group `{}` cannot be the target of application rule `{}`", t.text, r.name),
                      "application rules take FQDNs and FQDN tags as targets; an IP group is a source here, or a "
                      "destination of a network rule");
  if (a.ok()) col.application_rules.push_back(std::move(r));
}

static void dnat_rule(Context& cx, RuleCollection& col, const syntax::Statement& s) {
  Args a(cx, s, "dnat [NAME] [tcp|udp] [from SOURCES] [to PUBLIC_IP] PORT -> service \"NAME\" [: PORT] | -> IP : PORT");
  cx.no_block(s);
  DnatRule r;
  r.span = s.span;
  const Item* first = a.peek();
  if (first != nullptr && first->kind == ItemKind::word && !first->is_word("tcp") && !first->is_word("udp") &&
      !first->is_word("any") && !first->is_word("icmp") && !first->is_word("from") && !first->is_word("to"))
    r.name = a.name("the rule's name").value_or("");
  if (a.at_word("tcp") || a.at_word("udp") || a.at_word("any") || a.at_word("icmp")) {
    if (auto p = protocol(a)) r.protocol = *p;
  }
  if (a.accept_word("from")) r.sources = endpoint_list(cx, a, false);
  std::string pip_name;
  Span pip_span;
  if (a.accept_word("to")) {
    const Item* p = a.peek();
    r.destination_given = true;
    if (auto n = a.name("the firewall's public IP")) {
      pip_name = *n;
      pip_span = p->span;
    }
  }
  if (auto port = a.number(1, 65535, "the public port")) {
    r.port = static_cast<std::uint16_t>(*port);
    r.port_span = s.items[0].span;
    for (const auto& item : s.items)
      if (item.kind == ItemKind::number) { r.port_span = item.span; break; }
  }
  a.expect(ItemKind::arrow, "`->` and the target");
  if (a.accept_word("service")) {
    const Item* target = a.peek();
    if (target != nullptr && (target->kind == ItemKind::string || target->kind == ItemKind::word)) {
      a.next();
      r.service_name = target->kind == ItemKind::string ? cx.text(*target).value : target->text;
    } else {
      a.fail(target, "the service's name");
    }
  } else if (a.at(ItemKind::address)) {
    r.translated_ip = a.ip("the translated address");
  } else {
    a.fail(a.peek(), "`service \"NAME\"` or an IP address");
  }
  if (a.ok() && a.accept(ItemKind::colon)) {
    if (auto p = a.number(1, 65535, "the translated port")) r.translated_port = static_cast<std::uint16_t>(*p);
  } else if (a.ok() && r.translated_ip) {
    a.fail(a.peek(), "`:` and the translated port");
  }
  a.finish();
  if (!a.ok()) return;
  if (r.name.empty())
    r.name = fmt::format("{}-{}", r.service_name.empty() ? "dnat" : r.service_name, r.port);
  if (r.sources.empty()) r.sources.push_back(Endpoint{Endpoint::Kind::any, {}, "*", {}, nullptr, nullptr, nullptr, s.span});
  col.dnat_rules.push_back(r);
  const std::size_t index = col.dnat_rules.size() - 1;
  if (!pip_name.empty())
    cx.defer([&cx, &col, index, pip_name, pip_span] {
      col.dnat_rules[index].destination =
          cx.resolve_as<PublicIp>(pip_name, SymbolKind::public_ip, pip_span, "the DNAT's public IP");
    });
}

void rule_collection(Context& cx, std::deque<RuleCollection>& into, const syntax::Statement& s) {
  const auto kind = s.head.text == "network"       ? CollectionKind::network
                    : s.head.text == "application" ? CollectionKind::application
                                                   : CollectionKind::nat;
  Args a(cx, s, fmt::format("{} NAME priority N < rules >", s.head.text));
  auto name = a.name("the collection's name");
  a.expect_word("priority");
  auto priority = a.number(0, 100000, "the priority");
  a.finish();
  if (!name) return;
  RuleCollection& col = into.emplace_back();
  col.kind = kind;
  col.name = *name;
  col.priority = priority ? static_cast<int>(*priority) : 0;
  col.span = s.span;
  // Room for every statement of the block at once: growing from empty copied the rules up to seven times per
  // collection of 100 and left up to half the last buffer unused (the W(10^5) heap profile, docs/performance.md).
  if (kind == CollectionKind::network) col.network_rules.reserve(s.block.statements.size());
  if (kind == CollectionKind::application) col.application_rules.reserve(s.block.statements.size());
  bool action_seen = false;
  for (const auto& inner : s.block.statements) {
    const auto& head = inner.head.text;
    if (kind == CollectionKind::nat) {
      if (head == "dnat") dnat_rule(cx, col, inner);
      else if (head == "allow" || head == "deny")
        cx.diags.report(Code::E0221, inner.head.span, fmt::format("`{}` rules do not belong in nat collection `{}`", head, col.name),
                        "nat collections hold `dnat` rules; put allow/deny rules in a network or application collection");
      else cx.unknown_statement(inner, "in a nat collection", {"dnat"});
      continue;
    }
    if (head == "dnat") {
      cx.diags.report(Code::E0221, inner.head.span, fmt::format("a `dnat` rule does not belong in {} collection `{}`",
                      kind == CollectionKind::network ? "network" : "application", col.name),
                      "write it directly in the firewall, or in a `nat NAME priority N < ... >` collection");
      continue;
    }
    if (head != "allow" && head != "deny") {
      cx.unknown_statement(inner, fmt::format("in a{} collection", kind == CollectionKind::network ? " network" : "n application"),
                           {"allow", "deny"});
      continue;
    }
    const Action action = head == "allow" ? Action::allow : Action::deny;
    if (action_seen && action != col.action) {
      cx.diags.report(Code::E0106, inner.head.span,
                      fmt::format("collection `{}` mixes allow and deny rules", col.name),
                      "Azure Firewall sets the action per collection: put deny rules in a collection of their own");
      continue;
    }
    action_seen = true;
    col.action = action;
    // `allow NAME http:80 ...` is an application rule; `allow NAME tcp ...` a network rule.
    if (inner.items.size() >= 3) {
      const bool looks_application = inner.items[1].kind == ItemKind::word && inner.items[2].kind == ItemKind::colon &&
                                     (inner.items[1].text == "http" || inner.items[1].text == "https" || inner.items[1].text == "mssql");
      const bool looks_network = inner.items[1].kind == ItemKind::word &&
                                 (inner.items[1].text == "tcp" || inner.items[1].text == "udp" ||
                                  inner.items[1].text == "icmp" || inner.items[1].text == "any");
      if ((kind == CollectionKind::network && looks_application) || (kind == CollectionKind::application && looks_network)) {
        cx.diags.report(Code::E0221, inner.items[1].span,
                        fmt::format("`{}` is {} rule, but collection `{}` is {} collection", inner.items[0].text,
                                    looks_application ? "an application" : "a network", col.name,
                                    kind == CollectionKind::network ? "a network" : "an application"),
                        looks_application ? "move it into an `application NAME priority N < ... >` collection"
                                          : "move it into a `network NAME priority N < ... >` collection");
        continue;
      }
    }
    if (kind == CollectionKind::network) network_rule(cx, col, inner);
    else application_rule(cx, col, inner);
  }
}

void declare_firewall(Context& cx, const syntax::Statement& s, Firewall* existing) {
  Firewall* fw = existing;
  if (fw == nullptr) {
    Args a(cx, s, "firewall NAME [\"azure-name\"] in VNET.AzureFirewallSubnet [< ... >]");
    auto name = a.name("the firewall's name");
    if (!name) return;
    fw = &cx.program.firewalls.emplace_back();
    fw->symbol = *name;
    fw->span = s.span;
    fw->name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
    if (a.expect_word("in")) {
      const Item* sub = a.peek();
      if (sub != nullptr && sub->kind == ItemKind::word) {
        a.next();
        fw->subnet_span = sub->span;
        fw->subnet = cx.resolve_as<Subnet>(sub->text, SymbolKind::subnet, sub->span, "the firewall's subnet");
      } else {
        a.fail(sub, "the firewall's subnet, as VNET.AzureFirewallSubnet");
      }
    }
    a.finish();
    cx.declare(*name, SymbolKind::firewall, fw, s.span);
  } else {
    fw->reopened.push_back(s.span);
  }
  std::map<std::string, Span, std::less<>> settings;
  for (const auto& inner : s.block.statements) {
    const auto& head = inner.head.text;
    if (head == "network" || head == "application" || head == "nat") {
      rule_collection(cx, fw->collections, inner);
      continue;
    }
    if (head == "use") {
      use_rule_set(cx, fw->collections, inner);
      continue;
    }
    cx.no_block(inner);
    if ((head == "sku" || head == "dns_proxy" || head == "threat_intel" || head == "policy" || head == "management" ||
         head == "zones") &&
        !cx.first_setting(settings, inner))
      continue;
    if (head == "dnat") {
      RuleCollection* implicit = nullptr;
      for (auto& c : fw->collections)
        if (c.implicit) implicit = &c;
      if (implicit == nullptr) {
        implicit = &fw->collections.emplace_back();
        implicit->kind = CollectionKind::nat;
        implicit->name = "dnat";
        implicit->priority = 100;
        implicit->implicit = true;
        implicit->span = inner.span;
      }
      dnat_rule(cx, *implicit, inner);
    } else if (head == "sku") {
      Args b(cx, inner, "sku basic|standard|premium");
      if (auto c = b.choice({"basic", "standard", "premium"}, "firewall SKU")) fw->sku = static_cast<FirewallSku>(*c);
      fw->sku_span = inner.span;
      b.finish();
    } else if (head == "dns_proxy") {
      Args b(cx, inner, "dns_proxy on|off");
      if (auto c = b.choice({"off", "on"}, "setting")) fw->dns_proxy = *c == 1;
      fw->dns_proxy_span = inner.span;
      b.finish();
    } else if (head == "threat_intel") {
      Args b(cx, inner, "threat_intel off|alert|deny");
      if (auto c = b.choice({"off", "alert", "deny"}, "threat intelligence mode"))
        fw->threat_intel = static_cast<ThreatIntel>(*c);
      fw->threat_intel_span = inner.span;
      b.finish();
    } else if (head == "policy") {
      Args b(cx, inner, "policy FIREWALL_POLICY");
      const Item* p = b.peek();
      auto n = b.name("the firewall policy's name");
      b.finish();
      if (!n) continue;
      fw->policy_span = inner.span;
      cx.fixups.push_back([&cx, fw, name = *n, span = p->span] {
        fw->policy = cx.resolve_as<FirewallPolicy>(name, SymbolKind::firewall_policy, span, "the firewall's policy");
        if (fw->policy != nullptr) cx.used.insert(fw->policy);
      });
    } else if (head == "frontend") {
      Args b(cx, inner, "frontend PUBLIC_IP [\"ip-configuration-name\"]");
      const Item* p = b.peek();
      auto n = b.name("a public IP");
      Frontend f;
      f.span = inner.span;
      if (n) f.config_name = b.optional_azure_name().value_or(Text::literal(*n, p->span));
      b.finish();
      if (!n) continue;
      fw->frontends.push_back(f);
      const std::size_t index = fw->frontends.size() - 1;
      cx.fixups.push_back([&cx, fw, index, name = *n, span = p->span] {
        fw->frontends[index].public_ip =
            cx.resolve_as<PublicIp>(name, SymbolKind::public_ip, span, "the firewall's frontend");
      });
    } else if (head == "management") {
      // The management NIC's public IP; its subnet is the VNet's AzureFirewallManagementSubnet (E0331).
      Args b(cx, inner, "management PUBLIC_IP [\"ip-configuration-name\"]");
      const Item* p = b.peek();
      auto n = b.name("the management public IP");
      Frontend f;
      f.span = inner.span;
      if (n) f.config_name = b.optional_azure_name().value_or(Text::literal(*n, p->span));
      b.finish();
      if (!n) continue;
      fw->management = f;
      cx.fixups.push_back([&cx, fw, name = *n, span = p->span] {
        fw->management->public_ip =
            cx.resolve_as<PublicIp>(name, SymbolKind::public_ip, span, "the firewall's management IP");
      });
    } else if (head == "zones") {
      fw->zones = parse_zones(cx, inner);
      fw->zones_span = inner.span;
    } else {
      cx.unknown_statement(inner, "in a firewall",
                           {"sku", "dns_proxy", "threat_intel", "policy", "frontend", "management", "zones", "network",
                            "application", "nat", "dnat", "use"});
    }
  }
}

}  // namespace egress::sema
