// E0330-E0337, W0245 (and E0241 for the management IP): what a firewall's deployment needs beyond its rules.
// The management NIC (Basic always; Standard and Premium for forced tunnelling), the routes of
// AzureFirewallSubnet and AzureFirewallManagementSubnet, and availability zones.
//
// Sources (checked 2026-12-06):
//   "Azure Firewall Management NIC", learn.microsoft.com/azure/firewall/management-nic, sections "What happens
//     when you enable the Management NIC" (AzureFirewallManagementSubnet, "minimum subnet size /26", with its own
//     public IP "used exclusively by the Azure platform"; "The only route allowed on this subnet is a default route
//     to the Internet and Propagate gateway routes must be disabled") and "Enable the Management NIC on existing
//     firewalls" ("all Basic Firewall versions ... always have a Management NIC enabled").
//   "Azure Firewall forced tunneling", learn.microsoft.com/azure/firewall/forced-tunneling: routing the firewall's
//     Internet-bound traffic to another next hop needs the Management NIC.
//   "Azure Firewall FAQ", learn.microsoft.com/azure/firewall/firewall-faq, "Is forced tunneling/chaining to a
//     Network Virtual Appliance supported?": "Azure Firewall must have direct Internet connectivity".
//   "Deploy an Azure Firewall with availability zones", learn.microsoft.com/azure/firewall/deploy-availability-zone-powershell
//     (page of 2025-12-05): zones only in regions that offer them; "A firewall can't be deployed in one zone while
//     its public IP address is in another zone", a zone-redundant public IP fits any firewall; 99.99% SLA only with
//     two or more zones.
//   "What are availability zones?", section "Regions with availability zones" (the regions: stdlib/azure.egress).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "base/ascii.hpp"
#include "model/checks.hpp"
#include "sema/placement.hpp"

namespace egress::model {

const sema::Group* zoneless_group(const sema::Program& program, const sema::Catalog& catalog, const void* decl) {
  const sema::Group* group = sema::home_group(program, decl);
  if (group == nullptr || !fully_known(group->location, program)) return nullptr;
  const std::string& region = group->location.value;
  // An unknown region is reported elsewhere (E0117).
  return catalog.known_region(region) && !catalog.has_zones(region) ? group : nullptr;
}

using namespace egress::sema;

namespace {

std::string zone_list(const std::vector<int>& zones) {
  std::string out;
  for (std::size_t i = 0; i < zones.size(); ++i)
    out += (i == 0 ? "" : i + 1 == zones.size() ? " and " : ", ") + std::to_string(zones[i]);
  return out;
}

std::string zones_text(const std::vector<int>& zones) {
  return fmt::format("zone{} {}", zones.size() == 1 ? "" : "s", zone_list(zones));
}

// A /26 at the start of the block a prefix lies in, for hints.
std::string slash26(const Cidr& c) { return format_ip(c.first() & ~std::uint32_t{63}) + "/26"; }

// E0330, E0331, E0332, E0241, E0336: the management NIC and what it needs.
void management_nic(const Program& program, const Firewall& fw, Diagnostics& diags) {
  const Vnet* vnet = fw.subnet != nullptr ? fw.subnet->vnet : nullptr;
  if (!fw.management) {
    if (fw.sku != FirewallSku::basic) return;
    auto& d = diags.report(
        Code::E0330, fw.sku_span.length != 0 ? fw.sku_span : fw.span,
        fmt::format("firewall `{}` is Basic SKU, which always has a management NIC: Azure rejects a Basic firewall "
                    "without a management IP configuration",
                    fw.symbol),
        fmt::format("add `management MGMT_PUBLIC_IP` to the firewall, with a Standard, static `public_ip` of its own "
                    "and `subnet AzureFirewallManagementSubnet 10.x.y.0/26` in VNet `{}`",
                    vnet != nullptr ? vnet->symbol : "VNET"));
    d.notes.push_back({fw.span, fmt::format("firewall `{}` is declared here", fw.symbol)});
    return;
  }
  const Frontend& m = *fw.management;
  const Subnet* sub = fw.management_subnet();
  if (sub == nullptr && vnet != nullptr) {
    // A subnet meant to be it, with a name that is not exactly Azure's: say which.
    const Subnet* near = nullptr;
    for (const auto& s : vnet->subnets) {
      const std::string lower = ascii_lower(s.name.value);
      if (lower == "azurefirewallmanagementsubnet" || s.symbol == "AzureFirewallManagementSubnet" ||
          lower.find("management") != std::string::npos || lower.find("mgmt") != std::string::npos)
        near = &s;
    }
    auto& d = diags.report(
        Code::E0331, m.span,
        fmt::format("firewall `{}` has a management NIC, but VNet `{}` has no subnet named exactly "
                    "AzureFirewallManagementSubnet: Azure places the management IP configuration only there and "
                    "rejects the firewall",
                    fw.symbol, vnet->symbol),
        near != nullptr
            ? fmt::format("name subnet `{}` AzureFirewallManagementSubnet (a /26 or larger)", near->symbol)
            : fmt::format("add `subnet AzureFirewallManagementSubnet 10.x.y.0/26` to VNet `{}`", vnet->symbol));
    if (near != nullptr)
      d.notes.push_back({near->span, fmt::format("subnet `{}` is named \"{}\"", near->symbol, near->name.value)});
    else
      d.notes.push_back({vnet->span, fmt::format("VNet `{}` is declared here", vnet->symbol)});
  } else if (sub != nullptr && sub->prefix.length > 26) {
    auto& d = diags.report(
        Code::E0332, sub->prefix.span,
        fmt::format("AzureFirewallManagementSubnet is a /{}: the management NIC of firewall `{}` needs a /26 or "
                    "larger, and Azure rejects a smaller subnet",
                    sub->prefix.length, fw.symbol),
        fmt::format("make it a /26, e.g. {}", slash26(sub->prefix)));
    d.notes.push_back({m.span, fmt::format("firewall `{}` puts its management NIC there", fw.symbol)});
  }
  if (m.public_ip == nullptr) return;
  const PublicIp& pip = *m.public_ip;
  // E0241: the management IP is a public IP of the firewall like any frontend.
  if (pip.sku != PublicIpSku::standard || pip.allocation != Allocation::static_) {
    auto& d = diags.report(
        Code::E0241, m.span,
        fmt::format("management public IP `{}` is {}{}: Azure Firewall takes only Standard SKU, static public IPs, "
                    "and rejects the management IP configuration",
                    pip.symbol, pip.sku == PublicIpSku::basic ? "Basic SKU" : "Standard SKU",
                    pip.allocation == Allocation::dynamic ? ", dynamically allocated" : ""),
        "declare it `public_ip NAME \"name\" < sku standard; allocation static >` (both are the defaults)");
    d.notes.push_back({pip.span, fmt::format("public IP `{}` is declared here", pip.symbol)});
  }
  // E0336: the management IP is the platform's alone.
  for (const auto& other : program.firewalls) {
    for (const auto& f : other.frontends)
      if (f.public_ip == &pip) {
        auto& d = diags.report(
            Code::E0336, m.span,
            fmt::format("public IP `{}` is the management IP of firewall `{}` and also a frontend of firewall `{}`: "
                        "Azure uses a management IP only for the platform's own traffic and rejects it in a data "
                        "IP configuration",
                        pip.symbol, fw.symbol, other.symbol),
            "declare a public IP of its own for the management NIC");
        d.notes.push_back({f.span, "used as a frontend here"});
      }
  }
  for (const auto& other : program.firewalls) {  // the firewalls before this one
    if (&other == &fw) break;
    if (other.management && other.management->public_ip == &pip) {
      auto& d = diags.report(
          Code::E0336, m.span,
          fmt::format("public IP `{}` is the management IP of firewalls `{}` and `{}`: a public IP belongs to one IP "
                      "configuration, so Azure rejects the second",
                      pip.symbol, other.symbol, fw.symbol),
          "declare a management public IP for each firewall");
      d.notes.push_back({other.management->span, fmt::format("the management IP of firewall `{}`", other.symbol)});
    }
  }
}

// E0333: a default route on AzureFirewallSubnet away from the Internet (forced tunnelling) needs the management NIC.
void firewall_subnet_routes(const Firewall& fw, Diagnostics& diags) {
  if (fw.subnet == nullptr || fw.subnet->route_table == nullptr || fw.management) return;
  for (const auto& r : fw.subnet->route_table->routes) {
    if (!r.prefix || r.prefix->length != 0 || r.next_hop == NextHop::internet) continue;
    const std::string hop = r.firewall != nullptr ? fmt::format("firewall `{}`", r.firewall->symbol)
                            : r.next_hop_ip       ? r.next_hop_ip->str()
                            : r.next_hop == NextHop::vnet_gateway ? std::string("the VNet gateway")
                            : r.next_hop == NextHop::none         ? std::string("None (dropped)")
                                                                  : std::string("the VNet");
    auto& d = diags.report(
        Code::E0333, r.span,
        fmt::format("route `{}` sends 0.0.0.0/0 from AzureFirewallSubnet to {}: firewall `{}` must reach the "
                    "Internet directly for its own management traffic, which this route takes away; Azure supports "
                    "that (forced tunnelling) only for a firewall with a management NIC",
                    r.symbol, hop, fw.symbol),
        fmt::format("for forced tunnelling, add `management MGMT_PUBLIC_IP` to firewall `{}` (and "
                    "AzureFirewallManagementSubnet to its VNet); otherwise route 0.0.0.0/0 to `internet`",
                    fw.symbol));
    d.notes.push_back({fw.subnet->route_table_span.length != 0 ? fw.subnet->route_table_span : fw.subnet->span,
                       fmt::format("route table `{}` is on the firewall's subnet", fw.subnet->route_table->symbol)});
  }
}

// E0337: AzureFirewallManagementSubnet takes only 0.0.0.0/0 -> Internet, without gateway route propagation.
void management_subnet_routes(const Subnet& sub, const Firewall& fw, Diagnostics& diags) {
  const RouteTable* table = sub.route_table;
  if (table == nullptr) return;
  for (const auto& r : table->routes) {
    if (r.prefix && r.prefix->length == 0 && r.next_hop == NextHop::internet) continue;
    auto& d = diags.report(
        Code::E0337, r.span,
        fmt::format("route `{}` is on AzureFirewallManagementSubnet, where Azure allows only a default route to the "
                    "Internet: the management traffic of firewall `{}` would be misrouted and the firewall disrupted",
                    r.symbol, fw.symbol),
        "remove the route: the management subnet takes only `0.0.0.0/0 -> internet` (or no route table at all)");
    d.notes.push_back({table->span, fmt::format("route table `{}` is on AzureFirewallManagementSubnet", table->symbol)});
  }
  if (table->bgp_propagation) {
    auto& d = diags.report(
        Code::E0337, sub.route_table_span.length != 0 ? sub.route_table_span : sub.span,
        fmt::format("route table `{}` on AzureFirewallManagementSubnet propagates gateway routes: Azure requires "
                    "propagation disabled there, or a learned route may take the management traffic of firewall "
                    "`{}` away from the Internet",
                    table->symbol, fw.symbol),
        fmt::format("add `bgp_propagation off` to route table `{}`, or leave the subnet without a route table",
                    table->symbol));
    d.notes.push_back({table->span, fmt::format("route table `{}` is declared here", table->symbol)});
  }
}

// E0334: zones in a region without them. Each resource is checked against the region of the group it lives in
// (sema/placement.cpp), so a zonal firewall in a hub group in a region with zones is fine beside a spoke group in
// one without.
void region_zones(const Program& program, const Catalog& catalog, Diagnostics& diags) {
  auto report = [&](const void* decl, Span at, const std::string& what, const std::vector<int>& zones) {
    const Group* group = zoneless_group(program, catalog, decl);
    if (group == nullptr) return;
    const std::string& region = group->location.value;
    auto& d = diags.report(
        Code::E0334, at,
        fmt::format("{} asks for {}, but region {} has no availability zones: Azure rejects the zones", what,
                    zones_text(zones), region),
        fmt::format("remove `zones` (a firewall in {} is regional), or deploy to a region with zones", region));
    d.notes.push_back({group->location.span.length != 0 ? group->location.span : group->span,
                       program.groups.size() > 1 ? fmt::format("group `{}` deploys to {}", group->symbol, region)
                                                 : fmt::format("the program deploys to {}", region)});
  };
  for (const auto& fw : program.firewalls)
    if (!fw.zones.empty()) report(&fw, fw.zones_span, fmt::format("firewall `{}`", fw.symbol), fw.zones);
  for (const auto& pip : program.public_ips)
    if (!pip.zones.empty()) report(&pip, pip.zones_span, fmt::format("public IP `{}`", pip.symbol), pip.zones);
}

// E0335: a public IP of a zonal firewall pinned to zones the firewall is not limited to.
void public_ip_zones(const Firewall& fw, Diagnostics& diags) {
  if (fw.zones.empty()) return;
  auto check = [&](const Frontend& f, const char* role) {
    if (f.public_ip == nullptr || f.public_ip->zones.empty()) return;  // zone-redundant by default: fits any zone
    const auto& pz = f.public_ip->zones;
    const bool covers = std::includes(pz.begin(), pz.end(), fw.zones.begin(), fw.zones.end());
    if (covers) return;
    auto& d = diags.report(
        Code::E0335, f.span,
        fmt::format("firewall `{}` is in {}, but its {} `{}` is in {}: Azure cannot deploy a firewall in a zone its "
                    "public IP is not in",
                    fw.symbol, zones_text(fw.zones), role, f.public_ip->symbol, zones_text(pz)),
        "make the public IP zone-redundant (`zones 1, 2, 3`, or no `zones` line), or pin both to one zone");
    d.notes.push_back({f.public_ip->zones_span, fmt::format("public IP `{}` is pinned here", f.public_ip->symbol)});
    d.notes.push_back({fw.zones_span, fmt::format("the zones of firewall `{}`", fw.symbol)});
  };
  for (const auto& f : fw.frontends) check(f, "frontend");
  if (fw.management) check(*fw.management, "management IP");
}

}  // namespace

void check_firewall_deployment(const Program& program, const Catalog& catalog, Diagnostics& diags) {
  std::set<const Subnet*> management_subnets;
  for (const auto& fw : program.firewalls) {
    management_nic(program, fw, diags);
    firewall_subnet_routes(fw, diags);
    if (fw.management)
      if (const Subnet* sub = fw.management_subnet(); sub != nullptr && management_subnets.insert(sub).second)
        management_subnet_routes(*sub, fw, diags);
    public_ip_zones(fw, diags);
    // W0245: the 99.99% SLA needs two or more zones; one zone is a single point of failure.
    if (program.profile == "production" && fw.zones.size() == 1) {
      auto& d = diags.report(
          Code::W0245, fw.zones_span,
          fmt::format("firewall `{}` is in zone {} only: an outage of that zone takes the firewall, and every "
                      "egress through it, down (Azure's 99.99% SLA needs two or more zones)",
                      fw.symbol, fw.zones.front()),
          "use `zones 1, 2, 3` (with zone-redundant public IPs)");
      d.notes.push_back({program.profile_span, "the program declares the production profile"});
    }
  }
  region_zones(program, catalog, diags);
}

}  // namespace egress::model
