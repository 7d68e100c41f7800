// Rule sets: collections written once and placed by `use` into firewalls, rule collection groups and other
// rule sets. A use is expanded here, in sema, into ordinary collections: the body's statements are walked
// once per use by the same code that reads a firewall's own collections (decl_firewall.cpp), with the set's
// parameters bound to the use's arguments (endpoint() substitutes them). So every later check, `explain`,
// `graph` and the four outputs see plain collections and need nothing new. Errors found while walking a
// body carry the note "in rule set `X`, used here" (Diagnostics::push_context).
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "base/suggest.hpp"
#include "base/work_count.hpp"
#include "sema/context.hpp"
#include "sema/requirement.hpp"

namespace egress::sema {

using syntax::Item;
using syntax::ItemKind;
using syntax::Statement;

const Endpoint* Bindings::find(std::string_view name) const {
  for (std::size_t i = 0; i < set->params.size(); ++i)
    if (set->params[i] == name) {
      if (used != nullptr) (*used)[i] = true;
      return &values[i];
    }
  return nullptr;
}

namespace {

bool from_stdlib(const Context& cx, Span span) { return cx.sources.path(span.file).rfind("<stdlib>/", 0) == 0; }

const Requirement* find_requirement(const Context& cx, std::string_view name) {
  for (const auto& r : cx.catalog.requirements)
    if (r.name == name) return &r;
  return nullptr;
}

// `${location}` in a requirement row is the cluster's region: the resource group's location, with its
// parameter kept, so the outputs say `parameters('location')` where the user's own rules would.
Text located(const Text& pattern, const Program& program) {
  Text out;
  out.span = pattern.span;
  auto literal = [&](const std::string& text) {
    if (!out.parts.empty() && !out.parts.back().param) out.parts.back().text += text;
    else out.parts.push_back({false, text});
  };
  for (const auto& part : pattern.parts) {
    if (!part.param) {
      literal(part.text);
      out.value += part.text;
    } else if (part.text == "location" && program.group) {
      for (const auto& lp : program.group->location.parts)
        if (lp.param) out.parts.push_back(lp);
        else literal(lp.text);
      out.value += program.group->location.value;  // the value with every parameter at its default
      if (!program.group->location.known) out.known = false;
    } else {
      literal("${" + part.text + "}");
      out.value += "${" + part.text + "}";
    }
  }
  return out;
}

std::string protocol_name(Protocol p) {
  switch (p) {
    case Protocol::tcp: return "tcp";
    case Protocol::udp: return "udp";
    case Protocol::icmp: return "icmp";
    case Protocol::any: return "any";
  }
  return "any";
}

std::string app_protocol_name(AppProtocol::Kind k) {
  switch (k) {
    case AppProtocol::Kind::http: return "http";
    case AppProtocol::Kind::https: return "https";
    case AppProtocol::Kind::mssql: return "mssql";
  }
  return "https";
}

// The collections of `from requirement REQ` for one cluster: one network and one application collection,
// with one rule per protocol and port, the cluster's node subnet as the source. Which rows apply is
// requirement_applies()'s decision (the same one the E0246 check makes), never repeated here.
void expand_requirement(Context& cx, std::deque<RuleCollection>& into, const RuleSet& set, const Cluster& cluster,
                        int priority, Span use_span, const std::vector<Note>& origin) {
  const Requirement* req = find_requirement(cx, set.requirement);
  if (req == nullptr || cluster.subnet == nullptr || cluster.subnet->vnet == nullptr) return;
  // The sources: every subnet the cluster's node pools use (the cluster's own when it has no pools of its own).
  std::vector<Endpoint> sources;
  auto add_source = [&](const Subnet* sub) {
    if (sub == nullptr || sub->vnet == nullptr) return;
    for (const auto& e : sources)
      if (e.subnet == sub) return;
    Endpoint source;
    source.kind = Endpoint::Kind::subnet;
    source.subnet = sub;
    source.text = sub->vnet->symbol + "." + sub->symbol;
    source.span = use_span;
    sources.push_back(source);
  };
  for (const auto& p : cluster.pools) add_source(cluster.pool_subnet(p));
  if (sources.empty()) add_source(cluster.subnet);
  // `<set>_network` and `<set>_application` while the set serves one cluster here; once a second cluster takes
  // it in the same firewall or rule group, every use is named after its cluster (`<set>_<cluster>_network`),
  // the earlier ones renamed too, so no name depends on which use came first. Two uses for the same cluster
  // keep the plain names and meet E0226, as two collections written with one name do.
  auto name_for = [&](const Cluster* c, const char* suffix) {
    return fmt::format("{}_{}_{}", set.symbol, c->symbol, suffix);
  };
  bool shared = false;
  for (auto& col : into) {
    if (col.for_cluster == nullptr || col.for_cluster == &cluster) continue;
    const char* suffix = col.kind == CollectionKind::network ? "network" : "application";
    if (col.name == fmt::format("{}_{}", set.symbol, suffix)) col.name = name_for(col.for_cluster, suffix);
    shared = shared || col.name == name_for(col.for_cluster, suffix);
  }
  RuleCollection net;
  net.kind = CollectionKind::network;
  net.name = shared ? name_for(&cluster, "network") : set.symbol + "_network";
  RuleCollection app;
  app.kind = CollectionKind::application;
  app.name = shared ? name_for(&cluster, "application") : set.symbol + "_application";
  for (auto* col : {&net, &app}) {
    col->priority = priority;
    col->action = Action::allow;
    col->span = use_span;
    col->origin = origin;
    col->for_cluster = &cluster;
  }
  for (const auto& f : req->flows) {
    if (!requirement_applies(f, cluster)) continue;
    if ((set.rows == RuleSet::Rows::required && f.recommended) || (set.rows == RuleSet::Rows::recommended && !f.recommended))
      continue;
    Endpoint dest = f.destination;
    dest.set_pattern(located(f.destination.pattern(), cx.program));
    dest.span = use_span;
    auto same = [&](const Endpoint& e) { return e.kind == dest.kind && e.text == dest.text; };
    if (f.kind == RequiredFlow::Kind::network) {
      const std::string name = fmt::format("{}{}", protocol_name(f.protocol), f.port);
      auto it = std::find_if(net.network_rules.begin(), net.network_rules.end(), [&](const auto& r) { return r.name == name; });
      if (it == net.network_rules.end()) {
        it = net.network_rules.insert(net.network_rules.end(), NetworkRule{});
        it->name = name;
        it->protocols = {f.protocol};
        it->sources = sources;
        it->ports = {PortRange{f.port, f.port, use_span}};
        it->span = use_span;
      }
      if (!f.cluster_endpoint.empty()) {
        // `cluster.dns_servers` and the like: each address the cluster gives, as a /32.
        for (const auto& ip : requirement_destinations(f, cluster)) {
          Endpoint a;
          a.kind = Endpoint::Kind::cidr;
          a.cidr = Cidr{ip.value, 32, use_span};
          a.text = ip.str();
          a.span = use_span;
          if (std::none_of(it->destinations.begin(), it->destinations.end(),
                           [&](const Endpoint& e) { return e.kind == a.kind && e.text == a.text; }))
            it->destinations.push_back(a);
        }
      } else if (std::none_of(it->destinations.begin(), it->destinations.end(), same)) {
        it->destinations.push_back(dest);
      }
    } else {
      const std::string name = fmt::format("{}{}", app_protocol_name(f.app_protocol), f.port);
      auto it = std::find_if(app.application_rules.begin(), app.application_rules.end(),
                             [&](const auto& r) { return r.name == name; });
      if (it == app.application_rules.end()) {
        it = app.application_rules.insert(app.application_rules.end(), ApplicationRule{});
        it->name = name;
        it->protocols = {AppProtocol{f.app_protocol, f.port, use_span}};
        it->sources = sources;
        it->span = use_span;
      }
      if (std::none_of(it->targets.begin(), it->targets.end(), same)) it->targets.push_back(dest);
    }
  }
  if (!net.network_rules.empty()) into.push_back(std::move(net));
  if (!app.application_rules.empty()) into.push_back(std::move(app));
}

// `use REQ_SET CLUSTER [priority N]`: the cluster is declared after firewalls and policies, and its subnet
// resolved in a fix-up, so the collections are made in a late fix-up, once every cluster is complete.
void use_requirement_set(Context& cx, std::deque<RuleCollection>& into, const RuleSet& set, Args& a, const Statement& s) {
  const Item* at = a.peek();
  auto cluster = a.name("the cluster whose node subnet the rules allow");
  int priority = 100;
  if (a.accept_word("priority"))
    if (auto p = a.number(0, 100000, "the collections' priority")) priority = static_cast<int>(*p);
  a.finish();
  if (!cluster || !a.ok()) return;
  auto origin = cx.diags.context();
  cx.defer([&cx, &into, &set, name = *cluster, span = at->span, priority, use_span = s.span, origin] {
    const auto* c = cx.resolve_as<Cluster>(name, SymbolKind::cluster, span, fmt::format("rule set `{}`'s cluster", set.symbol));
    if (c != nullptr) expand_requirement(cx, into, set, *c, priority, use_span, origin);
  }, /*late=*/true);
}

// One argument of a user rule set: an endpoint written as in a rule (checked as a destination, which takes
// every form; where the body uses it as a source, endpoint() checks it again). Reports E0351 for anything
// that is not an endpoint; returns false then.
bool argument(Context& cx, Args& a, std::vector<Endpoint>& out) {
  const Item* at = a.peek();
  auto bad = [&](std::string what) {
    cx.diags.report(Code::E0351, at->span, fmt::format("{} is not a rule endpoint, so it cannot be a rule set's argument", what),
                    "an argument is written as a rule's source or destination: `*`, an address or prefix, \"fqdn\", "
                    "VNET.SUBNET, an IP group, a public IP, a service tag or `tag NAME`");
    a.next();
  };
  if (at->kind != ItemKind::word && at->kind != ItemKind::string && at->kind != ItemKind::address &&
      at->kind != ItemKind::star) {
    bad(fmt::format("`{}`", at->text));
    return false;
  }
  if (at->kind == ItemKind::word && !at->has_interpolation() && at->prefix < 0 &&
      (cx.bindings == nullptr || cx.bindings->find(at->text) == nullptr)) {
    if (auto sym = cx.symbols.find(at->text); sym != cx.symbols.end()) {
      const auto k = sym->second.kind;
      if (k != SymbolKind::subnet && k != SymbolKind::ip_group && k != SymbolKind::public_ip && k != SymbolKind::param) {
        bad(fmt::format("`{}` is a {}: it", at->text, kind_name(k)));
        return false;
      }
    } else if (auto head = cx.top_level_heads.find(at->text); head != cx.top_level_heads.end()) {
      // Clusters and apps are declared after firewalls and policies: known here only by their statement.
      bad(fmt::format("`{}` is a {}: it", at->text, head->second));
      return false;
    }
  }
  auto e = endpoint(cx, a, true);
  if (!e) return false;
  out.push_back(*e);
  return true;
}

void expand(Context& cx, std::deque<RuleCollection>& into, const RuleSet& set, std::vector<Endpoint> args, Span use_span) {
  auto& source = cx.rule_set_sources[&set];
  if (source.statement == nullptr) return;
  source.expanded = true;
  source.param_used.resize(set.params.size(), false);
  Bindings bindings{&set, std::move(args), &source.param_used};
  const Bindings* outer = cx.bindings;
  cx.bindings = &bindings;
  cx.expanding.push_back(&set);
  {
    std::optional<ContextScope> scope;
    if (use_span.length != 0) scope.emplace(cx.diags, Note{use_span, fmt::format("in rule set `{}`, used here", set.symbol)});
    for (const auto& inner : source.statement->block.statements) {
      work::count(1 + inner.block.statements.size());  // the body is walked once per use (tests/unit/rule_sets_test.cpp)
      const auto& head = inner.head.text;
      if (head == "network" || head == "application" || head == "nat") {
        const auto before = into.size();
        rule_collection(cx, into, inner);
        for (auto i = before; i < into.size(); ++i) into[i].origin = cx.diags.context();
      } else if (head == "use") {
        use_rule_set(cx, into, inner);
      } else {
        cx.unknown_statement(inner, "in a rule set", {"network", "application", "nat", "use"});
      }
    }
  }
  cx.expanding.pop_back();
  cx.bindings = outer;
}

}  // namespace

void declare_rule_set(Context& cx, const Statement& s) {
  Args a(cx, s,
         "rule_set NAME [PARAM, ...] < network|application|nat ... > | rule_set NAME CLUSTER from requirement NAME "
         "[required|recommended]");
  auto name = a.name("the rule set's name");
  if (!name) return;
  RuleSet& set = cx.program.rule_sets.emplace_back();
  set.symbol = *name;
  set.span = s.span;
  while (a.ok() && a.at(ItemKind::word) && !a.at_word("from")) {
    const Item* at = a.peek();
    auto p = a.name("a parameter's name");
    if (!p) break;
    if (auto it = std::find(set.params.begin(), set.params.end(), *p); it != set.params.end()) {
      auto& d = cx.diags.report(Code::E0353, at->span,
                                fmt::format("rule set `{}` names parameter `{}` twice: a use could not say which "
                                            "argument it stands for",
                                            set.symbol, *p),
                                "give each parameter its own name");
      d.notes.push_back({set.param_spans[static_cast<std::size_t>(it - set.params.begin())], "the first parameter of that name"});
    }
    // Kept even when repeated, so that the uses' argument counts are judged against what was written.
    set.params.push_back(*p);
    set.param_spans.push_back(at->span);
    if (!a.accept(ItemKind::comma)) break;
  }
  if (a.accept_word("from")) {
    a.expect_word("requirement");
    const Item* at = a.peek();
    auto req = a.name("the requirement's name (stdlib/aks.egress declares `aks`)");
    if (a.ok() && !a.done()) {
      if (auto c = a.choice({"all", "required", "recommended"}, "`required` or `recommended`"))
        set.rows = static_cast<RuleSet::Rows>(*c);
    }
    if (req) {
      set.requirement = *req;
      if (find_requirement(cx, *req) == nullptr) {
        std::vector<std::string_view> names;
        for (const auto& r : cx.catalog.requirements) names.push_back(r.name);
        const auto guess = closest(*req, names);
        cx.diags.report(Code::E0104, at->span, fmt::format("requirement `{}` is not declared", *req),
                        guess.empty() ? std::string("requirements come from stdlib modules: `import aks`")
                                      : fmt::format("did you mean `{}`?", guess));
      }
    }
    if (a.ok() && set.params.size() != 1)
      a.fail(at, "exactly one parameter before `from`: the cluster, as in `rule_set aks_required CLUSTER from requirement aks`");
    cx.no_block(s);
  }
  a.finish();
  if (!cx.declare(*name, SymbolKind::rule_set, &set, s.span)) {
    cx.program.rule_sets.pop_back();  // E0103: the first of the name is the one uses get
    return;
  }
  cx.rule_set_sources[&set].statement = &s;
}

void use_rule_set(Context& cx, std::deque<RuleCollection>& into, const Statement& s) {
  Args a(cx, s, "use RULE_SET [ARG, ...] | use REQUIREMENT_SET CLUSTER [priority N]");
  cx.no_block(s);
  const Item* at = a.peek();
  auto name = a.name("the rule set's name");
  if (!name) return;
  auto* set = cx.resolve_as<RuleSet>(*name, SymbolKind::rule_set, at->span, "rule set");
  if (set == nullptr) return;
  if (cx.counting_uses) ++set->uses;
  if (!set->requirement.empty()) {
    use_requirement_set(cx, into, *set, a, s);
    return;
  }
  if (std::find(cx.expanding.begin(), cx.expanding.end(), set) != cx.expanding.end()) {
    std::string chain;
    for (auto it = std::find(cx.expanding.begin(), cx.expanding.end(), set); it != cx.expanding.end(); ++it)
      chain += fmt::format("`{}` uses ", (*it)->symbol);
    auto& d = cx.diags.report(Code::E0352, s.span,
                              fmt::format("rule set `{}` is used inside itself ({}`{}`): its collections would never "
                                          "end",
                                          set->symbol, chain, set->symbol),
                              "remove this `use`; a rule set may use other rule sets, never itself");
    d.notes.push_back({set->span, "the rule set"});
    return;
  }
  std::vector<Endpoint> args;
  bool good = true;
  while (a.ok() && !a.done()) {
    if (!argument(cx, a, args)) good = false;
    if (!a.ok() || a.done()) break;
    if (!a.accept(ItemKind::comma)) {
      a.fail(a.peek(), "`,` and the next argument");
      break;
    }
  }
  a.finish();
  if (!good || !a.ok()) return;
  if (args.size() != set->params.size()) {
    std::string params;
    for (const auto& p : set->params) params += (params.empty() ? "" : ", ") + p;
    auto& d = cx.diags.report(Code::E0350, s.span,
                              fmt::format("rule set `{}` takes {} argument{}{}, but this `use` gives {}", set->symbol,
                                          set->params.size(), set->params.size() == 1 ? "" : "s",
                                          params.empty() ? "" : fmt::format(" ({})", params), args.size()),
                              "give one endpoint per parameter, in order, separated by commas");
    d.notes.push_back({set->span, "the rule set"});
    return;
  }
  expand(cx, into, *set, std::move(args), s.span);
}

void check_rule_sets(Context& cx) {
  // A body that no use walked is walked once with every parameter standing for `*`, into a collection list
  // that is then dropped: errors that do not depend on the arguments are found where the set is written.
  cx.counting_uses = false;
  for (const auto& set : cx.program.rule_sets) {
    if (!set.requirement.empty()) continue;
    if (cx.rule_set_sources[&set].expanded) continue;
    std::vector<Endpoint> any(set.params.size());
    for (std::size_t i = 0; i < any.size(); ++i) {
      any[i].text = "*";
      any[i].span = set.param_spans[i];
    }
    expand(cx, cx.scratch, set, std::move(any), Span{});
  }
  cx.counting_uses = true;
  for (const auto& set : cx.program.rule_sets) {
    if (set.uses == 0 && !from_stdlib(cx, set.span))
      cx.diags.report(Code::W0255, set.span, fmt::format("rule set `{}` is never used: its rules are in no firewall", set.symbol),
                      fmt::format("place it with `use {}{}` in a firewall or a policy's `rule_group`, or remove it",
                                  set.symbol, set.params.empty() ? "" : " ARG, ..."));
    const auto& source = cx.rule_set_sources[&set];
    if (!set.requirement.empty() || !source.expanded) continue;
    for (std::size_t i = 0; i < set.params.size(); ++i)
      if ((i >= source.param_used.size() || !source.param_used[i]) &&
          std::find(set.params.begin(), set.params.begin() + static_cast<std::ptrdiff_t>(i), set.params[i]) ==
              set.params.begin() + static_cast<std::ptrdiff_t>(i))  // a repeated name is E0353's
        cx.diags.report(Code::W0256, set.param_spans[i],
                        fmt::format("parameter `{}` of rule set `{}` is used by none of its rules: every use's "
                                    "argument for it is ignored",
                                    set.params[i], set.symbol),
                        fmt::format("name `{}` as a source or destination in a rule of the set, or remove the parameter",
                                    set.params[i]));
  }
}

}  // namespace egress::sema
