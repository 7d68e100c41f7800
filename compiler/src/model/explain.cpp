// The trace behind `egressc explain`. It reuses what the checks use: effective routes (routes.cpp) and the
// firewall's indexed rules (flows.cpp), so what explain prints is what check decides.
#include "model/explain.hpp"

#include <fmt/format.h>

#include <charconv>

namespace egress::model {

namespace {

/// ", rule collection group `aks` (priority 200)" for a policy's collection; nothing for a classic one.
std::string in_group(const sema::Firewall& fw, const sema::RuleCollection& c) {
  if (c.group == nullptr) return {};
  auto out = fmt::format(" in rule collection group `{}`, priority {}", c.group->name, c.group->priority);
  // With inheritance, groups of several policies are in play (the base policy's first): say whose group it is.
  if (c.policy != nullptr && fw.policy != nullptr && fw.policy->base != nullptr)
    out += fmt::format(" of policy `{}`", c.policy->symbol);
  return out;
}

class Trace {
 public:
  void step(std::string text) { out_ += fmt::format("{}. {}\n", ++n_, text); }
  void detail(std::string text) { out_ += fmt::format("   {}\n", text); }
  Explanation finish(Explanation::Result r, std::string_view verdict) {
    out_ += fmt::format("result: {}\n", verdict);
    return {r, std::move(out_)};
  }
  std::string& text() { return out_; }

 private:
  std::string out_;
  int n_ = 0;
};

Explanation error(std::string message) { return {Explanation::Result::error, std::move(message)}; }

/// "`natpip1`, `natpip2`": a NAT gateway's public IPs.
std::string nat_ips(const sema::NatGateway& ng) {
  std::string out;
  for (const auto* pip : ng.public_ips)
    if (pip != nullptr) out += (out.empty() ? "`" : ", `") + pip->symbol + "`";
  return out;
}

std::string subnet_name(const sema::Subnet& s) { return fmt::format("{}.{}", s.vnet->symbol, s.symbol); }

/// The peering resource `from` holds toward `to`, as the outputs name it: "`spoke1-to-hub`".
std::string peering_name(const sema::Vnet& from, const sema::Vnet& to) {
  return fmt::format("`{}-to-{}`", from.symbol, to.symbol);
}

/// A step across the peering from `from` into `to`, for traffic that started in `from` (`forwarded` false) or that
/// an appliance in `from` forwards (true). False when the receiving or sending side's settings stop it
/// (sema/peering.hpp: access is the sending side's, forwarded traffic the receiving side's).
bool cross_peering(const Network& net, Trace& t, const sema::Vnet& from, const sema::Vnet& to, bool forwarded) {
  const auto* out = net.peering(from, to);
  const auto* in = net.peering(to, from);
  t.step(fmt::format("crosses peering {} from VNet `{}` into VNet `{}`{}", peering_name(from, to), from.symbol, to.symbol,
                     forwarded ? " (forwarded traffic)" : ""));
  if (out != nullptr && !out->settings.virtual_network_access && !forwarded) {
    t.detail(fmt::format("VNet `{}`'s side blocks access to `{}` (`virtual_network_access deny`)", from.symbol, to.symbol));
    return false;
  }
  if (in != nullptr && forwarded && !in->settings.forwarded_traffic) {
    t.detail(fmt::format("VNet `{}`'s side ({}) denies forwarded traffic: Azure drops what an appliance in `{}` "
                         "forwards into it",
                         to.symbol, peering_name(to, from), from.symbol));
    return false;
  }
  return true;
}

const sema::Subnet* find_subnet(const sema::Program& p, std::string_view name) {
  for (const auto& vnet : p.vnets)
    for (const auto& sub : vnet.subnets)
      if (subnet_name(sub) == name) return &sub;
  return nullptr;
}

bool is_service_tag(const sema::Catalog& catalog, std::string_view host) {
  const auto dot = host.find('.');
  const auto base = ascii_lower(host.substr(0, dot));
  bool known = false;
  for (const auto& t : catalog.service_tags) known = known || ascii_lower(t) == base;
  if (!known) {
    // Tags such as AzureFrontDoor.Backend hold a dot of their own.
    for (const auto& t : catalog.service_tags) known = known || ascii_lower(t) == ascii_lower(host);
    return known;
  }
  return dot == std::string_view::npos || catalog.known_region(ascii_lower(host.substr(dot + 1))) ||
         catalog.regions.empty();
}

/// What sits at a VNet address: an internal load balancer, a firewall, or just a subnet.
std::string landing(const Network& net, std::uint32_t address, const sema::Vnet* vnet, bool& found) {
  const auto& p = net.program();
  for (const auto& app : p.apps)
    for (const auto& svc : app.services)
      if (svc.load_balancer_ip && svc.load_balancer_ip->value == address) {
        found = true;
        std::string ports;
        for (const auto& sp : svc.ports) ports += fmt::format("{}{} -> pods {}", ports.empty() ? "" : ", ", sp.port, sp.target);
        return fmt::format("delivered to the internal load balancer of service `{}` (app `{}`, cluster `{}`) at {}: port {}",
                           svc.name, app.symbol, app.cluster != nullptr ? app.cluster->symbol : "?", sema::format_ip(address),
                           ports);
      }
  if (const auto* fw = net.firewall_at(address)) {
    found = true;
    return fmt::format("delivered to firewall `{}` on its private IP {}", fw->symbol, sema::format_ip(address));
  }
  for (const auto& v : p.vnets) {
    if (vnet != nullptr && &v != vnet) continue;
    for (const auto& sub : v.subnets)
      if (sub.prefix.contains(address)) {
        found = true;
        return fmt::format("delivered inside subnet {} ({}); network security groups are not modelled", subnet_name(sub),
                           sub.prefix.str());
      }
  }
  found = false;
  return fmt::format("no subnet of VNet `{}` holds {}: nothing receives it", vnet != nullptr ? vnet->symbol : "?",
                     sema::format_ip(address));
}

void route_step(Trace& t, const EffectiveRoutes& routes, const sema::Subnet& sub, const EffectiveRoute& r, const Flow& f,
                std::string_view from_what) {
  t.step(fmt::format("{} subnet {} ({}), {}", from_what, subnet_name(sub), sub.prefix.str(),
                     routes.table != nullptr ? fmt::format("route table `{}`", routes.table->symbol)
                                             : std::string("no route table: system routes only")));
  std::size_t active = 0;
  for (const auto& e : routes.routes) active += e.active ? 1 : 0;
  t.detail(fmt::format("route {} -> {}  [{}; longest matching prefix of {} effective routes]", r.prefix_text(),
                       r.next_hop_text(), r.origin_text(), active));
  if (f.target == Flow::Target::fqdn || f.target == Flow::Target::service_tag)
    t.detail(name_route_text(routes, f.host));
}

/// From the firewall's public IP onwards: DNAT, then the route from the firewall's subnet to the target.
Explanation arrive_at_public_ip(const Network& net, Trace& t, const Flow& f) {
  const sema::Firewall* fw = nullptr;
  for (const auto& candidate : net.program().firewalls)
    for (const auto& fe : candidate.frontends)
      if (fe.public_ip == f.public_ip && fw == nullptr) fw = &candidate;
  t.step(fmt::format("arrives at public IP `{}`{}", f.public_ip->symbol,
                     fw != nullptr ? fmt::format(", a frontend of firewall `{}`", fw->symbol) : std::string()));
  if (fw == nullptr) {
    t.detail("the public IP is attached to nothing the compiler models");
    return t.finish(Explanation::Result::dropped, "dropped (nothing listens on this public IP)");
  }
  const sema::RuleCollection* col = nullptr;
  const auto* rule = net.rules(*fw).dnat(f.public_ip, f.protocol, f.port, &col);
  t.step(fmt::format("firewall `{}`: DNAT rules (processed first)", fw->symbol));
  if (rule == nullptr) {
    t.detail(fmt::format("no DNAT rule translates {} port {} on `{}`; network and application rules do not admit traffic to "
                         "the firewall's own public IP",
                         f.protocol == sema::Protocol::udp ? "UDP" : "TCP", f.port, f.public_ip->symbol));
    return t.finish(Explanation::Result::dropped,
                    fmt::format("dropped (no DNAT rule for {} {})", f.protocol == sema::Protocol::udp ? "UDP" : "TCP", f.port));
  }
  std::optional<std::uint32_t> to;
  if (rule->service != nullptr && rule->service->load_balancer_ip) to = rule->service->load_balancer_ip->value;
  else if (rule->translated_ip) to = rule->translated_ip->value;
  t.detail(fmt::format("translated by collection `{}` (priority {}{}), rule `{}`: -> {}:{}{}", col->name, col->priority,
                       in_group(*fw, *col), rule->name, to ? sema::format_ip(*to) : std::string("?"), rule->translated_port,
                       rule->service != nullptr ? fmt::format(" (service `{}`)", rule->service->name) : std::string()));
  if (!to) return t.finish(Explanation::Result::dropped, "dropped (the DNAT target has no address)");
  const auto& routes = net.routes(*fw->subnet);
  const auto* r = routes.for_address(*to);
  Flow inner = f;
  inner.target = Flow::Target::address;
  inner.address = *to;
  inner.host = sema::format_ip(*to);
  route_step(t, routes, *fw->subnet, *r, inner, "from the firewall's");
  if (r->hop != Hop::vnet_local && r->hop != Hop::vnet_peering)
    return t.finish(Explanation::Result::dropped, fmt::format("dropped (the translated address takes next hop {})", hop_name(r->hop)));
  bool found = false;
  const auto where = landing(net, *to, r->vnet, found);
  t.step(where);
  return t.finish(found ? Explanation::Result::allowed : Explanation::Result::dropped, found ? "allowed (DNAT)" : "dropped");
}

Explanation inbound(const Network& net, Trace& t, const Flow& f) {
  if (f.target != Flow::Target::public_ip)
    return error(fmt::format("from the Internet, name a public IP of the program as the destination (e.g. `--to {}:80/tcp`)",
                             net.program().public_ips.empty() ? "PUBLIC_IP" : net.program().public_ips.front().symbol));
  return arrive_at_public_ip(net, t, f);
}

}  // namespace

std::optional<ExplainTarget> parse_explain_target(std::string_view to) {
  const auto slash = to.rfind('/');
  const auto colon = to.rfind(':', slash);
  if (slash == std::string_view::npos || colon == std::string_view::npos || colon == 0 || colon > slash) return std::nullopt;
  ExplainTarget t;
  t.host = std::string(to.substr(0, colon));
  t.proto = ascii_lower(to.substr(slash + 1));
  const auto port = to.substr(colon + 1, slash - colon - 1);
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || ptr != port.data() + port.size() || value < 1 || value > 65535) return std::nullopt;
  t.port = static_cast<std::uint16_t>(value);
  if (t.proto != "tcp" && t.proto != "udp" && t.proto != "icmp" && t.proto != "http" && t.proto != "https") return std::nullopt;
  return t;
}

Explanation explain(const Network& net, std::string_view from, const ExplainTarget& to) {
  const auto& program = net.program();
  Flow f;
  f.host = to.host;
  f.port = to.port;
  f.protocol = to.proto == "udp" ? sema::Protocol::udp : to.proto == "icmp" ? sema::Protocol::icmp : sema::Protocol::tcp;
  f.app = to.proto == "http" ? Flow::App::http : to.proto == "https" ? Flow::App::https
          : to.proto == "tcp" ? Flow::App::any : Flow::App::none;
  if (auto ip = sema::parse_ip(to.host)) {
    f.target = Flow::Target::address;
    f.address = *ip;
  } else {
    const sema::PublicIp* pip = nullptr;
    for (const auto& p : program.public_ips)
      if (p.symbol == to.host) pip = &p;
    if (pip != nullptr) {
      f.target = Flow::Target::public_ip;
      f.public_ip = pip;
    } else {
      f.target = is_service_tag(net.catalog(), to.host) ? Flow::Target::service_tag : Flow::Target::fqdn;
    }
  }

  Trace t;
  t.text() = fmt::format("explain: {} -> {}:{}/{}\n", from, to.host, to.port, to.proto);
  if (from == "internet") return inbound(net, t, f);

  const sema::Subnet* sub = find_subnet(program, from);
  const sema::Cluster* cluster = nullptr;
  if (sub == nullptr)
    for (const auto& c : program.clusters)
      if (c.symbol == from) {
        cluster = &c;
        sub = c.subnet;
      }
  if (sub == nullptr) {
    std::string known;
    for (const auto& c : program.clusters) known += (known.empty() ? "" : ", ") + c.symbol;
    for (const auto& v : program.vnets)
      for (const auto& s : v.subnets) known += (known.empty() ? "" : ", ") + subnet_name(s);
    return error(fmt::format("`{}` is neither a subnet (VNET.SUBNET), a cluster nor `internet`; known: {}", from,
                             known.empty() ? "none" : known));
  }

  // A custom DNS server of the subnet's VNet: say so, since every node resolves through it (stdlib/aks.egress).
  if (f.target == Flow::Target::address && sub->vnet != nullptr)
    for (const auto& ip : sub->vnet->dns_servers)
      if (ip.value == f.address)
        t.text() += fmt::format("   {} is a custom DNS server of VNet `{}` (`dns_servers`): {} resolve every name "
                                "through it on UDP 53\n",
                                ip.str(), sub->vnet->symbol, cluster != nullptr ? "the cluster's nodes" : "its machines");

  const auto& routes = net.routes(*sub);
  const auto* r = routes.choose(f.destination());
  if (r == nullptr) return error("no route applies (the subnet has no system routes)");
  route_step(t, routes, *sub, *r, f, cluster != nullptr ? fmt::format("cluster `{}` in", cluster->symbol) : "from");

  switch (r->hop) {
    case Hop::none:
      t.detail("next hop None: Azure drops the packet");
      return t.finish(Explanation::Result::dropped, "dropped (route to None)");
    case Hop::vnet_gateway:
      t.detail("the VNet gateway carries it on-premises; what happens there is not modelled");
      return t.finish(Explanation::Result::dropped, "not verified (leaves through the VNet gateway)");
    case Hop::vnet_local:
    case Hop::vnet_peering: {
      if (f.target != Flow::Target::address) {
        t.detail("a name never resolves inside the VNet here");
        return t.finish(Explanation::Result::dropped, "dropped");
      }
      if (r->hop == Hop::vnet_peering && r->vnet != nullptr && !cross_peering(net, t, *sub->vnet, *r->vnet, false))
        return t.finish(Explanation::Result::dropped, "dropped (the peering blocks it)");
      bool found = false;
      t.step(landing(net, f.address, r->vnet, found));
      return t.finish(found ? Explanation::Result::allowed : Explanation::Result::dropped, found ? "allowed" : "dropped");
    }
    case Hop::internet:
      if (f.target == Flow::Target::public_ip) {
        for (const auto& fw : program.firewalls)
          for (const auto& fe : fw.frontends)
            if (fe.public_ip == f.public_ip) return arrive_at_public_ip(net, t, f);
      }
      // A NAT gateway on the subnet replaces the default way out (Azure NAT Gateway precedence: appliance routes,
      // then the NAT gateway, then instance public IPs and load balancers; see model/nat_gateway.cpp).
      if (sub->nat_gateway != nullptr && nat_gateway_ip_count(*sub->nat_gateway) != 0) {
        t.step(fmt::format("leaves for the Internet through NAT gateway `{}` on subnet {}, without passing any firewall",
                           sub->nat_gateway->symbol, subnet_name(*sub)));
        t.detail(fmt::format("SNAT to the NAT gateway's public IP{} {} (64,512 ports each)",
                             nat_gateway_ip_count(*sub->nat_gateway) == 1 ? "" : "s", nat_ips(*sub->nat_gateway)));
        return t.finish(Explanation::Result::allowed, "allowed (bypasses the firewall)");
      }
      t.step("leaves for the Internet directly, without passing any firewall");
      if (cluster != nullptr && cluster->outbound == sema::OutboundType::user_defined_routing)
        t.detail("with outbound user_defined_routing the nodes have no public IP to SNAT from: the connection fails");
      return t.finish(Explanation::Result::allowed, "allowed (bypasses the firewall)");
    case Hop::virtual_appliance: break;
  }
  if (r->firewall == nullptr) {
    t.step(fmt::format("appliance {} is not a firewall of this program: what it forwards is not modelled",
                       r->next_hop_ip ? sema::format_ip(*r->next_hop_ip) : "?"));
    return t.finish(Explanation::Result::dropped, "not verified");
  }
  const auto& fw = *r->firewall;
  if (!net.connected(*sub->vnet, fw)) {
    t.step(fmt::format("firewall `{}` is in VNet `{}`, which is not peered with VNet `{}`: the next hop is unreachable",
                       fw.symbol, fw.subnet->vnet->symbol, sub->vnet->symbol));
    return t.finish(Explanation::Result::dropped, "dropped (next hop unreachable)");
  }
  if (fw.subnet->vnet != sub->vnet && !cross_peering(net, t, *sub->vnet, *fw.subnet->vnet, false))
    return t.finish(Explanation::Result::dropped, "dropped (the peering blocks it)");
  const auto& rules = net.rules(fw);
  t.step(fmt::format("firewall `{}` ({}, subnet {}){}", fw.symbol, fw.private_ip.str(), subnet_name(*fw.subnet),
                     fw.policy == nullptr ? std::string()
                     : fw.policy->base == nullptr
                         ? fmt::format(", rules of policy `{}`", fw.policy->symbol)
                         : fmt::format(", rules of policy `{}`, after those it inherits from base policy `{}`",
                                       fw.policy->symbol, fw.policy->base->symbol)));
  t.detail("DNAT rules: apply only to traffic arriving on the firewall's public IPs");
  const auto v = rules.evaluate(f, sub->prefix);
  auto verdict_line = [&](std::string_view kind) {
    return fmt::format("{} rules: {} by collection `{}` (priority {}{}), rule `{}`: {}", kind,
                       v.allowed() ? "allowed" : "denied", v.collection->name, v.collection->priority,
                       in_group(fw, *v.collection), v.rule_name(), v.how);
  };
  if (v.network_rule != nullptr) {
    t.detail(verdict_line("network"));
  } else {
    t.detail(fmt::format("network rules: no match among {} rule{}", rules.network_rule_count(),
                         rules.network_rule_count() == 1 ? "" : "s"));
    if (v.application_rule != nullptr) t.detail(verdict_line("application"));
    else if (f.app == Flow::App::none) t.detail("application rules: not applicable (they match only HTTP, HTTPS and MSSQL)");
    else if (f.target != Flow::Target::fqdn) t.detail("application rules: not applicable (they match FQDNs, not addresses or service tags)");
    else t.detail(fmt::format("application rules: no match among {} rule{}", rules.application_rule_count(),
                              rules.application_rule_count() == 1 ? "" : "s"));
  }
  for (const auto& m : v.near_misses) t.detail("near miss: " + m.message);
  if (!v.allowed()) {
    if (v.result == Verdict::Result::no_match) t.detail("no rule allows it: the firewall's default deny drops it");
    return t.finish(Explanation::Result::dropped, "dropped");
  }
  if (f.target == Flow::Target::public_ip)
    for (const auto& other : program.firewalls)
      for (const auto& fe : other.frontends)
        if (fe.public_ip == f.public_ip) return arrive_at_public_ip(net, t, f);
  // An address in the firewall's VNet or a VNet peered with it (another spoke): the firewall forwards it there by
  // its own subnet's routes, across the peering into that VNet.
  if (f.target == Flow::Target::address && fw.subnet != nullptr)
    if (const auto* fr = net.routes(*fw.subnet).for_address(f.address);
        fr != nullptr && (fr->hop == Hop::vnet_local || fr->hop == Hop::vnet_peering)) {
      t.detail(fmt::format("the firewall forwards it by its subnet's route {} -> {} [{}]", fr->prefix_text(),
                           fr->next_hop_text(), fr->origin_text()));
      if (fr->hop == Hop::vnet_peering && fr->vnet != nullptr && !cross_peering(net, t, *fw.subnet->vnet, *fr->vnet, true))
        return t.finish(Explanation::Result::dropped, "dropped (the peering denies forwarded traffic)");
      bool found = false;
      t.step(landing(net, f.address, fr->vnet, found));
      if (found && fr->vnet != nullptr && fr->hop == Hop::vnet_peering)
        if (const auto* back = [&]() -> const EffectiveRoute* {
              for (const auto& s2 : fr->vnet->subnets)
                if (s2.prefix.contains(f.address)) return net.routes(s2).for_address(sub->prefix.first());
              return nullptr;
            }();
            back != nullptr && !(back->hop == Hop::virtual_appliance && back->firewall == &fw)) {
          t.detail(fmt::format("the replies take {} ({}), not firewall `{}`: they are dropped or bypass it", back->next_hop_text(),
                               back->origin_text(), fw.symbol));
          return t.finish(Explanation::Result::dropped, "dropped (the replies do not come back through the firewall)");
        }
      return t.finish(found ? Explanation::Result::allowed : Explanation::Result::dropped, found ? "allowed" : "dropped");
    }
  // Forced tunnelling: a user route of AzureFirewallSubnet sends what the firewall lets out to another next hop
  // (an on-premises edge or an NVA), not to the Internet; the management NIC keeps the firewall's own traffic on
  // the Internet (check_firewall_sku.cpp, E0333). What happens after that hop is not modelled.
  if (fw.subnet != nullptr) {
    const auto& fw_routes = net.routes(*fw.subnet);
    if (const auto* fr = fw_routes.choose(f.destination()); fr != nullptr && fr->user && fr->hop != Hop::internet) {
      t.step(fmt::format("the firewall forwards it to {} ({}): forced tunnelling, not straight to the Internet",
                         fr->next_hop_text(), fr->origin_text()));
      if (fw.management && fw.management->public_ip != nullptr)
        t.detail(fmt::format("the firewall's own management traffic leaves through AzureFirewallManagementSubnet "
                             "and public IP {}",
                             fw.management->public_ip->symbol));
      if (fr->hop == Hop::none) return t.finish(Explanation::Result::dropped, "dropped (route to None)");
      return t.finish(Explanation::Result::allowed, "allowed by the firewall; beyond the forced-tunnel hop not verified");
    }
  }
  // A NAT gateway on AzureFirewallSubnet (no forced tunnel above): the firewall's Internet traffic leaves
  // through the NAT gateway's IPs.
  if (const auto* nat = firewall_nat_gateway(fw)) {
    t.step(fmt::format("leaves for the Internet through NAT gateway `{}` on the firewall's subnet {}", nat->symbol,
                       subnet_name(*fw.subnet)));
    t.detail(fmt::format("SNAT to the NAT gateway's public IP{} {} (64,512 ports each): with a NAT gateway on "
                         "AzureFirewallSubnet, the firewall's outbound traffic uses its IPs, not the firewall's frontends",
                         nat_gateway_ip_count(*nat) == 1 ? "" : "s", nat_ips(*nat)));
    return t.finish(Explanation::Result::allowed, "allowed");
  }
  std::string frontends;
  for (const auto& fe : fw.frontends)
    if (fe.public_ip != nullptr) frontends += (frontends.empty() ? "" : ", ") + fe.public_ip->symbol;
  t.step(frontends.empty() ? std::string("leaves for the Internet (the firewall declares no frontend public IP)")
                           : fmt::format("leaves for the Internet from the firewall's public IP{} {} (SNAT)",
                                         fw.frontends.size() == 1 ? "" : "s", frontends));
  return t.finish(Explanation::Result::allowed, "allowed");
}

}  // namespace egress::model
