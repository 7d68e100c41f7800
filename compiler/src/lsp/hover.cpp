// Hover: what a name is (its kind, Azure name and essentials: a subnet's addresses and effective routes, what a
// rule allows ...), what a keyword does, and what a service tag, FQDN tag, region or module is.
#include <fmt/format.h>

#include <algorithm>

#include "api/stdlib.hpp"
#include "base/numbers.hpp"
#include "lsp/features.hpp"
#include "lsp/keywords.hpp"
#include "model/flows.hpp"
#include "model/network.hpp"
#include "model/routes.hpp"
#include "sema/azure_facts.hpp"
#include "sema/peering.hpp"

namespace egress::lsp {

namespace {

std::string code(std::string_view s) {
  // Markdown inline code that survives backticks in the text.
  const bool tick = s.find('`') != std::string_view::npos;
  return tick ? fmt::format("`` {} ``", s) : fmt::format("`{}`", s);
}

/// An Azure name: its value with params at their defaults, and the pattern when it has params.
std::string azure_name(const sema::Text& t) {
  if (t.parts.empty() && t.value.empty()) return {};
  std::string pattern;
  for (const auto& p : t.parts) pattern += p.param ? "${" + p.text + "}" : p.text;
  if (t.is_literal() || pattern == t.value) return code(t.value);
  return fmt::format("{} ({})", code(t.value), code(pattern));
}

std::string join_and(const std::vector<std::string>& parts) {
  if (parts.empty()) return {};
  if (parts.size() == 1) return parts[0];
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

std::string endpoint_text(const sema::Endpoint& e, bool source) {
  switch (e.kind) {
    case sema::Endpoint::Kind::any: return source ? "any source" : "any destination";
    case sema::Endpoint::Kind::cidr: return code(e.cidr.length == 32 ? sema::format_ip(e.cidr.base) : e.cidr.str());
    case sema::Endpoint::Kind::fqdn: return code(e.text);
    case sema::Endpoint::Kind::service_tag: return "service tag " + code(e.text);
    case sema::Endpoint::Kind::fqdn_tag: return "FQDN tag " + code(e.text);
    case sema::Endpoint::Kind::subnet:
      return e.subnet ? fmt::format("subnet {} ({})", code(e.text), e.subnet->prefix.str()) : "subnet " + code(e.text);
    case sema::Endpoint::Kind::public_ip: return "public IP " + code(e.text);
    case sema::Endpoint::Kind::ip_group:
      return e.ip_group ? fmt::format("IP group {} ({} addresses)", code(e.text), e.ip_group->members.size())
                        : "IP group " + code(e.text);
  }
  return code(e.text);
}

std::string endpoints(const std::vector<sema::Endpoint>& list, bool source) {
  std::vector<std::string> parts;
  for (const auto& e : list) parts.push_back(endpoint_text(e, source));
  return join_and(parts);
}

std::string ports_text(const std::vector<sema::PortRange>& ports) {
  if (ports.empty()) return {};
  std::vector<std::string> parts;
  for (const auto& p : ports) {
    if (p.first == 1 && p.last == 65535) return " on any port";
    parts.push_back(p.first == p.last ? std::to_string(p.first) : fmt::format("{}-{}", p.first, p.last));
  }
  return (parts.size() == 1 && ports.front().first == ports.front().last ? " on port " : " on ports ") + join_and(parts);
}

std::string describe(const sema::NetworkRule& r, sema::Action action) {
  std::vector<std::string> protocols;
  for (auto p : r.protocols) protocols.push_back(model::protocol_name(p));
  return fmt::format("{} {} from {} to {}{}.", action == sema::Action::allow ? "Allows" : "Denies", join_and(protocols),
                     endpoints(r.sources, true), endpoints(r.destinations, false), ports_text(r.ports));
}

std::string describe(const sema::ApplicationRule& r, sema::Action action) {
  std::vector<std::string> protocols;
  for (const auto& p : r.protocols) {
    const char* name = p.kind == sema::AppProtocol::Kind::http ? "HTTP" : p.kind == sema::AppProtocol::Kind::https ? "HTTPS" : "MSSQL";
    protocols.push_back(fmt::format("{}:{}", name, p.port));
  }
  return fmt::format("{} {} from {} to {}.", action == sema::Action::allow ? "Allows" : "Denies", join_and(protocols),
                     endpoints(r.sources, true), endpoints(r.targets, false));
}

std::string describe(const sema::DnatRule& r) {
  std::string to = r.destination ? "public IP " + code(r.destination->symbol) : "the firewall's first public IP";
  std::string target;
  if (r.service != nullptr) {
    target = "service " + code(r.service_name);
    if (r.service->load_balancer_ip) target += fmt::format(" ({})", r.service->load_balancer_ip->str());
  } else if (!r.service_name.empty()) {
    target = "service " + code(r.service_name);
  } else if (r.translated_ip) {
    target = code(r.translated_ip->str());
  }
  const auto translated = r.translated_port != 0 ? r.translated_port : r.port;
  return fmt::format("Forwards {} to port {} of {}, from {}, to {} port {}.", model::protocol_name(r.protocol), r.port, to,
                     endpoints(r.sources, true), target, translated);
}

std::string next_hop(const sema::Route& r) {
  switch (r.next_hop) {
    case sema::NextHop::virtual_appliance:
      if (r.firewall) return fmt::format("VirtualAppliance {} (firewall {})", r.firewall->private_ip.str(), code(r.firewall->symbol));
      return r.next_hop_ip ? "VirtualAppliance " + r.next_hop_ip->str() : "VirtualAppliance";
    case sema::NextHop::internet: return "Internet";
    case sema::NextHop::vnet_local: return "VnetLocal";
    case sema::NextHop::vnet_gateway: return "VirtualNetworkGateway";
    case sema::NextHop::none: return "None";
  }
  return "?";
}

std::string route_prefix(const sema::Route& r) {
  if (r.prefix) return r.prefix->str();
  return fmt::format("{}/{}", r.public_ip ? r.public_ip->symbol : "?", r.public_ip_prefix);
}

std::vector<const sema::Vnet*> peers_of(const sema::Program& p, const sema::Vnet& v) {
  std::vector<const sema::Vnet*> out;
  for (const auto& other : p.vnets) {
    if (&other == &v) continue;
    const bool mine = std::find(v.peers.begin(), v.peers.end(), &other) != v.peers.end();
    const bool theirs = std::find(other.peers.begin(), other.peers.end(), &v) != other.peers.end();
    if (mine || theirs) out.push_back(&other);
  }
  return out;
}

std::string addresses(const sema::Cidr& c) {
  const auto size = c.size();
  return fmt::format("{}: {} addresses ({} - {})", code(c.str()), thousands(size), sema::format_ip(c.first()),
                     sema::format_ip(c.last()));
}

std::string subnet_hover(const Analysis& a, const sema::Subnet& s) {
  std::string out = fmt::format("Azure name {}\n\n", azure_name(s.name));
  const auto size = s.prefix.size();
  out += fmt::format("{}, {} usable (Azure reserves 5: the network and broadcast addresses and the first three "
                     "hosts)\n\n",
                     addresses(s.prefix), thousands(size > 5 ? size - 5 : 0));
  if (s.route_table) out += fmt::format("Route table {}\n\n", code(s.route_table->symbol));
  if (s.nat_gateway) out += fmt::format("NAT gateway {}: its Internet traffic leaves from the NAT gateway's public IPs\n\n",
                                        code(s.nat_gateway->symbol));
  if (s.vnet == nullptr) return out;
  const auto routes = model::compute_effective_routes(s, peers_of(a.program, *s.vnet), a.program.firewalls);
  out += "Effective routes:\n\n| prefix | next hop | from |\n| --- | --- | --- |\n";
  for (const auto& r : routes.routes) {
    const std::string origin = r.user ? fmt::format("route {} of {}", code(r.route ? r.route->symbol : "?"),
                                                    code(r.table ? r.table->symbol : "?"))
                                      : std::string("system");
    out += fmt::format("| {}{}{} | {} | {} |\n", r.active ? "" : "~~", r.prefix_text(), r.active ? "" : "~~",
                       r.next_hop_text(), origin);
  }
  return out;
}

std::string symbol_hover(const Analysis& a, int id) {
  const auto& sym = a.index().symbols()[static_cast<std::size_t>(id)];
  const auto d = a.index().sema(id);
  std::string out = fmt::format("**{}** {}", kind_label(sym.kind), code(sym.name));
  const std::size_t uses = a.index().occurrences_of(id).size() - 1;
  std::string body;
  switch (sym.kind) {
    case SymbolKind::param:
      if (d.param) {
        static constexpr const char* types[] = {"string", "int", "region", "bool", "cidrs"};
        body = fmt::format("`{}: {}`", d.param->name, types[static_cast<int>(d.param->type)]);
        if (d.param->default_value) body += fmt::format(" = {}", code(*d.param->default_value));
        for (const auto& e : a.program.envs)
          for (const auto& v : e.values)
            if (v.param == d.param->name) body += fmt::format("\n\nenv `{}`: {}", e.name, code(v.value));
        body += "\n\nUse it as `${" + d.param->name + "}` in strings and words, or as a bare word.";
      }
      break;
    case SymbolKind::group:
      if (d.group) body = fmt::format("Azure name {}, location {}", azure_name(d.group->name), azure_name(d.group->location));
      break;
    case SymbolKind::vnet:
      if (d.vnet) {
        body = fmt::format("Azure name {}\n\nAddress space:", azure_name(d.vnet->name));
        for (const auto& c : d.vnet->address_space) body += "\n- " + addresses(c);
        if (!d.vnet->subnets.empty()) {
          body += "\n\nSubnets:";
          for (const auto& s : d.vnet->subnets) body += fmt::format("\n- {} {}", code(s.symbol), s.prefix.str());
        }
        const auto peers = peers_of(a.program, *d.vnet);
        if (!peers.empty()) {
          std::vector<std::string> names;
          for (const auto* p : peers) names.push_back(code(p->symbol));
          body += "\n\nPeered with " + join_and(names);
          // This VNet's side of each peering, when it is not the defaults (sema/peering.hpp).
          for (const auto& p : sema::peerings(a.program))
            for (const auto* side : {&p.first, &p.second}) {
              if (side->vnet != d.vnet) continue;
              const auto& st = side->settings;
              std::vector<std::string> set;
              if (!st.virtual_network_access) set.emplace_back("access blocked");
              if (!st.forwarded_traffic) set.emplace_back("forwarded traffic denied");
              if (st.gateway_transit) set.emplace_back("gateway transit allowed");
              if (st.use_remote_gateways) set.emplace_back("uses remote gateways");
              if (!set.empty()) body += fmt::format("\n- toward {}: {}", code(side->remote->symbol), join_and(set));
            }
        }
      }
      break;
    case SymbolKind::subnet:
      if (d.subnet) body = subnet_hover(a, *d.subnet);
      break;
    case SymbolKind::public_ip:
      if (d.public_ip) {
        body = fmt::format("Azure name {}, SKU {}, {} allocation", azure_name(d.public_ip->name),
                           d.public_ip->sku == sema::PublicIpSku::standard ? "Standard" : "Basic",
                           d.public_ip->allocation == sema::Allocation::static_ ? "static" : "dynamic");
        for (const auto& fw : a.program.firewalls)
          for (const auto& f : fw.frontends)
            if (f.public_ip == d.public_ip) body += fmt::format("\n\nA frontend of firewall {}", code(fw.symbol));
      }
      break;
    case SymbolKind::firewall:
      if (d.firewall) {
        const auto& fw = *d.firewall;
        static constexpr const char* skus[] = {"Basic", "Standard", "Premium"};
        static constexpr const char* intel[] = {"off", "alert", "deny"};
        body = fmt::format("Azure name {}, SKU {}\n\n", azure_name(fw.name), skus[static_cast<int>(fw.sku)]);
        if (fw.subnet) body += fmt::format("In subnet {}; private IP {} (the subnet's fourth address)\n\n",
                                           code((fw.subnet->vnet ? fw.subnet->vnet->symbol + "." : "") + fw.subnet->symbol),
                                           code(fw.private_ip.str()));
        body += fmt::format("DNS proxy {}, threat intelligence {}", fw.dns_proxy ? "on" : "off",
                            intel[static_cast<int>(fw.threat_intel)]);
        if (!fw.frontends.empty()) {
          std::vector<std::string> names;
          for (const auto& f : fw.frontends) names.push_back(code(f.public_ip ? f.public_ip->symbol : "?"));
          body += "\n\nFrontends: " + join_and(names);
        }
        if (!fw.collections.empty()) {
          body += "\n\nRule collections:";
          for (const auto& c : fw.collections) {
            const auto n = c.network_rules.size() + c.application_rules.size() + c.dnat_rules.size();
            const char* kind = c.kind == sema::CollectionKind::network ? "network"
                               : c.kind == sema::CollectionKind::application ? "application" : "nat";
            body += fmt::format("\n- {} {}{}, priority {}: {} rule{}", kind, code(c.name),
                                c.implicit ? " (the `dnat` lines written in the firewall)" : "", c.priority, n, n == 1 ? "" : "s");
          }
        }
        if (!sym.reopened.empty()) body += fmt::format("\n\nReopened {} time{}", sym.reopened.size(), sym.reopened.size() == 1 ? "" : "s");
      }
      break;
    case SymbolKind::route_table:
      if (d.route_table) {
        body = fmt::format("Azure name {}, BGP propagation {}", azure_name(d.route_table->name),
                           d.route_table->bgp_propagation ? "on" : "off");
        if (!d.route_table->routes.empty()) {
          body += "\n\nRoutes:";
          for (const auto& r : d.route_table->routes)
            body += fmt::format("\n- {} {} → {}", code(r.symbol), route_prefix(r), next_hop(r));
        }
        std::vector<std::string> users;
        for (const auto& v : a.program.vnets)
          for (const auto& s : v.subnets)
            if (s.route_table == d.route_table) users.push_back(code(v.symbol + "." + s.symbol));
        body += users.empty() ? "\n\nAssociated with no subnet" : "\n\nAssociated with " + join_and(users);
      }
      break;
    case SymbolKind::route:
      if (d.route) body = fmt::format("Azure name {}\n\n{} → {}", azure_name(d.route->name), code(route_prefix(*d.route)), next_hop(*d.route));
      break;
    case SymbolKind::identity:
      if (d.identity) body = fmt::format("Azure name {}", azure_name(d.identity->name));
      break;
    case SymbolKind::firewall_policy:
      if (d.firewall_policy) {
        const auto& p = *d.firewall_policy;
        static constexpr const char* tiers[] = {"basic", "standard", "premium"};
        static constexpr const char* modes[] = {"off", "alert", "deny"};
        body = fmt::format("Azure name {}\n\nTier {}, DNS proxy {}, threat intelligence {}", azure_name(p.name),
                           tiers[static_cast<int>(p.tier)], p.dns_proxy ? "on" : "off",
                           modes[static_cast<int>(p.threat_intel)]);
        if (p.base != nullptr) body += fmt::format("\n\nInherits the rules of base policy {} (processed first)", code(p.base->symbol));
        if (p.idps) body += fmt::format("\n\nIDPS {}", modes[static_cast<int>(*p.idps)]);
        if (p.tls_secret_id) body += "\n\nTLS inspection on";
        if (!p.groups.empty()) {
          body += "\n\nRule collection groups:";
          for (const auto& g : p.groups)
            body += fmt::format("\n- {}, priority {}: {} collection{}", code(g.name), g.priority, g.collections.size(),
                                g.collections.size() == 1 ? "" : "s");
        }
        std::vector<std::string> users;
        for (const auto& fw : a.program.firewalls)
          if (fw.policy == &p) users.push_back(code(fw.symbol));
        body += users.empty() ? "\n\nUsed by no firewall" : "\n\nUsed by " + join_and(users);
      }
      break;
    case SymbolKind::nat_gateway:
      if (d.nat_gateway) {
        const auto& ng = *d.nat_gateway;
        std::vector<std::string> ips, users;
        for (const auto* pip : ng.public_ips) ips.push_back(code(pip != nullptr ? pip->symbol : "?"));
        for (const auto* s : ng.subnets) users.push_back(code((s->vnet ? s->vnet->symbol + "." : "") + s->symbol));
        body = fmt::format("Azure name {}\n\nStandard NAT gateway, idle timeout {} minutes; public IPs: {} ({} SNAT ports)",
                           azure_name(ng.name), ng.idle_timeout, ips.empty() ? std::string("none") : join_and(ips),
                           thousands(model::nat_gateway_ip_count(ng) * facts::nat_gateway::kSnatPortsPerIp));
        body += users.empty() ? "\n\nAttached to no subnet" : "\n\nAttached to " + join_and(users);
      }
      break;
    case SymbolKind::rule_set:
      if (d.rule_set) {
        const auto& r = *d.rule_set;
        std::vector<std::string> params;
        for (const auto& p : r.params) params.push_back(code(p));
        body = r.requirement.empty()
                   ? fmt::format("Rule set{}", params.empty() ? " without parameters" : " of " + join_and(params))
                   : fmt::format("Rule set of the rows of requirement {} that apply to cluster {}", code(r.requirement),
                                 params.empty() ? std::string("?") : params.front());
        body += fmt::format("\n\nUsed {} time{}", r.uses, r.uses == 1 ? "" : "s");
      }
      break;
    case SymbolKind::ip_group:
      if (d.ip_group) {
        std::vector<std::string> members;
        for (const auto& m : d.ip_group->members) members.push_back(endpoint_text(m, true));
        body = fmt::format("Azure name {}\n\nIP group of {}", azure_name(d.ip_group->name), join_and(members));
      }
      break;
    case SymbolKind::cluster:
      if (d.cluster) {
        const auto& c = *d.cluster;
        static constexpr const char* outbound[] = {"load_balancer", "user_defined_routing", "managed_nat_gateway",
                                                   "user_assigned_nat_gateway"};
        body = fmt::format("Azure name {}\n\n", azure_name(c.name));
        if (c.subnet) body += fmt::format("In subnet {} ({})\n\n", code((c.subnet->vnet ? c.subnet->vnet->symbol + "." : "") + c.subnet->symbol),
                                          c.subnet->prefix.str());
        if (c.explicit_pools) {
          body += "Node pools:";
          for (const auto& p : c.pools)
            body += fmt::format(" {} ({}, {} {}{})", code(p.name), p.mode == sema::PoolMode::system ? "system" : "user",
                                p.autoscale ? fmt::format("{}-{}", p.min_count, p.max_count) : std::to_string(p.node_count),
                                p.os == sema::PoolOs::windows ? "Windows" : "Linux",
                                p.vm_size.value.empty() ? "" : " × " + code(p.vm_size.value));
          body += "\n\n";
        }
        if (!c.explicit_pools) body += fmt::format("{} × {}, {} pods per node; ", c.node_count, code(c.vm_size.value), c.max_pods);
        body += fmt::format("network plugin {}{}; outbound {}; {} identity",
                            c.plugin == sema::NetworkPlugin::azure ? "azure" : "kubenet", c.overlay ? " overlay" : "",
                            code(outbound[static_cast<int>(c.outbound)]),
                            c.system_identity ? "system-assigned" : "user-assigned");
        if (c.private_cluster) body += "; private API server";
      }
      break;
    case SymbolKind::app:
      if (d.app) {
        body = fmt::format("On cluster {}, namespace {}\n\n{} workload{}, {} service{}, {} config{}",
                           code(d.app->cluster ? d.app->cluster->symbol : "?"), code(d.app->ns), d.app->workloads.size(),
                           d.app->workloads.size() == 1 ? "" : "s", d.app->services.size(),
                           d.app->services.size() == 1 ? "" : "s", d.app->configs.size(),
                           d.app->configs.size() == 1 ? "" : "s");
      }
      break;
    case SymbolKind::collection:
      if (d.collection) {
        const auto& c = *d.collection;
        const auto n = c.network_rules.size() + c.application_rules.size() + c.dnat_rules.size();
        const char* kind = c.kind == sema::CollectionKind::network ? "Network" : c.kind == sema::CollectionKind::application ? "Application" : "NAT";
        body = fmt::format("{} rule collection of firewall {}, priority {}, action {}: {} rule{}", kind, code(sym.scope),
                           c.priority, c.action == sema::Action::allow ? "allow" : "deny", n, n == 1 ? "" : "s");
      }
      break;
    case SymbolKind::rule: {
      sema::Action action = sym.statement && sym.statement->head.text == "deny" ? sema::Action::deny : sema::Action::allow;
      if (d.network_rule) body = describe(*d.network_rule, action);
      else if (d.application_rule) body = describe(*d.application_rule, action);
      else if (d.dnat_rule) body = describe(*d.dnat_rule);
      break;
    }
    case SymbolKind::workload:
      if (d.workload) {
        const auto& w = *d.workload;
        body = fmt::format("Kubernetes {} with image {}, {} replica{}", w.kind == sema::Workload::Kind::deployment ? "Deployment" : "StatefulSet",
                           code(w.image.value), w.replicas, w.replicas == 1 ? "" : "s");
        std::vector<std::string> ports;
        for (const auto& p : w.ports) ports.push_back(p.name.empty() ? std::to_string(p.port) : fmt::format("{} ({})", p.port, p.name));
        if (!ports.empty()) body += "; ports " + join_and(ports);
      }
      break;
    case SymbolKind::service:
      if (d.service) {
        const auto& s = *d.service;
        const char* exposure = s.exposure == sema::Service::Exposure::cluster    ? "ClusterIP"
                               : s.exposure == sema::Service::Exposure::internal ? "internal LoadBalancer"
                                                                                 : "public LoadBalancer";
        std::vector<std::string> ports;
        for (const auto& p : s.ports) ports.push_back(p.port == p.target ? std::to_string(p.port) : fmt::format("{} → {}", p.port, p.target));
        body = fmt::format("Kubernetes Service ({}) of app {}; ports {}", exposure, code(s.app ? s.app->symbol : sym.scope), join_and(ports));
        if (s.load_balancer_ip) body += fmt::format("; load balancer IP {}", code(s.load_balancer_ip->str()));
      }
      break;
    case SymbolKind::config:
      if (d.config) {
        std::vector<std::string> keys;
        for (const auto& [k, _] : d.config->files) keys.push_back(code(k));
        body = "ConfigMap with " + (keys.empty() ? std::string("no files") : "files " + join_and(keys));
      }
      break;
    case SymbolKind::requirement:
      body = "Flows every cluster must be able to make (stdlib)";
      for (const auto& r : a.catalog.requirements)
        if (r.name == sym.name) body = fmt::format("{}: {} flows", r.title, r.flows.size());
      break;
  }
  if (!body.empty()) out += "\n\n" + body;
  if (sym.kind != SymbolKind::rule && sym.kind != SymbolKind::collection && sym.kind != SymbolKind::route)
    out += fmt::format("\n\n{} reference{}", uses, uses == 1 ? "" : "s");
  return out;
}

std::string keyword_hover(const KeywordInfo& k) {
  return fmt::format("```egress\n{}\n```\n{}", k.form, k.doc);
}

/// The first comment lines of a stdlib module: what it is.
std::string module_doc(std::string_view name) {
  const auto& modules = stdlib_modules();
  auto it = modules.find(name);
  if (it == modules.end()) return fmt::format("There is no stdlib module {}.", code(name));
  std::string out = fmt::format("**stdlib module** {}", code(name));
  std::string_view text = it->second;
  std::string doc;
  while (!text.empty() && text.rfind("//", 0) == 0) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(2, nl == std::string_view::npos ? std::string_view::npos : nl - 2);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    doc += std::string(line) + "\n";
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  if (!doc.empty()) out += "\n\n" + doc;
  return out;
}

json markdown(const std::string& value, const Analysis& a, const Span& span) {
  return {{"contents", {{"kind", "markdown"}, {"value", value}}}, {"range", to_json(a.main_lines().range(span.offset, span.length))}};
}

}  // namespace

json hover(const Analysis& a, std::uint32_t offset) {
  if (const auto* o = a.index().occurrence_at(a.main, offset)) return markdown(symbol_hover(a, o->symbol), a, o->span);
  const auto* t = a.index().token_at(a.main, offset);
  if (t == nullptr) return nullptr;
  const std::string context(t->parent ? t->parent->head.text : "");
  switch (t->kind) {
    case Token::Kind::keyword:
    case Token::Kind::unresolved: {
      // On a rule's keyword: what the rule does.
      if (t->statement && t->span == t->statement->head.span) {
        const auto d = a.index().sema_of(*t->statement);
        const auto action = t->text == "deny" ? sema::Action::deny : sema::Action::allow;
        std::string rule;
        if (d.network_rule) rule = describe(*d.network_rule, action);
        else if (d.application_rule) rule = describe(*d.application_rule, action);
        else if (d.dnat_rule) rule = describe(*d.dnat_rule);
        if (!rule.empty()) {
          const auto* k = keyword_info(t->text, context);
          return markdown(rule + (k ? "\n\n---\n" + keyword_hover(*k) : std::string()), a, t->span);
        }
      }
      const bool is_head = t->statement != nullptr && t->span == t->statement->head.span;
      if (const auto* k = keyword_info(t->text, is_head ? context : t->statement ? t->statement->head.text : ""))
        return markdown(keyword_hover(*k), a, t->span);
      if (a.catalog.known_region(t->text)) return markdown(fmt::format("**Azure region** {}", code(t->text)), a, t->span);
      return nullptr;
    }
    case Token::Kind::service_tag: {
      std::string tag = t->text;
      std::string region;
      if (const auto dot = tag.find('.'); dot != std::string::npos && !a.catalog.service_tags.count(tag)) {
        region = tag.substr(dot + 1);
        tag.resize(dot);
      }
      std::string out = fmt::format("**service tag** {}", code(t->text));
      if (a.catalog.service_tags.count(tag)) {
        out += region.empty() ? "\n\nThe addresses of an Azure service, kept current by Azure."
                              : fmt::format("\n\nThe addresses of {} in region {}.", code(tag),
                                            region.find("${") != std::string::npos ? code(region) + " (the program's location)" : code(region));
      } else {
        out += "\n\nNot a service tag the stdlib knows (stdlib/azure.egress lists them).";
      }
      return markdown(out, a, t->span);
    }
    case Token::Kind::fqdn_tag:
      return markdown(fmt::format("**FQDN tag** {}\n\n{}", code(t->text),
                                  a.catalog.fqdn_tags.count(t->text)
                                      ? "A group of FQDNs Azure Firewall maintains for a service (application rules only)."
                                      : "Not an FQDN tag the stdlib knows (stdlib/azure.egress lists them)."),
                      a, t->span);
    case Token::Kind::region:
      return markdown(fmt::format("**Azure region** {}{}", code(t->text),
                                  a.catalog.known_region(t->text) ? "" : "\n\nNot a region the stdlib knows."),
                      a, t->span);
    case Token::Kind::module: return markdown(module_doc(t->text), a, t->span);
    case Token::Kind::import_path: return markdown(fmt::format("**import** {}", code(t->text)), a, t->span);
  }
  return nullptr;
}

}  // namespace egress::lsp
