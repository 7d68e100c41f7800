// See lower_values.hpp.
#include "lower/lower_values.hpp"

#include <fmt/format.h>

namespace egress::lower {

using namespace egress::sema;

ir::Text text(const Text& t) {
  ir::Text out;
  for (const auto& p : t.parts) out.parts.push_back({p.param, p.text});
  out.value = t.value;
  return out;
}

std::string protocol_name(Protocol p) {
  switch (p) {
    case Protocol::tcp: return "TCP";
    case Protocol::udp: return "UDP";
    case Protocol::icmp: return "ICMP";
    case Protocol::any: return "Any";
  }
  return "Any";
}

ir::SubnetRef subnet_ref(const Subnet& s, const Resolver& at) {
  std::size_t i = 0;
  for (const auto& other : s.vnet->subnets) {
    if (&other == &s) break;
    ++i;
  }
  return ir::SubnetRef{at(s.vnet), i};
}

namespace {

// The features of sema/cluster_features.cpp (Microsoft Defender), apart from the cluster's core settings.
void cluster_features(const Cluster& c, ir::ManagedCluster& out) {
  out.defender = c.defender;
  if (c.defender) out.defender_workspace = text(c.defender_workspace);
}

ir::AgentPool lower_pool(const Cluster& c, const NodePool& p, const Resolver& at) {
  ir::AgentPool out;
  out.name = p.name;
  out.implicit = p.implicit;
  out.mode = p.mode == PoolMode::system ? "System" : "User";
  out.count = ir::Count{p.node_count, p.node_count_param};
  out.autoscale = p.autoscale;
  out.min_count = ir::Count{p.min_count, p.min_count_param};
  out.max_count = ir::Count{p.max_count, p.max_count_param};
  out.vm_size = text(p.vm_size);
  for (int z : p.zones) out.zones.push_back(std::to_string(z));
  out.os_type = p.os == PoolOs::windows ? "Windows" : "Linux";
  out.os_sku = p.os_sku;
  out.max_pods = p.max_pods;
  for (const auto& l : p.labels) out.labels.emplace_back(l.key, l.value);
  for (const auto& t : p.taints) out.taints.push_back(fmt::format("{}={}:{}", t.key, t.value, t.effect));
  if (const Subnet* s = c.pool_subnet(p); s != nullptr) out.subnet = subnet_ref(*s, at);
  return out;
}

// The pools with the first system pool first (what `az aks create` makes), then the others in source order.
void cluster_pools(const Cluster& c, const Resolver& at, ir::ManagedCluster& out) {
  const NodePool* first = nullptr;
  for (const auto& p : c.pools)
    if (first == nullptr && p.mode == PoolMode::system) first = &p;
  if (first != nullptr) out.pools.push_back(lower_pool(c, *first, at));
  for (const auto& p : c.pools)
    if (&p != first) out.pools.push_back(lower_pool(c, p, at));
}

}  // namespace

ir::ManagedCluster lower_cluster(const Cluster& c, const Resolver& at) {
  ir::ManagedCluster out;
  out.dns_prefix = text(c.name);
  cluster_pools(c, at, out);
  out.network_plugin = c.plugin == NetworkPlugin::azure ? "azure" : "kubenet";
  out.network_plugin_mode = c.overlay ? "overlay" : "";
  switch (c.outbound) {
    case OutboundType::load_balancer: out.outbound_type = "loadBalancer"; break;
    case OutboundType::user_defined_routing: out.outbound_type = "userDefinedRouting"; break;
    case OutboundType::managed_nat_gateway: out.outbound_type = "managedNATGateway"; break;
    case OutboundType::user_assigned_nat_gateway: out.outbound_type = "userAssignedNATGateway"; break;
  }
  if (c.subnet != nullptr) out.subnet = subnet_ref(*c.subnet, at);
  // `az aks create` makes the first system pool, in that pool's subnet.
  if (c.subnet != nullptr && !out.pools.empty()) out.subnet = out.pools.front().subnet;
  for (const auto& a : c.authorized) {
    if (a.public_ip != nullptr) out.authorized_ranges.push_back(ir::Address::of_public_ip(at(a.public_ip), 32));
    else if (a.cidr) out.authorized_ranges.push_back(ir::Address::text(ir::Text::literal(a.cidr->str())));
  }
  out.private_cluster = c.private_cluster;
  out.system_assigned = c.system_identity;
  if (c.control_plane_identity != nullptr) out.control_plane_identity = at(c.control_plane_identity);
  if (c.kubelet_identity != nullptr) out.kubelet_identity = at(c.kubelet_identity);
  out.generate_ssh_keys = c.generate_ssh_keys;
  if (c.service_cidr) out.service_cidr = c.service_cidr->str();
  if (c.dns_service_ip) out.dns_service_ip = c.dns_service_ip->str();
  if (c.pod_cidr) out.pod_cidr = c.pod_cidr->str();
  out.kubernetes_version = text(c.kubernetes_version);
  out.monitoring = c.monitoring;
  if (c.monitoring) out.monitoring_workspace = text(c.monitoring_workspace);
  out.keyvault_secrets = c.keyvault_secrets;
  out.azure_policy = c.azure_policy;
  cluster_features(c, out);
  if (c.api_server_subnet != nullptr) out.api_server_subnet = subnet_ref(*c.api_server_subnet, at);
  return out;
}


ir::KubeApp lower_app(const App& app, const Resolver& at) {
  ir::KubeApp out;
  out.symbol = app.symbol;
  if (app.cluster != nullptr) out.cluster = at(app.cluster);
  out.ns = app.ns;
  for (const auto& cm : app.configs) out.config_maps.push_back({cm.name, cm.files});
  for (const auto& w : app.workloads) {
    ir::KubeWorkload k;
    k.kind = w.kind == Workload::Kind::statefulset ? "StatefulSet" : "Deployment";
    k.name = w.name;
    k.image = w.image.value;
    k.replicas = w.replicas;
    for (const auto& p : w.ports) k.ports.push_back({p.name, p.port});
    k.env = w.env;
    for (const auto& m : w.mounts) k.mounts.push_back({m.config, m.config, m.path, m.key});
    for (const auto& wf : w.wait_for) {
      // The host and port travel as arguments ($0, $1), never inside the shell text.
      k.init_containers.push_back({fmt::format("wait-for-{}", wf.host), wf.image.value,
                                   {"sh", "-c", "until nc -z \"$0\" \"$1\"; do echo \"waiting for $0:$1\"; sleep 2; done",
                                    wf.host, std::to_string(wf.port)}});
    }
    k.probe_path = w.probe_path;
    k.cpu_request = w.requests.cpu;
    k.memory_request = w.requests.memory;
    k.cpu_limit = w.limits.cpu;
    k.memory_limit = w.limits.memory;
    out.workloads.push_back(std::move(k));
  }
  for (const auto& s : app.services) {
    ir::KubeService k;
    k.name = s.name;
    k.selector = s.name;
    k.type = s.exposure == Service::Exposure::cluster ? "ClusterIP" : "LoadBalancer";
    k.internal = s.exposure == Service::Exposure::internal;
    if (k.internal && s.load_balancer_ip) k.load_balancer_ip = s.load_balancer_ip->str();
    if (k.internal && s.lb_subnet != nullptr) k.internal_subnet = s.lb_subnet->name.value;
    for (const auto& p : s.ports) k.ports.push_back({p.name, p.port, p.target, protocol_name(p.protocol)});
    out.services.push_back(std::move(k));
  }
  return out;
}

}  // namespace egress::lower
