// The flows every cluster must make (required flows, image registries), walked through the model. The checks on
// them (E0246 E0247 E0248 W0230) are in check_flows.cpp; rule evaluation itself is in firewall_rules.cpp.
#include "model/flows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "model/network.hpp"
#include "sema/placement.hpp"
#include "sema/requirement.hpp"

namespace egress::model {

namespace {

}  // namespace

std::pair<std::string, std::uint16_t> image_registry(std::string_view image) {
  const auto slash = image.find('/');
  if (slash == std::string_view::npos) return {"docker.io", 443};
  const auto first = image.substr(0, slash);
  if (first.find('.') == std::string_view::npos && first.find(':') == std::string_view::npos && first != "localhost")
    return {"docker.io", 443};
  std::uint16_t port = 443;
  std::string_view host = first;
  if (const auto colon = first.find(':'); colon != std::string_view::npos) {
    host = first.substr(0, colon);
    unsigned value = 0;
    bool ok = colon + 1 < first.size();
    for (char c : first.substr(colon + 1)) {
      if (c < '0' || c > '9' || value > 65535) { ok = false; break; }
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (ok && value >= 1 && value <= 65535) port = static_cast<std::uint16_t>(value);
  }
  auto h = ascii_lower(host);
  if (h == "index.docker.io" || h == "registry-1.docker.io") h = "docker.io";
  return {h, port};
}

std::string_view outcome_name(FlowOutcome o) {
  switch (o) {
    case FlowOutcome::allowed: return "allowed";
    case FlowOutcome::blocked: return "blocked";
    case FlowOutcome::bypass: return "bypasses the firewall";
    case FlowOutcome::dropped: return "dropped";
    case FlowOutcome::unverified: return "not verified";
  }
  return "?";
}

// ---- the flows of every cluster

namespace {

Flow required_flow(const sema::RequiredFlow& f, const std::string& region) {
  Flow flow;
  flow.host = with_region(f.destination.pattern(), f.destination.text, region);
  flow.port = f.port;
  if (f.kind == sema::RequiredFlow::Kind::application) {
    flow.target = Flow::Target::fqdn;
    flow.protocol = sema::Protocol::tcp;
    flow.app = f.app_protocol == sema::AppProtocol::Kind::http    ? Flow::App::http
               : f.app_protocol == sema::AppProtocol::Kind::mssql ? Flow::App::mssql
                                                                  : Flow::App::https;
  } else {
    flow.target = f.destination.kind == sema::Endpoint::Kind::service_tag ? Flow::Target::service_tag : Flow::Target::fqdn;
    flow.protocol = f.protocol;
    // TCP to a name may also be HTTP(S) an application rule recognises.
    flow.app = f.protocol == sema::Protocol::tcp ? Flow::App::any : Flow::App::none;
  }
  return flow;
}

void walk(const Network& net, const sema::Cluster& c, ClusterFlow& cf) {
  const sema::Subnet& from = cf.from != nullptr ? *cf.from : *c.subnet;  // the node subnet the flow leaves
  const auto& routes = net.routes(from);
  cf.route = routes.choose(cf.flow.destination());
  if (cf.route == nullptr) {
    cf.outcome = FlowOutcome::dropped;
    return;
  }
  switch (cf.route->hop) {
    case Hop::virtual_appliance:
      if (cf.route->firewall == nullptr) {
        cf.outcome = FlowOutcome::unverified;
      } else if (!net.connected(*from.vnet, *cf.route->firewall)) {
        cf.outcome = FlowOutcome::dropped;
      } else {
        cf.firewall = cf.route->firewall;
        cf.verdict = net.rules(*cf.firewall).evaluate(cf.flow, from.prefix);
        cf.outcome = cf.verdict.allowed() ? FlowOutcome::allowed : FlowOutcome::blocked;
      }
      break;
    case Hop::internet: cf.outcome = FlowOutcome::bypass; break;
    case Hop::none: cf.outcome = FlowOutcome::dropped; break;
    case Hop::vnet_local:
    case Hop::vnet_peering: cf.outcome = FlowOutcome::allowed; break;
    case Hop::vnet_gateway: cf.outcome = FlowOutcome::unverified; break;
  }
}

/// The registry entry of stdlib/registries.egress for `registry` (by name, alias or `*.suffix`), or null.
const sema::RegistryHosts* registry_hosts(const sema::Catalog& catalog, const std::string& registry) {
  for (const auto& r : catalog.registries) {
    if (r.name == registry) return &r;
    for (const auto& a : r.aliases)
      if (a == registry) return &r;
  }
  for (const auto& r : catalog.registries)
    if (r.name.rfind("*.", 0) == 0 && registry.size() > r.name.size() - 1 &&
        registry.compare(registry.size() - (r.name.size() - 1), r.name.size() - 1, r.name, 1) == 0)
      return &r;
  return nullptr;
}

/// A registry host pattern with `${registry}`, `${name}` (the registry's first label) and `${location}` filled in.
std::string expand_registry_host(const std::string& pattern, const std::string& registry, const std::string& region) {
  const std::string name = registry.substr(0, registry.find('.'));
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.compare(i, 2, "${") == 0) {
      const auto close = pattern.find('}', i);
      if (close != std::string::npos) {
        const auto key = pattern.substr(i + 2, close - i - 2);
        out += key == "registry" ? registry : key == "name" ? name : key == "location" ? region : pattern.substr(i, close - i + 1);
        i = close + 1;
        continue;
      }
    }
    out += pattern[i++];
  }
  return out;
}

std::string workload_owner(const sema::Workload& w, const sema::App& app) {
  return fmt::format("{} `{}` (app `{}`)", w.kind == sema::Workload::Kind::statefulset ? "statefulset" : "deployment", w.name,
                     app.symbol);
}

// The required and image flows of cluster `c` from one of its node subnets, `from`.
/// The region of the cluster's own resource group: a cluster in a group of another region than the program's
/// first talks to that region's control plane (`AzureCloud.${location}`, `*.hcp.${location}.azmk8s.io`) and pulls
/// from that region's registry data endpoints.
std::string cluster_region(const Network& net, const sema::Cluster& c) {
  const sema::Group* g = sema::home_group(net.program(), &c);
  return g != nullptr && !g->location.value.empty() ? g->location.value : net.region();
}

void flows_from(const Network& net, const sema::Cluster& c, const sema::Subnet& from, std::vector<ClusterFlow>& out) {
  const auto& program = net.program();
  const std::string region = cluster_region(net, c);
  for (const auto& req : net.catalog().requirements)
    for (const auto& f : req.flows) {
      // Which rows apply is decided in one place, sema::requirement_applies (the rows' `when` conditions).
      if (!sema::requirement_applies(f, c, &from)) continue;  // pool rows: only where the pool runs
      if (!f.unless_tag.empty()) {
        // `unless TAG : PORT`: the row is one of two ways to reach the service; the other is the tag.
        ClusterFlow alt;
        alt.from = &from;
        alt.cluster = &c;
        alt.flow.target = Flow::Target::service_tag;
        alt.flow.host = f.unless_tag;
        alt.flow.protocol = sema::Protocol::tcp;
        alt.flow.port = f.unless_port;
        alt.flow.app = Flow::App::any;
        walk(net, c, alt);
        if (alt.outcome == FlowOutcome::allowed) continue;
      }
      if (!f.cluster_endpoint.empty()) {
        // `cluster.WORD`: one flow per address the cluster gives (its VNet's DNS servers), each walked on its own,
        // so a server inside the VNet passes by the VNet route while one on-premises meets the firewall.
        for (const auto& ip : sema::requirement_destinations(f, c)) {
          ClusterFlow cf;
          cf.cluster = &c;
          cf.from = &from;
          cf.requirement = &req;
          cf.required = &f;
          cf.flow = required_flow(f, region);
          cf.flow.target = Flow::Target::address;
          cf.flow.address = ip.value;
          cf.flow.host = ip.str();
          cf.flow.app = Flow::App::none;  // an address is never an application rule's target
          walk(net, c, cf);
          out.push_back(std::move(cf));
        }
        continue;
      }
      ClusterFlow cf;
      cf.cluster = &c;
      cf.from = &from;
      cf.requirement = &req;
      cf.required = &f;
      cf.flow = required_flow(f, region);
      walk(net, c, cf);
      out.push_back(std::move(cf));
    }
  // Images, grouped by registry in the order they first appear.
  std::vector<std::pair<std::pair<std::string, std::uint16_t>, std::vector<ImageUse>>> registries;
  auto use = [&](const sema::Text& image, std::string owner, Span span) {
    auto reg = image_registry(image.value);
    if (reg.first == "localhost") return;  // pulled on the node itself
    auto it = std::find_if(registries.begin(), registries.end(), [&](const auto& r) { return r.first == reg; });
    if (it == registries.end()) it = registries.insert(registries.end(), {reg, {}});
    it->second.push_back({image.value, std::move(owner), span.length != 0 ? span : image.span});
  };
  for (const auto& app : program.apps) {
    if (app.cluster != &c) continue;
    for (const auto& w : app.workloads) {
      use(w.image, workload_owner(w, app), w.image.span.length != 0 ? w.image.span : w.span);
      for (const auto& wf : w.wait_for)
        use(wf.image, fmt::format("the init container of {} that waits for {}:{}", workload_owner(w, app), wf.host, wf.port),
            wf.image.span.length != 0 ? wf.image.span : wf.span);
    }
  }
  for (const auto& [reg, images] : registries) {
    // The hosts a pull contacts (stdlib/registries.egress); a registry the stdlib does not know: its own name.
    std::vector<std::pair<std::string, std::uint16_t>> hosts;
    const auto* known = registry_hosts(net.catalog(), reg.first);
    if (known == nullptr || reg.second != 443) hosts.push_back(reg);
    else
      for (const auto& h : known->hosts) {
        // `or "..."`: the first alternative the firewall allows stands for the host, else the host itself.
        std::string host = expand_registry_host(h.pattern, reg.first, region);
        for (const auto& alt : h.alternatives) {
          ClusterFlow probe;
          probe.cluster = &c;
          probe.from = &from;
          probe.flow.target = Flow::Target::fqdn;
          probe.flow.host = expand_registry_host(alt, reg.first, region);
          probe.flow.port = 443;
          probe.flow.app = Flow::App::https;
          walk(net, c, probe);
          if (probe.outcome == FlowOutcome::allowed) host = probe.flow.host;
        }
        hosts.emplace_back(host, 443);
      }
    for (const auto& [host, port] : hosts) {
      ClusterFlow cf;
      cf.cluster = &c;
      cf.from = &from;
      cf.registry = reg.second == 443 ? reg.first : fmt::format("{}:{}", reg.first, reg.second);
      cf.images = images;
      cf.flow.target = Flow::Target::fqdn;
      cf.flow.host = host;
      cf.flow.port = port;
      cf.flow.protocol = sema::Protocol::tcp;
      cf.flow.app = Flow::App::https;
      walk(net, c, cf);
      out.push_back(std::move(cf));
    }
  }
}

}  // namespace

/// The subnets a cluster's nodes are in, in pool order, each once: every one must reach what AKS needs.
std::vector<const sema::Subnet*> node_subnets(const sema::Cluster& c) {
  std::vector<const sema::Subnet*> out;
  for (const auto& p : c.pools) {
    const sema::Subnet* s = c.pool_subnet(p);
    if (s != nullptr && s->vnet != nullptr && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  if (out.empty() && c.subnet != nullptr) out.push_back(c.subnet);
  return out;
}

std::vector<ClusterFlow> cluster_flows(const Network& net) {
  std::vector<ClusterFlow> out;
  for (const auto& c : net.program().clusters) {
    if (c.subnet == nullptr || c.subnet->vnet == nullptr) continue;
    for (const auto* from : node_subnets(c)) flows_from(net, c, *from, out);
  }
  return out;
}

}  // namespace egress::model
