// E0437: what the az CLI script cannot express although ARM and Bicep can. Checked only when the az target is
// built (api/compile.cpp): the design itself is valid Azure, and the other targets deploy it.
//
// Sources:
//   A resource connected to a VNet may live in another resource group than the VNet (docs/azure-facts.md,
//     "Resources across resource groups"): the firewall's subnet is referenced by its resource ID, which holds
//     the VNet's group, in ARM and Bicep.
//   The azure-firewall extension 0.14.8 of the Azure CLI (Azure/azure-cli-extensions, src/azure-firewall, the
//     version the validators run), azext_firewall/custom.py, AzureFirewallCreate.pre_operations: `az network
//     firewall create` builds the IP configuration's subnet ID (--conf-name) and, for tier Basic, the management
//     subnet's ID from --vnet-name inside the firewall's own --resource-group; it takes no subnet ID. A Basic
//     firewall must be created with its management configuration (--m-conf-name, --m-public-ip; the same
//     pre_operations), and Azure needs the management NIC for Basic ("Azure Firewall Basic features",
//     learn.microsoft.com/azure/firewall/basic-features; E0330's source). `ip-config create`, which Standard and
//     Premium use, does take the subnet's ID (emit/azcli/plan_firewall.cpp). Checked 2026-12-07.
#include <fmt/format.h>

#include "model/check.hpp"
#include "sema/placement.hpp"

namespace egress::model {

void check_az_target(const sema::Program& program, Diagnostics& diags) {
  for (const auto& fw : program.firewalls) {
    if (fw.sku != sema::FirewallSku::basic || fw.subnet == nullptr || fw.subnet->vnet == nullptr) continue;
    const sema::Group* own = sema::home_group(program, &fw);
    const sema::Group* vnets = sema::home_group(program, fw.subnet->vnet);
    if (own == nullptr || vnets == nullptr || own == vnets) continue;
    auto& d = diags.report(
        Code::E0437, fw.subnet_span.length != 0 ? fw.subnet_span : fw.span,
        fmt::format("Basic firewall `{}` lives in group `{}` and its VNet `{}` in group `{}`: the az script cannot "
                    "create it (`az network firewall create` looks for a Basic firewall's subnets in the firewall's "
                    "own resource group), though the ARM template and the Bicep file can",
                    fw.symbol, own->symbol, fw.subnet->vnet->symbol, vnets->symbol),
        fmt::format("build the other targets only (`-t arm -t bicep -t k8s`), or declare firewall `{}` in group `{}`",
                    fw.symbol, vnets->symbol));
    d.notes.push_back({fw.subnet->vnet->span, fmt::format("VNet `{}` is declared in group `{}`", fw.subnet->vnet->symbol,
                                                         vnets->symbol)});
  }
}

}  // namespace egress::model
