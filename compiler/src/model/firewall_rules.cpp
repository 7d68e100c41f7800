// Rule evaluation: a flow through a firewall's rules in Azure's order, with the rules indexed by destination.
// Azure Firewall's order (learn.microsoft.com/azure/firewall/rule-processing): DNAT, then network rule
// collections by priority, then application rule collections by priority; the first matching rule decides,
// allow or deny; traffic no rule allows is denied.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <array>
#include <limits>

#include "model/flows.hpp"

#include "base/work_count.hpp"

namespace egress::model {

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kMaxNearMisses = 3;

bool iequals(std::string_view a, std::string_view b) { return a.size() == b.size() && ascii_lower(a) == ascii_lower(b); }

bool is_private_address(std::uint32_t a) {
  return (a >> 24) == 10 || (a >> 20) == 0xAC1 || (a >> 16) == 0xC0A8 || (a >> 22) == (0x64400000u >> 22);
}

std::string source_text(const sema::Cidr& c) { return c.str(); }

bool protocol_matches(const std::vector<sema::Protocol>& ps, sema::Protocol p) {
  if (ps.empty()) return true;
  for (auto q : ps)
    if (q == p || q == sema::Protocol::any) return true;
  return false;
}

bool port_matches(const std::vector<sema::PortRange>& ports, std::uint16_t port) {
  if (ports.empty()) return true;  // a rule without ports is an error of its own (E0227); do not cascade
  for (const auto& r : ports)
    if (port >= r.first && port <= r.last) return true;
  return false;
}

enum class SourceMatch { yes, partial, no };

SourceMatch source_matches(const std::vector<sema::Endpoint>& sources, const sema::Cidr& src) {
  if (sources.empty()) return SourceMatch::yes;
  SourceMatch best = SourceMatch::no;
  for (const auto& e : sources) {
    if (e.kind == sema::Endpoint::Kind::any) return SourceMatch::yes;
    if (e.kind == sema::Endpoint::Kind::ip_group) {  // a group is its members
      if (e.ip_group == nullptr || e.ip_group->members.empty()) continue;
      const auto m = source_matches(e.ip_group->members, src);
      if (m == SourceMatch::yes) return m;
      if (m == SourceMatch::partial) best = m;
      continue;
    }
    const sema::Cidr* c = e.kind == sema::Endpoint::Kind::cidr     ? &e.cidr
                          : e.kind == sema::Endpoint::Kind::subnet ? (e.subnet != nullptr ? &e.subnet->prefix : nullptr)
                                                                   : nullptr;
    if (c == nullptr) continue;
    if (c->contains(src)) return SourceMatch::yes;
    if (c->overlaps(src)) best = SourceMatch::partial;
  }
  return best;
}

std::string ports_text(const std::vector<sema::PortRange>& ports) {
  std::string out;
  for (const auto& p : ports) {
    if (!out.empty()) out += ", ";
    out += p.first == p.last ? std::to_string(p.first) : fmt::format("{}-{}", p.first, p.last);
  }
  return out;
}

bool network_destination_matches(const sema::Endpoint& e, const Flow& f) {
  using K = sema::Endpoint::Kind;
  switch (e.kind) {
    case K::any: return true;
    case K::cidr: return f.target == Flow::Target::address ? e.cidr.contains(f.address) : e.cidr.length == 0;
    case K::fqdn: return f.target == Flow::Target::fqdn && iequals(e.text, f.host);
    case K::service_tag: {
      const auto tag = ascii_lower(e.text);
      if (tag == "internet") return f.target != Flow::Target::address || !is_private_address(f.address);
      if (f.target != Flow::Target::service_tag) return false;
      const auto host = ascii_lower(f.host);
      return host == tag || (host.size() > tag.size() && host.compare(0, tag.size(), tag) == 0 && host[tag.size()] == '.');
    }
    case K::subnet: return f.target == Flow::Target::address && e.subnet != nullptr && e.subnet->prefix.contains(f.address);
    case K::public_ip: return f.target == Flow::Target::public_ip && e.public_ip == f.public_ip;
    case K::fqdn_tag: return false;  // only for application rules (E0230)
    case K::ip_group:  // a group is its members
      if (e.ip_group == nullptr) return false;
      for (const auto& m : e.ip_group->members)
        if (network_destination_matches(m, f)) return true;
      return false;
  }
  return false;
}

bool app_protocol_matches(const std::vector<sema::AppProtocol>& ps, const Flow& f) {
  for (const auto& p : ps) {
    if (p.port != f.port) continue;
    switch (f.app) {
      case Flow::App::any: return true;
      case Flow::App::http: if (p.kind == sema::AppProtocol::Kind::http) return true; break;
      case Flow::App::https: if (p.kind == sema::AppProtocol::Kind::https) return true; break;
      case Flow::App::mssql: if (p.kind == sema::AppProtocol::Kind::mssql) return true; break;
      case Flow::App::none: break;
    }
  }
  return false;
}

void push_unique(std::vector<std::uint32_t>& bucket, std::uint32_t pos) {
  if (bucket.empty() || bucket.back() != pos) bucket.push_back(pos);
}

/// Collections of one kind in the order Azure processes them: by priority, then as declared. A policy's
/// collections go by their rule collection group's priority first: "Rules are processed based on Rule
/// Collection Group Priority and Rule Collection priority" (learn.microsoft.com/azure/firewall/rule-processing,
/// "Rule processing using Firewall Policy"; checked 2026-12-06). The kinds keep their order across groups:
/// every DNAT rule, then every network rule, then every application rule, as the callers take them. Within a
/// kind, a child policy's inherited collections go first: "Network rule collections inherited from a parent
/// policy are always prioritized over network rule collections defined as part of a new policy. The same
/// logic also applies to application rule collections" (Azure Firewall Manager policy overview, section
/// "Hierarchical policies", learn.microsoft.com/azure/firewall-manager/policy-overview; checked 2026-12-06).
/// inheritance_level is 0 for the oldest ancestor of the firewall's policy.
std::vector<const sema::RuleCollection*> in_order(const sema::Firewall& fw, sema::CollectionKind kind) {
  std::vector<const sema::RuleCollection*> out;
  for (const auto& c : fw.collections)
    if (c.kind == kind) out.push_back(&c);
  auto group_priority = [](const sema::RuleCollection* c) { return c->group != nullptr ? c->group->priority : 0; };
  std::stable_sort(out.begin(), out.end(), [&](auto* a, auto* b) {
    return std::tuple(a->inheritance_level, group_priority(a), a->priority) <
           std::tuple(b->inheritance_level, group_priority(b), b->priority);
  });
  return out;
}

}  // namespace

// ---- text helpers

std::string protocol_name(sema::Protocol p) {
  switch (p) {
    case sema::Protocol::tcp: return "TCP";
    case sema::Protocol::udp: return "UDP";
    case sema::Protocol::icmp: return "ICMP";
    case sema::Protocol::any: return "any protocol";
  }
  return "?";
}

std::string_view app_protocol_name(sema::AppProtocol::Kind k) {
  switch (k) {
    case sema::AppProtocol::Kind::http: return "http";
    case sema::AppProtocol::Kind::https: return "https";
    case sema::AppProtocol::Kind::mssql: return "mssql";
  }
  return "?";
}

std::string with_region(const sema::Text& pattern, const std::string& fallback, const std::string& region) {
  if (pattern.parts.empty()) return fallback;
  std::string out;
  for (const auto& p : pattern.parts) out += p.param ? (p.text == "location" ? region : "${" + p.text + "}") : p.text;
  return out;
}

// ---- Flow and Verdict

Destination Flow::destination() const {
  switch (target) {
    case Target::address: return Destination::ip(address);
    case Target::public_ip: return Destination::of(public_ip);
    default: return Destination::named(host);
  }
}

std::string Flow::text() const {
  std::string proto;
  switch (app) {
    case App::http: proto = "HTTP"; break;
    case App::https: proto = "HTTPS"; break;
    case App::mssql: proto = "MSSQL"; break;
    default: proto = protocol_name(protocol);
  }
  return fmt::format("{} {}:{}", proto, host, port);
}

Span Verdict::rule_span() const {
  if (network_rule != nullptr) return network_rule->span;
  if (application_rule != nullptr) return application_rule->span;
  return collection != nullptr ? collection->span : Span{};
}

const std::string& Verdict::rule_name() const {
  static const std::string empty;
  if (network_rule != nullptr) return network_rule->name;
  if (application_rule != nullptr) return application_rule->name;
  return empty;
}

bool fqdn_covers(std::string_view pattern_in, std::string_view host_in) {
  const auto pattern = ascii_lower(pattern_in), host = ascii_lower(host_in);
  if (pattern == "*" || pattern == host) return true;
  if (pattern.size() < 3 || pattern.compare(0, 2, "*.") != 0) return false;
  const std::string_view suffix = std::string_view(pattern).substr(1);  // ".example.com"
  std::string_view h = host;
  if (h.size() >= 2 && h.compare(0, 2, "*.") == 0) {
    h.remove_prefix(1);  // a wildcard host is covered when its own suffix lies under the pattern's
    return h.size() >= suffix.size() && h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  return h.size() > suffix.size() && h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// ---- FirewallRules

void FirewallRules::NameIndex::add(std::string_view key, std::uint32_t position) { pending_.emplace_back(key, position); }

std::size_t FirewallRules::NameIndex::slot_of(std::string_view key, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask)
    if (!slots_[i].used || (slots_[i].hash == hash && slots_[i].key == key)) return i;
}

void FirewallRules::NameIndex::finish() {
  std::size_t size = 8;
  while (size < 2 * pending_.size()) size *= 2;  // at most half full: short probes
  slots_.assign(size, Slot{});
  std::vector<std::uint32_t> slot(pending_.size());
  for (std::size_t i = 0; i < pending_.size(); ++i) {  // pass 1: a slot per name, and how many positions it has
    const auto hash = std::hash<std::string_view>{}(pending_[i].first);
    const auto k = slot_of(pending_[i].first, hash);
    slots_[k].used = true;
    slots_[k].key = pending_[i].first;
    slots_[k].hash = hash;
    ++slots_[k].end;
    slot[i] = static_cast<std::uint32_t>(k);
  }
  std::uint32_t next = 0;
  for (auto& sl : slots_) {
    sl.begin = next;
    next += sl.end;
    sl.end = sl.begin;
  }
  positions_.resize(pending_.size());
  for (std::size_t i = 0; i < pending_.size(); ++i) positions_[slots_[slot[i]].end++] = pending_[i].second;  // pass 2
  pending_.clear();
  pending_.shrink_to_fit();
}

FirewallRules::Positions FirewallRules::NameIndex::find(std::string_view key) const {
  if (slots_.empty()) return {};
  const auto& sl = slots_[slot_of(key, std::hash<std::string_view>{}(key))];
  if (!sl.used) return {};
  return Positions(positions_.data() + sl.begin, sl.end - sl.begin);
}

std::string_view FirewallRules::key(const std::string& text) {
  for (char c : text)
    if (c >= 'A' && c <= 'Z') return owned_.emplace_back(ascii_lower(text));
  return text;
}


FirewallRules::FirewallRules(const sema::Firewall& fw, const sema::Catalog& catalog, const std::string& region) : fw_(fw) {
  using K = sema::Endpoint::Kind;
  for (const auto* col : in_order(fw, sema::CollectionKind::network))
    for (const auto& rule : col->network_rules) {
      work::count();
      const auto pos = static_cast<std::uint32_t>(net_.size());
      net_.push_back({col, &rule});
      for (const auto& d : rule.destinations) {
        switch (d.kind) {
          case K::any: push_unique(net_any_, pos); break;
          case K::cidr: push_unique(d.cidr.length == 0 ? net_any_ : net_address_, pos); break;
          case K::subnet: push_unique(net_address_, pos); break;
          case K::fqdn: net_fqdn_.add(key(d.text), pos); break;
          case K::service_tag: {
            const auto tag = key(d.text);
            if (tag == "internet") push_unique(net_public_, pos);
            else net_tag_.add(tag, pos);
            break;
          }
          case K::public_ip: push_unique(net_pip_[d.public_ip], pos); break;
          case K::fqdn_tag: break;
          case K::ip_group: {  // indexed as its members: addresses, or `*` for a /0 among them
            if (d.ip_group == nullptr) break;
            bool everything = false;
            for (const auto& m : d.ip_group->members) everything = everything || (m.kind == K::cidr && m.cidr.length == 0);
            push_unique(everything ? net_any_ : net_address_, pos);
            break;
          }
        }
      }
    }
  for (const auto* col : in_order(fw, sema::CollectionKind::application))
    for (const auto& rule : col->application_rules) {
      work::count();
      const auto pos = static_cast<std::uint32_t>(app_.size());
      app_.push_back({col, &rule});
      for (const auto& t : rule.targets) {
        if (t.kind == K::any) {
          push_unique(app_any_, pos);
        } else if (t.kind == K::fqdn) {
          const auto name = key(t.text);
          if (name == "*") push_unique(app_any_, pos);
          else if (name.size() > 2 && name.compare(0, 2, "*.") == 0) app_wildcard_.add(name.substr(2), pos);
          else app_fqdn_.add(name, pos);
        } else if (t.kind == K::fqdn_tag) {
          push_unique(app_tag_[ascii_lower(t.text)], pos);
        }
      }
    }
  net_fqdn_.finish();
  net_tag_.finish();
  app_fqdn_.finish();
  app_wildcard_.finish();
  for (const auto* col : in_order(fw, sema::CollectionKind::nat))
    for (const auto& rule : col->dnat_rules) {
      dnat_.push_back(&rule);
      dnat_collection_.push_back(col);
    }
  // What each FQDN tag covers is prelude data (`fqdn_tag_covers` in stdlib/registries.egress), loaded into
  // every program whatever it imports.
  // A pattern with `${location}` (the AKS tag's `*.hcp.${location}.azmk8s.io`) covers that name in every region:
  // the tag is not regional, and clusters in other regions' groups may egress through this firewall.
  for (const auto& [tag, fqdns] : catalog.tag_covers)
    for (const auto& f : fqdns) {
      const bool regional =
          std::any_of(f.parts.begin(), f.parts.end(), [](const auto& p) { return p.param && p.text == "location"; });
      tag_patterns_[tag].push_back(ascii_lower(with_region(f, f.value, region)));
      if (regional)
        for (const auto& r : catalog.regions)
          if (r != region) tag_patterns_[tag].push_back(ascii_lower(with_region(f, f.value, r)));
    }
}

std::string_view FirewallRules::tag_for(std::string_view requirement, std::string_view host) const {
  (void)requirement;  // any tag that covers the host
  for (const auto& [tag, patterns] : tag_patterns_)
    if (tag_covers(tag, host)) return tag;
  return {};
}

bool FirewallRules::tag_covers(std::string_view tag, std::string_view host) const {
  auto it = tag_patterns_.find(ascii_lower(tag));
  if (it == tag_patterns_.end()) return false;
  for (const auto& p : it->second)
    if (fqdn_covers(p, host)) return true;
  return false;
}

void FirewallRules::scan_network(Positions bucket, const Flow& flow, const sema::Cidr& source, std::uint32_t& best,
                                 std::vector<NearMiss>* misses) const {
  for (const auto pos : bucket) {
    work::count();
    if (pos >= best) return;
    const auto& rule = *net_[pos].rule;
    bool dest = false;
    for (const auto& d : rule.destinations)
      if (network_destination_matches(d, flow)) { dest = true; break; }
    if (!dest) continue;
    const bool proto = protocol_matches(rule.protocols, flow.protocol);
    const bool port = flow.protocol == sema::Protocol::icmp || port_matches(rule.ports, flow.port);
    const auto src = source_matches(rule.sources, source);
    if (proto && port && src == SourceMatch::yes) {
      best = pos;
      return;
    }
    if (misses == nullptr || misses->size() >= kMaxNearMisses) continue;
    std::string why;
    if (!proto) {
      std::string ps;
      for (auto p : rule.protocols) ps += (ps.empty() ? "" : "/") + protocol_name(p);
      why = fmt::format("for {}, not {}", ps, protocol_name(flow.protocol));
    } else if (!port) {
      why = fmt::format("on port {}, not {}", ports_text(rule.ports), flow.port);
    } else {
      why = fmt::format("only from sources that do not cover all of {}", source_text(source));
    }
    misses->push_back({rule.span, fmt::format("network rule `{}` of `{}` names {} but {}", rule.name,
                                             net_[pos].collection->name, flow.host, why)});
  }
}

void FirewallRules::scan_application(Positions bucket, const Flow& flow, const sema::Cidr& source, std::uint32_t& best,
                                     std::vector<NearMiss>* misses) const {
  for (const auto pos : bucket) {
    work::count();
    if (pos >= best) return;
    const auto& rule = *app_[pos].rule;
    bool target = false;
    for (const auto& t : rule.targets) {
      if (t.kind == sema::Endpoint::Kind::any) target = true;
      else if (t.kind == sema::Endpoint::Kind::fqdn) target = fqdn_covers(t.text, flow.host);
      else if (t.kind == sema::Endpoint::Kind::fqdn_tag) target = tag_covers(t.text, flow.host);
      if (target) break;
    }
    if (!target) continue;
    const bool proto = app_protocol_matches(rule.protocols, flow);
    const auto src = source_matches(rule.sources, source);
    if (proto && src == SourceMatch::yes) {
      best = pos;
      return;
    }
    if (misses == nullptr || misses->size() >= kMaxNearMisses) continue;
    std::string why;
    if (!proto) {
      std::string ps;
      for (const auto& p : rule.protocols) ps += fmt::format("{}{}:{}", ps.empty() ? "" : ", ", app_protocol_name(p.kind), p.port);
      why = fmt::format("for {} only", ps);
    } else {
      why = fmt::format("only from sources that do not cover all of {}", source_text(source));
    }
    misses->push_back({rule.span, fmt::format("application rule `{}` of `{}` covers {} but {}", rule.name,
                                             app_[pos].collection->name, flow.host, why)});
  }
}

std::string FirewallRules::network_how(const NetRef& ref, const Flow& flow) const {
  for (const auto& d : ref.rule->destinations) {
    if (!network_destination_matches(d, flow)) continue;
    std::string what;
    switch (d.kind) {
      case sema::Endpoint::Kind::any: what = "destination *"; break;
      case sema::Endpoint::Kind::cidr: what = fmt::format("destination {}", d.cidr.str()); break;
      case sema::Endpoint::Kind::fqdn: what = fmt::format("FQDN {}", d.text); break;
      case sema::Endpoint::Kind::service_tag: what = fmt::format("service tag {}", d.text); break;
      case sema::Endpoint::Kind::subnet: what = fmt::format("subnet {}", d.text); break;
      case sema::Endpoint::Kind::public_ip: what = fmt::format("public IP {}", d.text); break;
      case sema::Endpoint::Kind::fqdn_tag: what = d.text; break;
      case sema::Endpoint::Kind::ip_group: what = fmt::format("IP group {}", d.text); break;
    }
    return fmt::format("{}, {} port {}", what, protocol_name(flow.protocol), flow.port);
  }
  return {};
}

std::string FirewallRules::application_how(const AppRef& ref, const Flow& flow) const {
  for (const auto& t : ref.rule->targets) {
    if (t.kind == sema::Endpoint::Kind::any || (t.kind == sema::Endpoint::Kind::fqdn && ascii_lower(t.text) == "*"))
      return fmt::format("target * covers every FQDN, port {}", flow.port);
    if (t.kind == sema::Endpoint::Kind::fqdn && fqdn_covers(t.text, flow.host))
      return fmt::format("FQDN {} covers {}, port {}", t.text, flow.host, flow.port);
    if (t.kind == sema::Endpoint::Kind::fqdn_tag && tag_covers(t.text, flow.host))
      return fmt::format("FQDN tag {} covers {}, port {}", t.text, flow.host, flow.port);
  }
  return {};
}

Verdict FirewallRules::evaluate(const Flow& flow, const sema::Cidr& source) const {
  Verdict v;
  std::vector<NearMiss> misses;
  std::uint32_t best = kNone;
  scan_network(net_any_, flow, source, best, nullptr);
  switch (flow.target) {
    case Flow::Target::fqdn:
      scan_network(net_public_, flow, source, best, nullptr);
      scan_network(net_fqdn_.find(ascii_lower(flow.host)), flow, source, best, &misses);
      break;
    case Flow::Target::service_tag: {
      scan_network(net_public_, flow, source, best, nullptr);
      const auto tag = ascii_lower(flow.host);
      scan_network(net_tag_.find(tag), flow, source, best, &misses);
      if (const auto dot = tag.find('.'); dot != std::string::npos)
        scan_network(net_tag_.find(std::string_view(tag).substr(0, dot)), flow, source, best, &misses);
      break;
    }
    case Flow::Target::address:
      if (!is_private_address(flow.address)) scan_network(net_public_, flow, source, best, nullptr);
      scan_network(net_address_, flow, source, best, &misses);
      break;
    case Flow::Target::public_ip:
      scan_network(net_public_, flow, source, best, nullptr);
      if (auto it = net_pip_.find(flow.public_ip); it != net_pip_.end()) scan_network(it->second, flow, source, best, &misses);
      break;
  }
  if (best != kNone) {
    const auto& ref = net_[best];
    v.result = ref.collection->action == sema::Action::allow ? Verdict::Result::allowed : Verdict::Result::denied;
    v.collection = ref.collection;
    v.network_rule = ref.rule;
    v.how = network_how(ref, flow);
    return v;
  }
  if (flow.app != Flow::App::none && flow.target == Flow::Target::fqdn) {
    const auto host = ascii_lower(flow.host);
    scan_application(app_any_, flow, source, best, nullptr);
    std::string_view body = host;
    if (body.size() > 2 && body.compare(0, 2, "*.") == 0) {
      body.remove_prefix(2);  // a wildcard host: only wildcard rules at or above its suffix cover it
      scan_application(app_wildcard_.find(body), flow, source, best, &misses);
    } else {
      scan_application(app_fqdn_.find(body), flow, source, best, &misses);
    }
    for (auto dot = body.find('.'); dot != std::string_view::npos; dot = body.find('.', dot + 1))
      scan_application(app_wildcard_.find(body.substr(dot + 1)), flow, source, best, &misses);
    for (const auto& [tag, bucket] : app_tag_)
      if (tag_covers(tag, host)) scan_application(bucket, flow, source, best, &misses);
    if (best != kNone) {
      const auto& ref = app_[best];
      v.result = ref.collection->action == sema::Action::allow ? Verdict::Result::allowed : Verdict::Result::denied;
      v.collection = ref.collection;
      v.application_rule = ref.rule;
      v.how = application_how(ref, flow);
      return v;
    }
  }
  v.near_misses = std::move(misses);
  return v;
}

const sema::DnatRule* FirewallRules::dnat(const sema::PublicIp* pip, sema::Protocol protocol, std::uint16_t port,
                                          const sema::RuleCollection** collection) const {
  for (std::size_t i = 0; i < dnat_.size(); ++i) {
    const auto& r = *dnat_[i];
    if (r.destination != pip || r.port != port) continue;
    if (r.protocol != protocol && r.protocol != sema::Protocol::any) continue;
    bool from_anywhere = r.sources.empty();
    for (const auto& s : r.sources)
      if (s.kind == sema::Endpoint::Kind::any || (s.kind == sema::Endpoint::Kind::cidr && s.cidr.length == 0)) from_anywhere = true;
    if (!from_anywhere) continue;
    if (collection != nullptr) *collection = dnat_collection_[i];
    return &r;
  }
  return nullptr;
}

}  // namespace egress::model
