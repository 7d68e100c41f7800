// Large rule sets in the script: a firewall with more classic rules than the threshold, or a rule collection group
// with more rules, is created whole by one `az deployment group create` of a template written beside the script,
// "<stem>.az.<symbol>.json", instead of one az command per rule.
//
// Why: every per-rule command (`az network firewall network-rule create`, `... collection rule add`) reads the
// whole firewall or rule collection group and writes it back, and waits for Azure to apply it: N rules are N full
// updates, one after another (100,000 rules: days). The template holds the resource exactly as the ARM template
// writes it (emit::arm_resource_template(), the ARM emitter's own walk of resource_properties.hpp), so the two
// cannot disagree, and ARM resolves what the script would read back: public IP addresses (reference()), IP group
// and subnet IDs (resourceId()). A template deployment is a PUT of the whole resource: redeploying a resource in
// incremental mode reapplies all its properties, and any property the template leaves out is reset ("Azure
// Resource Manager deployment modes", section "Incremental mode",
// https://learn.microsoft.com/azure/azure-resource-manager/templates/deployment-modes, checked 2026-12-07). So a
// firewall is deployed whole from the start (IP configurations, SKU, policy link, DNAT rules: everything the ARM
// template gives it), never patched by a template after `az network firewall create`. One resource per template:
// ARM limits a template to 4 MB and a resource definition to 1 MB ("ARM template best practices", section
// "Template limits", https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices, checked
// 2026-12-07); Azure Firewall limits a rule collection group to 2 MB ("Azure Firewall Policy rule sets", section
// "Rule collection groups", https://learn.microsoft.com/azure/firewall/policy-rule-sets, checked 2026-12-07), so
// one group per deployment is as few calls as Azure takes.
#include "emit/rule_count.hpp"
#include "emit/azcli/emitter.hpp"

#include "egress/compiler.hpp"

namespace egress::emit::bash {

namespace {

// The part of a template's file name and deployment name that comes from the resource's symbol: letters, digits,
// '_' and '-' (any other byte becomes '-'), at most 48 characters. Deployment names take 1 to 64 alphanumerics,
// underscores, parentheses, hyphens and periods ("Naming rules and restrictions for Azure resources",
// Microsoft.Resources, deployments, https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules,
// checked 2026-12-07): "egress-" and a "-N" to keep two symbols apart stay within them.
std::string file_stem(const std::string& symbol) {
  std::string out;
  for (char c : symbol) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    out += ok ? c : '-';
    if (out.size() == 48) break;
  }
  return out.empty() ? "resource" : out;
}

}  // namespace

std::size_t Emitter::rule_count(const ir::Resource& r) { return emit::rule_count(r); }

void Emitter::plan_template(ir::Index i, const ir::Resource& r) {
  std::string stem = file_stem(r.symbol);
  for (int n = 2; !template_stems_.insert(stem).second; ++n) stem = file_stem(r.symbol) + "-" + std::to_string(n);
  const std::string file = o_.stem + ".az." + stem + ".json";
  templates_.push_back({file, i});  // written by arm_resource_template(), as the ARM emitter walks the resource

  Command c("az deployment group create");
  c.opt("--resource-group", rg(i)).opt("--name", Word::lit("egress-" + stem));
  c.opt("--template-file", Word::var("SCRIPT_DIR") + Word::lit("/" + file));
  // Every parameter of the program, as the template declares them all: the script's values, defaults or the
  // user's, reach ARM as they reach every other command (`NAME=value`; az converts ints and bools by the template).
  std::vector<Word> params;
  for (const auto& p : d_.params) params.push_back(Word::lit(p.name + "=") + Word::var(param_var_.at(p.name)));
  c.opts("--parameters", params);

  // What the resource needs: the creation of whatever the IR says it depends on (IP groups, public IPs, VNets,
  // the policy), as the per-rule commands wait for them; below, what else each kind waits for.
  auto needs = base_needs(r);
  std::vector<std::string> keys = {key("create", i), key("res", i)};
  const std::size_t rules = rule_count(r);
  Word message;
  if (r.kind == ir::Kind::firewall) {
    const auto& fw = r.as<ir::Firewall>();
    auto configuration = [&](const ir::IpConfiguration& cfg) {
      if (cfg.subnet) needs.push_back(key("subnet", cfg.subnet->vnet, cfg.subnet->subnet));
      keys.push_back(key("pip.attached", cfg.public_ip));  // a dynamic address is read once it is attached
    };
    for (const auto& cfg : fw.ip_configurations) configuration(cfg);
    if (fw.management) configuration(*fw.management);
    if (fw.policy)  // the policy with every rule of its groups, as plan_firewall() waits for them
      for (auto dep : r.depends_on)
        if (d_.resources[dep].kind == ir::Kind::rule_collection_group) needs.push_back(key("res", dep));
    deployed_whole_.insert(i);
    message = msg("Deploying firewall ") + name(i) + msg(" with its " + std::to_string(rules) + " rules from " + file +
                                                         " (this takes a few minutes)");
  } else {
    const auto& g = r.as<ir::RuleCollectionGroup>();
    for (auto dep : r.depends_on) needs.push_back(key("res", dep));  // the previous group with all its rules
    message = msg("Deploying rule collection group ") + name(i) + msg(" of firewall policy ") + name(g.policy) +
              msg(" with its " + std::to_string(rules) + " rules from " + file);
  }
  add(std::move(message), {c.render()}, std::move(keys), std::move(needs));
  if (r.kind == ir::Kind::firewall) {
    std::string prev = key("create", i);
    read_private_ip(i, prev);
  }
}

}  // namespace egress::emit::bash
