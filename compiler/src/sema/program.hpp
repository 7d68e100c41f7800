// The checked program: typed declarations with resolved references and spans, built by elaborate().
// This is what the network model, the checks and lowering read. Plain data; no PEGTL, no Azure API.
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "egress/diagnostic.hpp"
#include "egress/source.hpp"
#include "sema/address.hpp"
#include "sema/rules.hpp"
#include "sema/text.hpp"

namespace egress::sema {

// `cidrs` is last so that the others keep their values (lowering casts them to ir::ParamType; cidrs parameters
// never reach the IR: they are decided when the program is built, sema/param_shape.cpp).
enum class ParamType { string, integer, region, boolean, cidrs };

/// One address of a `cidrs` value, as written (`10.42.0.0/16`), and where.
struct ListItem {
  std::string text;
  Span span;
};

struct Param {
  std::string name;
  ParamType type = ParamType::string;
  std::optional<std::string> default_value;  // the default as text (integers in decimal; cidrs joined by ", ")
  Span span;
  std::vector<ListItem> default_list;  // cidrs: the default's addresses
  std::vector<ListItem> env_list = {};  // cidrs: the selected env's
  // Decided when the program is built, not at deployment: a bool that `when`/`unless` name, or a cidrs list.
  // It is left out of the outputs' parameters; text that names it gets its value (sema/param_shape.cpp).
  bool build_time = false;
  // The selected env's value (`egressc build --env NAME`), as text like the default; sema/decl_env.cpp.
  std::optional<std::string> env_value = std::nullopt;
  Span env_span;  // where the env gives it

  /// What the checks see: the selected env's value, else the default (nullopt: only known at deployment).
  [[nodiscard]] const std::optional<std::string>& value() const { return env_value ? env_value : default_value; }
  /// A cidrs parameter's addresses: the selected env's, else the default's.
  [[nodiscard]] const std::vector<ListItem>& list() const { return env_value ? env_list : default_list; }
};

/// A count a setting takes (`nodes 3`, `nodes node_count`): a number, or an `int` parameter whose value the
/// checks use (the selected env's, else its default). The outputs keep the parameter (sema::count_value()).
struct Count {
  int value = 0;
  std::string param;  // empty: the literal number `value`
};

/// `env NAME < PARAM VALUE; ... >`: one set of parameter values. The program is checked with one set at a time
/// (the selected env, or the defaults); sema/decl_env.cpp.
struct Env {
  std::string name;
  struct Value {
    std::string param;
    std::string value;  // as text, like Param::default_value
    Span span;          // the value's statement
    std::vector<ListItem> list = {};  // a cidrs parameter's addresses
  };
  std::vector<Value> values;  // in source order, each parameter once
  Span span;
};

/// `group NAME ["azure-name"] in LOCATION [< declarations >]`: a resource group. Which group each declaration
/// lives in is decided in one place, sema/placement.cpp.
struct Group {
  std::string symbol;
  Text name;
  Text location;
  Span span;
};

struct RouteTable;
struct Vnet;
struct NatGateway;

struct Subnet {
  std::string symbol;  // also how it is referenced: vnet.symbol
  Text name;
  Cidr prefix;
  const Vnet* vnet = nullptr;
  RouteTable* route_table = nullptr;
  Span route_table_span;  // where `route_table X` was written (for notes)
  NatGateway* nat_gateway = nullptr;  // `nat_gateway X` in the subnet's block: its outbound SNAT
  Span nat_gateway_span;
  Span span;
};

/// The settings of one VNet's side of a peering: the properties of the virtualNetworkPeerings resource that VNet
/// holds (Azure has one per direction). `peer OTHER < ... >` writes them; a side not written keeps these defaults
/// (sema/peering.hpp says why they are what they are).
struct PeerSettings {
  bool virtual_network_access = true;  // allowVirtualNetworkAccess: this VNet reaches the remote one
  bool forwarded_traffic = true;       // allowForwardedTraffic: traffic an appliance in the remote VNet forwards enters
  bool gateway_transit = false;        // allowGatewayTransit: the remote VNet may use this VNet's gateway
  bool use_remote_gateways = false;    // useRemoteGateways: this VNet uses the remote VNet's gateway
  Span virtual_network_access_span, forwarded_traffic_span, gateway_transit_span, use_remote_gateways_span;
};

struct Vnet {
  std::string symbol;
  Text name;
  std::vector<Cidr> address_space;
  std::deque<Subnet> subnets;
  std::vector<const Vnet*> peers;  // `peer OTHER`: peerings declared from this side (null: unknown or dropped)
  std::vector<Span> peer_spans;
  std::vector<PeerSettings> peer_settings;  // parallel to `peers`: this side's settings of each
  // `dns_servers IP, ...`: the VNet's custom DNS servers (dhcpOptions.dnsServers), in the order written. Empty:
  // Azure-provided DNS. A cluster in the VNet must reach them (stdlib/aks.egress, `cluster.dns_servers`).
  std::vector<Ip> dns_servers;
  Span dns_servers_span;
  Span span;
};

enum class PublicIpSku { basic, standard };
enum class Allocation { static_, dynamic };

struct PublicIp {
  std::string symbol;
  Text name;
  PublicIpSku sku = PublicIpSku::standard;
  Allocation allocation = Allocation::static_;
  // `zones 1, 2, 3`: the availability zones of the address (ARM `zones`). Empty: Azure's default, which for a
  // Standard IP in a region with zones is zone-redundant.
  std::vector<int> zones;
  Span zones_span;
  Span span;
};

/// `nat_gateway NAME ["azure-name"] < public_ip PIP, ...; idle_timeout MINUTES >`: a Microsoft.Network/natGateways
/// resource (Standard SKU). Subnets name it in their block; it then SNATs their Internet traffic with its public
/// IPs (sema/decl_nat_gateway.cpp has the facts and their sources).
struct NatGateway {
  std::string symbol;
  Text name;
  std::vector<const PublicIp*> public_ips;  // resolved after every declaration; null when unknown
  std::vector<Span> public_ip_spans;
  int idle_timeout = 4;                     // minutes; Azure's default
  Span idle_timeout_span;                   // empty when not written
  std::vector<const Subnet*> subnets;       // the subnets that name it, in program order (derived)
  Span span;
};

/// `rule_group NAME priority N < network|application|nat ... >` in a firewall policy:
/// Microsoft.Network/firewallPolicies/ruleCollectionGroups.
struct RuleCollectionGroup {
  std::string name;
  int priority = 0;
  std::deque<RuleCollection> collections;
  Span span;
};

struct Frontend {
  const PublicIp* public_ip = nullptr;
  Text config_name;  // the IP configuration's name
  Span span;
};

enum class FirewallSku { basic, standard, premium };
enum class ThreatIntel { off, alert, deny };
enum class IdpsMode { off, alert, deny };

/// `idps_signature ID off|alert|deny`: an override of one IDPS signature's mode.
struct IdpsSignature {
  std::string id;
  IdpsMode mode = IdpsMode::alert;
  Span span;
};

/// `idps_bypass NAME PROTOCOL SOURCES -> DESTINATIONS [: PORTS]`: traffic IDPS does not inspect
/// (intrusionDetection.configuration.bypassTrafficSettings). Endpoints are addresses, prefixes, subnets, public
/// IPs and IP groups; Azure takes no FQDNs or tags there (E0322).
struct IdpsBypass {
  std::string name;
  Protocol protocol = Protocol::tcp;
  std::vector<Endpoint> sources;
  std::vector<Endpoint> destinations;
  std::vector<PortRange> ports;  // empty: every port (`*`), as for ICMP
  Span span;
};

/// `firewall_policy NAME ["azure-name"] < tier ...; dns_proxy ...; threat_intel ...; rule_group ... >`:
/// Microsoft.Network/firewallPolicies. Firewalls use it with `policy NAME`; several may share it.
struct FirewallPolicy {
  std::string symbol;
  Text name;
  FirewallSku tier = FirewallSku::standard;
  Span tier_span;
  bool dns_proxy = false;
  Span dns_proxy_span;
  ThreatIntel threat_intel = ThreatIntel::alert;
  Span threat_intel_span;  // empty when not written: the base policy's mode, else Alert
  std::deque<RuleCollectionGroup> groups;
  Span span;
  std::vector<Span> reopened;
  // `base POLICY`: the parent policy (basePolicy), whose rules are processed before this policy's own.
  const FirewallPolicy* base = nullptr;
  Span base_span;
  // Premium: `idps off|alert|deny` and `idps_signature ID MODE` (intrusionDetection).
  std::optional<IdpsMode> idps;
  Span idps_span;
  std::vector<IdpsSignature> idps_signatures;
  // Premium: `idps_bypass ...` (repeatable) and `idps_private_ranges PREFIX, ...`
  // (intrusionDetection.configuration.bypassTrafficSettings and .privateRanges). No ranges: Azure's default,
  // the IANA RFC 1918 ranges.
  std::vector<IdpsBypass> idps_bypass;
  std::vector<Endpoint> idps_private_ranges;  // Kind::cidr or Kind::subnet, as written
  Span idps_private_ranges_span;
  // Premium: `tls_inspection keyvault_secret "SECRET-ID" identity IDENTITY [certificate "NAME"]`
  // (transportSecurity.certificateAuthority, and the user-assigned identity that reads the secret).
  std::optional<Text> tls_secret_id;
  Text tls_certificate_name;
  const Identity* tls_identity = nullptr;
  Span tls_span;
  // `threat_intel_allow ADDRESS|"FQDN", ...` (threatIntelWhitelist) and `dns_servers IP, ...` (dnsSettings).
  std::vector<Ip> threat_intel_allow_ips;
  std::vector<Text> threat_intel_allow_fqdns;
  Span threat_intel_allow_span;
  std::vector<Ip> dns_servers;
  Span dns_servers_span;
};

struct Firewall {
  std::string symbol;
  Text name;
  const Subnet* subnet = nullptr;
  Span subnet_span;
  FirewallSku sku = FirewallSku::standard;
  Span sku_span;
  bool dns_proxy = false;
  Span dns_proxy_span;
  ThreatIntel threat_intel = ThreatIntel::alert;
  Span threat_intel_span;
  std::vector<Frontend> frontends;
  std::deque<RuleCollection> collections;  // policy firewalls: copies of the policy's, in derive() (elaborate.cpp)
  const FirewallPolicy* policy = nullptr;  // `policy NAME`: the firewall's rules and settings are the policy's
  Span policy_span;
  Ip private_ip;  // derived: the fourth address of its subnet
  Span span;
  std::vector<Span> reopened;  // every `firewall fw < ... >` that added to it
  // `management PUBLIC_IP ["ip-configuration-name"]`: the management NIC (managementIpConfiguration) in the
  // VNet's AzureFirewallManagementSubnet. Basic always has one; Standard and Premium need it for forced tunnelling.
  std::optional<Frontend> management;
  // `zones 1, 2, 3`: the availability zones of the firewall. Empty: no zones are written.
  std::vector<int> zones;
  Span zones_span;

  /// The subnet of the firewall's VNet named AzureFirewallManagementSubnet (the management NIC's), or null.
  [[nodiscard]] const Subnet* management_subnet() const;
};

enum class NextHop { virtual_appliance, internet, vnet_local, vnet_gateway, none };

struct Route {
  std::string symbol;
  Text name;
  // Destination: a literal prefix, or a public IP's address with a prefix length (`fwpip/32`).
  std::optional<Cidr> prefix;
  const PublicIp* public_ip = nullptr;
  int public_ip_prefix = 32;
  NextHop next_hop = NextHop::internet;
  const Firewall* firewall = nullptr;  // virtual_appliance via a firewall: its private IP
  std::optional<Ip> next_hop_ip;       // an address written after the hop (only virtual_appliance takes one)
  Span next_hop_span;
  Span span;
};

struct RouteTable {
  std::string symbol;
  Text name;
  std::vector<Route> routes;
  bool bgp_propagation = true;
  Span span;
};

struct Identity {
  std::string symbol;
  Text name;
  Span span;
};

enum class NetworkPlugin { azure, kubenet };
enum class OutboundType { load_balancer, user_defined_routing, managed_nat_gateway, user_assigned_nat_gateway };

struct AuthorizedRange {
  std::optional<Cidr> cidr;
  const PublicIp* public_ip = nullptr;  // the public IP's address as a /32
  Span span;
};

/// `pool NAME < ... >` in a cluster: one AKS agent pool (sema/decl_pool.cpp). A cluster without `pool`
/// blocks gets one implicit pool, `nodepool1` (System, Linux), from its own `nodes`, `vm_size` and `max_pods`.
enum class PoolMode { system, user };
enum class PoolOs { linux, windows };

struct NodeLabel {
  std::string key, value;
  Span span;
};

struct NodeTaint {
  std::string key, value, effect;  // effect: NoSchedule | PreferNoSchedule | NoExecute
  Span span;
};

struct NodePool {
  std::string name;  // the agent pool's name in Azure (lowercase alphanumeric, checked by E0411)
  Span name_span;
  bool implicit = false;  // the cluster's own `nodepool1`
  PoolMode mode = PoolMode::user;
  Span mode_span;
  int node_count = 3;       // fixed count, or the autoscaler's minimum when `autoscale` is written
  std::string node_count_param;  // the implicit pool of `nodes PARAM`: the int parameter node_count comes from
  bool autoscale = false;
  int min_count = 0, max_count = 0;
  std::string min_count_param, max_count_param;  // `autoscale MIN MAX` with int parameters: theirs (else empty)
  Span count_span;          // `nodes` or `autoscale`
  Text vm_size;             // empty: AKS chooses
  std::vector<int> zones;   // sorted; empty: none written
  Span zones_span;
  PoolOs os = PoolOs::linux;
  Span os_span;
  std::string os_sku;       // the API's osSKU value ("Ubuntu", "AzureLinux", "Windows2022", ...); empty: default
  int max_pods = 30;        // the plugin's default unless given
  bool max_pods_given = false;
  std::vector<NodeLabel> labels;
  std::vector<NodeTaint> taints;
  const Subnet* subnet = nullptr;  // null: the cluster's subnet
  Span subnet_span;
  Span span;

  /// The most nodes the pool can have: the autoscaler's maximum, or the fixed count.
  [[nodiscard]] int peak_nodes() const { return autoscale ? max_count : node_count; }
};

struct Cluster {
  std::string symbol;
  Text name;
  const Subnet* subnet = nullptr;
  Span subnet_span;
  int node_count = 3;
  std::string node_count_param;  // `nodes PARAM`: the int parameter whose value node_count is (sema/decl_env.cpp)
  Span nodes_span;             // the `nodes` setting, if written
  Text vm_size;                // empty: AKS chooses the size (the property is optional in the API)
  Span vm_size_span;           // the `vm_size` and `max_pods` settings, if written (E0410)
  Span max_pods_span;
  int max_pods = 30;           // set to the plugin's default (facts::aks::default_max_pods) unless given
  bool max_pods_given = false;
  NetworkPlugin plugin = NetworkPlugin::azure;
  bool overlay = false;
  OutboundType outbound = OutboundType::load_balancer;
  Span outbound_span;
  std::vector<AuthorizedRange> authorized;
  Span authorized_span;
  bool private_cluster = false;
  Span private_span;
  bool system_identity = true;
  const Identity* control_plane_identity = nullptr;
  const Identity* kubelet_identity = nullptr;
  Span identity_span;
  bool generate_ssh_keys = false;
  std::optional<Cidr> service_cidr;
  std::optional<Ip> dns_service_ip;
  std::optional<Cidr> pod_cidr;
  Text kubernetes_version;  // empty: the region's default; otherwise MAJOR.MINOR[.PATCH] (checked in sema)
  // `addon NAME`: AKS add-ons, emitted as addonProfiles / `az aks create --enable-addons`, and the names
  // that `when` conditions of requirement rows test (sema/requirement.cpp).
  bool monitoring = false;
  Text monitoring_workspace;  // the Log Analytics workspace's resource ID
  bool keyvault_secrets = false;
  bool azure_policy = false;
  Span addons_span;
  // Cluster features that are not add-ons but bring their own outbound rows (sema/cluster_features.cpp):
  // `defender workspace "ID"`, Microsoft Defender for Containers (securityProfile.defender / `az aks create
  // --enable-defender`), the condition `defender` of requirement rows.
  bool defender = false;
  Text defender_workspace;  // the Log Analytics workspace's resource ID
  Span defender_span;
  // `api_server_subnet VNET.SUBNET`: API Server VNet Integration (apiServerAccessProfile.enableVnetIntegration and
  // subnetId): the API server sits behind an internal load balancer in this subnet, which is delegated to
  // Microsoft.ContainerService/managedClusters in every target. Null: the API server is reached as usual.
  const Subnet* api_server_subnet = nullptr;
  Span api_server_subnet_span;
  // The agent pools, in source order; never empty after elaboration (sema/decl_pool.cpp adds the implicit
  // `nodepool1` when no `pool` is written). `nodes`/`vm_size`/`max_pods` above describe only that implicit pool.
  std::deque<NodePool> pools;
  bool explicit_pools = false;
  Span span;

  /// The subnet a pool's nodes join: its own, or the cluster's.
  [[nodiscard]] const Subnet* pool_subnet(const NodePool& p) const { return p.subnet != nullptr ? p.subnet : subnet; }
  /// The most nodes the cluster can have, over all its pools (autoscaled pools at their maximum).
  [[nodiscard]] int total_nodes() const {
    int n = 0;
    for (const auto& p : pools) n += p.peak_nodes();
    return pools.empty() ? node_count : n;
  }
};

struct ConfigMap {
  std::string name;
  std::vector<std::pair<std::string, std::string>> files;  // key -> content
  Span span;
};

struct ContainerPort {
  std::string name;  // may be empty
  std::uint16_t port = 0;
  Span span;
};

struct Mount {
  std::string config;  // a ConfigMap of the app
  std::string path;    // mount path of the file
  std::string key;     // the file's key in the ConfigMap
  Span span;
};

struct Resources {
  std::string cpu;
  std::string memory;
};

struct WaitFor {
  std::string host;
  std::uint16_t port = 0;
  Text image;
  Span span;
};

struct Workload {
  enum class Kind { deployment, statefulset } kind = Kind::deployment;
  std::string name;
  Text image;
  int replicas = 1;
  std::vector<ContainerPort> ports;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<Mount> mounts;
  std::vector<WaitFor> wait_for;
  std::string probe_path;  // readiness and liveness HTTP probe on the first port; empty: none
  Resources requests;
  Resources limits;
  Span span;
};

struct ServicePort {
  std::uint16_t port = 0;
  std::uint16_t target = 0;
  std::string name;  // from the workload's port of that number, else "port-<n>"
  Protocol protocol = Protocol::tcp;
  Span span;
};

struct App;

struct Service {
  enum class Exposure { cluster, internal, public_ } exposure = Exposure::cluster;
  std::string name;
  std::vector<ServicePort> ports;
  const App* app = nullptr;
  std::optional<Ip> load_balancer_ip;  // internal load balancers: given or allocated by lower/
  /// `internal in VNET.SUBNET`: the internal load balancer's subnet when it is not the cluster's own
  /// (the azure-load-balancer-internal-subnet annotation); null: the cluster's subnet.
  const Subnet* lb_subnet = nullptr;
  Span lb_subnet_span;
  Span exposure_span;
  Span span;
};

struct App {
  std::string symbol;
  const Cluster* cluster = nullptr;
  std::string ns = "default";
  std::deque<ConfigMap> configs;
  std::deque<Workload> workloads;
  std::deque<Service> services;
  Span span;
};

/// `rule_set NAME [PARAM, ...] < network|application|nat ...; use ... >`: collections written once and placed
/// by `use NAME ARG, ...` into a firewall's classic rules, a rule collection group or another rule set, each
/// PARAM standing for the rule endpoint its argument gives. Or `rule_set NAME CLUSTER from requirement REQ
/// [required|recommended]`: the collections that allow the requirement's rows that apply to a cluster.
/// sema expands every use into ordinary collections (sema/decl_rule_set.cpp); this names the set for the
/// language server and the dumps.
struct RuleSet {
  std::string symbol;
  std::vector<std::string> params;
  std::vector<Span> param_spans;
  std::string requirement;  // `from requirement REQ`; empty for a set with a body
  enum class Rows { all, required, recommended } rows = Rows::all;
  std::size_t uses = 0;     // `use` statements that name it
  Span span;
};

struct Import {
  std::string module;
  Span span;
};

/// A whole program: the main file plus everything it imports, merged.
struct Program {
  std::vector<Import> imports;
  std::string profile;  // `profile production`: stricter capacity advice
  Span profile_span;
  // Names of services whose statement was malformed: references to them report nothing more (no cascade).
  std::vector<std::string> malformed_services;
  std::vector<Param> params;
  std::vector<Env> envs;        // in source order
  const Env* env = nullptr;     // the env the program is checked with (into envs); null: the defaults
  std::deque<Group> groups;      // in declaration order
  // The main group: the one group of a single-group program; with several, the group of the first cluster (else
  // the first group). Its location is the region the model's region-dependent checks use (sema/placement.cpp).
  const Group* group = nullptr;
  // Each Azure declaration's group (sema/placement.cpp fills it; home_group() reads it).
  std::map<const void*, const Group*> homes;
  std::deque<Vnet> vnets;
  std::deque<PublicIp> public_ips;
  std::deque<IpGroup> ip_groups;
  std::deque<NatGateway> nat_gateways;
  std::deque<RuleSet> rule_sets;
  std::deque<FirewallPolicy> firewall_policies;
  std::deque<Firewall> firewalls;
  std::deque<RouteTable> route_tables;
  std::deque<Identity> identities;
  std::deque<Cluster> clusters;
  std::deque<App> apps;

  [[nodiscard]] const Param* find_param(std::string_view name) const;
  [[nodiscard]] std::string location() const { return group ? group->location.value : std::string(); }
};

}  // namespace egress::sema
