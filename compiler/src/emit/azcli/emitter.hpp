// The az CLI emitter's state and steps (azcli.cpp explains the script it makes). The planning of each
// resource kind is in plan_network.cpp, plan_firewall.cpp and plan_cluster.cpp.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "emit/azcli/command.hpp"
#include "emit/azcli/names.hpp"
#include "emit/emit.hpp"
#include "emit/shell_quote.hpp"
#include "lower/ir.hpp"

namespace egress::emit::bash {

using sh::Word;

struct Step {
  Word message;                       // the progress message
  std::vector<std::string> lines;     // bash text
  std::vector<std::string> keys;      // names other steps depend on
  std::vector<std::string> needs;     // keys this step depends on
};

class Emitter {
 public:
  /// `bulk_threshold`: rule sets of more rules than this are deployed from a template (plan_bulk.cpp).
  Emitter(const ir::Deployment& d, const EmitOptions& o, std::size_t bulk_threshold)
      : d_(d), o_(o), bulk_threshold_(bulk_threshold) {}

  AzOutputs run() {
    name_variables();
    plan();
    AzOutputs out;
    out.script = render();
    out.templates = std::move(templates_);
    return out;
  }

 private:
  const ir::Deployment& d_;
  const EmitOptions& o_;
  const std::size_t bulk_threshold_;
  Names names_;
  std::vector<BulkTemplate> templates_;  // the templates the script deploys (plan_bulk.cpp)
  std::set<ir::Index> deployed_whole_;  // firewalls deployed from a template, their DNAT rules included
  std::set<std::string> template_stems_;  // the symbols' parts of the templates' names, unique

  std::map<std::string, std::string> param_var_;      // param name -> variable
  std::string group_var_;
  std::vector<std::string> group_vars_;               // several groups: one variable per group
  std::map<ir::Index, std::string> id_var_;           // several groups: a resource's ID read for another group
  std::vector<std::string> name_var_;                 // per resource
  std::map<std::pair<ir::Index, std::size_t>, std::string> child_var_;   // subnets, routes, ip configs
  std::map<std::pair<ir::Index, std::size_t>, std::string> subnet_id_var_;
  std::map<ir::Index, std::string> address_var_;      // public IP -> its captured address
  std::map<ir::Index, std::string> private_ip_var_;   // firewall -> its captured private IP
  std::map<ir::Index, std::string> identity_var_;     // identity -> its captured resource ID
  std::map<ir::Index, std::string> ip_group_var_;     // IP group -> its captured resource ID
  std::vector<std::pair<std::string, Word>> assignments_;  // name variables, in order
  std::vector<Step> steps_;

  // ---- Words

  /// A count: its parameter's variable, or the number (emitter.hpp, ir::Count).
  Word count(const ir::Count& c) const {
    if (auto it = param_var_.find(c.param); !c.param.empty() && it != param_var_.end()) return Word::var(it->second);
    return Word::lit(std::to_string(c.value));
  }
  /// `FLAG N` for a number (written bare, as it always was), `FLAG "$PARAM"` for an int parameter.
  void count_opt(Command& c, std::string flag, const ir::Count& n) const {
    if (n.param.empty()) c.opt_fixed(std::move(flag), std::to_string(n.value));
    else c.opt(std::move(flag), count(n));
  }
  Word text(const ir::Text& t) const {
    Word w;
    if (t.parts.empty()) return w.append_lit(t.value);  // ir::Address::plain()
    for (const auto& p : t.parts) {
      if (!p.param) {
        w.append_lit(p.text);
        continue;
      }
      auto it = param_var_.find(p.text);
      if (it == param_var_.end()) return Word::lit(t.value);  // not a declared parameter: use its value
      w.append_var(it->second);
    }
    return w;
  }

  Word address(const ir::Address& a) const {
    if (a.kind == ir::Address::Kind::literal) return text(a.literal);
    auto it = address_var_.find(a.public_ip);
    Word w = it == address_var_.end() ? Word::lit("") : Word::var(it->second);
    if (a.prefix >= 0) w.append_lit("/" + std::to_string(a.prefix));
    return w;
  }

  std::vector<Word> addresses(const std::vector<ir::Address>& as) const {
    std::vector<Word> out;
    for (const auto& a : as) out.push_back(address(a));
    return out;
  }

  static std::vector<Word> literals(const std::vector<std::string>& ss) {
    std::vector<Word> out;
    for (const auto& s : ss) out.push_back(Word::lit(s));
    return out;
  }

  static void address_needs(const ir::Address& a, std::vector<std::string>& needs) {
    if (a.kind == ir::Address::Kind::public_ip) needs.push_back(key("pip.address", a.public_ip));
  }

  static std::string key(const char* what, ir::Index i) { return std::string(what) + ":" + std::to_string(i); }
  static std::string key(const char* what, ir::Index i, std::size_t j) { return key(what, i) + ":" + std::to_string(j); }

  Word rg() const { return Word::var(group_var_); }
  Word location() const { return text(d_.location); }
  // The resource group and location of resource i (the main group's when there is one group).
  Word rg(ir::Index i) const {
    return d_.several_groups() ? Word::var(group_vars_[d_.resources[i].group]) : rg();
  }
  Word location(ir::Index i) const { return text(d_.location_of(d_.resources[i])); }
  // How a command about resource `from` names resource `target`: by name in its own group, else by the resource
  // ID read from the other group (a step added once per target; `needs` gets its key). azcli.cpp.
  Word ref(ir::Index from, ir::Index target, std::vector<std::string>& needs);
  Word name(ir::Index r) const { return Word::var(name_var_[r]); }
  Word child(ir::Index r, std::size_t j) const { return Word::var(child_var_.at({r, j})); }

  static Word msg(const std::string& s) { return Word::lit(s); }

  // ---- Naming (azcli.cpp)

  bool referenced_public_ip(ir::Index pip) const;
  // The firewall whose private IP a route's next hop names, if any: the script then uses the address Azure
  // reports, as the article does, instead of the one the compiler derived.
  std::optional<ir::Index> firewall_with_private_ip(const std::string& ip) const;
  void name_variables();

  // ---- Planning

  void add(Word message, std::vector<std::string> lines, std::vector<std::string> keys, std::vector<std::string> needs) {
    steps_.push_back({std::move(message), std::move(lines), std::move(keys), std::move(needs)});
  }

  // The line that stops the script when a value read back into `var` is empty.
  static std::string require(const std::string& var, const Word& what);
  // Needs of a resource's first step: the group, and the first step of each resource it depends on.
  std::vector<std::string> base_needs(const ir::Resource& r) const;
  void plan();
  // plan_network.cpp
  void plan_public_ip(ir::Index i, const ir::Resource& r);
  void plan_nat_gateway(ir::Index i, const ir::Resource& r);
  // `az network ip-group` left the core CLI for an extension of its own (CLI 2.50 and later), so the script
  // creates the group as a generic resource, which every CLI version knows, with the templates' api-version
  // and body. Classic rules take IP groups by resource ID (the extension resolves no names there): read it.
  void plan_ip_group(ir::Index i, const ir::Resource& r);
  void plan_route_table(ir::Index i, const ir::Resource& r);
  void plan_vnet(ir::Index i, const ir::Resource& r);
  // One direction of a peering; `peer` in the source gives two, each with its side's settings.
  void plan_peering(ir::Index i, const ir::Resource& r);
  // plan_firewall.cpp
  void plan_firewall(ir::Index i, const ir::Resource& r);
  /// The ID of `subnet` when its VNet lives in another group than firewall `fw` (`--subnet` of ip-config create).
  std::optional<Word> subnet_in_other_group(ir::Index fw, const ir::SubnetRef& subnet, std::vector<std::string>& needs);
  // The firewall's private IP as Azure reports it, for the routes that name the firewall (after step `prev`).
  void read_private_ip(ir::Index i, std::string& prev);
  void plan_policy(ir::Index i, const ir::Resource& r);
  // IDPS bypass rules and private ranges, with the policy's generic update after `after` (plan_firewall.cpp).
  void plan_idps_configuration(ir::Index i, const ir::FirewallPolicy& p, const std::string& after);
  // A rule collection group, then its collections rule by rule; the next group of the policy waits for all
  // of it (the IR's dependency on the previous group).
  void plan_rule_collection_group(ir::Index i, const ir::Resource& r);
  // HTTP headers to insert, set on the finished group as a generic resource; `prev` is the group's last step.
  void plan_http_headers(ir::Index i, const ir::RuleCollectionGroup& g, std::string& prev);
  // A JSON string (quotes included) of `t`, with its parameters as variables.
  Word json_text(const ir::Text& t) const;
  std::vector<Word> ip_groups(const std::vector<ir::Index>& groups, std::vector<std::string>& needs) const;
  // Last, as in the article: DNAT rules that publish the apps' internal load balancers on the firewall.
  void plan_nat_rules();
  // plan_bulk.cpp: a firewall with more classic rules than the threshold, or a rule collection group with more
  // rules, is created whole by one `az deployment group create` of a template beside the script.
  static std::size_t rule_count(const ir::Resource& r);
  bool deploy_whole(const ir::Resource& r) const { return rule_count(r) > bulk_threshold_; }
  void plan_template(ir::Index i, const ir::Resource& r);
  // plan_cluster.cpp
  void plan_identity(ir::Index i, const ir::Resource& r);
  void plan_cluster(ir::Index i, const ir::Resource& r);
  void first_pool_options(const ir::AgentPool& p, Command& c);  // plan_pools.cpp
  void plan_pools(ir::Index i, const ir::ManagedCluster& mc);
  std::string add_credentials(ir::Index cluster, std::string after);
  // plan_cluster_features.cpp: the `az aks create` options of the features of sema/cluster_features.cpp
  // (Microsoft Defender), and the lines its step runs before and after the command.
  void cluster_features(ir::Index i, const ir::ManagedCluster& mc, Command& c, std::vector<std::string>& before,
                        std::vector<std::string>& after);
  bool uses_json_string_ = false;  // the script needs its json_string function (render())
  // After the clusters: for each cluster that runs apps, its credentials, then its apps. Every object of the
  // YAML file carries its app's label, so with several apps each `kubectl apply` selects its own.
  void plan_apps();

  // ---- Ordering and text (azcli.cpp)

  // A topological order of the steps; among the steps that are ready, the earliest planned goes first.
  std::vector<std::size_t> order() const;
  std::string render() const;
  static std::string sanitize_comment(const std::string& s);
  // `NAME="${NAME:-default}"` when the default needs no escaping inside `${...}`; otherwise an `if` that
  // assigns the single-quoted default, since quotes inside `${...:-...}` are parsed differently by shells.
  std::string param_line(const ir::Param& p) const;
};

}  // namespace egress::emit::bash
