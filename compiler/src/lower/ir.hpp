// The target-neutral IR: Azure resources and Kubernetes objects with every derived value filled in
// (the firewall's private IP, load-balancer IPs, rule and config names) and resources in creation order.
// The four emitters read only this header, so their outputs cannot drift apart.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace egress::ir {

/// Text with `${param}` holes. `value` has every parameter at its default.
struct Text {
  struct Part {
    bool param = false;
    std::string text;  // literal text, or a parameter name
  };
  std::vector<Part> parts;
  std::string value;

  [[nodiscard]] bool is_literal() const {
    for (const auto& p : parts) if (p.param) return false;
    return true;
  }
  static Text literal(std::string s) { return Text{{Part{false, s}}, s}; }
};

enum class ParamType { string, integer, region, boolean };

struct Param {
  std::string name;
  ParamType type = ParamType::string;
  std::optional<std::string> default_value;  // the declared default: the template's defaultValue
  // The selected env's value (`--env NAME`): the parameter files' value and the az script's default.
  std::optional<std::string> env_value = std::nullopt;
};

using Index = std::size_t;  // a position in Deployment::resources

/// An address as a rule, route or cluster setting takes it: a literal, or a public IP's address known only
/// at deployment (`reference(...).ipAddress` in ARM, `pip.properties.ipAddress` in Bicep, a captured
/// variable in bash), optionally with a prefix length appended ("/32").
struct Address {
  enum class Kind { literal, public_ip } kind = Kind::literal;
  /// "10.42.1.0/24", "*", "AzureCloud.${location}". An address without parameters (plain()) has its text in
  /// `literal.value` and no parts: a rule's addresses are most of a large IR, and a parts vector of one literal
  /// would cost an allocation and a copy each. The emitters read a Text without parts as its value.
  Text literal;
  Index public_ip = 0;
  int prefix = -1;  // public_ip only: -1 = the bare address, 32 = "<ip>/32"

  static Address text(Text t) { return Address{Kind::literal, std::move(t), 0, -1}; }
  static Address plain(std::string s) { return Address{Kind::literal, Text{{}, std::move(s)}, 0, -1}; }
  static Address of_public_ip(Index pip, int prefix) { return Address{Kind::public_ip, {}, pip, prefix}; }
};

struct PublicIp {
  std::string sku = "Standard";         // Standard | Basic
  std::string allocation = "Static";    // Static | Dynamic
  std::vector<std::string> zones;       // availability zones, "1".."3" in ascending order; empty: none written
};

struct Identity {};

/// Microsoft.Network/ipGroups: addresses and prefixes, as rules name them by the group's resource ID.
struct IpGroup {
  std::vector<std::string> addresses;  // "10.42.1.0/24", "10.42.9.7"
};

struct Route {
  Text name;
  Address prefix;
  std::string next_hop_type;  // VirtualAppliance | Internet | VnetLocal | VirtualNetworkGateway | None
  std::string next_hop_ip;    // VirtualAppliance only
};

struct RouteTable {
  std::vector<Route> routes;
  bool disable_bgp_route_propagation = false;
};

struct Subnet {
  Text name;
  std::string prefix;                 // "10.42.1.0/24"
  std::optional<Index> route_table;   // a RouteTable resource
  std::optional<Index> nat_gateway;   // a NatGateway resource
  std::string delegation;             // a service the subnet is delegated to ("Microsoft.ContainerService/managedClusters"), or ""
};

/// Microsoft.Network/natGateways, Standard SKU: its public IPs SNAT the Internet traffic of the subnets that
/// name it (Subnet::nat_gateway), so it is created before their VNet.
struct NatGateway {
  int idle_timeout_minutes = 4;
  std::vector<Index> public_ips;  // PublicIp resources
};

struct VirtualNetwork {
  std::vector<std::string> address_prefixes;
  std::vector<Subnet> subnets;
  std::vector<std::string> dns_servers;  // dhcpOptions.dnsServers; empty: Azure-provided DNS
};

/// A subnet of a VirtualNetwork resource.
struct SubnetRef {
  Index vnet = 0;
  std::size_t subnet = 0;
};

struct IpConfiguration {
  Text name;
  Index public_ip = 0;
  std::optional<SubnetRef> subnet;  // only the first configuration names the firewall's subnet
};

struct NetworkRule {
  std::string name;
  std::vector<std::string> protocols;  // TCP | UDP | ICMP | Any
  std::vector<Address> sources;
  std::vector<Address> destination_addresses;  // IPs, CIDRs, service tags
  std::vector<std::string> destination_fqdns;
  std::vector<std::string> destination_ports;  // "443", "8000-8080", "*"
  std::vector<Index> source_ip_groups;         // IpGroup resources
  std::vector<Index> destination_ip_groups;
};

struct ApplicationProtocol {
  std::string type;  // Http | Https | Mssql
  int port = 0;
};

struct ApplicationRule {
  std::string name;
  std::vector<ApplicationProtocol> protocols;
  std::vector<Address> sources;
  std::vector<std::string> target_fqdns;
  std::vector<std::string> fqdn_tags;
  std::vector<Index> source_ip_groups;  // IpGroup resources
  // Firewall Policy rules only (sema rejects them in classic rules):
  std::vector<Text> web_categories;
  std::vector<Text> target_urls;
  bool terminate_tls = false;
  struct Header {
    Text name;
    Text value;
  };
  std::vector<Header> http_headers;  // httpHeadersToInsert
};

struct NatRule {
  std::string name;
  std::vector<std::string> protocols;  // TCP | UDP
  std::vector<Address> sources;
  Address destination;                 // a public IP of the firewall
  std::string destination_port;
  std::string translated_address;      // the internal load balancer's static IP
  std::string translated_port;
  std::vector<Index> source_ip_groups;  // IpGroup resources
};

template <class Rule>
struct Collection {
  std::string name;
  int priority = 0;
  std::string action;  // Allow | Deny (network, application); Dnat (nat)
  std::vector<Rule> rules;
};

/// Microsoft.Network/firewallPolicies: the settings a policy firewall takes from it. Its rules are in
/// RuleCollectionGroup resources.
struct FirewallPolicy {
  std::string sku_tier = "Standard";        // Basic | Standard | Premium
  std::string threat_intel_mode = "Alert";  // Off | Alert | Deny
  bool dns_proxy = false;
  std::optional<Index> base;                // basePolicy: a FirewallPolicy resource
  std::vector<std::string> dns_servers;     // dnsSettings.servers
  std::vector<std::string> threat_intel_allow_ips;  // threatIntelWhitelist
  std::vector<std::string> threat_intel_allow_fqdns;
  std::string idps_mode;                    // intrusionDetection.mode (Off | Alert | Deny); empty: not set
  struct Signature {
    std::string id;
    std::string mode;  // Off | Alert | Deny
  };
  std::vector<Signature> idps_signatures;   // intrusionDetection.configuration.signatureOverrides
  struct Bypass {                           // intrusionDetection.configuration.bypassTrafficSettings
    std::string name;
    std::string protocol;                   // TCP | UDP | ICMP | ANY
    std::vector<Address> sources;           // sourceAddresses
    std::vector<Index> source_ip_groups;    // sourceIpGroups: IpGroup resources
    std::vector<Address> destinations;      // destinationAddresses
    std::vector<Index> destination_ip_groups;
    std::vector<std::string> destination_ports;  // "443", "8000-8080", "*"
  };
  std::vector<Bypass> idps_bypass;
  std::vector<std::string> idps_private_ranges;  // intrusionDetection.configuration.privateRanges
  // TLS inspection: transportSecurity.certificateAuthority, read with the user-assigned identity.
  std::optional<Text> tls_secret_id;
  Text tls_certificate_name;
  std::optional<Index> identity;            // an Identity resource
};

/// One collection of a rule collection group, in the order written: a filter collection (network or
/// application rules) or a NAT collection.
struct PolicyCollection {
  enum class Kind { network, application, nat } kind = Kind::network;
  Collection<NetworkRule> network;          // kind network
  Collection<ApplicationRule> application;  // kind application
  Collection<NatRule> nat;                  // kind nat
  [[nodiscard]] const std::string& name() const {
    return kind == Kind::network ? network.name : kind == Kind::application ? application.name : nat.name;
  }
};

/// Microsoft.Network/firewallPolicies/ruleCollectionGroups. Its name (Resource::name) is the group's own;
/// the ARM and Bicep names join it to the policy's. Each group of a policy depends on the one before it:
/// Azure rejects concurrent updates of one policy's groups.
struct RuleCollectionGroup {
  Index policy = 0;  // a FirewallPolicy resource
  int priority = 0;
  std::vector<PolicyCollection> collections;
};

struct Firewall {
  std::string sku_tier = "Standard";        // Basic | Standard | Premium
  std::string threat_intel_mode = "Alert";  // Off | Alert | Deny
  bool dns_proxy = false;
  std::string private_ip;                   // derived: the fourth address of AzureFirewallSubnet
  std::vector<IpConfiguration> ip_configurations;
  std::vector<Collection<NetworkRule>> network_collections;
  std::vector<Collection<ApplicationRule>> application_collections;
  std::vector<Collection<NatRule>> nat_collections;
  std::optional<Index> policy;  // a FirewallPolicy resource: then there are no classic collections, and the
                                // DNS and threat-intelligence settings are the policy's
  std::vector<std::string> zones;                  // availability zones, "1".."3" ascending; empty: none written
  std::optional<IpConfiguration> management;       // managementIpConfiguration: its subnet is the VNet's
                                                   // AzureFirewallManagementSubnet (always set)
};

/// A count: a literal number, or an `int` parameter (`[parameters('x')]` in ARM, `x` in Bicep, "$X" in the az
/// script). `value` is what the program was checked with (the parameter's value in the env built).
struct Count {
  int value = 0;
  std::string param;  // empty: the literal `value`

  static Count literal(int n) { return Count{n, {}}; }
};

/// One agent pool of a managed cluster (agentPoolProfiles[] in ARM/Bicep; `az aks create` takes the first system
/// pool, `az aks nodepool add` each other one). A cluster without `pool` blocks has one, `nodepool1`.
struct AgentPool {
  std::string name;
  bool implicit = false;       // the cluster's own nodepool1: written exactly as before pools existed
  std::string mode = "System"; // System | User
  Count count = Count::literal(3);  // the fixed count (a number or an int parameter), or the autoscaler's minimum
  bool autoscale = false;
  Count min_count, max_count;  // the autoscaler's range: numbers or int parameters
  Text vm_size;                // empty: AKS chooses
  std::vector<std::string> zones;  // "1".."3", ascending
  std::string os_type = "Linux";   // Linux | Windows
  std::string os_sku;              // empty: the API's default
  int max_pods = 30;
  std::vector<std::pair<std::string, std::string>> labels;  // in source order
  std::vector<std::string> taints;                          // "key=value:Effect"
  SubnetRef subnet;
};

struct ManagedCluster {
  Text dns_prefix;
  std::vector<AgentPool> pools;  // never empty; the first system pool is the one `az aks create` makes
  std::string network_plugin = "azure";  // azure | kubenet
  std::string network_plugin_mode;       // "" | overlay
  std::string outbound_type;             // loadBalancer | userDefinedRouting | managedNATGateway | ...
  SubnetRef subnet;
  std::vector<Address> authorized_ranges;
  bool private_cluster = false;
  bool system_assigned = true;
  std::optional<Index> control_plane_identity;  // Identity resources
  std::optional<Index> kubelet_identity;
  bool generate_ssh_keys = false;
  std::string service_cidr;    // empty: Azure's default
  std::string dns_service_ip;
  std::string pod_cidr;
  Text kubernetes_version;     // empty value: the region's default
  // Add-ons (ARM addonProfiles; `az aks create --enable-addons`).
  bool monitoring = false;     // omsagent, with its Log Analytics workspace
  Text monitoring_workspace;
  bool keyvault_secrets = false;  // azureKeyvaultSecretsProvider
  bool azure_policy = false;      // azurepolicy
  // Microsoft Defender for Containers (ARM securityProfile.defender; `az aks create --enable-defender
  // --defender-config FILE`), with its Log Analytics workspace.
  bool defender = false;
  Text defender_workspace;
  // API Server VNet Integration: apiServerAccessProfile.enableVnetIntegration and subnetId (a delegated subnet).
  std::optional<SubnetRef> api_server_subnet;
};

/// Lets a principal act on a VNet or an identity. The az CLI makes these itself during `az aks create`
/// (the article's note), so only ARM and Bicep emit them.
struct RoleAssignment {
  std::string role;             // "Network Contributor" | "Managed Identity Operator"
  std::string role_definition;  // the built-in role's GUID
  Index principal = 0;          // an Identity resource, or a ManagedCluster (its system-assigned identity)
  Index scope = 0;              // a VirtualNetwork or Identity resource
};

/// One direction of a VNet peering (`peer` declares both directions), with that side's settings
/// (sema/peering.hpp says what they mean).
struct VnetPeering {
  Index vnet = 0;         // the VirtualNetwork that holds the peering
  Index remote_vnet = 0;  // the other VirtualNetwork
  bool allow_virtual_network_access = true;
  bool allow_forwarded_traffic = true;
  bool allow_gateway_transit = false;
  bool use_remote_gateways = false;
};

enum class Kind { public_ip, identity, route_table, virtual_network, firewall, managed_cluster, role_assignment, vnet_peering,
                  ip_group, firewall_policy, rule_collection_group, nat_gateway };

struct Resource {
  Kind kind = Kind::public_ip;
  std::string symbol;  // the declaration's name in the source: Bicep symbols, bash variables
  Text name;           // the Azure resource name (role assignments: empty, their name is a derived GUID;
                       // peerings: the child name "<vnet symbol>-to-<remote symbol>")
  std::vector<Index> depends_on;  // always earlier positions in Deployment::resources, sorted
  std::variant<PublicIp, Identity, RouteTable, VirtualNetwork, Firewall, ManagedCluster, RoleAssignment, VnetPeering,
               IpGroup, FirewallPolicy, RuleCollectionGroup, NatGateway>
      body;
  std::size_t group = 0;  // its resource group: a position in Deployment::groups (sema/placement.cpp decides)

  template <class T> [[nodiscard]] const T& as() const { return std::get<T>(body); }
};

// ---- Kubernetes

struct KubePort {
  std::string name;  // may be empty
  int port = 0;
};

struct KubeMount {
  std::string volume;     // volume name (the ConfigMap's name)
  std::string config_map;
  std::string path;       // mountPath of the file
  std::string key;        // subPath: the file's key in the ConfigMap
};

struct KubeInitContainer {
  std::string name;
  std::string image;
  std::vector<std::string> command;  // exec form; no shell string is ever built from user text
};

struct KubeWorkload {
  std::string kind;  // Deployment | StatefulSet
  std::string name;
  std::string image;
  int replicas = 1;
  std::vector<KubePort> ports;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<KubeMount> mounts;
  std::vector<KubeInitContainer> init_containers;
  std::string probe_path;  // empty: no probes
  std::string cpu_request, memory_request, cpu_limit, memory_limit;
};

struct KubeServicePort {
  std::string name;
  int port = 0;
  int target_port = 0;
  std::string protocol = "TCP";
};

struct KubeService {
  std::string name;
  std::string type = "ClusterIP";  // ClusterIP | LoadBalancer
  bool internal = false;           // azure-load-balancer-internal: "true"
  std::string load_balancer_ip;    // azure-load-balancer-ipv4 (static, allocated by the compiler)
  std::string selector;            // the workload's name (label app=<name>)
  std::vector<KubeServicePort> ports;
  std::string internal_subnet;     // azure-load-balancer-internal-subnet: a subnet's name ("" for the cluster's)
};

struct KubeConfigMap {
  std::string name;
  std::vector<std::pair<std::string, std::string>> data;
};

struct KubeApp {
  std::string symbol;
  Index cluster = 0;  // the ManagedCluster resource
  std::string ns = "default";
  std::vector<KubeConfigMap> config_maps;
  std::vector<KubeWorkload> workloads;
  std::vector<KubeService> services;
};

/// A resource group. A program of one group has one; its fields are also Deployment::group_symbol etc.
struct Group {
  std::string symbol;
  Text name;      // the Azure name
  Text location;  // where the group and its resources are created
};

/// Programs of several groups only: resources of one group deployed together, an ARM nested deployment and a
/// Bicep module. A resource goes into the first unit of its group that comes after every unit holding
/// something it depends on in another group (its stage: the largest stage among its dependencies, plus one for
/// a dependency in another group), so the units' dependencies are acyclic even when the groups' are not: the
/// peerings hub->spoke and spoke->hub need both VNets, so at least one of them lands in a later unit of its group.
struct Unit {
  std::string name;                     // "hub" for a group's first unit, "hub-2" for its second, ...
  std::size_t group = 0;                // a position in Deployment::groups
  std::vector<Index> resources;         // in creation order
  std::vector<std::size_t> depends_on;  // earlier positions in Deployment::units, sorted
};

struct Deployment {
  std::vector<Param> params;
  std::string env;  // the env whose values the program was checked with (`--env NAME`); empty: the defaults
  std::string group_symbol;  // the main group (the only one of a single-group program)
  Text group_name;
  Text location;  // usually a parameter
  std::vector<Group> groups;  // every group, in declaration order
  std::vector<Unit> units;    // empty unless there are several groups; in an order that respects depends_on
  [[nodiscard]] bool several_groups() const { return groups.size() > 1; }
  [[nodiscard]] const Text& location_of(const Resource& r) const { return groups.empty() ? location : groups[r.group].location; }
  [[nodiscard]] const Text& group_name_of(const Resource& r) const { return groups.empty() ? group_name : groups[r.group].name; }
  std::vector<Resource> resources;  // creation order (a topological order of the dependency graph)
  std::vector<KubeApp> apps;
};

}  // namespace egress::ir
