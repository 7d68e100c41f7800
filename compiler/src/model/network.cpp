// The network graph: built once from the program, in program order, so that vertex and edge order (and with
// them every picture and every listing) are deterministic.
#include "model/network.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace egress::model {

namespace {

std::string named(std::string_view kind, const std::string& symbol, const sema::Text& name) {
  if (name.value.empty() || name.value == symbol) return fmt::format("{} {}", kind, symbol);
  return fmt::format("{} {} ({})", kind, symbol, name.value);
}

std::string cidrs(const std::vector<sema::Cidr>& list) {
  std::string out;
  for (const auto& c : list) out += (out.empty() ? "" : ", ") + c.str();
  return out;
}

std::string_view sku_name(sema::FirewallSku s) {
  switch (s) {
    case sema::FirewallSku::basic: return "Basic";
    case sema::FirewallSku::standard: return "Standard";
    case sema::FirewallSku::premium: return "Premium";
  }
  return "?";
}

std::string_view outbound_name(sema::OutboundType o) {
  switch (o) {
    case sema::OutboundType::load_balancer: return "outbound loadBalancer";
    case sema::OutboundType::user_defined_routing: return "outbound userDefinedRouting";
    case sema::OutboundType::managed_nat_gateway: return "outbound managedNATGateway";
    case sema::OutboundType::user_assigned_nat_gateway: return "outbound userAssignedNATGateway";
  }
  return "?";
}

std::string flow_label(const Flow& f) {
  switch (f.app) {
    case Flow::App::http: return fmt::format("HTTP {}", f.port);
    case Flow::App::https: return fmt::format("HTTPS {}", f.port);
    case Flow::App::mssql: return fmt::format("MSSQL {}", f.port);
    default: return fmt::format("{} {}", f.protocol == sema::Protocol::udp ? "UDP" : "TCP", f.port);
  }
}

}  // namespace

Network::Network(const sema::Program& program, const sema::Catalog& catalog)
    : program_(program), catalog_(catalog), region_(program.location()) {
  build();
}

Vertex Network::add(NodeKind kind, std::string id, std::string label, const void* decl) {
  const auto v = boost::add_vertex(Node{kind, id, std::move(label), decl}, graph_);
  by_id_.emplace(std::move(id), v);
  if (decl != nullptr) by_decl_.emplace(decl, v);
  return v;
}

Vertex Network::add_or_find(NodeKind kind, const std::string& id, std::string label) {
  if (auto it = by_id_.find(id); it != by_id_.end()) return it->second;
  return add(kind, id, std::move(label), nullptr);
}

void Network::connect(Vertex from, Vertex to, EdgeKind kind, std::string label, const sema::Route* route) {
  boost::add_edge(from, to, Edge{kind, std::move(label), route, FlowOutcome::allowed}, graph_);
}

void Network::build() {
  internet_ = add(NodeKind::internet, "internet", "Internet", nullptr);

  for (const auto& vnet : program_.vnets) {
    const auto v = add(NodeKind::vnet, "vnet:" + vnet.symbol,
                       fmt::format("{}\n{}", named("VNet", vnet.symbol, vnet.name), cidrs(vnet.address_space)), &vnet);
    for (const auto& sub : vnet.subnets) {
      const auto s = add(NodeKind::subnet, fmt::format("subnet:{}.{}", vnet.symbol, sub.symbol),
                         fmt::format("{}\n{}", named("subnet", sub.symbol, sub.name), sub.prefix.str()), &sub);
      connect(v, s, EdgeKind::contains);
    }
  }
  // Peering is symmetric once both sides exist; whichever side declared it, both directions are modelled.
  std::set<std::pair<const sema::Vnet*, const sema::Vnet*>> peered;
  for (const auto& vnet : program_.vnets)
    for (const auto* peer : vnet.peers) {
      if (peer == nullptr || peer == &vnet || !peered.emplace(&vnet, peer).second) continue;
      peered.emplace(peer, &vnet);
      connect(by_decl_.at(&vnet), by_decl_.at(peer), EdgeKind::peering);
      connect(by_decl_.at(peer), by_decl_.at(&vnet), EdgeKind::peering);
    }
  peerings_ = sema::peerings(program_);  // both sides of each, with their settings
  for (const auto& vnet : program_.vnets) {
    auto& list = peers_[&vnet];
    for (const auto& other : program_.vnets)
      if (peered.count({&vnet, &other}) != 0) list.push_back(&other);
  }

  for (const auto& pip : program_.public_ips) {
    const auto p = add(NodeKind::public_ip, "pip:" + pip.symbol,
                       fmt::format("{}\n{}, {}", named("public IP", pip.symbol, pip.name),
                                   pip.sku == sema::PublicIpSku::standard ? "Standard" : "Basic",
                                   pip.allocation == sema::Allocation::static_ ? "static" : "dynamic"),
                       &pip);
    connect(p, internet_, EdgeKind::frontend);
  }
  for (const auto& fw : program_.firewalls) {
    std::size_t net = 0, app = 0, dnat = 0;
    for (const auto& c : fw.collections) {
      net += c.network_rules.size();
      app += c.application_rules.size();
      dnat += c.dnat_rules.size();
    }
    const auto f = add(NodeKind::firewall, "fw:" + fw.symbol,
                       fmt::format("{}\n{} {}\n{} network, {} application, {} DNAT rules{}", named("firewall", fw.symbol, fw.name),
                                   fw.private_ip.str(), sku_name(fw.sku), net, app, dnat,
                                   fw.policy != nullptr ? fmt::format(" (policy {})", fw.policy->symbol) : std::string()),
                       &fw);
    if (fw.subnet != nullptr) connect(by_decl_.at(fw.subnet), f, EdgeKind::contains);
    for (const auto& fe : fw.frontends)
      if (fe.public_ip != nullptr) connect(f, by_decl_.at(fe.public_ip), EdgeKind::frontend);
  }
  for (const auto& rt : program_.route_tables) add(NodeKind::route_table, "rt:" + rt.symbol, named("route table", rt.symbol, rt.name), &rt);
  for (const auto& vnet : program_.vnets)
    for (const auto& sub : vnet.subnets)
      if (sub.route_table != nullptr) connect(by_decl_.at(&sub), by_decl_.at(sub.route_table), EdgeKind::associated);
  for (const auto& rt : program_.route_tables) {
    const auto t = by_decl_.at(&rt);
    for (const auto& r : rt.routes) {
      const std::string prefix = r.prefix ? r.prefix->str()
                                          : fmt::format("{}/{}", r.public_ip != nullptr ? r.public_ip->symbol : "?", r.public_ip_prefix);
      switch (r.next_hop) {
        case sema::NextHop::virtual_appliance: {
          const sema::Firewall* fw = r.firewall != nullptr ? r.firewall : r.next_hop_ip ? firewall_at(r.next_hop_ip->value) : nullptr;
          if (fw != nullptr) connect(t, by_decl_.at(fw), EdgeKind::route, prefix, &r);
          else if (r.next_hop_ip)
            connect(t, add_or_find(NodeKind::appliance, "appliance:" + r.next_hop_ip->str(), "appliance " + r.next_hop_ip->str()),
                    EdgeKind::route, prefix, &r);
          break;
        }
        case sema::NextHop::internet: connect(t, internet_, EdgeKind::route, prefix, &r); break;
        case sema::NextHop::vnet_local: {
          std::set<const sema::Vnet*> done;
          for (const auto* s : subnets_using(rt))
            if (done.insert(s->vnet).second) connect(t, by_decl_.at(s->vnet), EdgeKind::route, prefix, &r);
          break;
        }
        case sema::NextHop::vnet_gateway:
          connect(t, add_or_find(NodeKind::gateway, "gateway", "VNet gateway"), EdgeKind::route, prefix, &r);
          break;
        case sema::NextHop::none:
          connect(t, add_or_find(NodeKind::drop, "drop", "None (dropped)"), EdgeKind::route, prefix, &r);
          break;
      }
    }
  }
  for (const auto& c : program_.clusters) {
    const auto v = add(NodeKind::cluster, "cluster:" + c.symbol,
                       fmt::format("{}\n{} node{} · {} · {}", named("AKS cluster", c.symbol, c.name), c.total_nodes(),
                                   c.total_nodes() == 1 ? "" : "s", c.plugin == sema::NetworkPlugin::azure ? (c.overlay ? "Azure CNI overlay" : "Azure CNI") : "kubenet",
                                   outbound_name(c.outbound)),
                       &c);
    if (c.subnet != nullptr) connect(by_decl_.at(c.subnet), v, EdgeKind::contains);
  }
  for (const auto& app : program_.apps)
    for (const auto& svc : app.services) {
      if (svc.exposure == sema::Service::Exposure::cluster) continue;
      std::string ports;
      for (const auto& p : svc.ports) ports += fmt::format("{}{}", ports.empty() ? "" : ",", p.port);
      const bool internal = svc.exposure == sema::Service::Exposure::internal;
      const auto lb = add(NodeKind::load_balancer, fmt::format("lb:{}/{}", app.symbol, svc.name),
                          fmt::format("{} load balancer {}\n{}:{}", internal ? "internal" : "public", svc.name,
                                      internal && svc.load_balancer_ip ? svc.load_balancer_ip->str() : std::string(internal ? "?" : "public IP"),
                                      ports),
                          &svc);
      if (app.cluster != nullptr) {
        connect(by_decl_.at(app.cluster), lb, EdgeKind::exposes);
        if (internal && app.cluster->subnet != nullptr) connect(by_decl_.at(app.cluster->subnet), lb, EdgeKind::contains);
      }
      if (!internal) connect(lb, internet_, EdgeKind::frontend);
    }
  for (const auto& fw : program_.firewalls)
    for (const auto& col : fw.collections)
      for (const auto& r : col.dnat_rules) {
        if (r.destination == nullptr) continue;
        // A policy's DNAT rule reaches every firewall of the policy; it acts on the one with its public IP.
        if (col.group != nullptr && std::none_of(fw.frontends.begin(), fw.frontends.end(), [&](const sema::Frontend& f) {
              return f.public_ip == r.destination;
            }))
          continue;
        const auto from = by_decl_.at(r.destination);
        std::string to = r.service != nullptr && r.service->load_balancer_ip ? r.service->load_balancer_ip->str()
                         : r.translated_ip                                    ? r.translated_ip->str()
                                                                              : std::string("?");
        const std::string label = fmt::format("DNAT {} {} -> {}:{}", r.protocol == sema::Protocol::udp ? "UDP" : "TCP", r.port,
                                              to, r.translated_port);
        if (r.service != nullptr) {
          // A ClusterIP service has no load balancer of its own (E0237 says so); draw it anyway.
          const auto it = by_decl_.find(r.service);
          connect(from,
                  it != by_decl_.end() ? it->second
                                       : add_or_find(NodeKind::load_balancer, "service:" + r.service->name,
                                                     fmt::format("service {}\n(no load balancer)", r.service->name)),
                  EdgeKind::dnat, label);
        }
        else connect(from, add_or_find(NodeKind::appliance, "host:" + to, "host " + to), EdgeKind::dnat, label);
      }

  for (const auto& vnet : program_.vnets)
    for (const auto& sub : vnet.subnets) routes_.emplace(&sub, compute_effective_routes(sub, peers_.at(&vnet), program_.firewalls));
  for (const auto& fw : program_.firewalls) rules_.emplace(&fw, std::make_unique<FirewallRules>(fw, catalog_, region_));
}

std::optional<Vertex> Network::vertex_of(const void* decl) const {
  auto it = by_decl_.find(decl);
  if (it == by_decl_.end()) return std::nullopt;
  return it->second;
}

std::optional<Vertex> Network::find(std::string_view id) const {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::vector<const sema::Vnet*> Network::peers(const sema::Vnet& vnet) const {
  auto it = peers_.find(&vnet);
  return it == peers_.end() ? std::vector<const sema::Vnet*>{} : it->second;
}

const sema::PeeringSide* Network::peering(const sema::Vnet& from, const sema::Vnet& to) const {
  return sema::peering_side(peerings_, &from, &to);
}

std::vector<const sema::Subnet*> Network::subnets_using(const sema::RouteTable& table) const {
  std::vector<const sema::Subnet*> out;
  for (const auto& vnet : program_.vnets)
    for (const auto& sub : vnet.subnets)
      if (sub.route_table == &table) out.push_back(&sub);
  return out;
}

const EffectiveRoutes& Network::routes(const sema::Subnet& subnet) const { return routes_.at(&subnet); }

const FirewallRules& Network::rules(const sema::Firewall& fw) const { return *rules_.at(&fw); }

bool Network::connected(const sema::Vnet& vnet, const sema::Firewall& fw) const {
  if (fw.subnet == nullptr || fw.subnet->vnet == nullptr) return false;
  if (fw.subnet->vnet == &vnet) return true;
  for (const auto* p : peers(vnet))
    if (p == fw.subnet->vnet) return true;
  return false;
}

const sema::Firewall* Network::firewall_at(std::uint32_t address) const {
  for (const auto& fw : program_.firewalls)
    if (fw.subnet != nullptr && fw.private_ip.value == address) return &fw;
  return nullptr;
}

std::vector<const sema::Cluster*> Network::clusters_in(const sema::Subnet& subnet) const {
  std::vector<const sema::Cluster*> out;
  for (const auto& c : program_.clusters)
    if (c.subnet == &subnet) out.push_back(&c);
  return out;
}

Egress Network::egress(const sema::Cluster& cluster) const {
  Egress e;
  e.cluster = &cluster;
  if (cluster.subnet == nullptr || cluster.subnet->vnet == nullptr) return e;
  e.routes = &routes(*cluster.subnet);
  e.internet_route = e.routes->name_route();
  if (e.internet_route != nullptr && e.internet_route->hop == Hop::virtual_appliance && e.internet_route->firewall != nullptr) {
    e.firewall = e.internet_route->firewall;
    e.firewall_reachable = connected(*cluster.subnet->vnet, *e.firewall);
  }
  return e;
}

void Network::add_flows(const std::vector<ClusterFlow>& flows) {
  std::set<std::tuple<Vertex, Vertex, std::string, int>> seen;
  for (const auto& cf : flows) {
    const bool tag = cf.flow.target == Flow::Target::service_tag;
    const auto dest = add_or_find(tag ? NodeKind::service_tag : NodeKind::fqdn, (tag ? "tag:" : "fqdn:") + cf.flow.host,
                                  cf.flow.host);
    const auto from = cf.firewall != nullptr ? by_decl_.at(cf.firewall) : by_decl_.at(cf.cluster);
    auto label = flow_label(cf.flow);
    if (!seen.emplace(from, dest, label, static_cast<int>(cf.outcome)).second) continue;
    const auto [e, ok] = boost::add_edge(from, dest, Edge{EdgeKind::flow, std::move(label), nullptr, cf.outcome}, graph_);
    (void)e;
    (void)ok;
  }
}

// ---- DOT

namespace {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string_view node_style(NodeKind k) {
  switch (k) {
    case NodeKind::internet: return "shape=ellipse, style=filled, fillcolor=\"#e3f2fd\"";
    case NodeKind::vnet: return "shape=box";
    case NodeKind::subnet: return "shape=tab, style=filled, fillcolor=\"#f5f5f5\"";
    case NodeKind::route_table: return "shape=note, style=filled, fillcolor=\"#fffde7\"";
    case NodeKind::firewall: return "shape=box, style=\"rounded,filled\", fillcolor=\"#ffe0b2\"";
    case NodeKind::public_ip: return "shape=ellipse";
    case NodeKind::load_balancer: return "shape=box, style=\"rounded,dashed\"";
    case NodeKind::cluster: return "shape=box3d, style=filled, fillcolor=\"#e8f5e9\"";
    case NodeKind::appliance: return "shape=octagon";
    case NodeKind::gateway: return "shape=diamond";
    case NodeKind::drop: return "shape=box, style=dashed, color=\"#757575\"";
    case NodeKind::service_tag: return "shape=hexagon";
    case NodeKind::fqdn: return "shape=box, style=dashed";
  }
  return "";
}

std::string_view outcome_style(FlowOutcome o) {
  switch (o) {
    case FlowOutcome::allowed: return "color=\"#2e7d32\", fontcolor=\"#2e7d32\"";
    case FlowOutcome::blocked: return "color=\"#c62828\", fontcolor=\"#c62828\", style=bold";
    case FlowOutcome::bypass: return "color=\"#ef6c00\", fontcolor=\"#ef6c00\", style=dashed";
    case FlowOutcome::dropped: return "color=\"#757575\", fontcolor=\"#757575\", style=dashed";
    case FlowOutcome::unverified: return "color=\"#757575\", fontcolor=\"#757575\", style=dotted";
  }
  return "";
}

}  // namespace

std::string to_dot(const Network& net) {
  const auto& g = net.graph();
  const auto& program = net.program();
  std::string out;
  out += "digraph egress {\n";
  std::string title = program.group ? fmt::format("resource group {} in {}", program.group->name.value, net.region()) : "egress";
  if (program.groups.size() > 1) {  // several groups: each with its own location
    title = "resource groups";
    for (const auto& grp : program.groups)
      title += fmt::format("{} {} in {}", &grp == &program.groups.front() ? "" : ",", grp.name.value, grp.location.value);
  }
  out += fmt::format("  graph [label={}, labelloc=t, rankdir=LR, compound=true, fontname=\"Helvetica\", fontsize=12, "
                     "nodesep=0.3, ranksep=0.8];\n",
                     quote(title));
  out += "  node [fontname=\"Helvetica\", fontsize=10, shape=box, style=rounded];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";

  std::vector<bool> placed(boost::num_vertices(g), false);
  auto node_line = [&](Vertex v, std::string_view indent) {
    placed[v] = true;
    return fmt::format("{}{} [label={}, {}];\n", indent, quote(g[v].id), quote(g[v].label), node_style(g[v].kind));
  };
  // VNets hold their subnets; a subnet holds what runs in it (clusters, the firewall, internal load balancers).
  for (const auto& vnet : program.vnets) {
    const auto v = *net.vertex_of(&vnet);
    placed[v] = true;
    out += fmt::format("  subgraph {} {{\n    label={};\n    style=rounded;\n    color=\"#1565c0\";\n",
                       quote("cluster_" + g[v].id), quote(g[v].label));
    for (const auto& sub : vnet.subnets) {
      const auto s = *net.vertex_of(&sub);
      out += fmt::format("    subgraph {} {{\n      label=\"\";\n      style=dashed;\n      color=\"#90a4ae\";\n",
                         quote("cluster_" + g[s].id));
      out += node_line(s, "      ");
      for (auto [e, end] = boost::out_edges(s, g); e != end; ++e) {
        const auto t = boost::target(*e, g);
        if (g[*e].kind == EdgeKind::contains && !placed[t]) out += node_line(t, "      ");
      }
      out += "    }\n";
    }
    out += "  }\n";
  }
  // Flow destinations reached by exactly the same flows (source, label, outcome) are drawn as one node that
  // lists them, with one edge per source and outcome: the nine HTTPS endpoints of AKS become one box.
  using Signature = std::vector<std::tuple<Vertex, int, std::string>>;
  std::vector<std::pair<Signature, std::vector<Vertex>>> groups;
  for (auto [v, end] = boost::vertices(g); v != end; ++v) {
    if (g[*v].kind != NodeKind::service_tag && g[*v].kind != NodeKind::fqdn) continue;
    Signature sig;
    for (auto [e, eend] = boost::in_edges(*v, g); e != eend; ++e)
      sig.emplace_back(boost::source(*e, g), static_cast<int>(g[*e].outcome), g[*e].label);
    std::sort(sig.begin(), sig.end());
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& gr) { return gr.first == sig; });
    if (it == groups.end()) it = groups.insert(groups.end(), {sig, {}});
    it->second.push_back(*v);
    placed[*v] = true;
  }
  for (auto [v, end] = boost::vertices(g); v != end; ++v)
    if (!placed[*v]) out += node_line(*v, "  ");
  for (const auto& [sig, members] : groups) {
    std::string label;
    bool tags = true;
    for (auto m : members) {
      label += (label.empty() ? "" : "\n") + g[m].label;
      tags = tags && g[m].kind == NodeKind::service_tag;
    }
    out += fmt::format("  {} [label={}, {}];\n", quote(g[members.front()].id), quote(label),
                       node_style(tags ? NodeKind::service_tag : NodeKind::fqdn));
  }

  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    const auto s = boost::source(*e, g), t = boost::target(*e, g);
    const auto& edge = g[*e];
    std::string attrs;
    switch (edge.kind) {
      case EdgeKind::contains:
        if (g[s].kind == NodeKind::vnet) continue;  // shown by nesting
        attrs = "style=dotted, arrowhead=none";
        break;
      case EdgeKind::associated: attrs = "label=\"route table\", style=dashed"; break;
      case EdgeKind::route: {
        const auto color = g[t].kind == NodeKind::firewall ? "#e65100" : g[t].kind == NodeKind::internet ? "#1565c0" : "#757575";
        attrs = fmt::format("label={}, color=\"{}\", fontcolor=\"{}\"", quote(edge.label), color, color);
        break;
      }
      case EdgeKind::peering:
        if (t < s) continue;  // one line per pair
        attrs = "label=\"peering\", dir=both, style=bold, color=\"#1565c0\"";
        break;
      case EdgeKind::frontend: attrs = "color=\"#616161\""; break;
      case EdgeKind::exposes: attrs = "style=dotted"; break;
      case EdgeKind::dnat: attrs = fmt::format("label={}, color=\"#6a1b9a\", fontcolor=\"#6a1b9a\"", quote(edge.label)); break;
      case EdgeKind::flow: continue;  // drawn per destination group below
    }
    out += fmt::format("  {} -> {} [{}];\n", quote(g[s].id), quote(g[t].id), attrs);
  }
  for (const auto& [sig, members] : groups) {
    // One edge per source and outcome, labelled with every flow it carries, in the order they were added.
    std::vector<std::pair<Vertex, FlowOutcome>> done;
    for (auto [e, eend] = boost::in_edges(members.front(), g); e != eend; ++e) {
      const auto key = std::make_pair(boost::source(*e, g), g[*e].outcome);
      if (std::find(done.begin(), done.end(), key) != done.end()) continue;
      done.push_back(key);
      std::string label;
      for (auto [f, fend] = boost::in_edges(members.front(), g); f != fend; ++f)
        if (boost::source(*f, g) == key.first && g[*f].outcome == key.second) label += (label.empty() ? "" : ", ") + g[*f].label;
      out += fmt::format("  {} -> {} [label={}, {}];\n", quote(g[key.first].id), quote(g[members.front()].id), quote(label),
                         outcome_style(key.second));
    }
  }
  out += "}\n";
  return out;
}

}  // namespace egress::model
