// The network model: one Boost.Graph of everything traffic can touch (the Internet, VNets, subnets, route
// tables, firewalls, public IPs, load balancers, clusters, and the destinations flows go to), with edges for
// containment, route-table association, routes, peering, frontends and DNAT. Built once from the checked
// program; the routing, flow and capacity checks, `egressc explain` and `egressc graph` all read it.
#pragma once
#include <boost/graph/adjacency_list.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/flows.hpp"
#include "model/routes.hpp"
#include "sema/catalog.hpp"
#include "sema/peering.hpp"
#include "sema/program.hpp"

namespace egress::model {

enum class NodeKind {
  internet, vnet, subnet, route_table, firewall, public_ip, load_balancer, cluster,
  appliance,    // a virtual-appliance address that is no declared firewall
  gateway,      // the VNet's gateway (next hop VirtualNetworkGateway)
  drop,         // next hop None
  service_tag,  // a flow's destination: AzureCloud.eastus
  fqdn,         // a flow's destination: mcr.microsoft.com, *.hcp.eastus.azmk8s.io
};

enum class EdgeKind {
  contains,    // vnet -> subnet; subnet -> cluster, firewall, internal load balancer
  associated,  // subnet -> its route table
  route,       // route table -> next hop (firewall, internet, appliance, gateway, drop); label: the prefix
  peering,     // vnet -> vnet, one edge per direction
  frontend,    // firewall -> public IP; public IP -> internet
  exposes,     // cluster -> load balancer of a Service
  dnat,        // public IP -> load balancer; label: protocol and ports
  flow,        // firewall (or, when it bypasses the firewall, cluster) -> destination; label: proto/port
};

struct Node {
  NodeKind kind = NodeKind::internet;
  std::string id;     // stable and unique ("subnet:vnet.aks"): the DOT node id
  std::string label;  // what a picture shows
  const void* decl = nullptr;
};

struct Edge {
  EdgeKind kind = EdgeKind::contains;
  std::string label;
  const sema::Route* route = nullptr;
  FlowOutcome outcome = FlowOutcome::allowed;  // flow edges
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, Node, Edge>;
using Vertex = Graph::vertex_descriptor;

/// How a cluster's traffic to the Internet leaves its subnet.
struct Egress {
  const sema::Cluster* cluster = nullptr;
  const EffectiveRoutes* routes = nullptr;        // of the cluster's subnet
  const EffectiveRoute* internet_route = nullptr; // the route names (FQDNs, service tags) take
  const sema::Firewall* firewall = nullptr;       // the firewall that route leads to, or null
  bool firewall_reachable = false;                // the firewall's VNet is the cluster's or a peer of it
  [[nodiscard]] bool through_firewall() const { return firewall != nullptr && firewall_reachable; }
};

class Network {
 public:
  Network(const sema::Program& program, const sema::Catalog& catalog);
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  [[nodiscard]] const sema::Program& program() const { return program_; }
  [[nodiscard]] const sema::Catalog& catalog() const { return catalog_; }
  /// The region `${location}` stands for in required flows: the program's location.
  [[nodiscard]] const std::string& region() const { return region_; }
  [[nodiscard]] const Graph& graph() const { return graph_; }
  [[nodiscard]] Vertex internet() const { return internet_; }
  [[nodiscard]] std::optional<Vertex> vertex_of(const void* decl) const;
  [[nodiscard]] std::optional<Vertex> find(std::string_view id) const;

  /// VNets peered with `vnet`, whichever side declared the peering; in program order.
  [[nodiscard]] std::vector<const sema::Vnet*> peers(const sema::Vnet& vnet) const;
  /// Every peering, both sides with their settings, in program order (sema/peering.hpp).
  [[nodiscard]] const std::vector<sema::Peering>& peerings() const { return peerings_; }
  /// The side of the peering `from` holds toward `to` (its settings), or null when they are not peered.
  [[nodiscard]] const sema::PeeringSide* peering(const sema::Vnet& from, const sema::Vnet& to) const;
  /// Subnets whose route table is `table`, in program order.
  [[nodiscard]] std::vector<const sema::Subnet*> subnets_using(const sema::RouteTable& table) const;
  [[nodiscard]] const EffectiveRoutes& routes(const sema::Subnet& subnet) const;
  [[nodiscard]] Egress egress(const sema::Cluster& cluster) const;
  /// The rules of a firewall, indexed for flow evaluation.
  [[nodiscard]] const FirewallRules& rules(const sema::Firewall& fw) const;
  /// Can traffic from `vnet` reach the firewall's private IP: the firewall's VNet is `vnet` or peered with it.
  [[nodiscard]] bool connected(const sema::Vnet& vnet, const sema::Firewall& fw) const;
  /// The firewall whose private IP is `address`, or null.
  [[nodiscard]] const sema::Firewall* firewall_at(std::uint32_t address) const;
  /// Clusters whose subnet is `subnet`.
  [[nodiscard]] std::vector<const sema::Cluster*> clusters_in(const sema::Subnet& subnet) const;

  /// Adds the evaluated flows: a vertex per destination and a coloured edge per flow (for the picture).
  void add_flows(const std::vector<ClusterFlow>& flows);

 private:
  Vertex add(NodeKind kind, std::string id, std::string label, const void* decl);
  Vertex add_or_find(NodeKind kind, const std::string& id, std::string label);
  void connect(Vertex from, Vertex to, EdgeKind kind, std::string label = {}, const sema::Route* route = nullptr);
  void build();

  const sema::Program& program_;
  const sema::Catalog& catalog_;
  std::string region_;
  Graph graph_;
  Vertex internet_{};
  std::map<const void*, Vertex> by_decl_;
  std::map<std::string, Vertex, std::less<>> by_id_;
  std::map<const sema::Subnet*, EffectiveRoutes> routes_;
  std::map<const sema::Firewall*, std::unique_ptr<FirewallRules>> rules_;
  std::map<const sema::Vnet*, std::vector<const sema::Vnet*>> peers_;
  std::vector<sema::Peering> peerings_;
};

/// The peering checks (check_peering.cpp): E0420-E0426, W0310.
void check_peerings(const Network& network, Diagnostics& diags);

/// Capacity checks (capacity.cpp): W0206 SNAT ports, W0207 frontends of a production firewall.
void check_capacity(const Network& network, Diagnostics& diags);
/// The NAT gateway on the firewall's subnet, when it has a public IP: the firewall's outbound traffic then leaves
/// through it (capacity.cpp; explain and W0206 read it).
[[nodiscard]] const sema::NatGateway* firewall_nat_gateway(const sema::Firewall& fw);
/// The NAT gateway's resolved public IPs.
[[nodiscard]] std::size_t nat_gateway_ip_count(const sema::NatGateway& ng);
/// W0251 (nat_gateway.cpp): a subnet whose route for the Internet goes to a virtual appliance, while a NAT gateway
/// is attached to it.
void check_nat_gateways(const Network& network, Diagnostics& diags);

/// Writes the model as Graphviz DOT: VNets as clusters holding their subnets, the firewall, route tables
/// and their routes, public IPs, the Internet, and flows coloured by outcome. Deterministic.
[[nodiscard]] std::string to_dot(const Network& network);

}  // namespace egress::model
