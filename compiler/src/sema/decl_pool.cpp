// Elaboration of a cluster's node pools: `pool NAME < ... >` blocks, the implicit `nodepool1`, and the checks
// that need only the pools themselves (E0410-E0415, E0418, E0419). Subnets are checked by the network model
// (model/check_pools.cpp: E0416, E0417), which knows VNets and routes.
//
// Sources (facts in sema/azure_facts.hpp, namespace aks):
//   "Manage system node pools in Azure Kubernetes Service (AKS)", learn.microsoft.com/azure/aks/use-system-pools,
//     "Limitations" (pool names; at least one system pool) and its introduction ("System node pools use Ubuntu
//     Linux or Azure Linux"; user pools may also use Windows). Checked 2026-12-07. User pools may scale to 0, system
//     pools keep a node: the managedClusters schema 2026-05-01, agentPoolProfiles[].count.
//   "Quotas, virtual machine size restrictions, and region availability in AKS", learn.microsoft.com/azure/aks/
//     quotas-skus-regions, "Service quotas and limits" (100 pools and 5,000 nodes per cluster, 1,000 per pool;
//     Windows Server containers need Azure CNI). Checked 2026-12-07.
//   Kubernetes "Labels and Selectors", "Syntax and character set", and "Taints and Tolerations" (kubernetes.io/docs/
//     concepts): label keys `[prefix/]name`, names and values at most 63 characters of [A-Za-z0-9-_.] starting and
//     ending alphanumeric; taint effects NoSchedule, PreferNoSchedule, NoExecute. Checked 2026-12-07.
#include <fmt/format.h>

#include <algorithm>

#include "sema/azure_facts.hpp"
#include "sema/context.hpp"

namespace egress::sema {

using syntax::Item;
using syntax::ItemKind;

namespace {

// A label name or value segment: at most 63 characters, alphanumeric at both ends, `-`, `_`, `.` inside.
// An empty value is allowed (`allow_empty`).
bool label_segment_ok(std::string_view s, bool allow_empty) {
  if (s.empty()) return allow_empty;
  if (s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

// A label key: `name` or `prefix/name`, the prefix a DNS subdomain of at most 253 characters.
bool label_key_ok(std::string_view key) {
  const auto slash = key.find('/');
  if (slash == std::string_view::npos) return label_segment_ok(key, false);
  const auto prefix = key.substr(0, slash);
  if (prefix.empty() || prefix.size() > 253) return false;
  if (!std::all_of(prefix.begin(), prefix.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'; }))
    return false;
  return label_segment_ok(key.substr(slash + 1), false);
}

// The text of a word, number or string item as written (strings unescaped, no interpolation).
std::optional<std::string> plain_text(Context& cx, const Item* it) {
  if (it == nullptr) return std::nullopt;
  if (it->kind == ItemKind::word || it->kind == ItemKind::number) return std::string(it->text);
  if (it->kind == ItemKind::string) {
    const Text t = cx.text(*it);
    if (t.is_literal()) return t.value;
  }
  return std::nullopt;
}

// `label KEY=VALUE` (E0419 when the key or value is not a Kubernetes label).
void pool_label(Context& cx, NodePool& p, const syntax::Statement& s) {
  Args a(cx, s, "label KEY=VALUE   (a Kubernetes node label, e.g. label workload=batch)");
  const Item* k = a.next();
  auto key = plain_text(cx, k);
  a.expect(ItemKind::equals, "`=` and the label's value");
  const Item* v = a.peek();
  std::optional<std::string> value = std::string{};
  if (v != nullptr) value = plain_text(cx, a.next());
  if (!a.ok()) return;
  a.finish();
  if (!key || !value) {
    a.fail(k, "KEY=VALUE");
    return;
  }
  if (!label_key_ok(*key) || !label_segment_ok(*value, true)) {
    cx.diags.report(Code::E0419, s.span,
                    fmt::format("`{}={}` is not a Kubernetes node label: AKS rejects the node pool", *key, *value),
                    "a label key is `[prefix/]name`, and name and value are at most 63 characters of letters, digits, "
                    "`-`, `_` and `.`, starting and ending with a letter or digit");
    return;
  }
  p.labels.push_back({*key, *value, s.span});
}

// `taint KEY=VALUE:EFFECT` (E0419 for a bad key, value or effect).
void pool_taint(Context& cx, NodePool& p, const syntax::Statement& s) {
  Args a(cx, s, "taint KEY=VALUE:EFFECT   (EFFECT: NoSchedule, PreferNoSchedule or NoExecute)");
  auto key = plain_text(cx, a.next());
  a.expect(ItemKind::equals, "`=` and the taint's value");
  auto value = plain_text(cx, a.next());
  a.expect(ItemKind::colon, "`:` and the taint's effect");
  auto effect = plain_text(cx, a.next());
  if (!a.ok()) return;
  a.finish();
  if (!key || !value || !effect) {
    a.fail(nullptr, "KEY=VALUE:EFFECT");
    return;
  }
  const bool effect_ok = *effect == "NoSchedule" || *effect == "PreferNoSchedule" || *effect == "NoExecute";
  if (!label_key_ok(*key) || !label_segment_ok(*value, true) || !effect_ok) {
    cx.diags.report(Code::E0419, s.span,
                    fmt::format("`{}={}:{}` is not a Kubernetes taint: AKS rejects the node pool", *key, *value, *effect),
                    effect_ok ? "a taint's key and value follow the label rules: `[prefix/]name`, at most 63 letters, "
                                "digits, `-`, `_` and `.`"
                              : "the effect is NoSchedule, PreferNoSchedule or NoExecute");
    return;
  }
  p.taints.push_back({*key, *value, *effect, s.span});
}

// The API's osSKU values (ARM schema of managedClusters 2026-05-01, agentPoolProfiles[].osSKU) that egress
// offers, by the word a program writes; which OS each belongs to.
struct OsSku {
  std::string_view word;
  std::string_view api;
  PoolOs os;
};
constexpr OsSku kOsSkus[] = {
    {"ubuntu", "Ubuntu", PoolOs::linux},           {"ubuntu2204", "Ubuntu2204", PoolOs::linux},
    {"ubuntu2404", "Ubuntu2404", PoolOs::linux},   {"azure_linux", "AzureLinux", PoolOs::linux},
    {"azure_linux3", "AzureLinux3", PoolOs::linux}, {"windows2019", "Windows2019", PoolOs::windows},
    {"windows2022", "Windows2022", PoolOs::windows}, {"windows2025", "Windows2025", PoolOs::windows},
};

void pool_settings(Context& cx, Cluster& c, NodePool& p, const syntax::Statement& s) {
  std::map<std::string, Span, std::less<>> seen;
  Span sku_span;
  for (const auto& inner : s.block.statements) {
    const auto& head = inner.head.text;
    if (head != "zones") cx.no_block(inner);
    if (head != "label" && head != "taint" && !cx.first_setting(seen, inner)) continue;
    if (head == "mode") {
      Args a(cx, inner, "mode system|user");
      p.mode_span = inner.span;
      if (auto m = a.choice({"system", "user"}, "pool mode")) p.mode = static_cast<PoolMode>(*m);
      a.finish();
    } else if (head == "nodes") {
      if (seen.count("autoscale") != 0) {
        cx.diags.report(Code::E0108, inner.span, "a pool has either `nodes N` or `autoscale MIN MAX`, not both",
                        "keep one of the two lines");
        continue;
      }
      Args a(cx, inner, "nodes N");
      p.count_span = inner.span;
      // A number or an `int` parameter (its value in the env being built is what the checks see).
      if (auto n = count_value(cx, a, 0, facts::aks::kMaxNodesPerPool, "nodes", "the node count (AKS takes at most 1,000 per node pool)")) {
        p.node_count = n->value;
        p.node_count_param = n->param;
      }
      a.finish();
    } else if (head == "autoscale") {
      if (seen.count("nodes") != 0) {
        cx.diags.report(Code::E0108, inner.span, "a pool has either `nodes N` or `autoscale MIN MAX`, not both",
                        "keep one of the two lines");
        continue;
      }
      Args a(cx, inner, "autoscale MIN MAX   (the cluster autoscaler keeps the pool between MIN and MAX nodes)");
      p.count_span = inner.span;
      // Numbers or `int` parameters, like `nodes`: the checks (E0414, E0418) see the values of the env being built,
      // and the outputs keep the parameters (the pool's initial count is the minimum's).
      auto lo = count_value(cx, a, 0, facts::aks::kMaxNodesPerPool, "autoscale", "the autoscaler's minimum (0 to 1,000)");
      auto hi = count_value(cx, a, 0, facts::aks::kMaxNodesPerPool, "autoscale", "the autoscaler's maximum (0 to 1,000)");
      if (lo && hi) {
        p.autoscale = true;
        p.min_count = lo->value;
        p.max_count = hi->value;
        p.min_count_param = lo->param;
        p.max_count_param = hi->param;
        p.node_count = p.min_count;
        p.node_count_param = p.min_count_param;
      }
      a.finish();
    } else if (head == "vm_size") {
      Args a(cx, inner, "vm_size \"Standard_D4ds_v5\"");
      if (auto t = a.text("a VM size")) p.vm_size = *t;
      a.finish();
    } else if (head == "zones") {
      p.zones = parse_zones(cx, inner);
      p.zones_span = inner.span;
    } else if (head == "os") {
      Args a(cx, inner, "os linux|windows");
      p.os_span = inner.span;
      if (auto o = a.choice({"linux", "windows"}, "node OS")) p.os = static_cast<PoolOs>(*o);
      a.finish();
    } else if (head == "os_sku") {
      Args a(cx, inner, "os_sku ubuntu|ubuntu2204|ubuntu2404|azure_linux|azure_linux3|windows2019|windows2022|windows2025");
      sku_span = inner.span;
      if (auto k = a.choice({"ubuntu", "ubuntu2204", "ubuntu2404", "azure_linux", "azure_linux3", "windows2019",
                             "windows2022", "windows2025"},
                            "OS SKU"))
        p.os_sku = std::string(kOsSkus[*k].api);
      a.finish();
    } else if (head == "max_pods") {
      Args a(cx, inner, "max_pods N");
      if (auto n = a.number(facts::aks::kMinMaxPods, facts::aks::kMaxMaxPods, "max pods per node")) {
        p.max_pods = static_cast<int>(*n);
        p.max_pods_given = true;
      }
      a.finish();
    } else if (head == "label") {
      pool_label(cx, p, inner);
    } else if (head == "taint") {
      pool_taint(cx, p, inner);
    } else if (head == "subnet") {
      Args a(cx, inner, "subnet VNET.SUBNET");
      const Item* sub = a.peek();
      if (sub != nullptr && sub->kind == ItemKind::word) {
        a.next();
        p.subnet_span = sub->span;
        NodePool* pool = &p;
        cx.fixups.push_back([&cx, pool, name = sub->text, span = sub->span] {
          pool->subnet = cx.resolve_as<Subnet>(name, SymbolKind::subnet, span, "the node pool's subnet");
        });
      } else {
        a.fail(sub, "the pool's subnet, as VNET.SUBNET");
      }
      a.finish();
    } else {
      cx.unknown_statement(inner, "in a node pool",
                           {"mode", "nodes", "autoscale", "vm_size", "zones", "os", "os_sku", "max_pods", "label", "taint",
                            "subnet"});
    }
  }
  // An OS SKU implies its OS; one that contradicts `os` is an error (the API rejects osType Linux with a
  // Windows SKU and the reverse).
  if (!p.os_sku.empty()) {
    const auto* sku = std::find_if(std::begin(kOsSkus), std::end(kOsSkus), [&](const OsSku& k) { return k.api == p.os_sku; });
    if (p.os_span.length == 0) {
      p.os = sku->os;
    } else if (sku->os != p.os) {
      cx.diags.report(Code::E0106, sku_span,
                      fmt::format("OS SKU {} is not a {} SKU: AKS rejects the node pool", p.os_sku,
                                  p.os == PoolOs::windows ? "Windows" : "Linux"),
                      "pick a SKU of the pool's `os`, or drop `os` (the SKU implies it)");
    }
  }
  (void)c;
}

bool pool_name_ok(std::string_view name, std::size_t max) {
  if (name.empty() || name.size() > max || name.front() < 'a' || name.front() > 'z') return false;
  return std::all_of(name.begin(), name.end(), [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); });
}

}  // namespace

void declare_pool(Context& cx, Cluster& c, const syntax::Statement& s) {
  Args a(cx, s, "pool NAME < mode system|user; nodes N | autoscale MIN MAX; vm_size \"...\"; ... >");
  const Item* name_item = a.peek();
  auto name = a.name("the node pool's name");
  a.finish();
  if (!name) return;
  for (const auto& other : c.pools)
    if (other.name == *name) {
      auto& d = cx.diags.report(Code::E0103, name_item->span,
                                fmt::format("cluster `{}` already has a node pool `{}`", c.symbol, *name),
                                "give each pool of a cluster its own name");
      d.notes.push_back({other.name_span, "the first pool of that name"});
      return;
    }
  NodePool& p = c.pools.emplace_back();
  p.name = *name;
  p.name_span = name_item->span;
  p.span = s.span;
  c.explicit_pools = true;
  pool_settings(cx, c, p, s);
}

void finish_pools(Context& cx, Cluster& c) {
  if (!c.explicit_pools) {
    // The implicit pool: what `az aks create` makes when no pool is named, from the cluster's own settings.
    NodePool& p = c.pools.emplace_back();
    p.name = "nodepool1";
    p.implicit = true;
    p.mode = PoolMode::system;
    p.node_count = c.node_count;
    p.node_count_param = c.node_count_param;
    p.count_span = c.nodes_span;
    p.vm_size = c.vm_size;
    p.max_pods = c.max_pods;
    p.max_pods_given = c.max_pods_given;
    p.span = c.span;
    p.name_span = c.span;
    return;
  }
  // E0410: the cluster's own node settings describe only the implicit pool.
  for (const Span* at : {&c.nodes_span, &c.vm_size_span, &c.max_pods_span})
    if (at->length != 0)
      cx.diags.report(Code::E0410, *at,
                      fmt::format("cluster `{}` declares node pools, so this cluster-level setting would describe no "
                                  "pool: it sets only the implicit `nodepool1`, which pools replace",
                                  c.symbol),
                      "move the setting into each `pool` block");
  // E0418: pools and nodes per cluster.
  if (c.pools.size() > static_cast<std::size_t>(facts::aks::kMaxPoolsPerCluster))
    cx.diags.report(Code::E0418, c.pools[facts::aks::kMaxPoolsPerCluster].span,
                    fmt::format("cluster `{}` has {} node pools: AKS allows at most {} per cluster and rejects the rest",
                                c.symbol, c.pools.size(), facts::aks::kMaxPoolsPerCluster),
                    "merge pools of the same VM size and settings");
  if (c.total_nodes() > facts::aks::kMaxNodesPerCluster)
    cx.diags.report(Code::E0418, c.span,
                    fmt::format("cluster `{}`'s pools reach {} nodes (autoscaled pools at their maximum): AKS allows at "
                                "most {} per cluster, across all node pools, so scaling stops short",
                                c.symbol, c.total_nodes(), facts::aks::kMaxNodesPerCluster),
                    "lower the counts or autoscaler maximums, or split the workloads over two clusters");
  bool any_system = false;
  for (auto& p : c.pools) {
    if (!p.max_pods_given) p.max_pods = facts::aks::default_max_pods(c.plugin, c.overlay);
    const bool windows = p.os == PoolOs::windows;
    // E0411
    const std::size_t max = windows ? facts::aks::kMaxWindowsPoolName : facts::aks::kMaxLinuxPoolName;
    if (!pool_name_ok(p.name, max))
      cx.diags.report(Code::E0411, p.name_span,
                      fmt::format("`{}` is not a valid {} node pool name: AKS takes lowercase letters and digits, starting "
                                  "with a letter, at most {} characters, and rejects the pool",
                                  p.name, windows ? "Windows" : "Linux", max),
                      fmt::format("rename the pool, e.g. `{}`", windows ? "win1" : "user1"));
    if (p.mode == PoolMode::system) {
      any_system = true;
      // E0413
      if (windows)
        cx.diags.report(Code::E0413, p.os_span.length != 0 ? p.os_span : p.span,
                        fmt::format("node pool `{}` is a system pool running Windows: AKS runs system pools on Linux only "
                                    "and rejects the pool",
                                    p.name),
                        "make it `mode user`, and keep a Linux system pool");
    }
    // E0414: counts. A system pool keeps at least one node; the autoscaler's range must not be empty.
    if (p.autoscale && p.min_count > p.max_count)
      cx.diags.report(Code::E0414, p.count_span,
                      fmt::format("node pool `{}` autoscales from {} to {} nodes: the minimum is above the maximum, and "
                                  "AKS rejects the pool",
                                  p.name, p.min_count, p.max_count),
                      fmt::format("write `autoscale {} {}`", p.max_count, p.min_count));
    else if (p.mode == PoolMode::system && (p.autoscale ? p.min_count : p.node_count) == 0)
      cx.diags.report(Code::E0414, p.count_span.length != 0 ? p.count_span : p.span,
                      fmt::format("system node pool `{}` may drop to 0 nodes: AKS requires at least one node in a system "
                                  "pool (only user pools scale to zero) and rejects the pool",
                                  p.name),
                      p.autoscale ? "raise the minimum to 1 or more" : "give it 1 node or more");
    // E0415
    if (windows && c.plugin == NetworkPlugin::kubenet)
      cx.diags.report(Code::E0415, p.os_span.length != 0 ? p.os_span : p.span,
                      fmt::format("node pool `{}` runs Windows in cluster `{}`, which uses kubenet: \"Kubenet isn't "
                                  "supported for Windows Server containers\", so AKS rejects the pool",
                                  p.name, c.symbol),
                      "use `network_plugin azure` (or `azure overlay`) in the cluster");
  }
  // E0412
  if (!any_system)
    cx.diags.report(Code::E0412, c.pools.front().span,
                    fmt::format("cluster `{}` has no system node pool: every AKS cluster needs at least one, and AKS "
                                "rejects the cluster",
                                c.symbol),
                    "write `mode system` in one Linux pool");
}

}  // namespace egress::sema
