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
// Checked 2026-12-07 (the include container-service-limits.md, ms.date 01/12/2024).
inline constexpr int kMaxNodesPerPool = 1000;

// "Network topology and connectivity considerations for AKS" (Cloud Adoption Framework, AKS landing zone),
// "Design considerations": "kubenet only supports up to 400 nodes" (its route table holds one route per node,
// and a route table takes at most 400 routes: "Use kubenet networking with your own IP address ranges in
// AKS", "Limitations & considerations for kubenet"). Checked 2026-12-06; on 2026-12-07 the CAF page was not
// re-read, but "Overview of Azure CNI Overlay networking in AKS" (learn.microsoft.com/azure/aks/
// concepts-network-azure-cni-overlay, ms.date 05/14/2024), table "Differences between kubenet and Azure CNI
// Overlay", says the same: "400 nodes and 250 pods/node".
inline constexpr int kMaxKubenetNodes = 400;

// "IP address planning for your Azure Kubernetes Service (AKS) clusters", "Maximum pods per node" and
// "Configuring maximum pods per node for your clusters": the default per network plugin, and the range
// (minimum 10, maximum 250). Checked 2026-12-06; re-checked 2026-12-07 in "Overview of Azure CNI Overlay
// networking in AKS", "Maximum pods per node" (default 250 for Overlay, minimum 10, maximum 250) and the AKS
// limits include (Azure CNI default 30; kubenet default 110 with the Azure CLI and ARM templates).
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

// "Quotas, virtual machine size restrictions, and region availability in Azure Kubernetes Service (AKS)"
// (learn.microsoft.com/azure/aks/quotas-skus-regions), table "Service quotas and limits": "Maximum node pools per
// cluster | 100"; "Maximum nodes per cluster with Virtual Machine Scale Sets and Standard Load Balancer SKU | 5,000
// across all node pools"; footnote: "Windows Server containers must use Azure CNI networking plug-in. Kubenet isn't
// supported for Windows Server containers." Checked 2026-12-07. (sema/decl_pool.cpp, E0418, E0415)
inline constexpr int kMaxPoolsPerCluster = 100;
inline constexpr int kMaxNodesPerCluster = 5000;

// "Manage system node pools in Azure Kubernetes Service (AKS)" (learn.microsoft.com/azure/aks/use-system-pools),
// "Limitations": "The name of a node pool may only contain lowercase alphanumeric characters and must begin with a
// lowercase letter. For Linux node pools, the length must be between 1 and 12 characters. For Windows node pools,
// the length must be between one and six characters." The same page: "Every AKS cluster must contain at least one
// system node pool"; "System node pools use Ubuntu Linux or Azure Linux" (user pools may also use Windows). The
// ARM schema of managedClusters 2026-05-01, agentPoolProfiles[].count: "in the range of 0 to 1000 (inclusive) for
// user pools and in the range of 1 to 1000 (inclusive) for system pools". Checked 2026-12-07. (sema/decl_pool.cpp,
// E0411-E0414)
inline constexpr std::size_t kMaxLinuxPoolName = 12;
inline constexpr std::size_t kMaxWindowsPoolName = 6;

/// The addresses the pools of cluster `c` that join `subnet` take from it: per pool, its most nodes (the
/// autoscaler's maximum) plus one surge node for upgrades, and with Azure CNI (not overlay) max_pods pod
/// addresses per node ("IP address planning for your AKS clusters", "IP address sizing"). Kubenet and overlay
/// pods take their addresses from the pod CIDR, so only the nodes count there.
inline std::uint64_t node_subnet_addresses(const sema::Cluster& c, const sema::Subnet* subnet) {
  std::uint64_t total = 0;
  for (const auto& p : c.pools) {
    if (subnet == nullptr || c.pool_subnet(p) != subnet) continue;
    const std::uint64_t nodes = static_cast<std::uint64_t>(p.peak_nodes()) + 1;
    total += c.plugin == sema::NetworkPlugin::azure && !c.overlay ? nodes * (static_cast<std::uint64_t>(p.max_pods) + 1)
                                                                  : nodes;
  }
  return total;
}

// "Use kubenet networking with your own IP address ranges in AKS" (learn.microsoft.com/azure/aks/configure-kubenet,
// ms.date 05/22/2024), "Prerequisites": "AKS clusters can't use 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16, or
// 192.0.2.0/24 for the Kubernetes service address range, pod address range, or cluster virtual network address
// range." Checked 2026-12-06; re-checked 2026-12-07 in "AKS Legacy Container Networking Interfaces (CNI)"
// (learn.microsoft.com/azure/aks/concepts-network-legacy-cni), "Prerequisites" (the same four ranges).
// (model/check_constraints.cpp, E0361)
struct Range {
  std::uint32_t base;
  int length;
};
inline constexpr Range kReservedRanges[] = {
    {0xA9FE0000u, 16},  // 169.254.0.0/16
    {0xAC1E0000u, 16},  // 172.30.0.0/16
    {0xAC1F0000u, 16},  // 172.31.0.0/16
    {0xC0000200u, 24},  // 192.0.2.0/24
};

// The pod CIDR of kubenet and Azure CNI Overlay is handed out a /24 per node. "Use kubenet networking with your
// own IP address ranges in AKS", "Create an AKS cluster with system-assigned managed identities", `--pod-cidr`:
// "The pod IP address range is used to assign a /24 address space to each node in the cluster", and it "must be
// large enough to accommodate the number of nodes that you expect to scale up to". "Configure Azure CNI Overlay
// networking in AKS" (learn.microsoft.com/azure/aks/azure-cni-overlay, ms.date 08/16/2024), "IP address planning":
// "The Overlay solution assigns a /24 address space for pods on every node ... The /24 size is fixed". Checked
// 2026-12-07 ("Overview of Azure CNI Overlay networking in AKS", ms.date 05/14/2024, "IP address planning":
// "The /24 size that Azure CNI Overlay assigns is fixed"). (model/check_constraints.cpp, E0363)
inline constexpr int kPodCidrPerNodeLength = 24;

// "Configure Azure CNI Overlay networking in AKS", "Limitations with Azure CNI Overlay": "In case you are using your
// own subnet to deploy the cluster, the names of the subnet, VNET and resource group which contains the VNET, must
// be 63 characters or less" (they become node labels). Checked 2026-12-07 (the same sentence in "Overview of Azure
// CNI Overlay networking in AKS", "Limitations with Azure CNI Overlay"). (model/check_constraints.cpp, E0370)
inline constexpr std::size_t kMaxOverlayNetworkNameLength = 63;

// The same page, "IP address planning": "The private CIDR ranges available for the Pod CIDR are defined in RFC 1918
// and RFC 6598. While we don't block the use of public IP ranges, they are considered out of Microsoft's support
// scope." Checked 2026-12-07 (the same note in "Overview of Azure CNI Overlay networking in AKS", "IP address
// planning"). (model/check_constraints.cpp, W0260)
inline constexpr Range kPodCidrPrivateRanges[] = {
    {0x0A000000u, 8},   // 10.0.0.0/8
    {0xAC100000u, 12},  // 172.16.0.0/12
    {0xC0A80000u, 16},  // 192.168.0.0/16
    {0x64400000u, 10},  // 100.64.0.0/10 (RFC 6598)
};

// The same kubenet page, "Limitations & considerations for kubenet": "Unlike Azure CNI clusters, multiple kubenet
// clusters can't share a subnet"; "Bring your own subnet and route table with kubenet": "Each AKS cluster must use
// a single, unique route table for all subnets associated with the cluster. You can't reuse a route table with
// multiple clusters". The route table of a kubenet cluster holds one route per node ("Azure supports a maximum of
// 400 routes in a UDR, so you can't have an AKS cluster larger than 400 nodes"). Checked 2026-12-07 (the
// subnet sentence; the route-table sentences were not re-read).
// (model/check_constraints.cpp, E0364-E0366)

}  // namespace aks

// ---------------------------------------------------------------------------------------------- Azure Firewall
namespace firewall {

// "Azure Firewall FAQ", "Is there a character limit for a firewall name?": "There's a 50 character limit for a
// firewall name." "Naming rules and restrictions for Azure resources", Microsoft.Network, azureFirewalls:
// 1-80. The stricter of the two applies. Checked 2026-12-07 (both).
inline constexpr std::size_t kMaxNameLength = 50;

// "Azure subscription and service limits, quotas, and constraints", "Azure Firewall limits" (the include
// firewall-limits.md, ms.date 10/14/2026), "Rule limits": "20,000 unique source-destination combinations in
// network rules", where "Unique source-destination combinations in network rules = (number of IP protocols) x
// (number of source IP addresses) x (number of destination IP addresses) x (number of destination ports ÷ 14,
// rounded up to the nearest whole number)". Checked 2026-12-07.
inline constexpr std::uint64_t kMaxNetworkRuleCombinations = 20000;
inline constexpr std::uint64_t kPortsPerCombination = 14;

// The same page and include, its first rows: "Azure Firewalls per virtual network | 1"; "Number of Rule
// Collection Groups in a firewall policy | 50 for Firewall policies created before July 2022, 90 for Firewall
// policies created after July 2022" (egress creates its policies, so 90); "Number of firewalls referenced by a
// single firewall policy | 50". Checked 2026-12-07. (model/check_constraints.cpp, E0368, E0369)
inline constexpr std::size_t kMaxFirewallsPerVnet = 1;
inline constexpr std::size_t kMaxRuleCollectionGroups = 90;
inline constexpr std::size_t kMaxFirewallsPerPolicy = 50;

// The same page and include, rows "Public IP addresses | 250 maximum" and "IP addresses in IP Groups | Maximum of
// 200 IP Groups per firewall" (read in the include of 10/10/2023; the stored excerpt of the 10/14/2026 include
// ends before these rows). "Deploy an Azure Firewall with multiple public IP addresses using Azure PowerShell"
// (learn.microsoft.com/azure/firewall/deploy-multi-public-ip-powershell), introduction: "up to 250 public IP
// addresses". Checked 2026-12-07 (the 10/10/2023 include again). (model/check_constraints.cpp, E0371; the DNAT side
// of the 250 is E0239)
inline constexpr std::size_t kMaxPublicIps = 250;
inline constexpr std::size_t kMaxIpGroups = 200;

// "Integrate NAT gateway with Azure Firewall in a hub and spoke network for outbound connectivity",
// introduction: "Azure Firewall provides 2,496 SNAT ports per public IP address configured per backend Virtual
// Machine Scale Set instance (minimum of two instances)." Checked 2026-12-07 (also "Scale SNAT ports with Azure NAT
// Gateway", ms.date 10/25/2023, introduction). (model/capacity.cpp, W0206)
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
// gateway". Checked 2026-12-07 ("Scale SNAT ports with Azure NAT Gateway", ms.date 10/25/2023: "It provides 64,512
// SNAT ports per public IP address and supports up to 16 public IP addresses"). (model/capacity.cpp W0206,
// sema/decl_nat_gateway.cpp E0341)
inline constexpr std::uint64_t kSnatPortsPerIp = 64512;
inline constexpr std::size_t kMaxPublicIps = 16;

// "Azure NAT Gateway resource" (learn.microsoft.com/azure/nat-gateway/nat-gateway-resource), "TCP idle timeout":
// from 4 minutes (the default) to 120 minutes. Checked 2026-12-07. (sema/decl_nat_gateway.cpp, E0342)
inline constexpr long kMinIdleTimeout = 4;
inline constexpr long kMaxIdleTimeout = 120;

}  // namespace nat_gateway

// ---------------------------------------------------------------------------------------------- Virtual networks
namespace network {

// "Azure Virtual Network FAQ" (learn.microsoft.com/azure/virtual-network/virtual-networks-faq), "What address
// ranges can I use in my virtual networks?": "you can't add the following address ranges: 224.0.0.0/4
// (multicast), 255.255.255.255/32 (broadcast), 127.0.0.0/8 (loopback), 169.254.0.0/16 (link local),
// 168.63.129.16/32 (internal DNS)". Checked 2026-12-07. (model/check_constraints.cpp, E0360)
struct ForbiddenRange {
  std::uint32_t base;
  int length;
  std::string_view what;
};
inline constexpr ForbiddenRange kForbiddenInVnet[] = {
    {0xE0000000u, 4, "multicast"},      // 224.0.0.0/4
    {0xFFFFFFFFu, 32, "broadcast"},     // 255.255.255.255/32
    {0x7F000000u, 8, "loopback"},       // 127.0.0.0/8
    {0xA9FE0000u, 16, "link local"},    // 169.254.0.0/16
    {0xA83F8110u, 32, "internal DNS"},  // 168.63.129.16/32
};

// "Azure subscription and service limits, quotas, and constraints", "Networking limits - Azure Resource Manager"
// (the include azure-virtual-network-limits.md), per region per subscription: "User-defined routes per route
// table | 400", "Subnets per virtual network | 3,000", "Virtual network peerings per virtual network | 500".
// Checked 2026-12-07 against the include as stored (ms.date 01/14/2020); third-party summaries quoting higher
// limits (600 or 1,000 routes, 650 peerings) are not confirmed by any Learn copy found. (model/check_constraints.cpp,
// E0366, E0367)
inline constexpr std::size_t kMaxRoutesPerTable = 400;
inline constexpr std::size_t kMaxSubnetsPerVnet = 3000;
inline constexpr std::size_t kMaxPeeringsPerVnet = 500;

}  // namespace network

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

// The oldest minor version AKS may still create a cluster of (model/check_model_gaps.cpp, E0253). "Supported
// Kubernetes versions in AKS" (learn.microsoft.com/azure/aks/supported-kubernetes-versions): section "AKS Kubernetes
// release calendar" (1.28 end of life Jan 2025, 1.29 Mar 2025, 1.30 Jul 2025), its "LTS Versions" table (1.27 LTS
// end of life Jul 2025, 1.30 LTS Jul 2026) and "Platform support policy" ("Cluster creation | Supported | Not
// Supported" for N-3): on 2026-12-07 every minor version up to 1.29 is past every support window, LTS included, so
// AKS creates none of them. 1.30 is left out although its LTS end (Jul 2026) has passed too: the date is months
// old only, and LTS dates have been moved, so rejecting it could be a false error. A floor, not a list: it only
// ever becomes too lenient (a version that left support never returns), so it cannot turn into a false error; the
// versions AKS offers change with each release and region (`az aks get-versions`). Checked 2026-12-07.
inline constexpr Version kAksOldestCreatable{1, 30};

/// True when `v` is older than every version AKS may still create (E0253).
constexpr bool below_aks_floor(Version v) {
  return v.major < kAksOldestCreatable.major ||
         (v.major == kAksOldestCreatable.major && v.minor < kAksOldestCreatable.minor);
}

}  // namespace kubernetes

}  // namespace egress::facts
