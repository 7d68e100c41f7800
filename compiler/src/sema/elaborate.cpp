// Elaboration in passes, so that declarations may appear in any order and blocks may be reopened:
//   1. stdlib data (regions, tags, requirements) and params, which every other statement may use;
//   2. declarations by kind (networks before firewalls before apps), each kind's first full statement
//      declares, a later `kind NAME < ... >` with nothing else reopens it;
//   3. deferred references (fix-ups), then values derived from the whole program.
#include "sema/elaborate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "sema/context.hpp"
#include "sema/placement.hpp"
#include "sema/requirement.hpp"

namespace egress::sema {

using syntax::ItemKind;
using syntax::Statement;

namespace {

// Declaration kinds in the order they are elaborated; later kinds may name earlier ones directly.
constexpr std::array<std::string_view, 12> kDeclarationOrder = {
    "group", "identity", "public_ip", "nat_gateway", "route_table", "vnet", "ip_group", "firewall_policy", "firewall", "cluster", "app", ""};

bool is_reopen(const Statement& s) {
  return s.has_block && s.items.size() == 1 && s.items[0].kind == ItemKind::word &&
         !s.items[0].has_interpolation() && s.items[0].prefix < 0;
}

void* find_decl(Context& cx, const Statement& s, SymbolKind kind) {
  auto it = cx.symbols.find(s.items[0].text);
  if (it == cx.symbols.end()) return nullptr;
  if (it->second.kind != kind) {
    auto& d = cx.diags.report(Code::E0112, s.items[0].span,
                              fmt::format("`{} {}` reopens a block, but `{}` is a {}", s.head.text, s.items[0].text,
                                          s.items[0].text, kind_name(it->second.kind)),
                              "a reopened block must name a declaration of the same kind");
    d.notes.push_back({it->second.span, "declared here"});
    return reinterpret_cast<void*>(1);  // handled: do not declare
  }
  return it->second.decl;
}

void elaborate_declaration(Context& cx, const Statement& s, bool reopen) {
  const auto& h = s.head.text;
  auto dispatch = [&](SymbolKind kind, auto declare) {
    void* existing = reopen ? find_decl(cx, s, kind) : nullptr;
    if (existing == reinterpret_cast<void*>(1)) return;
    declare(existing);
  };
  if (h == "group") dispatch(SymbolKind::group, [&](void* e) { declare_group(cx, s, static_cast<Group*>(e)); });
  else if (h == "identity") declare_identity(cx, s);
  else if (h == "public_ip") dispatch(SymbolKind::public_ip, [&](void* e) { declare_public_ip(cx, s, static_cast<PublicIp*>(e)); });
  else if (h == "nat_gateway")
    dispatch(SymbolKind::nat_gateway, [&](void* e) { declare_nat_gateway(cx, s, static_cast<NatGateway*>(e)); });
  else if (h == "route_table") dispatch(SymbolKind::route_table, [&](void* e) { declare_route_table(cx, s, static_cast<RouteTable*>(e)); });
  else if (h == "vnet") dispatch(SymbolKind::vnet, [&](void* e) { declare_vnet(cx, s, static_cast<Vnet*>(e)); });
  else if (h == "ip_group") declare_ip_group(cx, s);
  else if (h == "firewall_policy")
    dispatch(SymbolKind::firewall_policy, [&](void* e) { declare_firewall_policy(cx, s, static_cast<FirewallPolicy*>(e)); });
  else if (h == "firewall") dispatch(SymbolKind::firewall, [&](void* e) { declare_firewall(cx, s, static_cast<Firewall*>(e)); });
  else if (h == "cluster") dispatch(SymbolKind::cluster, [&](void* e) { declare_cluster(cx, s, static_cast<Cluster*>(e)); });
  else if (h == "app") dispatch(SymbolKind::app, [&](void* e) { declare_app(cx, s, static_cast<App*>(e)); });
}

// A DNAT rule's target service: the one service of that name among the apps.
void resolve_dnat_targets(Context& cx, RuleCollection& col) {
  for (auto& rule : col.dnat_rules) {
    if (rule.service_name.empty()) continue;
    std::vector<Service*> found;
    for (auto& app : cx.program.apps)
      for (auto& svc : app.services)
        if (svc.name == rule.service_name) found.push_back(&svc);
    if (found.empty()) {
      const auto& bad = cx.program.malformed_services;
      if (std::find(bad.begin(), bad.end(), rule.service_name) != bad.end()) continue;  // already reported
      cx.diags.report(Code::E0104, rule.span, fmt::format("DNAT target service \"{}\" is not declared in any app",
                                                          rule.service_name),
                      "declare it in an app: `service \"NAME\" internal port 80 -> 8080`");
      continue;
    }
    if (found.size() > 1) {
      auto& d = cx.diags.report(Code::E0105, rule.span,
                                fmt::format("service \"{}\" is declared by more than one app", rule.service_name),
                                "rename one of them");
      for (auto* svc : found) d.notes.push_back({svc->span, "declared here"});
      continue;
    }
    rule.service = found.front();
    // The load balancer listens on the service's port: by default the same number as the public one.
    if (rule.translated_port == 0) rule.translated_port = rule.port;
  }
}

// A firewall that uses a policy takes its rules and its DNS and threat-intelligence settings from it: the
// model then reads the policy's collections as the firewall's own, tagged with their group (the order of
// evaluation is decided in model/firewall_rules.cpp). A firewall with classic rules or settings as well is
// an error: Azure takes either classic rule collections or a policy, never both.
void attach_policy(Context& cx, Firewall& fw) {
  if (fw.policy == nullptr) return;
  const FirewallPolicy& policy = *fw.policy;
  auto conflict = [&](Span where, std::string what) {
    auto& d = cx.diags.report(Code::E0313, where,
                              fmt::format("firewall `{}` uses policy `{}` and also has {}: Azure configures a firewall "
                                          "either with classic rules and settings or with a firewall policy, and "
                                          "rejects a firewall with both",
                                          fw.symbol, policy.symbol, what),
                              "move the rules into a `rule_group` of the policy, and the setting into the policy's block");
    d.notes.push_back({fw.policy_span, "the firewall uses the policy here"});
  };
  bool classic = false;
  for (const auto& col : fw.collections) {
    ContextNotes from_use(cx.diags, col.origin);
    conflict(col.span, col.implicit ? "a `dnat` rule of its own" : fmt::format("classic rule collection `{}`", col.name));
    classic = true;
  }
  if (fw.dns_proxy_span.length != 0) conflict(fw.dns_proxy_span, "its own `dns_proxy` setting");
  if (fw.threat_intel_span.length != 0) conflict(fw.threat_intel_span, "its own `threat_intel` setting");
  if (classic) return;
  fw.dns_proxy = policy.dns_proxy;
  fw.dns_proxy_span = policy.dns_proxy_span;
  fw.threat_intel = effective_threat_intel(policy);
  fw.threat_intel_span = policy.threat_intel_span;
  // The policy and its ancestors, oldest first: "Network rule collections inherited from a parent policy are
  // always prioritized over network rule collections defined as part of a new policy. The same logic also
  // applies to application rule collections", and "NAT rule collections aren't inherited because they're
  // specific to a given firewall" (Azure Firewall Manager policy overview, section "Hierarchical policies",
  // learn.microsoft.com/azure/firewall-manager/policy-overview; checked 2026-12-06).
  const auto chain = policy_chain(policy);
  for (std::size_t level = 0; level < chain.size(); ++level) {
    const FirewallPolicy* from = chain[level];
    for (const auto& group : from->groups)
      for (const auto& col : group.collections) {
        if (from != &policy && col.kind == CollectionKind::nat) continue;
        RuleCollection& copy = fw.collections.emplace_back(col);
        copy.group = &group;
        copy.policy = from;
        copy.inheritance_level = static_cast<int>(level);
      }
  }
}

// Values that need the whole program: default DNAT destinations, DNAT targets, policies' rules in the
// firewalls that use them, service port names and the firewall's private IP (Azure gives it the first
// usable address of AzureFirewallSubnet, x.x.x.4).
void derive(Context& cx) {
  for (auto& policy : cx.program.firewall_policies)
    for (auto& group : policy.groups)
      for (auto& col : group.collections) resolve_dnat_targets(cx, col);
  check_policy_inheritance(cx);  // before attach_policy(): it breaks `base` cycles
  for (auto& fw : cx.program.firewalls) {
    if (fw.subnet != nullptr) fw.private_ip = Ip{fw.subnet->prefix.first() + 4, fw.subnet->span};
    for (auto& col : fw.collections) {
      for (auto& rule : col.dnat_rules)
        if (rule.destination == nullptr && !fw.frontends.empty()) rule.destination = fw.frontends.front().public_ip;
      resolve_dnat_targets(cx, col);
    }
    attach_policy(cx, fw);
  }
  check_policy_features(cx);
  for (auto& app : cx.program.apps) {
    for (auto& svc : app.services) {
      // A Service selects the pods labelled app=<its name>: a workload of the same name.
      const bool selects = std::any_of(app.workloads.begin(), app.workloads.end(),
                                       [&](const Workload& w) { return w.name == svc.name; });
      if (!selects) {
        auto& d = cx.diags.report(Code::W0102, svc.span,
                                  fmt::format("service \"{}\" selects no pods: app `{}` has no workload of that name",
                                              svc.name, app.symbol),
                                  "a service sends traffic to the deployment or statefulset with its own name");
        d.notes.push_back({app.span, "the app"});
      }
      for (auto& port : svc.ports) {
        for (const auto& w : app.workloads)
          if (w.name == svc.name)
            for (const auto& wp : w.ports)
              if (wp.port == port.target && !wp.name.empty()) port.name = wp.name;
        if (port.name.empty()) port.name = fmt::format("port-{}", port.port);
      }
    }
  }
}

}  // namespace

Program elaborate(const std::vector<const syntax::File*>& files, const SourceManager& sources, Catalog& catalog,
                  Diagnostics& diags, std::string_view env) {
  Program program;
  Context cx{program, catalog, diags, sources, {}, {}, {}, {}};

  // Pass 1: data of the stdlib, then params (text anywhere may interpolate a param).
  for (const auto* file : files)
    for (const auto& s : file->statements) {
      const auto& h = s.head.text;
      if (h == "regions" || h == "service_tags" || h == "fqdn_tags") declare_catalog_entry(cx, s);
      else if (h == "requirement") declare_requirement(cx, s);
      else if (h == "registry") declare_registry(cx, s);
      else if (h == "fqdn_tag_covers") declare_tag_coverage(cx, s);
    }
  for (const auto* file : files)
    for (const auto& s : file->statements) {
      if (s.head.text == "param") declare_param(cx, s);
      else if (s.head.text == "profile") declare_profile(cx, s);
    }
  declare_envs(cx, files, env);
  // From here on, the program as the parameters shape it: `when`/`unless` applied, cidrs lists written out.
  const auto shaped = shape_program(cx, files);
  std::vector<const syntax::File*> view = files;
  if (!shaped.empty()) {
    view.clear();
    for (const auto& f : shaped) view.push_back(&f);
  }
  // Group blocks hold declarations: they are walked as if written at the top level (sema/placement.cpp).
  const TopLevel top = top_level(cx, view);
  // Rule sets before the declarations whose blocks `use` them (their bodies are walked there).
  for (const auto* sp : top.statements) {
    const auto& s = *sp;
    if (s.head.text == "rule_set") declare_rule_set(cx, s);
    // Clusters and apps by name, for a `use` argument that names one (they are declared after firewalls).
    if (!s.items.empty() && s.items[0].kind == ItemKind::word && (s.head.text == "cluster" || s.head.text == "app"))
      cx.top_level_heads.try_emplace(std::string(s.items[0].text), s.head.text);
  }

  // Pass 2: declarations kind by kind; reopenings of a kind after all its full declarations.
  // A name-only statement (`public_ip x < ... >`) declares, in source order, unless a full declaration
  // of the name exists somewhere: then it reopens that one, after it.
  for (auto kind : kDeclarationOrder) {
    if (kind.empty()) break;
    std::set<std::string, std::less<>> fully_declared;
    for (const auto* s : top.statements)
      if (s->head.text == kind && !is_reopen(*s) && !s->items.empty()) fully_declared.insert(std::string(s->items[0].text));
    std::vector<const Statement*> reopens;
    for (const auto* sp : top.statements) {
      const auto& s = *sp;
      if (s.head.text != kind) continue;
      if (!is_reopen(s)) elaborate_declaration(cx, s, false);
      else if (fully_declared.count(s.items[0].text) != 0 || cx.symbols.count(s.items[0].text) != 0) reopens.push_back(&s);
      else elaborate_declaration(cx, s, true);
    }
    for (const auto* s : reopens) elaborate_declaration(cx, *s, true);
    if (kind == "group") choose_main_group(cx, top);  // before the rule sets expand `${location}`
  }
  // Node pools once every cluster block (and reopening) is read: the implicit pool, defaults and E0410-E0415.
  for (auto& c : cx.program.clusters) finish_pools(cx, c);
  check_rule_sets(cx);
  place_declarations(cx, top);

  // Statements that are not declarations at all.
  static constexpr std::array<std::string_view, 23> kKnown = {
      "import", "param", "env", "profile", "regions", "service_tags", "fqdn_tags", "requirement", "registry",
      "fqdn_tag_covers", "group", "identity", "public_ip", "nat_gateway", "route_table", "vnet", "ip_group", "firewall_policy",
      "firewall", "cluster", "app", "rule_set", ""};
  for (const auto* s : top.statements)
    if (std::find(kKnown.begin(), kKnown.end() - 1, s->head.text) == kKnown.end() - 1)
      cx.unknown_statement(*s, "at the top level",
                           {"import", "param", "env", "profile", "group", "vnet", "public_ip", "nat_gateway", "ip_group", "firewall_policy",
                            "firewall", "route_table", "identity", "cluster", "app", "rule_set"});

  // Pass 3: references, then derived values.
  for (auto& fix : cx.fixups) fix();
  for (auto& fix : cx.late_fixups) fix();
  attach_nat_gateways(cx);
  derive(cx);
  check_group_regions(cx);
  for (const auto& pip : program.public_ips)
    if (cx.used.count(&pip) == 0)
      diags.report(Code::W0101, pip.span, fmt::format("public IP `{}` is never used: it is created and billed for nothing", pip.symbol),
                   "use it as a firewall `frontend`, or remove it");
  for (const auto& id : program.identities)
    if (cx.used.count(&id) == 0)
      diags.report(Code::W0101, id.span, fmt::format("identity `{}` is never used by a cluster", id.symbol),
                   "name it in a cluster's `identity user ...`, or remove it");
  for (const auto& p : program.firewall_policies)
    if (cx.used.count(&p) == 0)
      diags.report(Code::W0101, p.span, fmt::format("firewall policy `{}` is used by no firewall", p.symbol),
                   fmt::format("name it in a firewall's block: `policy {}`", p.symbol));
  for (const auto& ng : program.nat_gateways)
    if (ng.subnets.empty())
      diags.report(Code::W0101, ng.span,
                   fmt::format("NAT gateway `{}` is attached to no subnet: it is created and billed for nothing", ng.symbol),
                   fmt::format("name it in a subnet's block: `subnet NAME CIDR < nat_gateway {} >`", ng.symbol));
  for (const auto& g : program.ip_groups)
    if (cx.used.count(&g) == 0)
      diags.report(Code::W0101, g.span, fmt::format("IP group `{}` is never used by a rule: it is created for nothing", g.symbol),
                   "name it as a source or destination of a firewall rule, or remove it");

  if (program.groups.empty() && !files.empty()) {
    diags.report(Code::E0113, Span{files.front()->file, 0, 0}, "the program declares no resource group",
                 "add one, e.g. `group rg \"my-rg\" in eastus`");
  }
  return program;
}

}  // namespace egress::sema
