// Flow evaluation through a firewall's rules, the flows every cluster must make, and the checks on them.
// Azure Firewall's order (learn.microsoft.com/azure/firewall/rule-processing): DNAT, then network rule
// collections by priority, then application rule collections by priority; the first matching rule decides,
// allow or deny; traffic no rule allows is denied.
#include "model/flows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <set>

#include "model/network.hpp"

namespace egress::model {

namespace {

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kMaxNearMisses = 3;

// An FQDN tag stands for the FQDNs of a requirement: "The FQDN tag contains all the FQDNs listed in Outbound
// network and FQDN rules for AKS clusters" (learn.microsoft.com/azure/aks/limit-egress-traffic). The FQDNs
// themselves are the requirement's application flows in stdlib/aks.egress.
constexpr std::array<std::pair<std::string_view, std::string_view>, 1> kFqdnTagRequirements = {{
    {"azurekubernetesservice", "aks"},
}};

// Hosts a registry serves image pulls from besides its own name. Docker Hub and GitHub Container Registry as
// the article opens them (its network rules `docker` and `ghcr`: blobs come from a CDN host); Microsoft
// Container Registry's data endpoints as in the AKS outbound rules (stdlib/aks.egress).
struct RegistryHosts {
  std::string_view registry;
  std::array<std::string_view, 2> also;
};
constexpr std::array<RegistryHosts, 3> kRegistryHosts = {{
    {"docker.io", {"registry-1.docker.io", "production.cloudflare.docker.com"}},
    {"ghcr.io", {"pkg-containers.githubusercontent.com", ""}},
    {"mcr.microsoft.com", {"*.data.mcr.microsoft.com", ""}},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return a.size() == b.size() && lower(a) == lower(b); }

bool is_private_address(std::uint32_t a) {
  return (a >> 24) == 10 || (a >> 20) == 0xAC1 || (a >> 16) == 0xC0A8 || (a >> 22) == (0x64400000u >> 22);
}

std::string protocol_name(sema::Protocol p) {
  switch (p) {
    case sema::Protocol::tcp: return "TCP";
    case sema::Protocol::udp: return "UDP";
    case sema::Protocol::icmp: return "ICMP";
    case sema::Protocol::any: return "any protocol";
  }
  return "?";
}

std::string_view app_name(sema::AppProtocol::Kind k) {
  switch (k) {
    case sema::AppProtocol::Kind::http: return "http";
    case sema::AppProtocol::Kind::https: return "https";
    case sema::AppProtocol::Kind::mssql: return "mssql";
  }
  return "?";
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
    const sema::Cidr* c = e.kind == sema::Endpoint::Kind::cidr     ? &e.cidr
                          : e.kind == sema::Endpoint::Kind::subnet ? (e.subnet != nullptr ? &e.subnet->prefix : nullptr)
                                                                   : nullptr;
    if (e.kind == sema::Endpoint::Kind::any) return SourceMatch::yes;
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
      const auto tag = lower(e.text);
      if (tag == "internet") return f.target != Flow::Target::address || !is_private_address(f.address);
      if (f.target != Flow::Target::service_tag) return false;
      const auto host = lower(f.host);
      return host == tag || (host.size() > tag.size() && host.compare(0, tag.size(), tag) == 0 && host[tag.size()] == '.');
    }
    case K::subnet: return f.target == Flow::Target::address && e.subnet != nullptr && e.subnet->prefix.contains(f.address);
    case K::public_ip: return f.target == Flow::Target::public_ip && e.public_ip == f.public_ip;
    case K::fqdn_tag: return false;  // only for application rules (E0230)
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

const std::vector<std::uint32_t>* lookup(const std::map<std::string, std::vector<std::uint32_t>, std::less<>>& index,
                                         std::string_view key) {
  auto it = index.find(key);
  return it == index.end() ? nullptr : &it->second;
}

/// Collections of one kind in the order Azure processes them: by priority, then as declared.
std::vector<const sema::RuleCollection*> in_order(const sema::Firewall& fw, sema::CollectionKind kind) {
  std::vector<const sema::RuleCollection*> out;
  for (const auto& c : fw.collections)
    if (c.kind == kind) out.push_back(&c);
  std::stable_sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->priority < b->priority; });
  return out;
}

std::string substitute(const sema::Text& pattern, const std::string& fallback, const std::string& region) {
  if (pattern.parts.empty()) return fallback;
  std::string out;
  for (const auto& p : pattern.parts) out += p.param ? (p.text == "location" ? region : "${" + p.text + "}") : p.text;
  return out;
}

}  // namespace

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
  const auto pattern = lower(pattern_in), host = lower(host_in);
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

std::pair<std::string, std::uint16_t> image_registry(std::string_view image) {
  const auto slash = image.find('/');
  if (slash == std::string_view::npos) return {"docker.io", 443};
  const auto first = image.substr(0, slash);
  if (first.find('.') == std::string_view::npos && first.find(':') == std::string_view::npos && first != "localhost")
    return {"docker.io", 443};
  std::uint16_t port = 443;
  std::string_view host = first;
  if (const auto colon = first.find(':'); colon != std::string_view::npos) {
    host = first.substr(0, colon);
    unsigned value = 0;
    bool ok = colon + 1 < first.size();
    for (char c : first.substr(colon + 1)) {
      if (c < '0' || c > '9' || value > 65535) { ok = false; break; }
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (ok && value >= 1 && value <= 65535) port = static_cast<std::uint16_t>(value);
  }
  auto h = lower(host);
  if (h == "index.docker.io" || h == "registry-1.docker.io") h = "docker.io";
  return {h, port};
}

std::string_view outcome_name(FlowOutcome o) {
  switch (o) {
    case FlowOutcome::allowed: return "allowed";
    case FlowOutcome::blocked: return "blocked";
    case FlowOutcome::bypass: return "bypasses the firewall";
    case FlowOutcome::dropped: return "dropped";
    case FlowOutcome::unverified: return "not verified";
  }
  return "?";
}

// ---- FirewallRules

FirewallRules::FirewallRules(const sema::Firewall& fw, const sema::Catalog& catalog, const std::string& region) : fw_(fw) {
  using K = sema::Endpoint::Kind;
  for (const auto* col : in_order(fw, sema::CollectionKind::network))
    for (const auto& rule : col->network_rules) {
      const auto pos = static_cast<std::uint32_t>(net_.size());
      net_.push_back({col, &rule});
      for (const auto& d : rule.destinations) {
        switch (d.kind) {
          case K::any: push_unique(net_any_, pos); break;
          case K::cidr: push_unique(d.cidr.length == 0 ? net_any_ : net_address_, pos); break;
          case K::subnet: push_unique(net_address_, pos); break;
          case K::fqdn: push_unique(net_fqdn_[lower(d.text)], pos); break;
          case K::service_tag: {
            const auto tag = lower(d.text);
            push_unique(tag == "internet" ? net_public_ : net_tag_[tag], pos);
            break;
          }
          case K::public_ip: push_unique(net_pip_[d.public_ip], pos); break;
          case K::fqdn_tag: break;
        }
      }
    }
  for (const auto* col : in_order(fw, sema::CollectionKind::application))
    for (const auto& rule : col->application_rules) {
      const auto pos = static_cast<std::uint32_t>(app_.size());
      app_.push_back({col, &rule});
      for (const auto& t : rule.targets) {
        if (t.kind == K::any) {
          push_unique(app_any_, pos);
        } else if (t.kind == K::fqdn) {
          const auto name = lower(t.text);
          if (name == "*") push_unique(app_any_, pos);
          else if (name.size() > 2 && name.compare(0, 2, "*.") == 0) push_unique(app_wildcard_[name.substr(2)], pos);
          else push_unique(app_fqdn_[name], pos);
        } else if (t.kind == K::fqdn_tag) {
          push_unique(app_tag_[lower(t.text)], pos);
        }
      }
    }
  for (const auto* col : in_order(fw, sema::CollectionKind::nat))
    for (const auto& rule : col->dnat_rules) {
      dnat_.push_back(&rule);
      dnat_collection_.push_back(col);
    }
  for (const auto& [tag, requirement] : kFqdnTagRequirements)
    for (const auto& req : catalog.requirements)
      if (req.name == requirement)
        for (const auto& f : req.flows)
          if (f.kind == sema::RequiredFlow::Kind::application)
            tag_patterns_[std::string(tag)].push_back(lower(substitute(f.destination.pattern, f.destination.text, region)));
}

bool FirewallRules::tag_covers(std::string_view tag, std::string_view host) const {
  auto it = tag_patterns_.find(lower(tag));
  if (it == tag_patterns_.end()) return false;
  for (const auto& p : it->second)
    if (fqdn_covers(p, host)) return true;
  return false;
}

void FirewallRules::scan_network(const Bucket& bucket, const Flow& flow, const sema::Cidr& source, std::uint32_t& best,
                                 std::vector<NearMiss>& misses) const {
  for (const auto pos : bucket) {
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
    if (misses.size() >= kMaxNearMisses) continue;
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
    misses.push_back({rule.span, fmt::format("network rule `{}` of `{}` names {} but {}", rule.name,
                                             net_[pos].collection->name, flow.host, why)});
  }
}

void FirewallRules::scan_application(const Bucket& bucket, const Flow& flow, const sema::Cidr& source, std::uint32_t& best,
                                     std::vector<NearMiss>& misses) const {
  for (const auto pos : bucket) {
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
    if (misses.size() >= kMaxNearMisses) continue;
    std::string why;
    if (!proto) {
      std::string ps;
      for (const auto& p : rule.protocols) ps += fmt::format("{}{}:{}", ps.empty() ? "" : ", ", app_name(p.kind), p.port);
      why = fmt::format("for {} only", ps);
    } else {
      why = fmt::format("only from sources that do not cover all of {}", source_text(source));
    }
    misses.push_back({rule.span, fmt::format("application rule `{}` of `{}` covers {} but {}", rule.name,
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
    }
    return fmt::format("{}, {} port {}", what, protocol_name(flow.protocol), flow.port);
  }
  return {};
}

std::string FirewallRules::application_how(const AppRef& ref, const Flow& flow) const {
  for (const auto& t : ref.rule->targets) {
    if (t.kind == sema::Endpoint::Kind::any || (t.kind == sema::Endpoint::Kind::fqdn && lower(t.text) == "*"))
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
  scan_network(net_any_, flow, source, best, misses);
  switch (flow.target) {
    case Flow::Target::fqdn:
      scan_network(net_public_, flow, source, best, misses);
      if (const auto* b = lookup(net_fqdn_, lower(flow.host))) scan_network(*b, flow, source, best, misses);
      break;
    case Flow::Target::service_tag: {
      scan_network(net_public_, flow, source, best, misses);
      const auto tag = lower(flow.host);
      if (const auto* b = lookup(net_tag_, tag)) scan_network(*b, flow, source, best, misses);
      if (const auto dot = tag.find('.'); dot != std::string::npos)
        if (const auto* b = lookup(net_tag_, std::string_view(tag).substr(0, dot))) scan_network(*b, flow, source, best, misses);
      break;
    }
    case Flow::Target::address:
      if (!is_private_address(flow.address)) scan_network(net_public_, flow, source, best, misses);
      scan_network(net_address_, flow, source, best, misses);
      break;
    case Flow::Target::public_ip:
      scan_network(net_public_, flow, source, best, misses);
      if (auto it = net_pip_.find(flow.public_ip); it != net_pip_.end()) scan_network(it->second, flow, source, best, misses);
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
    const auto host = lower(flow.host);
    scan_application(app_any_, flow, source, best, misses);
    std::string_view body = host;
    if (body.size() > 2 && body.compare(0, 2, "*.") == 0) {
      body.remove_prefix(2);  // a wildcard host: only wildcard rules at or above its suffix cover it
      if (const auto* b = lookup(app_wildcard_, body)) scan_application(*b, flow, source, best, misses);
    } else if (const auto* b = lookup(app_fqdn_, body)) {
      scan_application(*b, flow, source, best, misses);
    }
    for (auto dot = body.find('.'); dot != std::string_view::npos; dot = body.find('.', dot + 1))
      if (const auto* b = lookup(app_wildcard_, body.substr(dot + 1))) scan_application(*b, flow, source, best, misses);
    for (const auto& [tag, bucket] : app_tag_)
      if (tag_covers(tag, host)) scan_application(bucket, flow, source, best, misses);
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

// ---- the flows of every cluster

namespace {

Flow required_flow(const sema::RequiredFlow& f, const std::string& region) {
  Flow flow;
  flow.host = substitute(f.destination.pattern, f.destination.text, region);
  flow.port = f.port;
  if (f.kind == sema::RequiredFlow::Kind::application) {
    flow.target = Flow::Target::fqdn;
    flow.protocol = sema::Protocol::tcp;
    flow.app = f.app_protocol == sema::AppProtocol::Kind::http    ? Flow::App::http
               : f.app_protocol == sema::AppProtocol::Kind::mssql ? Flow::App::mssql
                                                                  : Flow::App::https;
  } else {
    flow.target = f.destination.kind == sema::Endpoint::Kind::service_tag ? Flow::Target::service_tag : Flow::Target::fqdn;
    flow.protocol = f.protocol;
    // TCP to a name may also be HTTP(S) an application rule recognises.
    flow.app = f.protocol == sema::Protocol::tcp ? Flow::App::any : Flow::App::none;
  }
  return flow;
}

// "The network rules for AzureCloud.<region> on UDP 1194 and TCP 9000 are not needed for private clusters"
// (learn.microsoft.com/azure/aks/outbound-rules-control-egress): their nodes reach the API server through a
// private endpoint inside the VNet.
bool needed_by(const sema::RequiredFlow& f, const sema::Cluster& c) {
  if (!c.private_cluster || f.kind != sema::RequiredFlow::Kind::network) return true;
  const auto tag = lower(f.destination.text);
  return !(f.destination.kind == sema::Endpoint::Kind::service_tag && tag.rfind("azurecloud", 0) == 0);
}

void walk(const Network& net, const sema::Cluster& c, ClusterFlow& cf) {
  const auto& routes = net.routes(*c.subnet);
  cf.route = routes.choose(cf.flow.destination());
  if (cf.route == nullptr) {
    cf.outcome = FlowOutcome::dropped;
    return;
  }
  switch (cf.route->hop) {
    case Hop::virtual_appliance:
      if (cf.route->firewall == nullptr) {
        cf.outcome = FlowOutcome::unverified;
      } else if (!net.connected(*c.subnet->vnet, *cf.route->firewall)) {
        cf.outcome = FlowOutcome::dropped;
      } else {
        cf.firewall = cf.route->firewall;
        cf.verdict = net.rules(*cf.firewall).evaluate(cf.flow, c.subnet->prefix);
        cf.outcome = cf.verdict.allowed() ? FlowOutcome::allowed : FlowOutcome::blocked;
      }
      break;
    case Hop::internet: cf.outcome = FlowOutcome::bypass; break;
    case Hop::none: cf.outcome = FlowOutcome::dropped; break;
    case Hop::vnet_local:
    case Hop::vnet_peering: cf.outcome = FlowOutcome::allowed; break;
    case Hop::vnet_gateway: cf.outcome = FlowOutcome::unverified; break;
  }
}

std::string workload_owner(const sema::Workload& w, const sema::App& app) {
  return fmt::format("{} `{}` (app `{}`)", w.kind == sema::Workload::Kind::statefulset ? "statefulset" : "deployment", w.name,
                     app.symbol);
}

}  // namespace

std::vector<ClusterFlow> cluster_flows(const Network& net) {
  std::vector<ClusterFlow> out;
  const auto& program = net.program();
  for (const auto& c : program.clusters) {
    if (c.subnet == nullptr || c.subnet->vnet == nullptr) continue;
    for (const auto& req : net.catalog().requirements)
      for (const auto& f : req.flows) {
        if (!needed_by(f, c)) continue;
        ClusterFlow cf;
        cf.cluster = &c;
        cf.requirement = &req;
        cf.required = &f;
        cf.flow = required_flow(f, net.region());
        walk(net, c, cf);
        out.push_back(std::move(cf));
      }
    // Images, grouped by registry in the order they first appear.
    std::vector<std::pair<std::pair<std::string, std::uint16_t>, std::vector<ImageUse>>> registries;
    auto use = [&](const sema::Text& image, std::string owner, Span span) {
      auto reg = image_registry(image.value);
      if (reg.first == "localhost") return;  // pulled on the node itself
      auto it = std::find_if(registries.begin(), registries.end(), [&](const auto& r) { return r.first == reg; });
      if (it == registries.end()) it = registries.insert(registries.end(), {reg, {}});
      it->second.push_back({image.value, std::move(owner), span.length != 0 ? span : image.span});
    };
    for (const auto& app : program.apps) {
      if (app.cluster != &c) continue;
      for (const auto& w : app.workloads) {
        use(w.image, workload_owner(w, app), w.image.span.length != 0 ? w.image.span : w.span);
        for (const auto& wf : w.wait_for)
          use(wf.image, fmt::format("the init container of {} that waits for {}:{}", workload_owner(w, app), wf.host, wf.port),
              wf.image.span.length != 0 ? wf.image.span : wf.span);
      }
    }
    for (const auto& [reg, images] : registries) {
      std::vector<std::pair<std::string, std::uint16_t>> hosts = {reg};
      for (const auto& known : kRegistryHosts)
        if (known.registry == reg.first)
          for (auto h : known.also)
            if (!h.empty()) hosts.emplace_back(std::string(h), 443);
      for (const auto& [host, port] : hosts) {
        ClusterFlow cf;
        cf.cluster = &c;
        cf.registry = reg.second == 443 ? reg.first : fmt::format("{}:{}", reg.first, reg.second);
        cf.images = images;
        cf.flow.target = Flow::Target::fqdn;
        cf.flow.host = host;
        cf.flow.port = port;
        cf.flow.protocol = sema::Protocol::tcp;
        cf.flow.app = Flow::App::https;
        walk(net, c, cf);
        out.push_back(std::move(cf));
      }
    }
  }
  return out;
}

// ---- the checks

namespace {

/// Where a rule for `kind` belongs: the first allow collection of that kind, else the firewall.
Span where_to_add(const sema::Firewall& fw, sema::CollectionKind kind) {
  for (const auto& c : fw.collections)
    if (c.kind == kind && c.action == sema::Action::allow && !c.implicit) return c.span;
  return fw.span;
}

int free_priority(const sema::Firewall& fw, sema::CollectionKind kind) {
  int p = 0;
  for (const auto& c : fw.collections)
    if (c.kind == kind) p = std::max(p, c.priority);
  return p == 0 ? 100 : std::min(p + 100, 65000);
}

std::string rule_name_for(std::string_view host) {
  std::string out;
  for (char c : host) {
    if (c == '.' || c == '*') {
      if (!out.empty()) break;
      continue;
    }
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out.empty() ? "allow" : out;
}

std::string destination_source(const ClusterFlow& cf) {
  // As written in a rule: service tags bare, FQDNs quoted.
  return cf.flow.target == Flow::Target::service_tag ? cf.flow.host : fmt::format("\"{}\"", cf.flow.host);
}

const FirewallRules* tag_rules_for(const Network& net, const ClusterFlow& cf) {
  return cf.firewall != nullptr ? &net.rules(*cf.firewall) : nullptr;
}

std::string tag_covering(const Network& net, const ClusterFlow& cf) {
  const auto* rules = tag_rules_for(net, cf);
  if (rules == nullptr || cf.requirement == nullptr) return {};
  for (const auto& [tag, requirement] : kFqdnTagRequirements)
    if (requirement == cf.requirement->name && rules->tag_covers(tag, cf.flow.host))
      for (const auto& known : net.catalog().fqdn_tags)
        if (lower(known) == tag) return known;
  return {};
}

void add_route_note(Diagnostic& d, const ClusterFlow& cf) {
  if (cf.route != nullptr && cf.route->route != nullptr && cf.firewall != nullptr)
    d.notes.push_back({cf.route->route->span, fmt::format("route `{}` sends the traffic of cluster `{}` to firewall `{}`",
                                                          cf.route->route->symbol, cf.cluster->symbol, cf.firewall->symbol)});
}

std::string blocked_reason(const ClusterFlow& cf, bool plural) {
  if (cf.verdict.result == Verdict::Result::denied)
    return fmt::format("rule `{}` of deny collection `{}` (priority {}) on firewall `{}` drops {}", cf.verdict.rule_name(),
                       cf.verdict.collection->name, cf.verdict.collection->priority, cf.firewall->symbol,
                       plural ? "them" : "it");
  return fmt::format("firewall `{}` has no rule that allows {}, so its default deny drops {}", cf.firewall->symbol,
                     plural ? "them" : "it", plural ? "them" : "it");
}

void report_required(const Network& net, const ClusterFlow& cf, Diagnostics& diags) {
  const auto& fw = *cf.firewall;
  const bool network = cf.required->kind == sema::RequiredFlow::Kind::network;
  const Span at = cf.verdict.result == Verdict::Result::denied
                      ? cf.verdict.rule_span()
                      : where_to_add(fw, network ? sema::CollectionKind::network : sema::CollectionKind::application);
  std::string hint;
  const std::string name = rule_name_for(cf.flow.host);
  if (network) {
    hint = fmt::format("allow it in a network collection of `{}`: `allow {} {} * -> {} : {}`", fw.symbol, name,
                       cf.flow.protocol == sema::Protocol::udp ? "udp" : "tcp", destination_source(cf), cf.flow.port);
    if (cf.flow.target == Flow::Target::fqdn && !fw.dns_proxy) hint += " (an FQDN in a network rule needs `dns_proxy on`)";
  } else {
    hint = fmt::format("allow it in an application collection of `{}`: `allow {} {}:{} * -> \"{}\"`", fw.symbol, name,
                       app_name(cf.required->app_protocol), cf.flow.port, cf.flow.host);
    if (const auto tag = tag_covering(net, cf); !tag.empty())
      hint += fmt::format(", or allow them all with `allow aks {}:{} * -> tag {}`", app_name(cf.required->app_protocol),
                          cf.flow.port, tag);
  }
  if (cf.verdict.result == Verdict::Result::denied)
    hint = fmt::format("move the flow out of deny collection `{}`, or allow it in a collection with a lower priority number; ",
                       cf.verdict.collection->name) + hint;
  auto& d = diags.report(Code::E0246, at,
                         fmt::format("cluster `{}` cannot reach {}: {}. AKS needs it: {}; without it the cluster fails to "
                                     "provision or upgrade",
                                     cf.cluster->symbol, cf.flow.text(), blocked_reason(cf, false), cf.required->why),
                         hint);
  add_route_note(d, cf);
  d.notes.push_back({cf.required->span, fmt::format("required by `{}` ({})", cf.requirement->name, cf.requirement->title)});
  for (const auto& m : cf.verdict.near_misses) d.notes.push_back({m.span, m.message});
}

void report_grouped(const Network& net, const std::vector<const ClusterFlow*>& group, const std::string& tag,
                    Diagnostics& diags) {
  const auto& first = *group.front();
  const auto& fw = *first.firewall;
  std::string list;
  for (std::size_t i = 0; i < group.size() && i < 3; ++i) list += (i == 0 ? "" : ", ") + group[i]->flow.host;
  if (group.size() > 3) list += fmt::format(" and {} more", group.size() - 3);
  auto& d = diags.report(
      Code::E0246, where_to_add(fw, sema::CollectionKind::application),
      fmt::format("cluster `{}` cannot reach the {} HTTPS endpoints AKS needs ({}): {}. Without them {}; {}; the cluster "
                  "fails to provision or upgrade",
                  first.cluster->symbol, group.size(), list, blocked_reason(first, true), group[0]->required->why,
                  group[1]->required->why),
      fmt::format("allow them all with the FQDN tag, which covers every one of them: `application aks priority {} < allow "
                  "fqdn https:443 * -> tag {} >` in firewall `{}`",
                  free_priority(fw, sema::CollectionKind::application), tag, fw.symbol));
  add_route_note(d, first);
  d.notes.push_back({first.requirement->span, fmt::format("required by `{}` ({})", first.requirement->name,
                                                          first.requirement->title)});
  (void)net;
}

void report_image(const std::vector<const ClusterFlow*>& hosts, Diagnostics& diags) {
  const auto& first = *hosts.front();
  const auto& fw = *first.firewall;
  const auto& image = first.images.front();
  std::string blocked, quoted;
  bool wildcard = false;
  for (const auto* h : hosts) {
    blocked += fmt::format("{}{}:{}", blocked.empty() ? "" : ", ", h->flow.host, h->flow.port);
    quoted += fmt::format("{}\"{}\"", quoted.empty() ? "" : ", ", h->flow.host);
    wildcard = wildcard || h->flow.host.rfind("*.", 0) == 0;
  }
  std::string layers;  // blocked hosts other than the registry's own name
  for (const auto* h : hosts)
    if (first.registry.rfind(h->flow.host, 0) != 0) layers += (layers.empty() ? "" : ", ") + h->flow.host;
  const std::string name = rule_name_for(first.registry);
  std::string hint;
  if (!wildcard)
    hint = fmt::format("allow it in a network collection of `{}` (needs `dns_proxy on`): `allow {} tcp * -> {} : {}`, or in "
                       "an application collection: `allow {} https:{} * -> {}`",
                       fw.symbol, name, quoted, first.flow.port, name, first.flow.port, quoted);
  else
    hint = fmt::format("allow it in an application collection of `{}`: `allow {} https:{} * -> {}`", fw.symbol, name,
                       first.flow.port, quoted);
  std::string why = first.verdict.result == Verdict::Result::denied
                        ? fmt::format("rule `{}` of deny collection `{}` on firewall `{}` drops HTTPS to {}",
                                      first.verdict.rule_name(), first.verdict.collection->name, fw.symbol, blocked)
                        : fmt::format("firewall `{}` allows no HTTPS to {}", fw.symbol, blocked);
  auto& d = diags.report(
      Code::E0248, image.span,
      fmt::format("pods of {} would sit in ImagePullBackOff: image \"{}\" comes from registry {}, and {}{}", image.owner,
                  image.image, first.registry, why,
                  layers.empty() ? "" : fmt::format(" (pulls from {} also go to {})", first.registry, layers)),
      hint);
  add_route_note(d, first);
  for (std::size_t i = 1; i < first.images.size() && i <= 3; ++i)
    d.notes.push_back({first.images[i].span, fmt::format("{} also pulls from {}", first.images[i].owner, first.registry)});
  for (const auto& m : first.verdict.near_misses) d.notes.push_back({m.span, m.message});
}

void check_paths(const Network& net, Diagnostics& diags) {
  for (const auto& c : net.program().clusters) {
    if (c.subnet == nullptr || c.subnet->vnet == nullptr) continue;
    const auto e = net.egress(c);
    const auto* r = e.internet_route;
    if (r == nullptr || r->hop != Hop::virtual_appliance || e.firewall == nullptr) continue;
    if (!e.firewall_reachable) {
      const auto& fw = *e.firewall;
      auto& d = diags.report(
          Code::E0247, r->route != nullptr ? r->route->span : c.span,
          fmt::format("cluster `{}` sends its egress to firewall `{}` ({}), but the firewall's VNet `{}` is neither the "
                      "cluster's VNet `{}` nor peered with it: Azure cannot deliver to that next hop, so every flow out of "
                      "the cluster is dropped and none passes the firewall",
                      c.symbol, fw.symbol, fw.private_ip.str(), fw.subnet->vnet->symbol, c.subnet->vnet->symbol),
          fmt::format("peer the VNets: `vnet {} < peer {} >`", c.subnet->vnet->symbol, fw.subnet->vnet->symbol));
      d.notes.push_back({fw.span, fmt::format("firewall `{}` is in VNet `{}`", fw.symbol, fw.subnet->vnet->symbol)});
      d.notes.push_back({c.span, fmt::format("cluster `{}` runs in VNet `{}`", c.symbol, c.subnet->vnet->symbol)});
      continue;
    }
    // Routes that send part of the Internet around the firewall.
    const auto peers = net.peers(*c.subnet->vnet);
    for (const auto& route : e.routes->routes) {
      if (!route.user || !route.active || route.hop != Hop::internet || route.route == nullptr) continue;
      if (route.prefix && (route.prefix->length == 0 || is_private_prefix(*route.prefix, *c.subnet, peers))) continue;
      if (route.public_ip != nullptr) {
        bool own = false;  // replies and DNAT to the firewall's own frontends (the article's fwinternet route)
        for (const auto& f : e.firewall->frontends) own = own || f.public_ip == route.public_ip;
        if (own) continue;
      }
      const bool udr = c.outbound == sema::OutboundType::user_defined_routing;
      auto& d = diags.report(
          Code::E0247, route.route->span,
          fmt::format("route `{}` sends {} from the subnet of cluster `{}` straight to the Internet, past firewall `{}`: "
                      "connections to those addresses leave without passing the firewall's rules{}",
                      route.route->symbol, route.prefix_text(), c.symbol, e.firewall->symbol,
                      udr ? ", and with outbound user_defined_routing the nodes have no public IP to SNAT from, so they "
                            "fail outright"
                          : ""),
          fmt::format("send it to the firewall (`route {} {} -> {}`) and allow what it needs there, or remove it",
                      route.route->symbol, route.prefix_text(), e.firewall->symbol));
      if (r->route != nullptr)
        d.notes.push_back({r->route->span, fmt::format("route `{}` sends the rest of the Internet to firewall `{}`",
                                                       r->route->symbol, e.firewall->symbol)});
      d.notes.push_back({c.outbound_span.length != 0 ? c.outbound_span : c.span,
                         fmt::format("cluster `{}` is meant to egress through the firewall", c.symbol)});
    }
  }
}

}  // namespace

void check_flows(const Network& net, Diagnostics& diags) {
  check_paths(net, diags);
  const auto flows = cluster_flows(net);
  // Required flows, cluster by cluster; the application flows one FQDN tag would cover are reported together
  // when every one of them is blocked, so a missing tag rule is one error, not nine.
  for (std::size_t i = 0; i < flows.size();) {
    std::size_t j = i;
    while (j < flows.size() && flows[j].cluster == flows[i].cluster) ++j;
    std::map<const sema::Requirement*, std::vector<const ClusterFlow*>> tag_blocked;
    std::map<const sema::Requirement*, std::size_t> tag_total;
    std::map<const sema::Requirement*, std::string> tag_name;
    for (std::size_t k = i; k < j; ++k) {
      const auto& cf = flows[k];
      if (cf.required == nullptr || cf.required->kind != sema::RequiredFlow::Kind::application || cf.firewall == nullptr) continue;
      const auto tag = tag_covering(net, cf);
      if (tag.empty()) continue;
      ++tag_total[cf.requirement];
      tag_name[cf.requirement] = tag;
      if (cf.outcome == FlowOutcome::blocked && cf.verdict.result == Verdict::Result::no_match) tag_blocked[cf.requirement].push_back(&cf);
    }
    std::set<const sema::Requirement*> grouped;
    for (const auto& [req, list] : tag_blocked)
      if (list.size() >= 2 && list.size() == tag_total[req]) {
        report_grouped(net, list, tag_name[req], diags);
        grouped.insert(req);
      }
    std::vector<const ClusterFlow*> image_hosts;
    for (std::size_t k = i; k < j; ++k) {
      const auto& cf = flows[k];
      if (cf.outcome != FlowOutcome::blocked) continue;
      if (cf.required != nullptr) {
        const bool in_group = cf.required->kind == sema::RequiredFlow::Kind::application && grouped.count(cf.requirement) != 0 &&
                              cf.verdict.result == Verdict::Result::no_match;
        if (!in_group) report_required(net, cf, diags);
        continue;
      }
      // Image flows: one error per registry, naming every host of it that is blocked.
      if (!image_hosts.empty() && image_hosts.front()->registry != cf.registry) {
        report_image(image_hosts, diags);
        image_hosts.clear();
      }
      image_hosts.push_back(&cf);
    }
    if (!image_hosts.empty()) report_image(image_hosts, diags);
    i = j;
  }
}

}  // namespace egress::model
