// The script's node-pool steps: the first system pool's options of `az aks create`, and `az aks nodepool add` for
// every other pool. Flags: the az aks create and az aks nodepool add references (learn.microsoft.com/cli/azure/aks,
// learn.microsoft.com/cli/azure/aks/nodepool), each checked against the validators' az 2.45 (tests/golden/node-pools):
// it accepts every flag written here; of `--os-sku` values it knows only Ubuntu, CBLMariner, Mariner, Windows2019 and
// Windows2022, so AzureLinux, AzureLinux3, Ubuntu2204, Ubuntu2404 and Windows2025 (current CLI values) are rejected
// by it (docs/reference.md says so).
#include "emit/azcli/emitter.hpp"

namespace egress::emit::bash {

namespace {

std::vector<Word> label_words(const ir::AgentPool& p) {
  std::vector<Word> out;
  for (const auto& [k, v] : p.labels) out.push_back(Word::lit(k + "=" + v));
  return out;
}

}  // namespace

// What the first (system) pool adds to `az aks create` beyond --node-count, --node-vm-size and --max-pods, which
// plan_cluster writes where it always did. The implicit pool adds nothing (the article's script is unchanged).
void Emitter::first_pool_options(const ir::AgentPool& p, Command& c) {
  if (p.implicit) return;
  c.opt("--nodepool-name", Word::lit(p.name));
  if (p.autoscale) {
    c.flag("--enable-cluster-autoscaler");
    count_opt(c, "--min-count", p.min_count);
    count_opt(c, "--max-count", p.max_count);
  }
  c.opts("--zones", literals(p.zones));
  if (!p.os_sku.empty()) c.opt("--os-sku", Word::lit(p.os_sku));
  c.opts("--nodepool-labels", label_words(p));
  // Taints: `az aks create --nodepool-taints` is newer than the validators' az 2.45 (it rejects the flag), so the
  // first pool's taints are set by `az aks nodepool update --node-taints` right after (plan_pools). "Node taints
  // can only be added, updated, or removed completely using the AKS API" ("Use node taints in an AKS cluster",
  // learn.microsoft.com/azure/aks/use-node-taints, "Node taint options", checked 2026-12-07).
}

namespace {

std::string taint_list(const ir::AgentPool& p) {
  std::string all;  // one comma-separated value, as `--node-taints` takes it
  for (const auto& t : p.taints) all += (all.empty() ? "" : ",") + t;
  return all;
}

}  // namespace

// `az aks nodepool add` for every pool but the first, in order, once the cluster exists. Each command names the
// group its resource lives in: the cluster's for the pools, the VNet's for a pool subnet's ID.
void Emitter::plan_pools(ir::Index i, const ir::ManagedCluster& mc) {
  std::string prev = key("create", i);
  if (const auto& first = mc.pools.front(); !first.taints.empty()) {
    Command u("az aks nodepool update");
    u.opt("--resource-group", rg(i)).opt("--cluster-name", name(i)).opt("--name", Word::lit(first.name));
    u.opt("--node-taints", Word::lit(taint_list(first)));
    add(msg("Tainting node pool " + first.name + " of AKS cluster ") + name(i), {u.render()}, {key("pool", i, 0), key("res", i)},
        {prev});
    prev = key("pool", i, 0);
  }
  for (std::size_t k = 1; k < mc.pools.size(); ++k) {
    const auto& p = mc.pools[k];
    std::vector<std::string> needs = {prev};
    const std::pair<ir::Index, std::size_t> sub{p.subnet.vnet, p.subnet.subnet};
    const bool own_subnet = sub != std::pair<ir::Index, std::size_t>{mc.subnet.vnet, mc.subnet.subnet};
    std::vector<std::string> lines;
    if (subnet_id_var_.count(sub) != 0) {
      const auto& var = subnet_id_var_.at(sub);
      if (own_subnet) {
        Command show("az network vnet subnet show");
        show.opt("--resource-group", rg(sub.first)).opt("--vnet-name", name(sub.first)).opt("--name", child(sub.first, sub.second));
        show.opt_fixed("--query", "id").opt_fixed("-o", "tsv");
        lines.push_back(show.render(var));
        lines.push_back(require(var, msg("the resource ID of subnet ") + child(sub.first, sub.second)));
        needs.push_back(key("subnet", sub.first, sub.second));
        needs.push_back(key("associate", sub.first, sub.second));
      } else {
        needs.push_back(key("subnet_id", i));
      }
    }
    Command c("az aks nodepool add");
    c.opt("--resource-group", rg(i)).opt("--cluster-name", name(i)).opt("--name", Word::lit(p.name));
    c.opt("--mode", Word::lit(p.mode));
    if (p.autoscale) {
      c.flag("--enable-cluster-autoscaler");
      count_opt(c, "--min-count", p.min_count);
      count_opt(c, "--max-count", p.max_count);
    } else {
      count_opt(c, "--node-count", p.count);
    }
    if (!p.vm_size.value.empty()) c.opt("--node-vm-size", text(p.vm_size));
    c.opt_fixed("--max-pods", std::to_string(p.max_pods));
    if (p.os_type != "Linux") c.opt("--os-type", Word::lit(p.os_type));
    if (!p.os_sku.empty()) c.opt("--os-sku", Word::lit(p.os_sku));
    c.opts("--zones", literals(p.zones));
    c.opts("--labels", label_words(p));
    if (!p.taints.empty()) c.opt("--node-taints", Word::lit(taint_list(p)));
    if (subnet_id_var_.count(sub) != 0) c.opt("--vnet-subnet-id", Word::var(subnet_id_var_.at(sub)));
    lines.push_back(c.render());
    std::string done = key("pool", i, k);
    add(msg("Adding node pool " + p.name + " to AKS cluster ") + name(i), std::move(lines), {done, key("res", i)},
        needs);
    prev = done;
  }
}

}  // namespace egress::emit::bash
