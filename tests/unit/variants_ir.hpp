// Hand-built IRs beside the article's (article_ir.hpp) for the ARM and Bicep emitter tests: the resources
// lowering adds that the source does not declare, role assignments and VNet peerings.
#pragma once
#include <utility>

#include "article_ir.hpp"

namespace egress::testing {

// Built-in role ids, as lowering writes them.
inline constexpr const char* network_contributor = "4d97b98b-1d4f-4787-a291-c67834d212e7";
inline constexpr const char* managed_identity_operator = "f1a07417-d97a-45cb-824c-7a7467783830";

/// The article as the compiler lowers it: its system-assigned cluster gets Network Contributor on the VNet
/// it joins, once it exists. Indices: fwpip 0, fwrt 1, vnet 2, fw 3, aks 4, aks_network 5.
inline ir::Deployment article_with_role_ir() {
  using namespace ir;
  auto d = article_ir();
  d.resources.push_back({Kind::role_assignment, "aks_network", Text{}, {2, 4},
                         RoleAssignment{"Network Contributor", network_contributor, 4, 2}});
  return d;
}

/// The article with a user-assigned identity pair and a peered hub network:
///   0 fwpip, 1 cpid, 2 kubelet, 3 fwrt, 4 vnet, 5 hub, 6 fw,
///   7 aks_network (cpid: Network Contributor on vnet), 8 aks_kubelet_operator (cpid: Managed Identity
///   Operator on kubelet), 9 aks (after both assignments), 10 vnet_to_hub, 11 hub_to_vnet.
inline ir::Deployment identity_pair_ir() {
  using namespace ir;
  const auto a = article_ir();
  Deployment d = a;
  d.resources.clear();

  d.resources.push_back(a.resources[0]);  // 0 fwpip
  d.resources.push_back({Kind::identity, "cpid", interp({{true, "prefix"}, {false, "-cp"}}, "aks-egress-cp"), {}, Identity{}});
  d.resources.push_back({Kind::identity, "kubelet", interp({{true, "prefix"}, {false, "-kubelet"}}, "aks-egress-kubelet"), {}, Identity{}});

  auto rt = a.resources[1];  // 3 fwrt: its internet route still names the public IP (index 0)
  rt.depends_on = {0};
  d.resources.push_back(rt);

  auto vnet = a.resources[2];  // 4 vnet
  std::get<VirtualNetwork>(vnet.body).subnets[0].route_table = 3;
  vnet.depends_on = {3};
  d.resources.push_back(vnet);

  VirtualNetwork hub_net;  // 5 hub
  hub_net.address_prefixes = {"10.50.0.0/16"};
  hub_net.subnets.push_back({Text::literal("shared"), "10.50.1.0/24", std::nullopt, std::nullopt, {}});
  d.resources.push_back({Kind::virtual_network, "hub", interp({{true, "prefix"}, {false, "-hub"}}, "aks-egress-hub"), {}, hub_net});

  auto fw = a.resources[3];  // 6 fw
  std::get<Firewall>(fw.body).ip_configurations[0].subnet = SubnetRef{4, 1};
  fw.depends_on = {0, 4};
  d.resources.push_back(fw);

  d.resources.push_back({Kind::role_assignment, "aks_network", Text{}, {1, 4},
                         RoleAssignment{"Network Contributor", network_contributor, 1, 4}});  // 7
  d.resources.push_back({Kind::role_assignment, "aks_kubelet_operator", Text{}, {1, 2},
                         RoleAssignment{"Managed Identity Operator", managed_identity_operator, 1, 2}});  // 8

  auto aks = a.resources[4];  // 9 aks
  auto& mc = std::get<ManagedCluster>(aks.body);
  mc.subnet = SubnetRef{4, 0};
  for (auto& p : mc.pools) p.subnet = mc.subnet;
  mc.system_assigned = false;
  mc.control_plane_identity = 1;
  mc.kubelet_identity = 2;
  aks.depends_on = {0, 1, 2, 4, 6, 7, 8};
  d.resources.push_back(aks);

  d.resources.push_back({Kind::vnet_peering, "vnet_to_hub", Text::literal("vnet-to-hub"), {4, 5}, VnetPeering{4, 5, true, true, false, false}});  // 10
  d.resources.push_back({Kind::vnet_peering, "hub_to_vnet", Text::literal("hub-to-vnet"), {4, 5}, VnetPeering{5, 4, true, true, false, false}});  // 11

  for (auto& app : d.apps) app.cluster = 9;
  return d;
}

}  // namespace egress::testing
