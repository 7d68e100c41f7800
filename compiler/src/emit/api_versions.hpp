// The Azure resource types the ARM and Bicep emitters write, each with the one api-version both use.
// Chosen once here so that the two templates cannot drift apart.
//
// Every version is a stable (non-preview) release that has a schema in the ARM checker's subset
// (build/validators/arm/schemas) and a page in the ARM template reference
// (learn.microsoft.com/azure/templates/<namespace>/<version>/<type>), which is generated from the same
// type data Bicep ships, so `bicep build` knows these types too (no BCP081). The properties written are
// the same across the newer versions; bump a version here and rerun the checker test to move on.
#pragma once
#include <string_view>

#include "lower/ir.hpp"

namespace egress::emit::api {

struct ResourceType {
  std::string_view type;
  std::string_view version;
};

// Why each version (checked 2026-12-07 against the validators' snapshot, ../shared/validators/arm/schemas and
// arm/known_versions.json): the newest stable (non-preview) version of the type that has a schema there.
//   Microsoft.Network            2025-07-01  newest stable with a schema (Microsoft.Network.NRP.json); the next
//                                            known versions are previews. Was 2024-10-01.
//   Microsoft.ContainerService   2026-05-01  newest stable managedClusters version with a schema
//                                            (Microsoft.ContainerService.Aks.json). Was 2025-10-01.
//   Microsoft.ManagedIdentity    2024-11-30  newest stable version known (no later one exists in the snapshot).
//   Microsoft.Authorization      2022-04-01  newest stable roleAssignments version known.
// The schemas of these versions hold every property egress writes: the ARM checker test validates the golden
// templates against them. ("Microsoft.Network azureFirewalls 2025-07-01" is also a page of the ARM template
// reference.)

// Microsoft.Network: routeTables, virtualNetworks (and their peerings), publicIPAddresses and azureFirewalls
// share one version.
inline constexpr std::string_view network_version = "2025-07-01";

inline constexpr ResourceType public_ip{"Microsoft.Network/publicIPAddresses", network_version};
inline constexpr ResourceType route_table{"Microsoft.Network/routeTables", network_version};
inline constexpr ResourceType virtual_network{"Microsoft.Network/virtualNetworks", network_version};
inline constexpr ResourceType subnet{"Microsoft.Network/virtualNetworks/subnets", network_version};
inline constexpr ResourceType vnet_peering{"Microsoft.Network/virtualNetworks/virtualNetworkPeerings", network_version};
inline constexpr ResourceType firewall{"Microsoft.Network/azureFirewalls", network_version};
// Resources of issue 11, at the newest stable version the ARM checker's schemas know (2025-07-01).
inline constexpr ResourceType ip_group{"Microsoft.Network/ipGroups", "2025-07-01"};
inline constexpr ResourceType firewall_policy{"Microsoft.Network/firewallPolicies", "2025-07-01"};
inline constexpr ResourceType rule_collection_group{"Microsoft.Network/firewallPolicies/ruleCollectionGroups", "2025-07-01"};
// NAT gateways: the same Microsoft.Network version; its schema (Microsoft.Network.NRP.json) has natGateways with
// sku.name Standard, idleTimeoutInMinutes and publicIpAddresses, and a subnet's natGateway reference.
inline constexpr ResourceType nat_gateway{"Microsoft.Network/natGateways", network_version};
inline constexpr ResourceType identity{"Microsoft.ManagedIdentity/userAssignedIdentities", "2024-11-30"};
inline constexpr ResourceType managed_cluster{"Microsoft.ContainerService/managedClusters", "2026-05-01"};
// An extension resource: deployed with a `scope` (the VNet or identity it grants access to), no location.
inline constexpr ResourceType role_assignment{"Microsoft.Authorization/roleAssignments", "2022-04-01"};
// Programs of several resource groups: the subscription-scope template creates each group and deploys each unit
// of resources into its group as a nested deployment. 2025-04-01 is the newest stable Microsoft.Resources version
// with both types in the validators' snapshot (2025-07-01 holds only deploymentStacks); the ARM template reference
// ("Microsoft.Resources deployments", learn.microsoft.com/azure/templates/microsoft.resources/deployments, whose
// resource format is written for 2025-04-01; checked 2026-12-06) and the same version of resourceGroups.
inline constexpr ResourceType resource_group{"Microsoft.Resources/resourceGroups", "2025-04-01"};
inline constexpr ResourceType deployment{"Microsoft.Resources/deployments", "2025-04-01"};
/// Built-in role definitions are subscription-level resources: only their type is needed, for
/// subscriptionResourceId().
inline constexpr std::string_view role_definition_type = "Microsoft.Authorization/roleDefinitions";

/// True for the kinds whose resources have a location (role assignments, peerings and rule collection groups
/// have none).
constexpr bool has_location(ir::Kind k) {
  return k != ir::Kind::role_assignment && k != ir::Kind::vnet_peering && k != ir::Kind::rule_collection_group;
}

/// The type written for a resource of kind `k`.
constexpr const ResourceType& of(ir::Kind k) {
  switch (k) {
    case ir::Kind::public_ip: return public_ip;
    case ir::Kind::identity: return identity;
    case ir::Kind::route_table: return route_table;
    case ir::Kind::virtual_network: return virtual_network;
    case ir::Kind::firewall: return firewall;
    case ir::Kind::managed_cluster: return managed_cluster;
    case ir::Kind::role_assignment: return role_assignment;
    case ir::Kind::vnet_peering: return vnet_peering;
    case ir::Kind::ip_group: return ip_group;
    case ir::Kind::firewall_policy: return firewall_policy;
    case ir::Kind::rule_collection_group: return rule_collection_group;
    case ir::Kind::nat_gateway: return nat_gateway;
  }
  return public_ip;
}

}  // namespace egress::emit::api
