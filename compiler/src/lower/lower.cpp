// Lowering to the IR: resources gathered kind by kind, dependency edges from references, then a stable
// topological order; Kubernetes objects from the apps.
#include "lower/lower.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

#include "base/work_count.hpp"
#include "lower/lower_values.hpp"
#include "lower/order.hpp"
#include "sema/peering.hpp"
#include "lower/units.hpp"
#include "sema/placement.hpp"

namespace egress::lower {

using namespace egress::sema;

namespace {

std::string cidr_text(const Cidr& c) { return c.length == 32 ? format_ip(c.base) : c.str(); }

std::string port_text(const PortRange& r) {
  if (r.first == 1 && r.last == 65535) return "*";
  if (r.first == r.last) return std::to_string(r.first);
  return fmt::format("{}-{}", r.first, r.last);
}

class Lowering {
 public:
  Lowering(const Program& p, Diagnostics& d) : program_(p), diags_(d) {}

  ir::Deployment run() {
    ir::Deployment out;
    for (const auto& p : program_.params)
      if (!p.build_time)  // decided when the program was built: no parameter of the outputs (sema/param_shape.cpp)
        out.params.push_back({p.name, static_cast<ir::ParamType>(p.type), p.default_value, p.env_value});
    if (program_.env != nullptr) out.env = program_.env->name;
    if (program_.group) {
      out.group_symbol = program_.group->symbol;
      out.group_name = text(program_.group->name);
      out.location = text(program_.group->location);
    }
    for (const auto& g : program_.groups) {
      group_index_[&g] = out.groups.size();
      out.groups.push_back({g.symbol, text(g.name), text(g.location)});
    }
    collect();
    if (!order()) return out;
    std::vector<std::size_t> position(nodes_.size());
    for (std::size_t i = 0; i < order_.size(); ++i) position[order_[i]] = i;
    position_ = &position;
    // Each resource's dependencies, gathered in one pass over the edges: scanning every edge for each
    // resource was quadratic once a policy's many groups and IP groups made both numbers grow
    // (tests/unit/policy_perf_test.cpp).
    dependencies_.assign(nodes_.size(), {});
    for (const auto& [dependent, dependency] : edges_) {
      work::count();
      dependencies_[dependent].push_back(position[dependency]);
    }
    for (auto node : order_) out.resources.push_back(build(node));
    plan_units(out);
    for (const auto& app : program_.apps) out.apps.push_back(lower_app(app, resolver()));
    return out;
  }

  /// What run() does up to the creation order, without building the IR: the order is the one step of lowering
  /// that can report an error (E0114), and `egressc check` needs nothing else from it.
  void check_order() {
    collect();
    (void)order();
  }

 private:
  struct Node {
    ir::Kind kind;
    const void* decl;  // null for role assignments and peerings, which the source does not declare
    Span span;
    std::string symbol;
    std::size_t extra = 0;  // role assignments and peerings: position in extras_
  };
  // A role assignment or a peering: the declarations it joins.
  struct Extra {
    std::string role, role_definition;
    const void* principal = nullptr;
    const void* scope = nullptr;
    std::string name;
    PeerSettings peering;  // peerings: the settings of the side that holds it
  };

  std::size_t add(ir::Kind kind, const void* decl, Span span, const std::string& symbol) {
    index_[decl] = nodes_.size();
    nodes_.push_back({kind, decl, span, symbol});
    return nodes_.size() - 1;
  }
  void depend(const void* dependent, const void* dependency) {
    if (dependent == nullptr || dependency == nullptr) return;
    edges_.emplace_back(index_.at(dependent), index_.at(dependency));
  }
  std::size_t add_extra(ir::Kind kind, Span span, std::string symbol, Extra extra) {
    extras_.push_back(std::move(extra));
    nodes_.push_back({kind, nullptr, span, std::move(symbol), extras_.size() - 1});
    return nodes_.size() - 1;
  }
  void depend_node(std::size_t dependent, const void* dependency) {
    if (dependency != nullptr) edges_.emplace_back(dependent, index_.at(dependency));
  }

  // Built-in role ids (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
  static constexpr const char* kNetworkContributor = "4d97b98b-1d4f-4787-a291-c67834d212e7";
  static constexpr const char* kManagedIdentityOperator = "f1a07417-d97a-45cb-824c-7a7467783830";

  // AKS needs Network Contributor on a VNet it did not create (to join the subnet, place internal load
  // balancers, manage kubenet routes); a kubelet identity of one's own needs Managed Identity Operator for
  // the control plane. `az aks create` grants both itself; templates must say so.
  void add_role_assignments_and_peerings() {
    for (const auto& c : program_.clusters) {
      if (c.subnet == nullptr) continue;
      if (c.system_identity) {
        const auto n = add_extra(ir::Kind::role_assignment, c.span, c.symbol + "_network",
                                 {"Network Contributor", kNetworkContributor, &c, c.subnet->vnet, "", {}});
        depend_node(n, &c);
        depend_node(n, c.subnet->vnet);
        continue;
      }
      if (c.control_plane_identity != nullptr) {
        // Clusters that share a user-assigned identity and a VNet (or kubelet identity) need the same assignment:
        // one resource, which each of them depends on (two would have the same name, a duplicate in the template).
        const auto assign = [&](const char* role, const char* role_id, const void* scope, const std::string& symbol) {
          const auto key = std::make_tuple(static_cast<const void*>(c.control_plane_identity), scope, role_id);
          auto it = assigned_.find(key);
          if (it == assigned_.end()) {
            const auto n = add_extra(ir::Kind::role_assignment, c.span, symbol,
                                     {role, role_id, c.control_plane_identity, scope, "", {}});
            depend_node(n, c.control_plane_identity);
            depend_node(n, scope);
            it = assigned_.emplace(key, n).first;
          }
          edges_.emplace_back(index_.at(&c), it->second);
        };
        assign("Network Contributor", kNetworkContributor, c.subnet->vnet, c.symbol + "_network");
        if (c.kubelet_identity != nullptr)
          assign("Managed Identity Operator", kManagedIdentityOperator, c.kubelet_identity,
                 c.symbol + "_kubelet_operator");
      }
    }
    add_peerings();
  }

  // Both directions of every peering, each side with its settings (sema/peering.hpp). A side that uses the remote
  // VNet's gateways comes after the side that allows the transit, which Azure checks when it creates it; a cluster
  // comes after its VNet's peerings, which its nodes may need to reach their egress firewall or DNS servers while
  // they provision.
  void add_peerings() {
    for (const auto& p : sema::peerings(program_)) {
      std::size_t nodes[2] = {0, 0};
      int k = 0;
      for (const auto* side : {&p.first, &p.second}) {
        const Vnet* a = side->vnet;
        const Vnet* b = side->remote;
        Extra e{"", "", a, b, a->symbol + "-to-" + b->symbol, side->settings};
        nodes[k] = add_extra(ir::Kind::vnet_peering, side->span, a->symbol + "_to_" + b->symbol, std::move(e));
        depend_node(nodes[k], a);
        depend_node(nodes[k], b);
        ++k;
      }
      if (p.first.settings.use_remote_gateways && !p.second.settings.use_remote_gateways)
        edges_.emplace_back(nodes[0], nodes[1]);
      else if (p.second.settings.use_remote_gateways && !p.first.settings.use_remote_gateways)
        edges_.emplace_back(nodes[1], nodes[0]);
      for (const auto& c : program_.clusters)
        if (c.subnet != nullptr && (c.subnet->vnet == p.first.vnet || c.subnet->vnet == p.second.vnet))
          for (auto n : nodes) edges_.emplace_back(index_.at(&c), n);
    }
  }
  // The group a resource lives in. sema/placement.cpp decides for declarations (home_group); the resources
  // lowering adds follow what they hang from: a peering its VNet, a role assignment its scope, a rule collection
  // group its policy.
  std::size_t group_of(const Node& n) const {
    const void* decl = n.decl;
    if (n.kind == ir::Kind::role_assignment) decl = extras_[n.extra].scope;
    else if (n.kind == ir::Kind::vnet_peering) decl = extras_[n.extra].principal;
    else if (n.kind == ir::Kind::rule_collection_group) decl = policy_of_group_.at(static_cast<const RuleCollectionGroup*>(n.decl));
    auto it = group_index_.find(home_group(program_, decl));
    return it != group_index_.end() ? it->second : 0;
  }
  [[nodiscard]] ir::Index at(const void* decl) const { return (*position_)[index_.at(decl)]; }
  /// at(), for the conversions of lower_values.cpp.
  [[nodiscard]] Resolver resolver() const {
    return [this](const void* decl) { return at(decl); };
  }

  void collect() {
    for (const auto& x : program_.public_ips) add(ir::Kind::public_ip, &x, x.span, x.symbol);
    for (const auto& x : program_.nat_gateways) {
      add(ir::Kind::nat_gateway, &x, x.span, x.symbol);
      for (const auto* pip : x.public_ips) depend(&x, pip);
    }
    for (const auto& x : program_.identities) add(ir::Kind::identity, &x, x.span, x.symbol);
    for (const auto& x : program_.route_tables) add(ir::Kind::route_table, &x, x.span, x.symbol);
    for (const auto& x : program_.vnets) add(ir::Kind::virtual_network, &x, x.span, x.symbol);
    for (const auto& x : program_.ip_groups) add(ir::Kind::ip_group, &x, x.span, x.symbol);
    for (const auto& x : program_.firewall_policies) {
      add(ir::Kind::firewall_policy, &x, x.span, x.symbol);
      depend(&x, x.tls_identity);  // the identity that reads the CA certificate
      for (const auto& b : x.idps_bypass)  // bypass rules name IP groups by ID and public IPs by address
        for (const auto* list : {&b.sources, &b.destinations})
          for (const auto& e : *list) {
            if (e.kind == Endpoint::Kind::ip_group) depend(&x, e.ip_group);
            if (e.kind == Endpoint::Kind::public_ip) depend(&x, e.public_ip);
          }
      const RuleCollectionGroup* previous = nullptr;
      for (const auto& g : x.groups) {
        add(ir::Kind::rule_collection_group, &g, g.span, x.symbol + "_" + g.name);
        policy_of_group_[&g] = &x;
        depend(&g, &x);
        depend(&g, previous);  // Azure rejects concurrent updates of one policy's groups: one after another
        for (const auto& col : g.collections) {
          depend_on_ip_groups(&g, col);
          depend_on_public_ips(&g, col);  // the group's rules read their addresses
        }
        previous = &g;
      }
    }
    for (const auto& x : program_.firewall_policies) depend(&x, x.base);  // the parent exists before a child names it
    for (const auto& x : program_.firewalls) add(ir::Kind::firewall, &x, x.span, x.symbol);
    for (const auto& x : program_.clusters) add(ir::Kind::managed_cluster, &x, x.span, x.symbol);

    for (const auto& rt : program_.route_tables)
      for (const auto& r : rt.routes) depend(&rt, r.public_ip);
    for (const auto& v : program_.vnets)
      for (const auto& s : v.subnets) depend(&v, s.route_table), depend(&v, s.nat_gateway);
    for (const auto& fw : program_.firewalls) {
      if (fw.subnet != nullptr) depend(&fw, fw.subnet->vnet);
      for (const auto& f : fw.frontends) depend(&fw, f.public_ip);
      if (fw.management) depend(&fw, fw.management->public_ip);
      if (fw.policy != nullptr) {
        // The firewall is created once its policy holds every rule (the last group depends on the others).
        depend(&fw, fw.policy);
        // Its policy's groups and those it inherits (sema breaks `base` cycles, so the walk ends).
        for (const FirewallPolicy* p = fw.policy; p != nullptr; p = p->base)
          if (!p->groups.empty()) depend(&fw, &p->groups.back());
      } else {
        for (const auto& col : fw.collections) depend_on_ip_groups(&fw, col);
      }
    }
    for (const auto& c : program_.clusters) {
      if (c.subnet != nullptr) {
        depend(&c, c.subnet->vnet);
        // Nodes provision through their egress path: a firewall they route to must exist first.
        if (c.subnet->route_table != nullptr)
          for (const auto& r : c.subnet->route_table->routes) depend(&c, r.firewall);
      }
      for (const auto& a : c.authorized) depend(&c, a.public_ip);
      depend(&c, c.control_plane_identity);
      depend(&c, c.kubelet_identity);
    }
    add_role_assignments_and_peerings();
  }

  // Rules name IP groups by resource ID: the groups must exist before what holds the rules.
  void depend_on_ip_groups(const void* holder, const RuleCollection& col) {
    auto groups = [&](const std::vector<Endpoint>& list) {
      for (const auto& e : list)
        if (e.kind == Endpoint::Kind::ip_group) depend(holder, e.ip_group);
    };
    for (const auto& r : col.network_rules) groups(r.sources), groups(r.destinations);
    for (const auto& r : col.application_rules) groups(r.sources);
    for (const auto& r : col.dnat_rules) groups(r.sources);
  }

  // Rules that name a public IP (a DNAT destination, a source or destination) read its address once it is
  // deployed: the public IP comes first. (A classic firewall has its public IPs as frontends already.)
  void depend_on_public_ips(const void* holder, const RuleCollection& col) {
    auto pips = [&](const std::vector<Endpoint>& list) {
      for (const auto& e : list)
        if (e.kind == Endpoint::Kind::public_ip) depend(holder, e.public_ip);
    };
    for (const auto& r : col.network_rules) pips(r.sources), pips(r.destinations);
    for (const auto& r : col.application_rules) pips(r.sources);
    for (const auto& r : col.dnat_rules) pips(r.sources), depend(holder, r.destination);
  }

  bool order() {
    auto result = creation_order(nodes_.size(), edges_);
    if (!result.cycle.empty()) {
      std::string path;
      for (auto n : result.cycle) path += nodes_[n].symbol + " -> ";
      path += nodes_[result.cycle.front()].symbol;
      auto& d = diags_.report(Code::E0114, nodes_[result.cycle.front()].span,
                              fmt::format("resources depend on each other in a cycle: {}", path),
                              "break the cycle: no order of creation can satisfy it");
      for (std::size_t i = 1; i < result.cycle.size(); ++i)
        d.notes.push_back({nodes_[result.cycle[i]].span, fmt::format("`{}` is part of the cycle", nodes_[result.cycle[i]].symbol)});
      return false;
    }
    order_ = std::move(result.order);
    return true;
  }

  ir::SubnetRef subnet_ref(const Subnet& s) const { return lower::subnet_ref(s, resolver()); }

  ir::Address address(const Endpoint& e) const {
    switch (e.kind) {
      case Endpoint::Kind::any: return ir::Address::plain("*");
      case Endpoint::Kind::cidr: return ir::Address::plain(cidr_text(e.cidr));
      case Endpoint::Kind::subnet: return ir::Address::plain(e.subnet->prefix.str());
      case Endpoint::Kind::public_ip: return ir::Address::of_public_ip(at(e.public_ip), -1);
      default: return ir::Address::text(text(e.pattern()));
    }
  }

  // A rule's sources: IP groups by resource, everything else as addresses.
  void sources(const std::vector<Endpoint>& in, std::vector<ir::Address>& addresses, std::vector<ir::Index>& groups) const {
    for (const auto& e : in) {
      if (e.kind == Endpoint::Kind::ip_group) groups.push_back(at(e.ip_group));
      else addresses.push_back(address(e));
    }
  }

  ir::Resource build(std::size_t node) {
    const Node& n = nodes_[node];
    ir::Resource r;
    r.kind = n.kind;
    r.symbol = n.symbol;
    r.depends_on = std::move(dependencies_[node]);
    std::sort(r.depends_on.begin(), r.depends_on.end());
    r.depends_on.erase(std::unique(r.depends_on.begin(), r.depends_on.end()), r.depends_on.end());
    r.group = group_of(n);
    switch (n.kind) {
      case ir::Kind::public_ip: {
        const auto& x = *static_cast<const PublicIp*>(n.decl);
        r.name = text(x.name);
        ir::PublicIp pip{x.sku == PublicIpSku::standard ? "Standard" : "Basic",
                         x.allocation == Allocation::static_ ? "Static" : "Dynamic", {}};
        for (int z : x.zones) pip.zones.push_back(std::to_string(z));
        r.body = std::move(pip);
        break;
      }
      case ir::Kind::identity: r.name = text(static_cast<const Identity*>(n.decl)->name); r.body = ir::Identity{}; break;
      case ir::Kind::route_table: r.name = text(static_cast<const RouteTable*>(n.decl)->name); r.body = route_table(*static_cast<const RouteTable*>(n.decl)); break;
      case ir::Kind::virtual_network: r.name = text(static_cast<const Vnet*>(n.decl)->name); r.body = vnet(*static_cast<const Vnet*>(n.decl)); break;
      case ir::Kind::firewall: r.name = text(static_cast<const Firewall*>(n.decl)->name); r.body = firewall(*static_cast<const Firewall*>(n.decl)); break;
      case ir::Kind::managed_cluster: r.name = text(static_cast<const Cluster*>(n.decl)->name); r.body = lower_cluster(*static_cast<const Cluster*>(n.decl), resolver()); break;
      case ir::Kind::ip_group: {
        const auto& g = *static_cast<const IpGroup*>(n.decl);
        r.name = text(g.name);
        ir::IpGroup body;
        for (const auto& m : g.members)
          body.addresses.push_back(m.kind == Endpoint::Kind::subnet && m.subnet != nullptr ? m.subnet->prefix.str()
                                                                                           : cidr_text(m.cidr));
        r.body = std::move(body);
        break;
      }
      case ir::Kind::nat_gateway: {
        const auto& x = *static_cast<const NatGateway*>(n.decl);
        r.name = text(x.name);
        ir::NatGateway body;
        body.idle_timeout_minutes = x.idle_timeout;
        for (const auto* pip : x.public_ips)
          if (pip != nullptr) body.public_ips.push_back(at(pip));
        r.body = std::move(body);
        break;
      }
      case ir::Kind::firewall_policy: {
        const auto& x = *static_cast<const FirewallPolicy*>(n.decl);
        r.name = text(x.name);
        ir::FirewallPolicy body;
        body.sku_tier = sku_tier(x.tier);
        body.threat_intel_mode = threat_intel_mode(x.threat_intel);
        body.dns_proxy = x.dns_proxy;
        if (x.base != nullptr) body.base = at(x.base);
        for (const auto& ip : x.dns_servers) body.dns_servers.push_back(ip.str());
        for (const auto& ip : x.threat_intel_allow_ips) body.threat_intel_allow_ips.push_back(ip.str());
        for (const auto& f : x.threat_intel_allow_fqdns) body.threat_intel_allow_fqdns.push_back(f.value);
        if (x.idps) body.idps_mode = idps_mode(*x.idps);
        for (const auto& sig : x.idps_signatures) body.idps_signatures.push_back({sig.id, idps_mode(sig.mode)});
        for (const auto& b : x.idps_bypass) {
          ir::FirewallPolicy::Bypass out;
          out.name = b.name;
          // The bypass protocol enum is upper case throughout (TCP, UDP, ICMP, ANY), unlike network rules' `Any`.
          out.protocol = b.protocol == Protocol::any ? "ANY" : protocol_name(b.protocol);
          sources(b.sources, out.sources, out.source_ip_groups);
          sources(b.destinations, out.destinations, out.destination_ip_groups);
          for (const auto& p : b.ports) out.destination_ports.push_back(port_text(p));
          if (out.destination_ports.empty()) out.destination_ports.push_back("*");
          body.idps_bypass.push_back(std::move(out));
        }
        for (const auto& e : x.idps_private_ranges)
          body.idps_private_ranges.push_back(e.kind == Endpoint::Kind::subnet && e.subnet != nullptr
                                                 ? e.subnet->prefix.str()
                                                 : cidr_text(e.cidr));
        if (x.tls_secret_id) {
          body.tls_secret_id = text(*x.tls_secret_id);
          body.tls_certificate_name = text(x.tls_certificate_name);
          if (x.tls_identity != nullptr) body.identity = at(x.tls_identity);
        }
        r.body = std::move(body);
        break;
      }
      case ir::Kind::rule_collection_group: {
        const auto& g = *static_cast<const RuleCollectionGroup*>(n.decl);
        r.name = ir::Text::literal(g.name);
        ir::RuleCollectionGroup body;
        body.policy = at(policy_of_group_.at(&g));
        body.priority = g.priority;
        for (const auto& col : g.collections) {
          ir::PolicyCollection c;
          if (col.kind == CollectionKind::network) c.kind = ir::PolicyCollection::Kind::network, c.network = network_collection(col);
          else if (col.kind == CollectionKind::application) c.kind = ir::PolicyCollection::Kind::application, c.application = application_collection(col);
          else c.kind = ir::PolicyCollection::Kind::nat, c.nat = nat_collection(col);
          body.collections.push_back(std::move(c));
        }
        r.body = std::move(body);
        break;
      }
      case ir::Kind::role_assignment: {
        const auto& e = extras_[n.extra];
        r.body = ir::RoleAssignment{e.role, e.role_definition, at(e.principal), at(e.scope)};
        break;
      }
      case ir::Kind::vnet_peering: {
        const auto& e = extras_[n.extra];
        r.name = ir::Text::literal(e.name);
        r.body = ir::VnetPeering{at(e.principal),
                                 at(e.scope),
                                 e.peering.virtual_network_access,
                                 e.peering.forwarded_traffic,
                                 e.peering.gateway_transit,
                                 e.peering.use_remote_gateways};
        break;
      }
    }
    return r;
  }

  ir::RouteTable route_table(const RouteTable& rt) const {
    ir::RouteTable out;
    out.disable_bgp_route_propagation = !rt.bgp_propagation;
    for (const auto& r : rt.routes) {
      ir::Route route;
      route.name = text(r.name);
      route.prefix = r.public_ip != nullptr ? ir::Address::of_public_ip(at(r.public_ip), r.public_ip_prefix)
                     : r.prefix             ? ir::Address::text(ir::Text::literal(r.prefix->str()))
                                            : ir::Address::text(ir::Text::literal("0.0.0.0/0"));
      switch (r.next_hop) {
        case NextHop::virtual_appliance:
          route.next_hop_type = "VirtualAppliance";
          route.next_hop_ip = r.firewall != nullptr ? r.firewall->private_ip.str()
                              : r.next_hop_ip       ? r.next_hop_ip->str()
                                                    : std::string();
          break;
        case NextHop::internet: route.next_hop_type = "Internet"; break;
        case NextHop::vnet_local: route.next_hop_type = "VnetLocal"; break;
        case NextHop::vnet_gateway: route.next_hop_type = "VirtualNetworkGateway"; break;
        case NextHop::none: route.next_hop_type = "None"; break;
      }
      out.routes.push_back(std::move(route));
    }
    return out;
  }

  // A subnet that hosts a cluster's API server (API Server VNet Integration) must be delegated to AKS: "you must
  // create and delegate an API server subnet to Microsoft.ContainerService/managedClusters" ("API Server VNet
  // Integration", learn.microsoft.com/azure/aks/api-server-vnet-integration, checked 2026-12-06).
  std::string subnet_delegation(const Subnet& s) const {
    for (const auto& c : program_.clusters)
      if (c.api_server_subnet == &s) return "Microsoft.ContainerService/managedClusters";
    return {};
  }

  ir::VirtualNetwork vnet(const Vnet& v) const {
    ir::VirtualNetwork out;
    for (const auto& c : v.address_space) out.address_prefixes.push_back(c.str());
    for (const auto& ip : v.dns_servers) out.dns_servers.push_back(ip.str());
    for (const auto& s : v.subnets) {
      ir::Subnet sub{text(s.name), s.prefix.str(), std::nullopt, std::nullopt, {}};
      if (s.route_table != nullptr) sub.route_table = at(s.route_table);
      if (s.nat_gateway != nullptr) sub.nat_gateway = at(s.nat_gateway);
      sub.delegation = subnet_delegation(s);
      out.subnets.push_back(std::move(sub));
    }
    return out;
  }

  static std::string sku_tier(FirewallSku sku) {
    return sku == FirewallSku::basic ? "Basic" : sku == FirewallSku::premium ? "Premium" : "Standard";
  }
  static std::string idps_mode(IdpsMode m) {
    return m == IdpsMode::off ? "Off" : m == IdpsMode::deny ? "Deny" : "Alert";
  }
  static std::string threat_intel_mode(ThreatIntel t) {
    return t == ThreatIntel::off ? "Off" : t == ThreatIntel::deny ? "Deny" : "Alert";
  }

  ir::Firewall firewall(const Firewall& fw) const {
    ir::Firewall out;
    out.sku_tier = sku_tier(fw.sku);
    out.private_ip = fw.private_ip.str();
    bool first = true;
    for (const auto& f : fw.frontends) {
      if (f.public_ip == nullptr) continue;
      ir::IpConfiguration ipc{text(f.config_name), at(f.public_ip), std::nullopt};
      if (first && fw.subnet != nullptr) ipc.subnet = subnet_ref(*fw.subnet);
      first = false;
      out.ip_configurations.push_back(std::move(ipc));
    }
    for (int z : fw.zones) out.zones.push_back(std::to_string(z));
    if (fw.management && fw.management->public_ip != nullptr) {
      ir::IpConfiguration m{text(fw.management->config_name), at(fw.management->public_ip), std::nullopt};
      if (const Subnet* sub = fw.management_subnet()) m.subnet = subnet_ref(*sub);
      out.management = std::move(m);
    }
    if (fw.policy != nullptr) {  // rules, DNS and threat intelligence are the policy's resources
      out.policy = at(fw.policy);
      out.threat_intel_mode.clear();
      return out;
    }
    out.threat_intel_mode = threat_intel_mode(fw.threat_intel);
    out.dns_proxy = fw.dns_proxy;
    for (const auto& col : fw.collections) {
      if (col.kind == CollectionKind::network) out.network_collections.push_back(network_collection(col));
      else if (col.kind == CollectionKind::application) out.application_collections.push_back(application_collection(col));
      else out.nat_collections.push_back(nat_collection(col));
    }
    return out;
  }

  static std::string action_of(const RuleCollection& col) { return col.action == Action::allow ? "Allow" : "Deny"; }

  ir::Collection<ir::NetworkRule> network_collection(const RuleCollection& col) const {
    ir::Collection<ir::NetworkRule> c{col.name, col.priority, action_of(col), {}};
    c.rules.reserve(col.network_rules.size());  // the rules are most of a large IR: no doubling, no moves
    for (const auto& r : col.network_rules) {
      ir::NetworkRule rule;
      rule.name = r.name;
      for (auto p : r.protocols) rule.protocols.push_back(protocol_name(p));
      sources(r.sources, rule.sources, rule.source_ip_groups);
      for (const auto& d : r.destinations) {
        if (d.kind == Endpoint::Kind::fqdn) rule.destination_fqdns.push_back(d.text);
        else if (d.kind == Endpoint::Kind::ip_group) rule.destination_ip_groups.push_back(at(d.ip_group));
        else rule.destination_addresses.push_back(address(d));
      }
      for (const auto& p : r.ports) rule.destination_ports.push_back(port_text(p));
      if (rule.destination_ports.empty()) rule.destination_ports.push_back("*");
      c.rules.push_back(std::move(rule));
    }
    return c;
  }

  ir::Collection<ir::ApplicationRule> application_collection(const RuleCollection& col) const {
    ir::Collection<ir::ApplicationRule> c{col.name, col.priority, action_of(col), {}};
    c.rules.reserve(col.application_rules.size());
    for (const auto& r : col.application_rules) {
      ir::ApplicationRule rule;
      rule.name = r.name;
      for (const auto& p : r.protocols)
        rule.protocols.push_back({p.kind == AppProtocol::Kind::http ? "Http" : p.kind == AppProtocol::Kind::https ? "Https" : "Mssql", p.port});
      sources(r.sources, rule.sources, rule.source_ip_groups);
      for (const auto& t : r.targets) (t.kind == Endpoint::Kind::fqdn_tag ? rule.fqdn_tags : rule.target_fqdns).push_back(t.text);
      for (const auto& w : r.web_categories) rule.web_categories.push_back(text(w));
      for (const auto& u : r.target_urls) rule.target_urls.push_back(text(u));
      rule.terminate_tls = r.terminate_tls;
      for (const auto& h : r.headers) rule.http_headers.push_back({text(h.name), text(h.value)});
      c.rules.push_back(std::move(rule));
    }
    return c;
  }

  ir::Collection<ir::NatRule> nat_collection(const RuleCollection& col) const {
    ir::Collection<ir::NatRule> c{col.name, col.priority, "Dnat", {}};
    c.rules.reserve(col.dnat_rules.size());
    for (const auto& r : col.dnat_rules) {
      ir::NatRule rule;
      rule.name = r.name;
      if (r.protocol == Protocol::any) rule.protocols = {"TCP", "UDP"};
      else rule.protocols = {protocol_name(r.protocol)};
      sources(r.sources, rule.sources, rule.source_ip_groups);
      if (r.destination != nullptr) rule.destination = ir::Address::of_public_ip(at(r.destination), -1);
      rule.destination_port = std::to_string(r.port);
      if (r.service != nullptr && r.service->load_balancer_ip) rule.translated_address = r.service->load_balancer_ip->str();
      else if (r.translated_ip) rule.translated_address = r.translated_ip->str();
      rule.translated_port = std::to_string(r.translated_port != 0 ? r.translated_port : r.port);
      c.rules.push_back(std::move(rule));
    }
    return c;
  }

  const Program& program_;
  Diagnostics& diags_;
  std::vector<Node> nodes_;
  std::vector<Extra> extras_;
  // Role assignments of user-assigned identities made so far: (principal, scope, role id) -> node.
  std::map<std::tuple<const void*, const void*, std::string_view>, std::size_t> assigned_;
  std::map<const void*, std::size_t> index_;
  std::vector<std::pair<std::size_t, std::size_t>> edges_;
  std::vector<std::vector<ir::Index>> dependencies_;  // per node: positions of what it depends on (run())
  std::map<const RuleCollectionGroup*, const FirewallPolicy*> policy_of_group_;
  std::map<const Group*, std::size_t> group_index_;  // position in ir::Deployment::groups
  std::vector<std::size_t> order_;
  const std::vector<std::size_t>* position_ = nullptr;
};

}  // namespace

ir::Deployment lower(const Program& program, Diagnostics& diags) { return Lowering(program, diags).run(); }

void check_creation_order(const Program& program, Diagnostics& diags) { Lowering(program, diags).check_order(); }

}  // namespace egress::lower
