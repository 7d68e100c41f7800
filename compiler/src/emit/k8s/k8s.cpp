// The Kubernetes emitter: every KubeApp of the IR as multi-document YAML (Namespace, ConfigMaps, workloads,
// Services), for `kubectl apply -f`. Reads only the IR; strings from the user go through yaml::Node::str,
// which always reads back as the same string.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "emit/emit.hpp"
#include "emit/k8s/labels.hpp"
#include "emit/yaml_writer.hpp"

namespace egress::emit {

namespace {

using yaml::Node;

// Probe timings follow the aks-store-demo quickstart's readiness and liveness probes.
constexpr int kReadinessDelay = 3, kReadinessPeriod = 5, kReadinessFailures = 3;
constexpr int kLivenessDelay = 3, kLivenessPeriod = 3, kLivenessFailures = 5;

constexpr const char* kInternalLbAnnotation = "service.beta.kubernetes.io/azure-load-balancer-internal";
// learn.microsoft.com/azure/aks/internal-lb (an IP "in a different subnet" of the cluster's VNet; the annotation's value is the subnet name, kubernetes/kubernetes#51757): the subnet's name, in the cluster's VNet.
constexpr const char* kInternalSubnetAnnotation = "service.beta.kubernetes.io/azure-load-balancer-internal-subnet";
constexpr const char* kLbIpv4Annotation = "service.beta.kubernetes.io/azure-load-balancer-ipv4";

struct AppContext {
  const ir::KubeApp& app;
  std::string part_of;  // the app's label value

  [[nodiscard]] bool namespaced() const { return !app.ns.empty() && app.ns != "default"; }

  // metadata: name, namespace (unless default), labels.
  [[nodiscard]] Node metadata(const std::string& name, bool in_namespace, const std::string& app_label = {}) const {
    Node m = Node::map();
    m.set("name", Node::str(name));
    if (in_namespace && namespaced()) m.set("namespace", Node::str(app.ns));
    Node labels = Node::map();
    if (!app_label.empty()) labels.set("app", Node::str(app_label));
    labels.set(kube::kPartOfLabel, Node::str(part_of));
    m.set("labels", std::move(labels));
    return m;
  }

  [[nodiscard]] Node object(const char* api_version, const char* kind, Node metadata) const {
    Node o = Node::map();
    o.set("apiVersion", Node::str(api_version));
    o.set("kind", Node::str(kind));
    o.set("metadata", std::move(metadata));
    return o;
  }
};

Node app_selector(const std::string& name) {
  Node m = Node::map();
  m.set("app", Node::str(name));
  return m;
}

Node probe(const std::string& path, int port, int delay, int period, int failures) {
  Node get = Node::map();
  get.set("path", Node::str(path));
  get.set("port", Node::num(port));
  Node p = Node::map();
  p.set("httpGet", std::move(get));
  p.set("initialDelaySeconds", Node::num(delay));
  p.set("periodSeconds", Node::num(period));
  p.set("failureThreshold", Node::num(failures));
  return p;
}

Node quantities(const std::string& cpu, const std::string& memory) {
  Node m = Node::map();
  if (!cpu.empty()) m.set("cpu", Node::str(cpu));
  if (!memory.empty()) m.set("memory", Node::str(memory));
  return m;
}

Node container(const ir::KubeWorkload& w) {
  Node c = Node::map();
  c.set("name", Node::str(w.name));
  c.set("image", Node::str(w.image));
  if (!w.ports.empty()) {
    Node ports = Node::seq();
    for (const auto& p : w.ports) {
      Node port = Node::map();
      port.set("containerPort", Node::num(p.port));
      if (!p.name.empty()) port.set("name", Node::str(p.name));
      ports.push(std::move(port));
    }
    c.set("ports", std::move(ports));
  }
  if (!w.env.empty()) {
    Node env = Node::seq();
    for (const auto& [name, value] : w.env) {
      Node e = Node::map();
      e.set("name", Node::str(name));
      e.set("value", Node::str(value));
      env.push(std::move(e));
    }
    c.set("env", std::move(env));
  }
  Node requests = quantities(w.cpu_request, w.memory_request);
  Node limits = quantities(w.cpu_limit, w.memory_limit);
  if (!requests.empty() || !limits.empty()) {
    Node r = Node::map();
    if (!requests.empty()) r.set("requests", std::move(requests));
    if (!limits.empty()) r.set("limits", std::move(limits));
    c.set("resources", std::move(r));
  }
  if (!w.probe_path.empty() && !w.ports.empty()) {
    int port = w.ports.front().port;
    c.set("readinessProbe", probe(w.probe_path, port, kReadinessDelay, kReadinessPeriod, kReadinessFailures));
    c.set("livenessProbe", probe(w.probe_path, port, kLivenessDelay, kLivenessPeriod, kLivenessFailures));
  }
  if (!w.mounts.empty()) {
    Node mounts = Node::seq();
    for (const auto& m : w.mounts) {
      Node mount = Node::map();
      mount.set("name", Node::str(m.volume));
      mount.set("mountPath", Node::str(m.path));
      if (!m.key.empty()) mount.set("subPath", Node::str(m.key));
      mounts.push(std::move(mount));
    }
    c.set("volumeMounts", std::move(mounts));
  }
  return c;
}

Node init_container(const ir::KubeInitContainer& ic) {
  Node c = Node::map();
  c.set("name", Node::str(ic.name));
  c.set("image", Node::str(ic.image));
  if (!ic.command.empty()) {
    Node cmd = Node::seq();
    for (const auto& arg : ic.command) cmd.push(Node::str(arg));
    c.set("command", std::move(cmd));
  }
  return c;
}

Node pod_spec(const ir::KubeWorkload& w) {
  Node spec = Node::map();
  Node node_selector = Node::map();
  node_selector.set("kubernetes.io/os", Node::str("linux"));
  spec.set("nodeSelector", std::move(node_selector));
  if (!w.init_containers.empty()) {
    Node inits = Node::seq();
    for (const auto& ic : w.init_containers) inits.push(init_container(ic));
    spec.set("initContainers", std::move(inits));
  }
  Node containers = Node::seq();
  containers.push(container(w));
  spec.set("containers", std::move(containers));
  if (!w.mounts.empty()) {
    Node volumes = Node::seq();
    std::vector<std::string> seen;
    for (const auto& m : w.mounts) {
      if (std::find(seen.begin(), seen.end(), m.volume) != seen.end()) continue;
      seen.push_back(m.volume);
      Node cm = Node::map();
      cm.set("name", Node::str(m.config_map));
      Node v = Node::map();
      v.set("name", Node::str(m.volume));
      v.set("configMap", std::move(cm));
      volumes.push(std::move(v));
    }
    spec.set("volumes", std::move(volumes));
  }
  return spec;
}

Node workload(const AppContext& cx, const ir::KubeWorkload& w) {
  bool stateful = w.kind == "StatefulSet";
  Node o = cx.object("apps/v1", stateful ? "StatefulSet" : "Deployment", cx.metadata(w.name, true, w.name));
  Node spec = Node::map();
  spec.set("replicas", Node::num(w.replicas));
  if (stateful) {
    // The governing Service: the one that selects this workload, else one named after it.
    std::string service = w.name;
    for (const auto& s : cx.app.services) {
      if (s.selector == w.name) {
        service = s.name;
        break;
      }
    }
    spec.set("serviceName", Node::str(service));
  }
  Node selector = Node::map();
  selector.set("matchLabels", app_selector(w.name));
  spec.set("selector", std::move(selector));
  Node template_meta = Node::map();
  template_meta.set("labels", app_selector(w.name));
  Node tmpl = Node::map();
  tmpl.set("metadata", std::move(template_meta));
  tmpl.set("spec", pod_spec(w));
  spec.set("template", std::move(tmpl));
  o.set("spec", std::move(spec));
  return o;
}

Node service(const AppContext& cx, const ir::KubeService& s) {
  Node meta = cx.metadata(s.name, true);
  bool load_balancer = s.type == "LoadBalancer";
  if (load_balancer && (s.internal || !s.load_balancer_ip.empty())) {
    Node annotations = Node::map();
    if (s.internal) annotations.set(kInternalLbAnnotation, Node::str("true"));
    if (s.internal && !s.internal_subnet.empty()) annotations.set(kInternalSubnetAnnotation, Node::str(s.internal_subnet));
    if (!s.load_balancer_ip.empty()) annotations.set(kLbIpv4Annotation, Node::str(s.load_balancer_ip));
    meta.set("annotations", std::move(annotations));
  }
  Node o = cx.object("v1", "Service", std::move(meta));
  Node spec = Node::map();
  spec.set("type", Node::str(s.type));
  Node ports = Node::seq();
  for (const auto& p : s.ports) {
    Node port = Node::map();
    if (!p.name.empty()) port.set("name", Node::str(p.name));
    port.set("port", Node::num(p.port));
    port.set("targetPort", Node::num(p.target_port));
    port.set("protocol", Node::str(p.protocol));
    ports.push(std::move(port));
  }
  spec.set("ports", std::move(ports));
  spec.set("selector", app_selector(s.selector));
  o.set("spec", std::move(spec));
  return o;
}

Node config_map(const AppContext& cx, const ir::KubeConfigMap& cm) {
  Node o = cx.object("v1", "ConfigMap", cx.metadata(cm.name, true));
  Node data = Node::map();
  for (const auto& [key, value] : cm.data) data.set(key, Node::str(value));
  o.set("data", std::move(data));
  return o;
}

}  // namespace

namespace {

std::size_t cluster_count(const ir::Deployment& d) {
  return static_cast<std::size_t>(std::count_if(d.resources.begin(), d.resources.end(),
                                                [](const ir::Resource& r) { return r.kind == ir::Kind::managed_cluster; }));
}

// The apps of one cluster (all apps when `cluster` is empty), as one YAML stream.
std::string manifest(const ir::Deployment& d, const EmitOptions& o, std::optional<ir::Index> cluster) {
  auto part_of = kube::app_label_values(d);
  std::vector<Node> docs;
  for (std::size_t i = 0; i < d.apps.size(); ++i) {
    if (cluster && d.apps[i].cluster != *cluster) continue;
    AppContext cx{d.apps[i], part_of[i]};
    if (cx.namespaced()) docs.push_back(cx.object("v1", "Namespace", cx.metadata(cx.app.ns, false)));
    for (const auto& cm : cx.app.config_maps) docs.push_back(config_map(cx, cm));
    for (const auto& w : cx.app.workloads) docs.push_back(workload(cx, w));
    for (const auto& s : cx.app.services) docs.push_back(service(cx, s));
  }
  std::vector<std::string> header = {
      "Generated by egressc" + (o.version.empty() ? std::string() : " " + o.version) +
          " from an egress program; edit the program, not this file.",
      cluster ? "The Kubernetes objects of the apps of cluster " + d.resources[*cluster].symbol + ". " + o.stem +
                    ".sh applies them once the cluster is up."
              : "The Kubernetes objects of its apps. " + o.stem + ".sh applies them once the cluster is up.",
  };
  return yaml::write_stream(header, docs);
}

}  // namespace

std::string k8s(const ir::Deployment& d, const EmitOptions& o) { return manifest(d, o, std::nullopt); }

std::string k8s_manifest_name(const ir::Deployment& d, const EmitOptions& o, ir::Index cluster) {
  if (cluster_count(d) <= 1) return o.stem + ".yaml";
  return o.stem + "." + d.resources[cluster].symbol + ".yaml";
}

std::vector<Manifest> k8s_manifests(const ir::Deployment& d, const EmitOptions& o) {
  if (cluster_count(d) <= 1) return {{o.stem + ".yaml", k8s(d, o)}};
  std::vector<Manifest> out;
  for (ir::Index i = 0; i < d.resources.size(); ++i) {
    if (d.resources[i].kind != ir::Kind::managed_cluster) continue;
    const bool runs_apps = std::any_of(d.apps.begin(), d.apps.end(), [i](const ir::KubeApp& a) { return a.cluster == i; });
    if (runs_apps) out.push_back({k8s_manifest_name(d, o, i), manifest(d, o, i)});
  }
  if (out.empty()) out.push_back({o.stem + ".yaml", k8s(d, o)});  // no apps at all: the (empty) stream, as ever
  return out;
}

}  // namespace egress::emit
