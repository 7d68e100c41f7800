// The script's steps for identities, AKS clusters, their credentials and the apps applied to them.
#include "emit/azcli/emitter.hpp"

#include <algorithm>
#include <optional>

#include "emit/k8s/labels.hpp"

namespace egress::emit::bash {

void Emitter::plan_identity(ir::Index i, const ir::Resource& r) {
  const auto& var = identity_var_.at(i);
  Command c("az identity create");
  c.opt("--resource-group", rg(i)).opt("--name", name(i)).opt("--location", location(i));
  c.opt_fixed("--query", "id").opt_fixed("-o", "tsv");
  add(msg("Creating managed identity ") + name(i),
      {c.render(var), require(var, msg("the resource ID of identity ") + name(i))},
      {key("create", i), key("res", i)}, base_needs(r));
}

void Emitter::plan_cluster(ir::Index i, const ir::Resource& r) {
  const auto& mc = r.as<ir::ManagedCluster>();
  std::pair<ir::Index, std::size_t> sub{mc.subnet.vnet, mc.subnet.subnet};
  auto needs = base_needs(r);
  for (auto dep : r.depends_on) needs.push_back(key("res", dep));  // every step: routes, rules, associations
  if (subnet_id_var_.count(sub) != 0) {
    const auto& var = subnet_id_var_.at(sub);
    Command show("az network vnet subnet show");
    show.opt("--resource-group", rg(sub.first)).opt("--vnet-name", name(sub.first)).opt("--name", child(sub.first, sub.second));
    show.opt_fixed("--query", "id").opt_fixed("-o", "tsv");
    add(msg("Reading the resource ID of subnet ") + child(sub.first, sub.second),
        {show.render(var), require(var, msg("the resource ID of subnet ") + child(sub.first, sub.second))},
        {key("subnet_id", i)},
        {key("subnet", sub.first, sub.second), key("associate", sub.first, sub.second)});
    needs.push_back(key("subnet_id", i));
  }
  // API Server VNet Integration: the delegated subnet's ID, read once the subnet (and its delegation) exists.
  std::optional<std::pair<ir::Index, std::size_t>> api_sub;
  if (mc.api_server_subnet) {
    api_sub = std::pair<ir::Index, std::size_t>{mc.api_server_subnet->vnet, mc.api_server_subnet->subnet};
    if (subnet_id_var_.count(*api_sub) != 0 && *api_sub != sub) {
      const auto& var = subnet_id_var_.at(*api_sub);
      Command show("az network vnet subnet show");
      show.opt("--resource-group", rg(api_sub->first)).opt("--vnet-name", name(api_sub->first)).opt("--name", child(api_sub->first, api_sub->second));
      show.opt_fixed("--query", "id").opt_fixed("-o", "tsv");
      std::vector<std::string> after = {key("subnet", api_sub->first, api_sub->second)};
      if (api_sub->second == 0) after.push_back(key("delegate", api_sub->first, 0));
      add(msg("Reading the resource ID of subnet ") + child(api_sub->first, api_sub->second),
          {show.render(var), require(var, msg("the resource ID of subnet ") + child(api_sub->first, api_sub->second))},
          {key("api_subnet_id", i)}, after);
      needs.push_back(key("api_subnet_id", i));
    }
  }
  Command c("az aks create");
  c.opt("--resource-group", rg(i)).opt("--name", name(i)).opt("--location", location(i));
  const ir::AgentPool& first = mc.pools.front();
  if (!first.autoscale) {
    if (first.count.param.empty()) c.opt_fixed("--node-count", std::to_string(first.count.value));
    else c.opt("--node-count", count(first.count));
  }
  if (!mc.network_plugin.empty()) c.opt("--network-plugin", Word::lit(mc.network_plugin));
  if (!mc.network_plugin_mode.empty()) c.opt("--network-plugin-mode", Word::lit(mc.network_plugin_mode));
  if (!mc.outbound_type.empty()) c.opt("--outbound-type", Word::lit(mc.outbound_type));
  if (subnet_id_var_.count(sub) != 0) c.opt("--vnet-subnet-id", Word::var(subnet_id_var_.at(sub)));
  if (!mc.authorized_ranges.empty()) {
    Word ranges;
    for (std::size_t k = 0; k < mc.authorized_ranges.size(); ++k) {
      if (k > 0) ranges.append_lit(",");
      ranges += address(mc.authorized_ranges[k]);
      address_needs(mc.authorized_ranges[k], needs);
    }
    c.opt("--api-server-authorized-ip-ranges", ranges);
  }
  if (mc.private_cluster) c.flag("--enable-private-cluster");
  // The flags of the current CLI reference (az aks create). The validators' az 2.45 predates them and rejects
  // them; ARM and Bicep set the same properties.
  if (api_sub && subnet_id_var_.count(*api_sub) != 0)
    c.flag("--enable-apiserver-vnet-integration").opt("--apiserver-subnet-id", Word::var(subnet_id_var_.at(*api_sub)));
  if (mc.control_plane_identity && identity_var_.count(*mc.control_plane_identity) != 0) {
    c.opt("--assign-identity", Word::var(identity_var_.at(*mc.control_plane_identity)));
    needs.push_back(key("create", *mc.control_plane_identity));
  }
  if (mc.kubelet_identity && identity_var_.count(*mc.kubelet_identity) != 0) {
    c.opt("--assign-kubelet-identity", Word::var(identity_var_.at(*mc.kubelet_identity)));
    needs.push_back(key("create", *mc.kubelet_identity));
  }
  if (!first.vm_size.value.empty()) c.opt("--node-vm-size", text(first.vm_size));
  if (first.max_pods > 0) c.opt_fixed("--max-pods", std::to_string(first.max_pods));
  first_pool_options(first, c);
  if (!mc.service_cidr.empty()) c.opt("--service-cidr", Word::lit(mc.service_cidr));
  if (!mc.dns_service_ip.empty()) c.opt("--dns-service-ip", Word::lit(mc.dns_service_ip));
  if (!mc.pod_cidr.empty()) c.opt("--pod-cidr", Word::lit(mc.pod_cidr));
  if (!mc.kubernetes_version.value.empty()) c.opt("--kubernetes-version", text(mc.kubernetes_version));
  // Azure derives the DNS prefix from the cluster's name; pass it only when the program chose another.
  if (!mc.dns_prefix.value.empty() && mc.dns_prefix.value != r.name.value) c.opt("--dns-name-prefix", text(mc.dns_prefix));
  if (mc.monitoring || mc.keyvault_secrets || mc.azure_policy) {
    std::string addons;
    if (mc.monitoring) addons += "monitoring";
    if (mc.keyvault_secrets) addons += std::string(addons.empty() ? "" : ",") + "azure-keyvault-secrets-provider";
    if (mc.azure_policy) addons += std::string(addons.empty() ? "" : ",") + "azure-policy";
    c.opt("--enable-addons", Word::lit(addons));
    if (mc.monitoring) c.opt("--workspace-resource-id", text(mc.monitoring_workspace));
  }
  // Without `ssh generate` the templates set no SSH key, and so must the script: az before the change of
  // Azure/azure-cli#32254 (merged 2025-11-07; the validators' az 2.45 among them) otherwise reads
  // ~/.ssh/id_rsa.pub and fails where there is none ("An RSA key file or key value must be supplied").
  // `--no-ssh-key` is what current az does when no SSH option is given, and az 2.45 accepts it.
  if (mc.generate_ssh_keys) c.flag("--generate-ssh-keys");
  else c.flag("--no-ssh-key");
  std::vector<std::string> lines, after;
  cluster_features(i, mc, c, lines, after);
  lines.push_back(c.render());
  lines.insert(lines.end(), after.begin(), after.end());
  add(msg("Creating AKS cluster ") + name(i) + msg(" (this takes several minutes)"), std::move(lines),
      {key("create", i), key("res", i)}, needs);
  plan_pools(i, mc);
  bool has_apps = std::any_of(d_.apps.begin(), d_.apps.end(), [i](const ir::KubeApp& a) { return a.cluster == i; });
  if (!has_apps) add_credentials(i, key("create", i));
}

std::string Emitter::add_credentials(ir::Index cluster, std::string after) {
  Command c("az aks get-credentials");
  c.opt("--resource-group", rg(cluster)).opt("--name", name(cluster)).flag("--overwrite-existing");
  std::string k = key("credentials", cluster, steps_.size());
  add(msg("Fetching credentials for cluster ") + name(cluster), {c.render()}, {k},
      {key("create", cluster), std::move(after)});
  return k;
}

// After the clusters: for each cluster that runs apps, its credentials, then its apps. Every object of the
// YAML file carries its app's label, so with several apps each `kubectl apply` selects its own.
void Emitter::plan_apps() {
  if (d_.apps.empty()) return;
  auto labels = kube::app_label_values(d_);
  std::string prev = "group";
  for (ir::Index ci = 0; ci < d_.resources.size(); ++ci) {
    if (d_.resources[ci].kind != ir::Kind::managed_cluster) continue;
    bool first = true;
    for (std::size_t a = 0; a < d_.apps.size(); ++a) {
      const auto& app = d_.apps[a];
      if (app.cluster != ci) continue;
      if (first) prev = add_credentials(ci, prev);
      first = false;
      Command k("kubectl apply");
      k.opt("-f", Word::var("SCRIPT_DIR") + Word::lit("/" + k8s_manifest_name(d_, o_, ci)));
      if (d_.apps.size() > 1) k.opt("--selector", Word::lit(std::string(kube::kPartOfLabel) + "=" + labels[a]));
      std::string kk = key("apply", a);
      add(msg("Deploying app " + app.symbol + " to cluster ") + name(ci), {k.render()}, {kk, "apply"}, {prev});
      prev = kk;
    }
  }
}

}  // namespace egress::emit::bash
