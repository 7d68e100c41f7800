// The checks on the flows every cluster must make (flows.cpp walks them): E0246 a required flow blocked, E0247
// egress that bypasses the firewall, E0248 an image registry blocked, W0230 recommended rows blocked, and the
// unreachable custom DNS server. Each report says whose nodes it concerns and how to allow the flow.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "model/flows.hpp"
#include "model/network.hpp"
#include "sema/requirement.hpp"

namespace egress::model {

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
  // As written in a rule: service tags and addresses bare, FQDNs quoted.
  return cf.flow.target == Flow::Target::service_tag || cf.flow.target == Flow::Target::address
             ? cf.flow.host
             : fmt::format("\"{}\"", cf.flow.host);
}

/// The FQDN tag (as the catalog spells it) that covers a required flow, or "".
std::string tag_covering(const Network& net, const ClusterFlow& cf) {
  if (cf.firewall == nullptr || cf.requirement == nullptr) return {};
  const auto tag = net.rules(*cf.firewall).tag_for(cf.requirement->name, cf.flow.host);
  if (tag.empty()) return {};
  for (const auto& known : net.catalog().fqdn_tags)
    if (ascii_lower(known) == tag) return known;
  return std::string(tag);
}

/// "cluster `aks`", or, for the flows of a node pool's own subnet, "cluster `aks` (its nodes in subnet `apps`)".
std::string who(const ClusterFlow& cf) {
  if (cf.from == nullptr || cf.from == cf.cluster->subnet) return fmt::format("cluster `{}`", cf.cluster->symbol);
  return fmt::format("cluster `{}` (its nodes in subnet `{}`)", cf.cluster->symbol, cf.from->symbol);
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

void report_required(const Network& net, const ClusterFlow& cf, const std::string& whom, Diagnostics& diags) {
  const auto& fw = *cf.firewall;
  const bool network = cf.required->kind == sema::RequiredFlow::Kind::network;
  const Span at = cf.verdict.result == Verdict::Result::denied
                      ? cf.verdict.rule_span()
                      : where_to_add(fw, network ? sema::CollectionKind::network : sema::CollectionKind::application);
  std::string hint;
  const std::string name = cf.flow.target == Flow::Target::service_tag || cf.flow.target == Flow::Target::address
                               ? fmt::format("{}{}", cf.flow.protocol == sema::Protocol::udp ? "udp" : "tcp", cf.flow.port)
                               : rule_name_for(cf.flow.host);
  if (network) {
    hint = fmt::format("allow it in a network collection of `{}`: `allow {} {} * -> {} : {}`", fw.symbol, name,
                       cf.flow.protocol == sema::Protocol::udp ? "udp" : "tcp", destination_source(cf), cf.flow.port);
    if (cf.flow.target == Flow::Target::fqdn && !fw.dns_proxy) hint += " (an FQDN in a network rule needs `dns_proxy on`)";
  } else {
    hint = fmt::format("allow it in an application collection of `{}`: `allow {} {}:{} * -> \"{}\"`", fw.symbol, name,
                       app_protocol_name(cf.required->app_protocol), cf.flow.port, cf.flow.host);
    if (const auto tag = tag_covering(net, cf); !tag.empty())
      hint += fmt::format(", or allow them all with `allow aks {}:{} * -> tag {}`", app_protocol_name(cf.required->app_protocol),
                          cf.flow.port, tag);
  }
  if (cf.verdict.result == Verdict::Result::denied)
    hint = fmt::format("move the flow out of deny collection `{}`, or allow it in a collection with a lower priority number; ",
                       cf.verdict.collection->name) + hint;
  if (!cf.required->unless_tag.empty())
    hint += fmt::format(", or allow the service tag instead: `allow {} tcp * -> {} : {}` in a network collection",
                        ascii_lower(cf.required->unless_tag), cf.required->unless_tag, cf.required->unless_port);
  auto& d = diags.report(Code::E0246, at,
                               fmt::format("{} cannot reach {}: {}. AKS needs it: {}; without it {}",
                                           whom, cf.flow.text(), blocked_reason(cf, false), cf.required->why,
                                           std::all_of(cf.required->when.begin(), cf.required->when.end(),
                                                       sema::provisioning_condition)
                                               ? "the cluster fails to provision or upgrade"
                                               : "the feature it serves fails"),
                               hint);
  add_route_note(d, cf);
  d.notes.push_back({cf.required->span, fmt::format("required by `{}` ({})", cf.requirement->name, cf.requirement->title)});
  for (const auto& m : cf.verdict.near_misses) d.notes.push_back({m.span, m.message});
}

// W0230: the recommended rows a cluster cannot reach, as one warning.
void report_recommended(const std::vector<const ClusterFlow*>& rows, const std::string& whom, Diagnostics& diags) {
  const auto& first = *rows.front();
  std::string list;
  for (const auto* r : rows) list += (list.empty() ? "" : ", ") + r->flow.text();
  auto& d = diags.report(
      Code::W0230, where_to_add(*first.firewall, sema::CollectionKind::application),
      fmt::format("{} cannot reach {}: {}. AKS recommends them (not required): {}; without them the nodes "
                  "get OS security updates only with a node image or cluster upgrade",
                  whom, list, blocked_reason(first, rows.size() > 1), first.required->why),
      fmt::format("allow them in an application collection of `{}`, or accept updates by node image upgrades only",
                  first.firewall->symbol));
  add_route_note(d, first);
  d.notes.push_back({first.required->span, fmt::format("recommended by `{}` ({})", first.requirement->name,
                                                       first.requirement->title)});
}

void report_grouped(const std::vector<const ClusterFlow*>& group, const std::string& tag, const std::string& whom,
                    Diagnostics& diags) {
  const auto& first = *group.front();
  const auto& fw = *first.firewall;
  std::string list;
  for (std::size_t i = 0; i < group.size() && i < 3; ++i) list += (i == 0 ? "" : ", ") + group[i]->flow.host;
  if (group.size() > 3) list += fmt::format(" and {} more", group.size() - 3);
  auto& d = diags.report(
      Code::E0246, where_to_add(fw, sema::CollectionKind::application),
      fmt::format("{} cannot reach the {} HTTPS endpoints AKS needs ({}): {}. AKS needs them because {}, {}, "
                  "and more; without them the cluster fails to provision or upgrade",
                  whom, group.size(), list, blocked_reason(first, true), group[0]->required->why,
                  group[1]->required->why),
      fmt::format("allow them all with the FQDN tag, which covers every one of them: `application aks priority {} < allow "
                  "fqdn https:443 * -> tag {} >` in firewall `{}`",
                  free_priority(fw, sema::CollectionKind::application), tag, fw.symbol));
  add_route_note(d, first);
  d.notes.push_back({first.requirement->span, fmt::format("required by `{}` ({})", first.requirement->name,
                                                          first.requirement->title)});
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
    // A UDR cluster forced-tunnelled to the VNet gateway while the program has a firewall: AKS accepts it,
    // but the cluster's flows leave without passing that firewall.
    if (r != nullptr && r->hop == Hop::vnet_gateway && r->route != nullptr &&
        c.outbound == sema::OutboundType::user_defined_routing && !net.program().firewalls.empty()) {
      const auto& fw = net.program().firewalls.front();
      auto& d = diags.report(
          Code::E0247, r->route->span,
          fmt::format("route `{}` sends the egress of cluster `{}` to the VNet gateway, not to firewall `{}`: every flow "
                      "of the cluster leaves without passing the firewall's rules, which the compiler can therefore not "
                      "verify",
                      r->route->symbol, c.symbol, fw.symbol),
          fmt::format("send the default route to the firewall: `route {} 0.0.0.0/0 -> {}`", r->route->symbol, fw.symbol));
      d.notes.push_back({c.outbound_span.length != 0 ? c.outbound_span : c.span,
                         fmt::format("cluster `{}` egresses by user-defined routing", c.symbol)});
      d.notes.push_back({fw.span, fmt::format("firewall `{}` is declared here", fw.symbol)});
      continue;
    }
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

// The reports of one cluster, gathered over its node subnets and made when the cluster is done: what several
// subnets would report alike (the same flow blocked the same way behind the same route) is reported once, naming
// the subnets only when not all of them are concerned.
class ClusterReports {
 public:
  using Emit = std::function<void(const std::string& whom)>;

  /// `key` says what is reported, without whose nodes; `from` is the flow's representative.
  void add(std::string key, const ClusterFlow& from, Emit emit) {
    subnets_.insert(from.from);
    for (auto& p : pending_)
      if (p.key == key) {
        if (std::none_of(p.from.begin(), p.from.end(), [&](const ClusterFlow* f) { return f->from == from.from; }))
          p.from.push_back(&from);
        return;
      }
    pending_.push_back({std::move(key), {&from}, std::move(emit)});
  }
  /// A node subnet of the cluster whose flows were looked at, with or without a report.
  void saw(const sema::Subnet* from) { subnets_.insert(from); }

  void flush() {
    for (const auto& p : pending_) p.emit(whom(p));
    pending_.clear();
    subnets_.clear();
  }

 private:
  struct Pending {
    std::string key;
    std::vector<const ClusterFlow*> from;  // one flow per subnet that reports it
    Emit emit;
  };

  [[nodiscard]] std::string whom(const Pending& p) const {
    const auto& first = *p.from.front();
    if (p.from.size() == 1) return who(first);
    if (p.from.size() == subnets_.size()) return fmt::format("cluster `{}`", first.cluster->symbol);
    std::string names;
    for (const auto* f : p.from)
      names += fmt::format("{}`{}`", names.empty() ? "" : ", ", f->from != nullptr ? f->from->symbol : first.cluster->subnet->symbol);
    return fmt::format("cluster `{}` (its nodes in subnets {})", first.cluster->symbol, names);
  }

  std::vector<Pending> pending_;
  std::set<const sema::Subnet*> subnets_;
};

/// What a blocked flow's report rests on besides the flow: the firewall, the route that leads there and the verdict.
std::string path_key(const ClusterFlow& cf) {
  return fmt::format("{}|{}|{}|{}", static_cast<const void*>(cf.firewall),
                     static_cast<const void*>(cf.route != nullptr ? cf.route->route : nullptr),
                     static_cast<const void*>(cf.verdict.collection), cf.verdict.rule_name());
}

}  // namespace

void check_flows(const Network& net, Diagnostics& diags) {
  check_paths(net, diags);
  const auto flows = cluster_flows(net);
  ClusterReports reports;
  // Required flows, cluster by cluster; the application flows one FQDN tag would cover are reported together
  // when every one of them is blocked, so a missing tag rule is one error, not nine.
  for (std::size_t i = 0; i < flows.size();) {
    std::size_t j = i;
    while (j < flows.size() && flows[j].cluster == flows[i].cluster && flows[j].from == flows[i].from) ++j;
    reports.saw(flows[i].from);
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
        std::string key = "tag|" + path_key(*list.front());
        for (const auto* f : list) key += "|" + f->flow.text();
        reports.add(std::move(key), *list.front(),
                    [&diags, list = list, tag = tag_name[req]](const std::string& whom) { report_grouped(list, tag, whom, diags); });
        grouped.insert(req);
      }
    std::vector<const ClusterFlow*> image_hosts, recommended;
    auto add_image = [&] {
      std::string key = "image|" + image_hosts.front()->registry + "|" + path_key(*image_hosts.front());
      for (const auto* h : image_hosts) key += "|" + h->flow.text();
      reports.add(std::move(key), *image_hosts.front(),
                  [&diags, hosts = image_hosts](const std::string&) { report_image(hosts, diags); });
      image_hosts.clear();
    };
    for (std::size_t k = i; k < j; ++k) {
      const auto& cf = flows[k];
      // A custom DNS server a route drops (an unreachable firewall is E0247's, reported above).
      if (cf.outcome == FlowOutcome::dropped && cf.required != nullptr && !cf.required->cluster_endpoint.empty() &&
          (cf.route == nullptr || cf.route->hop == Hop::none))
        report_unreachable_dns(cf, diags);
      if (cf.outcome != FlowOutcome::blocked) continue;
      if (cf.required != nullptr) {
        const bool in_group = cf.required->kind == sema::RequiredFlow::Kind::application && grouped.count(cf.requirement) != 0 &&
                              cf.verdict.result == Verdict::Result::no_match;
        if (cf.required->recommended) recommended.push_back(&cf);
        else if (!in_group)
          reports.add(fmt::format("required|{}|{}|{}", static_cast<const void*>(cf.required), cf.flow.text(), path_key(cf)), cf,
                      [&net, &diags, &cf](const std::string& whom) { report_required(net, cf, whom, diags); });
        continue;
      }
      // Image flows: one error per registry, naming every host of it that is blocked.
      if (!image_hosts.empty() && image_hosts.front()->registry != cf.registry) add_image();
      image_hosts.push_back(&cf);
    }
    if (!image_hosts.empty()) add_image();
    if (!recommended.empty()) {
      std::string key = "recommended|" + path_key(*recommended.front());
      for (const auto* r : recommended) key += "|" + r->flow.text();
      reports.add(std::move(key), *recommended.front(),
                  [&diags, rows = recommended](const std::string& whom) { report_recommended(rows, whom, diags); });
    }
    i = j;
    if (i == flows.size() || flows[i].cluster != flows[i - 1].cluster) reports.flush();
  }
}

}  // namespace egress::model
