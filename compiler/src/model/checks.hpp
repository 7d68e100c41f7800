// The network-model checks of issue 3 and the secure-by-default warnings of issue 4, one area per file:
//   check_addresses.cpp  VNets, subnets, static load-balancer IPs, cluster CIDRs      (E0201-E0211)
//   check_names.cpp      Azure and Kubernetes naming rules                             (E0224)
//   check_rules.cpp      collections, rules, tags, FQDNs, SKUs                         (E0222-E0233, E0240, E0241,
//                                                                                     E0260, E0261, W0204, W0209,
//                                                                                     W0210; E0106 for tags and
//                        addresses where Azure takes none, E0107 for a firewall without frontend)
//   check_shadowing.cpp  rules that never match                                        (W0203)
//   check_dnat.cpp       DNAT rules                                                    (E0234-E0239, W0208)
//   check_limits.cpp     Azure Firewall's network-rule limit (W0212), AKS node limits  (W0212, E0120)
//   check_cluster.cpp    API-server access, identities, service CIDR, lockdown         (E0242-E0245, E0249, E0250,
//                                                                                     W0205, W0211)
//   check_firewall_sku.cpp  management NIC, forced tunnelling, availability zones       (E0330-E0337, W0245)
//   check_idps.cpp       IDPS private ranges and the clusters behind the firewall      (W0241)
//   check_constraints.cpp   reserved ranges, pod CIDR room, kubenet exclusivity, networking limits (E0360-E0367)
//   check_sweep_limits.cpp  DNS servers per VNet, load-balanced services per cluster     (E0251, E0252)
//   check_cluster_dns.cpp   a VNet's custom DNS servers that cannot answer              (E0286, W0231)
//   check_api_server.cpp    API Server VNet Integration's subnet                         (E0287-E0289, W0232)
//   check_pools.cpp         node pools' subnets and zones                                (E0416, E0417, E0334)
// Every function reads a program that elaborated cleanly, reports what it finds and never stops at the first.
// The pure helpers below are exposed for tests/unit/checks_test.cpp.
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "egress/diagnostic.hpp"
#include "sema/catalog.hpp"
#include "sema/program.hpp"

namespace egress::model {

void check_addresses(const sema::Program& program, Diagnostics& diags);
void check_names(const sema::Program& program, Diagnostics& diags);
void check_rules(const sema::Program& program, const sema::Catalog& catalog, Diagnostics& diags);
void check_firewall_skus(const sema::Program& program, Diagnostics& diags);
void check_dnat(const sema::Program& program, Diagnostics& diags);
void check_limits(const sema::Program& program, Diagnostics& diags);
void check_clusters(const sema::Program& program, Diagnostics& diags);
/// E0416, E0417, E0334 (check_pools.cpp): the subnets and zones of a cluster's node pools.
void check_pools(const sema::Program& program, const sema::Catalog& catalog, Diagnostics& diags);
/// E0360-E0367 (check_constraints.cpp): the constraint sweep of issue 10.
void check_constraints(const sema::Program& program, Diagnostics& diags);
/// E0251, E0252 (check_sweep_limits.cpp): DNS servers per VNet, load-balanced services per cluster.
void check_sweep_limits(const sema::Program& program, Diagnostics& diags);
/// E0286: a VNet's custom DNS server is a firewall's private IP while that firewall's DNS proxy is off.
void check_dns_servers(const sema::Program& program, Diagnostics& diags);
/// E0287-E0289, W0232: the subnet of `api_server_subnet` (API Server VNet Integration).
void check_api_server_subnets(const sema::Program& program, Diagnostics& diags);
/// The management NIC, the firewall's and the management subnet's routes, availability zones
/// (check_firewall_sku.cpp: E0330-E0337, W0245, E0241 for the management IP).
void check_firewall_deployment(const sema::Program& program, const sema::Catalog& catalog, Diagnostics& diags);
/// IDPS private ranges that leave out a cluster behind the policy's firewall (check_idps.cpp: W0241).
void check_idps(const sema::Program& program, Diagnostics& diags);

// ------------------------------------------------------------------------------------------------ names

/// The naming rule a name must follow, one per kind of thing egress names.
enum class NameRule {
  resource_group,     // Microsoft.Resources/resourceGroups
  virtual_network,    // Microsoft.Network/virtualNetworks
  network_child,      // subnets, public IPs, firewalls, route tables, routes, IP configurations, rule collections, rules
  identity,           // Microsoft.ManagedIdentity/userAssignedIdentities
  cluster,            // Microsoft.ContainerService/managedClusters, also used as its dnsPrefix
  k8s_label,          // DNS-1123 label: namespaces, workloads (container and label names)
  k8s_service,        // RFC 1035 label: Services
  k8s_subdomain,      // DNS-1123 subdomain: ConfigMaps, hosts
  k8s_config_key,     // ConfigMap keys: [-._a-zA-Z0-9]+
  k8s_port_name,      // IANA_SVC_NAME: container and service port names
  k8s_env_name,       // environment variable names, Kubernetes before 1.34: [-._a-zA-Z][-._a-zA-Z0-9]*
  firewall,           // Microsoft.Network/azureFirewalls: as network_child, but at most 50 characters
  k8s_env_name_relaxed,  // environment variable names, Kubernetes 1.34 and later: printable ASCII except `=`
};

/// Why `name` breaks `rule`, or an empty string when it is valid.
[[nodiscard]] std::string name_problem(NameRule rule, std::string_view name);
/// A short description of the rule, for hints ("1-80 characters: letters, digits, ...").
[[nodiscard]] std::string_view name_rule_text(NameRule rule);

/// Why `fqdn` is not a valid FQDN, or an empty string. With `allow_wildcard` (application-rule targets), one `*`
/// may start the name: the whole leftmost label (`*.example.com`), the start of it (`*example.com`), or the whole
/// name (`*`), as the Azure Firewall FAQ lists; `*` anywhere else (`www.example.*`) is rejected.
[[nodiscard]] std::string fqdn_problem(std::string_view fqdn, bool allow_wildcard);

/// The candidate closest to `word` by edit distance (case-insensitive), if it is close enough to suggest.
[[nodiscard]] std::string closest_name(std::string_view word, const std::set<std::string, std::less<>>& candidates);

/// True when the text holds no `${param}` left without a value (literal, or every parameter has a default).
[[nodiscard]] bool fully_known(const sema::Text& text, const sema::Program& program);

/// The group `decl` lives in (sema/placement.cpp) when its region is known and has no availability zones (E0334,
/// check_firewall_sku.cpp); else null. Region-dependent checks use each resource's own group, not the main one.
[[nodiscard]] const sema::Group* zoneless_group(const sema::Program& program, const sema::Catalog& catalog, const void* decl);

// ------------------------------------------------------------------------------------------------ rules

/// A rule that never matches because earlier rules of its collection already allow (or deny) all of it.
struct Shadowed {
  std::size_t rule = 0;          // index into the collection's network_rules or application_rules
  std::vector<std::size_t> by;   // the earlier rules that cover it (one when a single rule does; at most 3)
};

/// Finds shadowed rules of a network or application collection. Linear in the number of
/// (protocol, source, destination) atoms of its rules: each rule is checked against hash maps from the
/// generalisations of its atoms (`*`, containing prefixes, parent wildcards) to the ports seen so far.
[[nodiscard]] std::vector<Shadowed> shadowed_rules(const sema::RuleCollection& collection);
/// W0203 for each shadowed rule of the collection.
void report_shadowed_rules(const sema::RuleCollection& collection, Diagnostics& diags);
/// W0203 for each rule of a child policy that rules inherited from its base policies already cover.
void report_inherited_shadowing(const sema::Firewall& fw, Diagnostics& diags);

/// The firewall that the subnet's 0.0.0.0/0 route sends traffic to, if any (by name or by its private IP).
[[nodiscard]] const sema::Firewall* default_route_firewall(const sema::Program& program, const sema::Subnet* subnet);
/// The firewall a cluster's egress is locked down behind: outbound user_defined_routing and its subnet's
/// default route pointing at that firewall. Null otherwise.
[[nodiscard]] const sema::Firewall* egress_firewall(const sema::Program& program, const sema::Cluster& cluster);
/// True when the two VNets are the same or peered (a `peer` written on either side).
[[nodiscard]] bool vnets_connected(const sema::Vnet* a, const sema::Vnet* b);

}  // namespace egress::model
