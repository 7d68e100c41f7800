// The Azure, AKS and Kubernetes numbers the compiler's logic relies on, one table per topic, each with the page
// it comes from (title and section) and the date it was last checked against that page. Names that are data
// (regions, service tags, FQDN tags, the flows AKS needs) live in stdlib/*.egress instead; docs/azure-facts.md
// lists every fact, here or there, with where it is used.
//
// When a page changes: update the value and the date here, rerun the tests, and update docs/azure-facts.md.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "sema/program.hpp"

namespace egress::facts {

// ---------------------------------------------------------------------------------------------- AKS node pools
namespace aks {

// "AKS service quotas and limits" (learn.microsoft.com/azure/aks/quotas-skus-regions), table "Service quotas
// and limits": "Maximum nodes per node pool (Virtual Machine Scale Sets node pools) | 1000". The ARM schema of
// Microsoft.ContainerService/managedClusters 2026-05-01 says the same of agentPoolProfiles[].count ("in the
// range of 1 to 1000 (inclusive) for system pools"). egress declares one (system) pool per cluster.
// Checked 2026-12-06.
inline constexpr int kMaxNodesPerPool = 1000;

// "Network topology and connectivity considerations for AKS" (Cloud Adoption Framework, AKS landing zone),
// "Design considerations": "kubenet only supports up to 400 nodes" (its route table holds one route per node,
// and a route table takes at most 400 routes: "Use kubenet networking with your own IP address ranges in
// AKS", "Limitations & considerations for kubenet"). Checked 2026-12-06.
inline constexpr int kMaxKubenetNodes = 400;

// "IP address planning for your Azure Kubernetes Service (AKS) clusters", "Maximum pods per node" and
// "Configuring maximum pods per node for your clusters": the default per network plugin, and the range
// (minimum 10, maximum 250). Checked 2026-12-06.
inline constexpr int kMinMaxPods = 10;
inline constexpr int kMaxMaxPods = 250;
inline constexpr int kDefaultMaxPodsAzureCni = 30;          // "Azure CNI (Legacy) | 30"
inline constexpr int kDefaultMaxPodsAzureCniOverlay = 250;  // "Azure CNI Overlay | 250"
inline constexpr int kDefaultMaxPodsKubenet = 110;          // "Kubenet | 110"

/// The maxPods AKS uses for a pool when none is given, per network plugin.
constexpr int default_max_pods(sema::NetworkPlugin plugin, bool overlay) {
  if (plugin == sema::NetworkPlugin::kubenet) return kDefaultMaxPodsKubenet;
  return overlay ? kDefaultMaxPodsAzureCniOverlay : kDefaultMaxPodsAzureCni;
}

}  // namespace aks

// ---------------------------------------------------------------------------------------------- Azure Firewall
namespace firewall {

// "Azure Firewall FAQ", "Is there a character limit for a firewall name?": "There's a 50 character limit for a
// firewall name." "Naming rules and restrictions for Azure resources", Microsoft.Network, azureFirewalls:
// 1-80. The stricter of the two applies. Checked 2026-12-06.
inline constexpr std::size_t kMaxNameLength = 50;

// "Azure subscription and service limits, quotas, and constraints", "Azure Firewall limits" (the include
// firewall-limits.md, ms.date 10/14/2026), "Rule limits": "20,000 unique source-destination combinations in
// network rules", where "Unique source-destination combinations in network rules = (number of IP protocols) x
// (number of source IP addresses) x (number of destination IP addresses) x (number of destination ports ÷ 14,
// rounded up to the nearest whole number)". Checked 2026-12-06.
inline constexpr std::uint64_t kMaxNetworkRuleCombinations = 20000;
inline constexpr std::uint64_t kPortsPerCombination = 14;

// "Integrate NAT gateway with Azure Firewall in a hub and spoke network for outbound connectivity",
// introduction: "Azure Firewall provides 2,496 SNAT ports per public IP address configured per backend Virtual
// Machine Scale Set instance (minimum of two instances)." Checked 2026-12-06. (model/capacity.cpp, W0206)
inline constexpr std::uint64_t kSnatPortsPerIpPerInstance = 2496;
inline constexpr std::uint64_t kMinInstances = 2;

}  // namespace firewall

// ---------------------------------------------------------------------------------------------- NAT gateway
namespace nat_gateway {

// "Scale SNAT ports with Azure NAT Gateway" (learn.microsoft.com/azure/firewall/integrate-with-nat-gateway),
// introduction: a NAT gateway "provides 64,512 SNAT ports per public IP address and supports up to 16 public IP
// addresses", allocated dynamically at the subnet level; with a NAT gateway on AzureFirewallSubnet, "all outbound
// Internet traffic automatically uses the public IP address of the NAT gateway". "Troubleshoot Azure NAT
// Gateway" (learn.microsoft.com/azure/nat-gateway/troubleshoot-nat), "Can't exceed 16 public IP addresses on NAT
// gateway". Checked 2026-12-06. (model/capacity.cpp W0206, sema/decl_nat_gateway.cpp E0341)
inline constexpr std::uint64_t kSnatPortsPerIp = 64512;
inline constexpr std::size_t kMaxPublicIps = 16;

// "Azure NAT Gateway resource" (learn.microsoft.com/azure/nat-gateway/nat-gateway-resource), "TCP idle timeout":
// from 4 minutes (the default) to 120 minutes. Checked 2026-12-06. (sema/decl_nat_gateway.cpp, E0342)
inline constexpr long kMinIdleTimeout = 4;
inline constexpr long kMaxIdleTimeout = 120;

}  // namespace nat_gateway

// ---------------------------------------------------------------------------------------------- Kubernetes
namespace kubernetes {

// Kubernetes v1.34 changelog: "Promote the RelaxedEnvironmentVariableValidation feature gate to GA and lock it
// in the default enabled state" (kubernetes/kubernetes#132054); KEP-4369 "Allow special characters in
// environment variables": "Allows all printable ASCII characters except '=' to be set as environment variable
// names" (alpha 1.30, beta 1.32, stable 1.34). Before, names had to match `[-._a-zA-Z][-._a-zA-Z0-9]*`.
// egress relies on the relaxed rule only from the version where it can no longer be turned off. Checked
// 2026-12-06.
inline constexpr int kRelaxedEnvNamesMajor = 1;
inline constexpr int kRelaxedEnvNamesMinor = 34;

struct Version {
  int major = 0, minor = 0;
};

/// "1.34" or "1.34.2" (the forms `az aks create --kubernetes-version` and the ARM property take); nothing else.
inline std::optional<Version> parse_version(std::string_view text) {
  int parts[3] = {0, 0, 0};
  int count = 0, digits = 0;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') {
      if (digits == 6) return std::nullopt;
      parts[count] = parts[count] * 10 + (ch - '0');
      ++digits;
    } else if (ch == '.' && digits != 0 && count < 2) {
      ++count;
      digits = 0;
    } else {
      return std::nullopt;
    }
  }
  if (digits == 0 || count == 0) return std::nullopt;
  return Version{parts[0], parts[1]};
}

/// True when the API server of this version accepts any printable ASCII but `=` in environment variable names.
constexpr bool relaxed_env_names(Version v) {
  return v.major > kRelaxedEnvNamesMajor || (v.major == kRelaxedEnvNamesMajor && v.minor >= kRelaxedEnvNamesMinor);
}

}  // namespace kubernetes

}  // namespace egress::facts
