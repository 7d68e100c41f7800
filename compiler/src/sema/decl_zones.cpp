// `zones 1, 2, 3` (firewalls and public IPs) and the lookup of a firewall's management subnet.
#include <fmt/format.h>

#include <algorithm>

#include "sema/context.hpp"

namespace egress::sema {

// The zones of a region are numbered 1 to 3 ("What are availability zones?", section "Regions with availability
// zones", learn.microsoft.com/azure/reliability/availability-zones-overview, checked 2026-12-06: every region
// listed has 3; East US 2's fourth zone is in preview and not taken here). Whether the region has zones at
// all is the network model's question (E0334), once the program's location is known.
std::vector<int> parse_zones(Context& cx, const syntax::Statement& s) {
  Args a(cx, s, "zones ZONE[, ZONE...]   (availability zones 1, 2 or 3)");
  cx.no_block(s);
  std::vector<int> zones;
  do {
    const syntax::Item* at = a.peek();
    auto z = a.number(1, 3, "an availability zone: 1, 2 or 3");
    if (!z) break;
    if (std::find(zones.begin(), zones.end(), static_cast<int>(*z)) != zones.end()) {
      cx.diags.report(Code::E0106, at->span, fmt::format("zone {} is listed twice", *z), "list each zone once");
      continue;
    }
    zones.push_back(static_cast<int>(*z));
  } while (a.ok() && a.accept(syntax::ItemKind::comma));
  a.finish();
  // Azure keeps the order it was given; sorting makes `zones 3, 1` and `zones 1, 3` the same resource.
  std::sort(zones.begin(), zones.end());
  return zones;
}

// Azure finds the management NIC's subnet by its fixed name in the firewall's VNet ("Azure Firewall Management
// NIC", learn.microsoft.com/azure/firewall/management-nic, checked 2026-12-06), so egress does too.
const Subnet* Firewall::management_subnet() const {
  if (subnet == nullptr || subnet->vnet == nullptr) return nullptr;
  for (const auto& s : subnet->vnet->subnets)
    if (s.name.value == "AzureFirewallManagementSubnet") return &s;
  return nullptr;
}

}  // namespace egress::sema
