// The script's steps for the network: public IPs, IP groups, route tables, VNets and their subnets, peerings.
#include "emit/azcli/emitter.hpp"

#include "emit/api_versions.hpp"

namespace egress::emit::bash {

void Emitter::plan_public_ip(ir::Index i, const ir::Resource& r) {
  const auto& pip = r.as<ir::PublicIp>();
  Command c("az network public-ip create");
  c.opt("--resource-group", rg(i)).opt("--name", name(i)).opt("--location", location(i));
  if (!pip.sku.empty()) c.opt("--sku", Word::lit(pip.sku));
  if (!pip.allocation.empty()) c.opt("--allocation-method", Word::lit(pip.allocation));
  c.opts("--zone", literals(pip.zones));
  add(msg("Creating public IP ") + name(i), {c.render()}, {key("create", i), key("res", i)}, base_needs(r));
  if (address_var_.count(i) == 0) return;
  const auto& var = address_var_.at(i);
  Command show("az network public-ip show");
  show.opt("--resource-group", rg(i)).opt("--name", name(i)).opt_fixed("--query", "ipAddress").opt_fixed("-o", "tsv");
  std::vector<std::string> needs = {key("create", i)};
  // A static address exists at once; a dynamic one only once something uses the public IP.
  if (pip.allocation != "Static") needs.push_back(key("pip.attached", i));
  add(msg("Reading the address of public IP ") + name(i),
      {show.render(var), require(var, msg("the address of public IP ") + name(i))},
      {key("pip.address", i), key("res", i)}, needs);
}

// A NAT gateway with its public IPs by name (they are in the same resource group); the subnets that use it
// are associated in plan_vnet.
void Emitter::plan_nat_gateway(ir::Index i, const ir::Resource& r) {
  const auto& ng = r.as<ir::NatGateway>();
  Command c("az network nat gateway create");
  c.opt("--resource-group", rg(i)).opt("--name", name(i)).opt("--location", location(i));
  std::vector<Word> pips;
  auto needs = base_needs(r);
  for (auto pip : ng.public_ips) pips.push_back(ref(i, pip, needs));
  if (!pips.empty()) c.opts("--public-ip-addresses", pips);
  c.opt_fixed("--idle-timeout", std::to_string(ng.idle_timeout_minutes));
  add(msg("Creating NAT gateway ") + name(i), {c.render()}, {key("create", i), key("res", i)}, needs);
}

// `az network ip-group` left the core CLI for an extension of its own (CLI 2.50 and later), so the script
// creates the group as a generic resource, which every CLI version knows, with the templates' api-version
// and body. Classic rules take IP groups by resource ID (the extension resolves no names there): read it.
void Emitter::plan_ip_group(ir::Index i, const ir::Resource& r) {
  const auto& var = ip_group_var_.at(i);
  std::string body = "{\"ipAddresses\":[";  // the addresses are prefixes the compiler checked: no escaping
  const auto& addresses = r.as<ir::IpGroup>().addresses;
  for (std::size_t k = 0; k < addresses.size(); ++k) body += (k > 0 ? ",\"" : "\"") + addresses[k] + "\"";
  body += "]}";
  Command c("az resource create");
  c.opt("--resource-group", rg(i)).opt("--name", name(i)).opt("--location", location(i));
  c.opt("--resource-type", Word::lit(std::string(api::ip_group.type)));
  c.opt("--api-version", Word::lit(std::string(api::ip_group.version)));
  c.opt("--properties", Word::lit(body));
  c.opt_fixed("--query", "id").opt_fixed("-o", "tsv");
  add(msg("Creating IP group ") + name(i), {c.render(var), require(var, msg("the resource ID of IP group ") + name(i))},
      {key("create", i), key("res", i)}, base_needs(r));
}

void Emitter::plan_route_table(ir::Index i, const ir::Resource& r) {
  const auto& rt = r.as<ir::RouteTable>();
  Command c("az network route-table create");
  c.opt("--resource-group", rg(i)).opt("--location", location(i)).opt("--name", name(i));
  if (rt.disable_bgp_route_propagation) c.opt_fixed("--disable-bgp-route-propagation", "true");
  add(msg("Creating route table ") + name(i), {c.render()}, {key("create", i), key("res", i)}, base_needs(r));
  std::string prev = key("create", i);
  for (std::size_t j = 0; j < rt.routes.size(); ++j) {
    const auto& route = rt.routes[j];
    Command rc("az network route-table route create");
    rc.opt("--resource-group", rg(i)).opt("--name", child(i, j)).opt("--route-table-name", name(i));
    rc.opt("--address-prefix", address(route.prefix)).opt("--next-hop-type", Word::lit(route.next_hop_type));
    std::vector<std::string> needs = {prev};
    address_needs(route.prefix, needs);
    if (!route.next_hop_ip.empty()) {
      auto fw = route.next_hop_type == "VirtualAppliance" ? firewall_with_private_ip(route.next_hop_ip) : std::nullopt;
      if (fw && private_ip_var_.count(*fw) != 0) {
        rc.opt("--next-hop-ip-address", Word::var(private_ip_var_.at(*fw)));
        needs.push_back(key("fw.private_ip", *fw));
      } else {
        rc.opt("--next-hop-ip-address", Word::lit(route.next_hop_ip));
      }
    }
    std::string k = key("route", i, j);
    add(msg("Adding route ") + child(i, j) + msg(" to route table ") + name(i), {rc.render()}, {k, key("res", i)},
        needs);
    prev = k;
  }
}

void Emitter::plan_vnet(ir::Index i, const ir::Resource& r) {
  const auto& vnet = r.as<ir::VirtualNetwork>();
  Command c("az network vnet create");
  c.opt("--resource-group", rg(i)).opt("--name", name(i)).opt("--location", location(i));
  c.opts("--address-prefixes", literals(vnet.address_prefixes));
  if (!vnet.dns_servers.empty()) c.opts("--dns-servers", literals(vnet.dns_servers));
  if (!vnet.subnets.empty()) {
    c.opt("--subnet-name", child(i, 0)).opt("--subnet-prefixes", Word::lit(vnet.subnets[0].prefix));
  }
  std::vector<std::string> create_keys = {key("create", i), key("res", i)};
  if (!vnet.subnets.empty()) create_keys.push_back(key("subnet", i, 0));
  add(msg("Creating virtual network ") + name(i), {c.render()}, create_keys, base_needs(r));
  std::string prev = key("create", i);
  for (std::size_t j = 1; j < vnet.subnets.size(); ++j) {
    Command s("az network vnet subnet create");
    s.opt("--resource-group", rg(i)).opt("--vnet-name", name(i)).opt("--name", child(i, j));
    s.opt("--address-prefixes", Word::lit(vnet.subnets[j].prefix));
    if (!vnet.subnets[j].delegation.empty()) s.opt("--delegations", Word::lit(vnet.subnets[j].delegation));
    std::string k = key("subnet", i, j);
    add(msg("Creating subnet ") + child(i, j), {s.render()}, {k, key("res", i)}, {prev});
    prev = k;
  }
  // `az network vnet create` takes no delegation for its first subnet: delegate it afterwards.
  if (!vnet.subnets.empty() && !vnet.subnets[0].delegation.empty()) {
    Command u("az network vnet subnet update");
    u.opt("--resource-group", rg(i)).opt("--vnet-name", name(i)).opt("--name", child(i, 0));
    u.opt("--delegations", Word::lit(vnet.subnets[0].delegation));
    add(msg("Delegating subnet ") + child(i, 0) + msg(" to ") + Word::lit(vnet.subnets[0].delegation), {u.render()},
        {key("delegate", i, 0), key("res", i)}, {key("subnet", i, 0)});
  }
  // Route tables are attached once their routes exist, before anything (a cluster) is placed in the subnet.
  for (std::size_t j = 0; j < vnet.subnets.size(); ++j) {
    const auto& sub = vnet.subnets[j];
    if (!sub.route_table) continue;
    Command u("az network vnet subnet update");
    u.opt("--resource-group", rg(i)).opt("--vnet-name", name(i)).opt("--name", child(i, j));
    std::vector<std::string> needs = {key("subnet", i, j), key("res", *sub.route_table)};
    u.opt("--route-table", ref(i, *sub.route_table, needs));
    add(msg("Associating route table ") + name(*sub.route_table) + msg(" with subnet ") + child(i, j),
        {u.render()}, {key("associate", i, j), key("res", i)}, needs);
  }
  // NAT gateways likewise: once associated, the subnet's Internet traffic leaves through the gateway's public IPs.
  for (std::size_t j = 0; j < vnet.subnets.size(); ++j) {
    const auto& sub = vnet.subnets[j];
    if (!sub.nat_gateway) continue;
    Command u("az network vnet subnet update");
    u.opt("--resource-group", rg(i)).opt("--vnet-name", name(i)).opt("--name", child(i, j));
    std::vector<std::string> needs = {key("subnet", i, j), key("associate", i, j), key("res", *sub.nat_gateway)};
    u.opt("--nat-gateway", ref(i, *sub.nat_gateway, needs));
    add(msg("Associating NAT gateway ") + name(*sub.nat_gateway) + msg(" with subnet ") + child(i, j),
        {u.render()}, {key("associate.nat", i, j), key("res", i)}, needs);
  }
}

// One direction of a peering; `peer` in the source gives two, each with its side's settings. The CLI's flags are
// switches that default to off (`az network vnet peering create --help`, CLI 2.45), so a setting that is off is
// left out.
void Emitter::plan_peering(ir::Index i, const ir::Resource& r) {
  const auto& p = r.as<ir::VnetPeering>();
  Command c("az network vnet peering create");
  c.opt("--resource-group", rg(i)).opt("--name", name(i)).opt("--vnet-name", name(p.vnet));
  auto needs = base_needs(r);  // a remote VNet in another group is named by its resource ID
  c.opt("--remote-vnet", ref(i, p.remote_vnet, needs));
  if (p.allow_virtual_network_access) c.flag("--allow-vnet-access");
  if (p.allow_forwarded_traffic) c.flag("--allow-forwarded-traffic");
  if (p.allow_gateway_transit) c.flag("--allow-gateway-transit");
  if (p.use_remote_gateways) c.flag("--use-remote-gateways");
  add(msg("Peering virtual network ") + name(p.vnet) + msg(" with ") + name(p.remote_vnet), {c.render()},
      {key("create", i), key("res", i)}, needs);
}

}  // namespace egress::emit::bash
