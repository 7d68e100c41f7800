// Elaboration of params, the resource group, VNets and subnets, public IPs, route tables, identities,
// and the stdlib's data statements.
#include <fmt/format.h>

#include "base/suggest.hpp"
#include "sema/context.hpp"

namespace egress::sema {

using syntax::ItemKind;

namespace {

/// E0117's hint: the closest region of the stdlib's list (`eastsu` -> eastus), else how regions are written.
std::string region_hint(Context& cx, std::string_view value) {
  if (cx.may_suggest())
    if (const auto near = closest(value, cx.catalog.regions, Case::ignored); !near.empty())
      return fmt::format("did you mean `{}`?", near);
  return "regions are written like eastus, westeurope, southeastasia";
}

}  // namespace

void declare_param(Context& cx, const syntax::Statement& s) {
  Args a(cx, s, "param NAME: string|int|region|bool|cidrs [= DEFAULT]");
  cx.no_block(s);
  auto name = a.name("a parameter name");
  a.expect(ItemKind::colon, "`:` and a type");
  const auto type = a.choice({"string", "int", "region", "bool", "cidrs"}, "parameter type");
  Param p;
  p.span = s.span;
  if (name) p.name = *name;
  if (type) p.type = static_cast<ParamType>(*type);
  if (p.type == ParamType::cidrs && a.accept(ItemKind::equals)) {
    // A list of addresses (sema/param_shape.cpp); the rest of the statement is the list.
    std::vector<const syntax::Item*> rest;
    while (const auto* v = a.next()) rest.push_back(v);
    if (auto list = cidrs_value(cx, rest, s.span, p.name, Code::E0111)) {
      p.default_list = *list;
      p.default_value = join(*list);
    }
  } else if (a.accept(ItemKind::equals)) {
    const auto* v = a.next();
    if (v == nullptr) {
      a.fail(v, "a default value");
    } else if (v->kind == ItemKind::string && v->has_interpolation()) {
      cx.diags.report(Code::E0111, v->span, "a parameter's default cannot interpolate other parameters",
                      "write the default as plain text");
    } else {
      const bool is_text = v->kind == ItemKind::string || (v->kind == ItemKind::word && !v->has_interpolation());
      std::string value(v->kind == ItemKind::string && !v->parts().empty() ? v->parts().front().text
                        : v->kind == ItemKind::string                      ? std::string_view()
                                                                           : v->text);
      bool fits = true;
      switch (p.type) {
        case ParamType::string: fits = is_text; break;
        case ParamType::integer: fits = v->kind == ItemKind::number; break;
        case ParamType::boolean: fits = v->is_word("true") || v->is_word("false"); break;
        case ParamType::region: fits = is_text; break;
        case ParamType::cidrs: break;  // above
      }
      if (!fits) {
        cx.diags.report(Code::E0111, v->span,
                        fmt::format("the default of `{}` does not fit its type", p.name),
                        p.type == ParamType::integer   ? "write a number"
                        : p.type == ParamType::boolean ? "write true or false"
                                                       : "write a string");
      } else if (p.type == ParamType::region && !cx.catalog.regions.empty() && !cx.catalog.known_region(value)) {
        cx.diags.report(Code::E0117, v->span, fmt::format("`{}` is not an Azure region", value), region_hint(cx, value));
      } else {
        p.default_value = value;
      }
    }
  }
  a.finish();
  if (!name) return;
  cx.program.params.push_back(p);
  // Params live in a vector that is complete before any other statement is elaborated (elaborate.cpp).
  cx.declare(p.name, SymbolKind::param, nullptr, p.span);
}

void declare_group(Context& cx, const syntax::Statement& s, Group* existing) {
  // `group NAME < ... >` reopens a group to add declarations: sema/placement.cpp hoisted them already.
  if (existing != nullptr) return;
  Args a(cx, s, "group NAME [\"azure-name\"] in LOCATION [< declarations >]");
  auto name = a.name("the group's name");
  Group g;
  g.span = s.span;
  if (name) g.symbol = *name;
  g.name = a.optional_azure_name().value_or(Text::literal(g.symbol, s.span));
  if (a.expect_word("in")) {
    if (auto loc = a.text("a region or a region parameter")) {
      g.location = *loc;
      if (loc->is_literal() && !cx.catalog.regions.empty() && !cx.catalog.known_region(loc->value))
        cx.diags.report(Code::E0117, loc->span, fmt::format("`{}` is not an Azure region", loc->value),
                        region_hint(cx, loc->value));
    }
  }
  a.finish();
  if (!name) return;
  // The block's declarations live in this group (sema/placement.cpp); several groups are several `group` statements.
  Group& stored = cx.program.groups.emplace_back(std::move(g));
  if (!cx.declare(stored.symbol, SymbolKind::group, &stored, s.span)) cx.program.groups.pop_back();
}

static void declare_subnet(Context& cx, Vnet& vnet, const syntax::Statement& s) {
  Args a(cx, s, "subnet NAME [\"azure-name\"] CIDR [< route_table NAME; nat_gateway NAME >]");
  auto name = a.name("the subnet's name");
  if (!name) return;
  Subnet& sub = vnet.subnets.emplace_back();
  sub.symbol = *name;
  sub.vnet = &vnet;
  sub.span = s.span;
  sub.name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
  if (auto c = a.cidr()) sub.prefix = *c;
  a.finish();
  cx.declare(vnet.symbol + "." + *name, SymbolKind::subnet, &sub, s.span);
  for (const auto& inner : s.block.statements) {
    if (inner.head.text == "nat_gateway") {
      subnet_nat_gateway(cx, sub, inner);
      continue;
    }
    if (inner.head.text != "route_table") {
      cx.unknown_statement(inner, "in a subnet", {"route_table", "nat_gateway"});
      continue;
    }
    Args b(cx, inner, "route_table NAME");
    cx.no_block(inner);
    const auto* item = b.peek();
    auto rt = b.name("a route table's name");
    b.finish();
    if (!rt) continue;
    if (sub.route_table_span.length != 0) {
      auto& d = cx.diags.report(Code::E0214, inner.span, "a subnet can have only one route table",
                                "Azure associates zero or one route table with each subnet");
      d.notes.push_back({sub.route_table_span, "the first route table"});
      continue;
    }
    sub.route_table_span = inner.span;
    cx.fixups.push_back([&cx, &sub, name = *rt, span = item->span] {
      sub.route_table = cx.resolve_as<RouteTable>(name, SymbolKind::route_table, span, "the subnet's route table");
    });
  }
}

// `dns_servers IP, ...`: the VNet's custom DNS servers (dhcpOptions.dnsServers; `az network vnet create
// --dns-servers`). Set once per VNet, even across reopened blocks: a second list would silently replace the first.
static void vnet_dns_servers(Context& cx, Vnet& vnet, const syntax::Statement& s) {
  cx.no_block(s);
  if (vnet.dns_servers_span.length != 0) {
    auto& d = cx.diags.report(Code::E0108, s.span, "`dns_servers` is already set; the second value would silently win",
                              "keep one of the two lines");
    d.notes.push_back({vnet.dns_servers_span, "first set here"});
    return;
  }
  Args a(cx, s, "dns_servers IP[, IP...]");
  do {
    if (auto ip = a.ip("a DNS server's IP address")) vnet.dns_servers.push_back(*ip);
  } while (a.ok() && a.accept(ItemKind::comma));
  a.finish();
  vnet.dns_servers_span = s.span;
}

void declare_vnet(Context& cx, const syntax::Statement& s, Vnet* existing) {
  Vnet* vnet = existing;
  if (vnet == nullptr) {
    Args a(cx, s, "vnet NAME [\"azure-name\"] CIDR[, CIDR...] [< subnet ... >]");
    auto name = a.name("the VNet's name");
    if (!name) return;
    vnet = &cx.program.vnets.emplace_back();
    vnet->symbol = *name;
    vnet->span = s.span;
    vnet->name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
    do {
      if (auto c = a.cidr("an address space such as 10.42.0.0/16")) vnet->address_space.push_back(*c);
    } while (a.ok() && a.accept(ItemKind::comma));
    a.finish();
    cx.declare(*name, SymbolKind::vnet, vnet, s.span);
  }
  for (const auto& inner : s.block.statements) {
    if (inner.head.text == "subnet") {
      declare_subnet(cx, *vnet, inner);
    } else if (inner.head.text == "peer") {
      declare_peer(cx, *vnet, inner);  // sema/peering.cpp
    } else if (inner.head.text == "dns_servers") {
      vnet_dns_servers(cx, *vnet, inner);
    } else {
      cx.unknown_statement(inner, "in a vnet", {"subnet", "peer", "dns_servers"});
    }
  }
}

void declare_public_ip(Context& cx, const syntax::Statement& s, PublicIp* existing) {
  PublicIp* pip = existing;
  if (pip == nullptr) {
    Args a(cx, s, "public_ip NAME [\"azure-name\"] [< sku standard|basic; allocation static|dynamic; zones 1, 2, 3 >]");
    auto name = a.name("the public IP's name");
    if (!name) return;
    pip = &cx.program.public_ips.emplace_back();
    pip->symbol = *name;
    pip->span = s.span;
    pip->name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
    a.finish();
    cx.declare(*name, SymbolKind::public_ip, pip, s.span);
  }
  for (const auto& inner : s.block.statements) {
    cx.no_block(inner);
    if (inner.head.text == "sku") {
      Args b(cx, inner, "sku standard|basic");
      if (auto c = b.choice({"basic", "standard"}, "public IP SKU")) pip->sku = static_cast<PublicIpSku>(*c);
      b.finish();
    } else if (inner.head.text == "allocation") {
      Args b(cx, inner, "allocation static|dynamic");
      if (auto c = b.choice({"static", "dynamic"}, "allocation method")) pip->allocation = static_cast<Allocation>(*c);
      b.finish();
    } else if (inner.head.text == "zones") {
      pip->zones = parse_zones(cx, inner);
      pip->zones_span = inner.span;
    } else {
      cx.unknown_statement(inner, "in a public_ip", {"sku", "allocation", "zones"});
    }
  }
}

static void declare_route(Context& cx, RouteTable& table, const syntax::Statement& s) {
  Args a(cx, s,
         "route NAME [\"azure-name\"] PREFIX -> FIREWALL|IP|virtual_appliance IP|internet|vnet_local|virtual_network_gateway|none");
  cx.no_block(s);
  auto name = a.name("the route's name");
  if (!name) return;
  Route r;
  r.symbol = *name;
  r.span = s.span;
  r.name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
  const auto* dest = a.peek();
  std::string pip_name;
  if (a.at(ItemKind::address)) {
    r.prefix = a.cidr();
  } else if (dest != nullptr && dest->kind == ItemKind::word && !dest->has_interpolation()) {
    a.next();
    pip_name = dest->text;
    r.public_ip_prefix = dest->prefix >= 0 ? dest->prefix : 32;
    if (r.public_ip_prefix > 32) {
      cx.diags.report(Code::E0115, dest->span, fmt::format("prefix length /{} is above 32", dest->prefix));
      r.public_ip_prefix = 32;
    }
  } else {
    a.fail(dest, "a destination prefix (0.0.0.0/0) or a public IP (fwpip/32)");
  }
  a.expect(ItemKind::arrow, "`->` and the next hop");
  const auto* hop = a.peek();
  if (hop != nullptr) r.next_hop_span = hop->span;
  std::string firewall_name;
  if (a.at(ItemKind::address)) {
    r.next_hop = NextHop::virtual_appliance;
    r.next_hop_ip = a.ip("the appliance's IP address");
  } else if (a.accept_word("virtual_appliance")) {
    r.next_hop = NextHop::virtual_appliance;
  } else if (a.accept_word("internet")) {
    r.next_hop = NextHop::internet;
  } else if (a.accept_word("vnet_local")) {
    r.next_hop = NextHop::vnet_local;
  } else if (a.accept_word("virtual_network_gateway")) {
    r.next_hop = NextHop::vnet_gateway;
  } else if (a.accept_word("none")) {
    r.next_hop = NextHop::none;
  } else if (hop != nullptr && hop->kind == ItemKind::word) {
    a.next();
    r.next_hop = NextHop::virtual_appliance;
    firewall_name = hop->text;
  } else {
    a.fail(hop, "a next hop: internet, vnet_local, virtual_network_gateway, none, a firewall or an IP");
  }
  // An address after a named hop is kept for the checks to judge (only a virtual appliance takes one).
  if (a.ok() && firewall_name.empty() && !r.next_hop_ip && a.at(ItemKind::address)) r.next_hop_ip = a.ip();
  a.finish();
  if (!a.ok()) return;
  table.routes.push_back(r);
  const std::size_t index = table.routes.size() - 1;
  if (!pip_name.empty())
    cx.fixups.push_back([&cx, &table, index, pip_name, span = dest->span] {
      table.routes[index].public_ip = cx.resolve_as<PublicIp>(pip_name, SymbolKind::public_ip, span,
                                                              "a route's destination");
    });
  if (!firewall_name.empty())
    cx.fixups.push_back([&cx, &table, index, firewall_name, span = hop->span] {
      table.routes[index].firewall = cx.resolve_as<Firewall>(firewall_name, SymbolKind::firewall, span,
                                                             "a route's next hop");
    });
}

void declare_route_table(Context& cx, const syntax::Statement& s, RouteTable* existing) {
  RouteTable* table = existing;
  if (table == nullptr) {
    Args a(cx, s, "route_table NAME [\"azure-name\"] [< route ... >]");
    auto name = a.name("the route table's name");
    if (!name) return;
    table = &cx.program.route_tables.emplace_back();
    table->symbol = *name;
    table->span = s.span;
    table->name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
    a.finish();
    cx.declare(*name, SymbolKind::route_table, table, s.span);
  }
  for (const auto& inner : s.block.statements) {
    if (inner.head.text == "route") {
      declare_route(cx, *table, inner);
    } else if (inner.head.text == "bgp_propagation") {
      Args b(cx, inner, "bgp_propagation on|off");
      if (auto c = b.choice({"off", "on"}, "setting")) table->bgp_propagation = *c == 1;
      b.finish();
    } else {
      cx.unknown_statement(inner, "in a route_table", {"route", "bgp_propagation"});
    }
  }
}

void declare_profile(Context& cx, const syntax::Statement& s) {
  Args a(cx, s, "profile production|development");
  cx.no_block(s);
  if (auto p = a.choice({"production", "development"}, "profile")) {
    cx.program.profile = *p == 0 ? "production" : "development";
    cx.program.profile_span = s.span;
  }
  a.finish();
}

void declare_identity(Context& cx, const syntax::Statement& s) {
  Args a(cx, s, "identity NAME [\"azure-name\"]");
  cx.no_block(s);
  auto name = a.name("the identity's name");
  if (!name) return;
  Identity& id = cx.program.identities.emplace_back();
  id.symbol = *name;
  id.span = s.span;
  id.name = a.optional_azure_name().value_or(Text::literal(*name, s.head.span));
  a.finish();
  cx.declare(*name, SymbolKind::identity, &id, s.span);
}

// `regions [zonal] NAME, ...`, `service_tags [regional|firewall_unsupported] NAME, ...`, `fqdn_tags [policy_only] NAME, ...`.
// A qualifier is a word followed by a name with no comma between them.
void declare_catalog_entry(Context& cx, const syntax::Statement& s) {
  const auto& head = s.head.text;
  std::string qualifier;
  if (s.items.size() >= 2 && s.items[0].kind == ItemKind::word && s.items[1].kind == ItemKind::word)
    qualifier = s.items[0].text;
  std::vector<std::set<std::string, std::less<>>*> sets;
  if (head == "regions" && qualifier.empty()) sets = {&cx.catalog.regions};
  else if (head == "regions" && qualifier == "zonal") sets = {&cx.catalog.regions, &cx.catalog.zonal_regions};
  else if (head == "service_tags" && qualifier.empty()) sets = {&cx.catalog.service_tags};
  else if (head == "service_tags" && qualifier == "regional")
    sets = {&cx.catalog.service_tags, &cx.catalog.regional_service_tags};
  else if (head == "service_tags" && qualifier == "firewall_unsupported") sets = {&cx.catalog.firewall_unsupported_tags};
  else if (head == "fqdn_tags" && qualifier.empty()) sets = {&cx.catalog.fqdn_tags};
  else if (head == "fqdn_tags" && qualifier == "policy_only")
    sets = {&cx.catalog.fqdn_tags, &cx.catalog.policy_only_fqdn_tags};
  Args a(cx, s,
         head == "regions"        ? std::string("regions [zonal] NAME[, NAME...]")
         : head == "service_tags" ? std::string("service_tags [regional|firewall_unsupported] NAME[, NAME...]")
                                  : std::string("fqdn_tags [policy_only] NAME[, NAME...]"));
  cx.no_block(s);
  if (!qualifier.empty()) {
    const auto* it = a.peek();
    a.next();
    if (sets.empty()) {
      a.fail(it, "a name list (an unknown qualifier is not allowed)");
      return;
    }
  }
  do {
    const auto* it = a.expect(ItemKind::word, "a name");
    if (it != nullptr)
      for (auto* set : sets) set->insert(std::string(it->text));
  } while (a.ok() && a.accept(ItemKind::comma));
  a.finish();
}

}  // namespace egress::sema
