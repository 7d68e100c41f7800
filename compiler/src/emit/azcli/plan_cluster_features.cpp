// The `az aks create` options of the cluster features that are not add-ons (sema/cluster_features.cpp), apart
// from the cluster's core options (plan_cluster.cpp).
#include "emit/azcli/emitter.hpp"

namespace egress::emit::bash {

void Emitter::cluster_features(ir::Index i, const ir::ManagedCluster& mc, Command& c, std::vector<std::string>& before,
                               std::vector<std::string>& after) {
  if (!mc.defender) return;
  // Microsoft Defender: `--enable-defender` alone would make az pick (or create) a default Log Analytics
  // workspace, so the workspace the templates name goes in the file `--defender-config` reads, as JSON. The
  // value may come from the environment (a parameter), so it is escaped when the script runs (json_string).
  std::string sym = short_stem(d_.resources[i].symbol, 32);
  if (sym.empty()) sym = "RESOURCE" + std::to_string(i + 1);
  const auto workspace = names_.claim(sym + "_DEFENDER_WORKSPACE");
  const auto file = names_.claim(sym + "_DEFENDER_CONFIG");
  uses_json_string_ = true;
  before.push_back(workspace + "=\"$(json_string " + text(mc.defender_workspace).render() + " " +
                   (msg("the Microsoft Defender workspace of cluster ") + name(i)).render() + ")\"");
  before.push_back(file + "=\"$(mktemp)\"");
  before.push_back("printf '{\"logAnalyticsWorkspaceResourceId\": %s, \"securityMonitoring\": {\"enabled\": true}}\\n' \\");
  before.push_back("  \"$" + workspace + "\" >\"$" + file + "\"");
  c.flag("--enable-defender").opt("--defender-config", Word::var(file));
  after.push_back("rm -f \"$" + file + "\"");
}

}  // namespace egress::emit::bash
