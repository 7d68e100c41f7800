// The az CLI emitter: a bash script that does what the article does, step by step, for any IR.
//
// Each IR resource becomes one or more steps (create, child objects, reading back a value Azure assigns,
// associating a route table). Every step names the steps it needs by key; the script is a topological
// order of the steps that prefers the order they were planned in, which follows the article:
// group, network, public IP, firewall, its IPs, routes, rules, association, cluster, app, DNAT last.
// Every value from the IR reaches bash as a quoted sh::Word, so nothing in a name can run as code.
#include "emit/azcli/emitter.hpp"

#include <algorithm>
#include <functional>
#include <queue>
#include <set>

#include "base/work_count.hpp"
#include "egress/compiler.hpp"
#include "emit/api_versions.hpp"
#include "emit/k8s/labels.hpp"

namespace egress::emit::bash {

bool Emitter::referenced_public_ip(ir::Index pip) const {
  auto uses = [pip](const ir::Address& a) { return a.kind == ir::Address::Kind::public_ip && a.public_ip == pip; };
  auto any = [&](const std::vector<ir::Address>& as) { return std::any_of(as.begin(), as.end(), uses); };
  for (const auto& r : d_.resources) {
    if (r.kind == ir::Kind::route_table) {
      for (const auto& rt : r.as<ir::RouteTable>().routes)
        if (uses(rt.prefix)) return true;
    } else if (r.kind == ir::Kind::firewall) {
      const auto& fw = r.as<ir::Firewall>();
      for (const auto& c : fw.network_collections)
        for (const auto& rule : c.rules)
          if (any(rule.sources) || any(rule.destination_addresses)) return true;
      for (const auto& c : fw.application_collections)
        for (const auto& rule : c.rules)
          if (any(rule.sources)) return true;
      for (const auto& c : fw.nat_collections)
        for (const auto& rule : c.rules)
          if (any(rule.sources) || uses(rule.destination)) return true;
    } else if (r.kind == ir::Kind::rule_collection_group) {
      for (const auto& c : r.as<ir::RuleCollectionGroup>().collections) {
        for (const auto& rule : c.network.rules)
          if (any(rule.sources) || any(rule.destination_addresses)) return true;
        for (const auto& rule : c.application.rules)
          if (any(rule.sources)) return true;
        for (const auto& rule : c.nat.rules)
          if (any(rule.sources) || uses(rule.destination)) return true;
      }
    } else if (r.kind == ir::Kind::firewall_policy) {
      for (const auto& b : r.as<ir::FirewallPolicy>().idps_bypass)
        if (any(b.sources) || any(b.destinations)) return true;
    } else if (r.kind == ir::Kind::managed_cluster) {
      if (any(r.as<ir::ManagedCluster>().authorized_ranges)) return true;
    }
  }
  return false;
}

// The firewall whose private IP a route's next hop names, if any: the script then uses the address Azure
// reports, as the article does, instead of the one the compiler derived.
std::optional<ir::Index> Emitter::firewall_with_private_ip(const std::string& ip) const {
  if (ip.empty()) return std::nullopt;
  for (ir::Index i = 0; i < d_.resources.size(); ++i) {
    const auto& r = d_.resources[i];
    if (r.kind == ir::Kind::firewall && r.as<ir::Firewall>().private_ip == ip) return i;
  }
  return std::nullopt;
}

void Emitter::name_variables() {
  for (const auto& p : d_.params) param_var_[p.name] = names_.claim(short_stem(p.name, 32));
  if (d_.several_groups()) {  // a variable per group; group_var_ is the main group's
    for (const auto& g : d_.groups) {
      group_vars_.push_back(names_.claim(short_stem(g.symbol, 32).empty() ? "RG" : short_stem(g.symbol, 32)));
      assignments_.emplace_back(group_vars_.back(), text(g.name));
      if (g.symbol == d_.group_symbol) group_var_ = group_vars_.back();
    }
  } else {
    group_var_ = names_.claim(short_stem(d_.group_symbol, 32).empty() ? "RG" : short_stem(d_.group_symbol, 32));
    assignments_.emplace_back(group_var_, text(d_.group_name));
  }
  for (ir::Index i = 0; i < d_.resources.size(); ++i) {
    const auto& r = d_.resources[i];
    std::string sym = short_stem(r.symbol, 32);
    if (sym.empty()) sym = "RESOURCE" + std::to_string(i + 1);
    if (r.kind == ir::Kind::role_assignment) {  // no step in the script (see plan()), so no name
      name_var_.emplace_back();
      continue;
    }
    name_var_.push_back(names_.claim(sym + "_NAME"));
    assignments_.emplace_back(name_var_.back(), text(r.name));
    auto add_child = [&](std::size_t j, const ir::Text& n, const char* fallback) {
      auto v = names_.claim(sym + "_" + stem_of(n, fallback + std::to_string(j + 1)) + "_NAME");
      child_var_[{i, j}] = v;
      assignments_.emplace_back(v, text(n));
    };
    switch (r.kind) {
      case ir::Kind::virtual_network: {
        const auto& subnets = r.as<ir::VirtualNetwork>().subnets;
        for (std::size_t j = 0; j < subnets.size(); ++j) add_child(j, subnets[j].name, "SUBNET");
        break;
      }
      case ir::Kind::route_table: {
        const auto& routes = r.as<ir::RouteTable>().routes;
        for (std::size_t j = 0; j < routes.size(); ++j) add_child(j, routes[j].name, "ROUTE");
        break;
      }
      case ir::Kind::firewall: {
        if (deploy_whole(r)) break;  // its template names the IP configurations (plan_bulk.cpp): no variables
        const auto& fw = r.as<ir::Firewall>();
        const auto& configs = fw.ip_configurations;
        for (std::size_t j = 0; j < configs.size(); ++j) add_child(j, configs[j].name, "IPCONFIG");
        // The management IP configuration is the child after the data ones (plan_firewall.cpp).
        if (fw.management) add_child(configs.size(), fw.management->name, "MGMTCONFIG");
        break;
      }
      default:
        break;
    }
  }
  // Values read back from Azure while the script runs.
  for (ir::Index i = 0; i < d_.resources.size(); ++i) {
    const auto& r = d_.resources[i];
    std::string sym = short_stem(r.symbol, 32);
    if (sym.empty()) sym = "RESOURCE" + std::to_string(i + 1);
    if (r.kind == ir::Kind::public_ip && referenced_public_ip(i)) address_var_[i] = names_.claim(sym + "_ADDRESS");
    if (r.kind == ir::Kind::identity) identity_var_[i] = names_.claim(sym + "_ID");
    if (r.kind == ir::Kind::ip_group) ip_group_var_[i] = names_.claim(sym + "_ID");
    if (r.kind == ir::Kind::route_table) {
      for (const auto& rt : r.as<ir::RouteTable>().routes) {
        auto fw = rt.next_hop_type == "VirtualAppliance" ? firewall_with_private_ip(rt.next_hop_ip) : std::nullopt;
        if (fw && private_ip_var_.count(*fw) == 0) {
          std::string fsym = short_stem(d_.resources[*fw].symbol, 32);
          if (fsym.empty()) fsym = "RESOURCE" + std::to_string(*fw + 1);
          private_ip_var_[*fw] = names_.claim(fsym + "_PRIVATE_IP");
        }
      }
    }
    if (r.kind == ir::Kind::managed_cluster) {
      // The node subnet's ID, and the API server subnet's with API Server VNet Integration.
      const auto& mc = r.as<ir::ManagedCluster>();
      std::vector<ir::SubnetRef> refs = {mc.subnet};
      if (mc.api_server_subnet) refs.push_back(*mc.api_server_subnet);
      for (const auto& pool : mc.pools) refs.push_back(pool.subnet);  // node pools in subnets of their own
      for (const auto& ref : refs) {
        std::pair<ir::Index, std::size_t> k{ref.vnet, ref.subnet};
        if (subnet_id_var_.count(k) == 0 && child_var_.count(k) != 0) {
          std::string base = child_var_.at(k);
          if (auto pos = base.rfind("_NAME"); pos != std::string::npos) base.erase(pos, 5);
          subnet_id_var_[k] = names_.claim(base + "_ID");
        }
      }
    }
  }
}

// The line that stops the script when a value read back into `var` is empty.
std::string Emitter::require(const std::string& var, const Word& what) {
  return "require_value " + what.render() + " \"$" + var + "\"";
}

// Needs of a resource's first step: the group, and the first step of each resource it depends on.
std::vector<std::string> Emitter::base_needs(const ir::Resource& r) const {
  std::vector<std::string> needs = {"group"};
  for (auto dep : r.depends_on) needs.push_back(key("create", dep));
  return needs;
}

Word Emitter::ref(ir::Index from, ir::Index target, std::vector<std::string>& needs) {
  if (!d_.several_groups() || d_.resources[from].group == d_.resources[target].group) return name(target);
  if (identity_var_.count(target) != 0) {
    needs.push_back(key("create", target));
    return Word::var(identity_var_.at(target));
  }
  auto it = id_var_.find(target);
  if (it == id_var_.end()) {
    std::string sym = short_stem(d_.resources[target].symbol, 32);
    if (sym.empty()) sym = "RESOURCE" + std::to_string(target + 1);
    it = id_var_.emplace(target, names_.claim(sym + "_ID")).first;
    // The command group of the target's kind (its `show` is what the CLI and the argument checker type the ID
    // by); `az resource show` for the kinds no command here takes from another group.
    const auto kind = d_.resources[target].kind;
    const char* group = kind == ir::Kind::virtual_network   ? "az network vnet show"
                        : kind == ir::Kind::route_table     ? "az network route-table show"
                        : kind == ir::Kind::public_ip       ? "az network public-ip show"
                        : kind == ir::Kind::nat_gateway     ? "az network nat gateway show"
                        : kind == ir::Kind::firewall_policy ? "az network firewall policy show"
                                                            : "az resource show";
    Command show(group);
    show.opt("--resource-group", rg(target)).opt("--name", name(target));
    if (std::string_view(group) == "az resource show")
      show.opt("--resource-type", Word::lit(std::string(api::of(kind).type)));
    show.opt_fixed("--query", "id").opt_fixed("-o", "tsv");
    add(msg("Reading the resource ID of ") + name(target),
        {show.render(it->second), require(it->second, msg("the resource ID of ") + name(target))}, {key("id", target)},
        {key("create", target)});
  }
  needs.push_back(key("id", target));
  return Word::var(it->second);
}

void Emitter::plan() {
  if (d_.several_groups()) {  // each group with its own location; every resource waits for all of them
    for (std::size_t g = 0; g < d_.groups.size(); ++g)
      add(msg("Creating resource group ") + Word::var(group_vars_[g]),
          {Command("az group create").opt("--name", Word::var(group_vars_[g])).opt("--location", text(d_.groups[g].location)).render()},
          {"group"}, {});
  } else {
    add(msg("Creating resource group ") + rg(),
        {Command("az group create").opt("--name", rg()).opt("--location", location()).render()}, {"group"}, {});
  }
  bool extension_added = false;
  for (ir::Index i = 0; i < d_.resources.size(); ++i) {
    const auto& r = d_.resources[i];
    switch (r.kind) {
      case ir::Kind::public_ip:
        plan_public_ip(i, r);
        break;
      case ir::Kind::identity:
        plan_identity(i, r);
        break;
      case ir::Kind::route_table:
        plan_route_table(i, r);
        break;
      case ir::Kind::virtual_network:
        plan_vnet(i, r);
        break;
      case ir::Kind::firewall:
      case ir::Kind::firewall_policy:
      case ir::Kind::rule_collection_group:
        if (!extension_added) {
          add(msg("Adding the azure-firewall extension of the Azure CLI"),
              {Command("az extension add").opt("--name", Word::lit("azure-firewall")).render()}, {"extension"}, {});
          extension_added = true;
        }
        if (r.kind != ir::Kind::firewall_policy && deploy_whole(r)) plan_template(i, r);
        else if (r.kind == ir::Kind::firewall) plan_firewall(i, r);
        else if (r.kind == ir::Kind::firewall_policy) plan_policy(i, r);
        else plan_rule_collection_group(i, r);
        break;
      case ir::Kind::managed_cluster:
        plan_cluster(i, r);
        break;
      case ir::Kind::vnet_peering:
        plan_peering(i, r);
        break;
      case ir::Kind::ip_group:
        plan_ip_group(i, r);
        break;
      case ir::Kind::nat_gateway:
        plan_nat_gateway(i, r);
        break;
      case ir::Kind::role_assignment:
        // `az aks create` grants the cluster's identity what it needs on the VNet and the kubelet identity
        // (the article's note); only the templates spell role assignments out.
        break;
    }
  }
  plan_apps();
  plan_nat_rules();
}

// A topological order of the steps; among the steps that are ready, the earliest planned goes first.
std::vector<std::size_t> Emitter::order() const {
  std::multimap<std::string, std::size_t> by_key;
  for (std::size_t s = 0; s < steps_.size(); ++s)
    for (const auto& k : steps_[s].keys) by_key.emplace(k, s);
  std::vector<std::set<std::size_t>> preds(steps_.size());
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    for (const auto& need : steps_[s].needs) {
      auto [lo, hi] = by_key.equal_range(need);
      work::count();  // the needs and the edges they make: linear in the script (tests/unit/policy_perf_test.cpp)
      for (auto it = lo; it != hi; ++it, work::count())
        if (it->second != s) preds[s].insert(it->second);
    }
  }
  // The ready steps wait in a min-heap (Kahn's algorithm): rescanning every step for the next ready one
  // was quadratic, ten minutes for 10^6 firewall rules (tests/unit/limits_test.cpp).
  std::vector<std::vector<std::size_t>> succs(steps_.size());
  std::vector<std::size_t> waiting(steps_.size());
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
  for (std::size_t s = 0; s < steps_.size(); ++s) {
    waiting[s] = preds[s].size();
    for (auto p : preds[s]) succs[p].push_back(s);
    if (waiting[s] == 0) ready.push(s);
  }
  std::vector<std::size_t> out;
  std::vector<bool> done(steps_.size(), false);
  std::size_t first_open = 0;
  while (out.size() < steps_.size()) {
    std::size_t next = 0;
    if (!ready.empty()) {
      next = ready.top();
      ready.pop();
    } else {
      // A cycle cannot come from a valid IR; should one appear, keep the planned order for the rest.
      while (done[first_open]) ++first_open;
      next = first_open;
    }
    done[next] = true;
    out.push_back(next);
    for (auto t : succs[next])
      if (--waiting[t] == 0 && !done[t]) ready.push(t);
  }
  return out;
}

std::string Emitter::render() const {
  std::string version = o_.version.empty() ? "egressc" : "egressc " + o_.version;
  for (auto& c : version)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  std::string out;
  out += "#!/usr/bin/env bash\n";
  out += "# Generated by " + version + " from an egress program; edit the program, not this file.\n";
  out += "# Builds the deployment with the Azure CLI, following \"Limit network traffic with Azure Firewall in\n";
  out += "# AKS\", then applies " + sanitize_comment(o_.stem) + ".yaml to the cluster.\n";
  out += "#   ./" + sanitize_comment(o_.stem) + ".sh            deploy\n";
  out += "#   ./" + sanitize_comment(o_.stem) + ".sh --delete   delete the resource group and everything in it\n";
  out += "set -euo pipefail\n\n";

  if (!d_.params.empty()) {
    if (d_.env.empty()) out += "# Parameters: set any of them in the environment to override the default.\n";
    else out += "# Parameters, with the values of env " + sanitize_comment(d_.env) + " as defaults: set any of them in the environment to override it.\n";
    for (const auto& p : d_.params) out += param_line(p);
    out += "\n";
  }
  out += "# Resource names.\n";
  for (const auto& [var, w] : assignments_) out += var + "=" + w.render() + "\n";
  out += "\n";
  if (!d_.apps.empty() || !templates_.empty()) out += "SCRIPT_DIR=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n\n";

  out += "# Progress messages. printf, not echo: a name may hold backslashes.\n";
  out += "progress() {\n";
  out += "  printf '==> %s\\n' \"$1\"\n";
  out += "}\n\n";
  out += "# Stops the script when Azure returned no value for something a later command needs.\n";
  out += "require_value() {\n";
  out += "  if [[ -z \"$2\" ]]; then\n";
  out += "    printf 'error: could not read %s\\n' \"$1\" >&2\n";
  out += "    exit 1\n";
  out += "  fi\n";
  out += "}\n\n";

  if (uses_json_string_) {
    out += "# A JSON string holding $1, for the files az reads (--defender-config): backslashes and double quotes\n";
    out += "# escaped. A control character is refused: $2 says what the value is.\n";
    out += "json_string() {\n";
    out += "  if [[ \"$1\" == *[[:cntrl:]]* ]]; then\n";
    out += "    printf 'error: %s holds a control character\\n' \"$2\" >&2\n";
    out += "    exit 1\n";
    out += "  fi\n";
    out += "  local s=\"${1//\\\\/\\\\\\\\}\"\n";
    out += "  s=\"${s//\\\"/\\\\\\\"}\"\n";
    out += "  printf '\"%s\"' \"$s\"\n";
    out += "}\n\n";
  }
  out += "case \"${1:-}\" in\n";
  out += "  \"\") ;;\n";
  out += "  --delete)\n";
  if (d_.several_groups()) {  // the last group first: the spokes before the hub they peer with
    for (auto g = group_vars_.rbegin(); g != group_vars_.rend(); ++g) {
      out += "    progress " + (msg("Deleting resource group ") + Word::var(*g)).render() + "\n";
      out += "    " + Command("az group delete").opt("--name", Word::var(*g)).flag("--yes").render() + "\n";
    }
  } else {
    out += "    progress " + (msg("Deleting resource group ") + rg()).render() + "\n";
    out += "    " + Command("az group delete").opt("--name", rg()).flag("--yes").render() + "\n";
  }
  out += "    exit 0\n";
  out += "    ;;\n";
  out += "  *)\n";
  out += "    echo \"usage: $0 [--delete]\" >&2\n";
  out += "    exit 2\n";
  out += "    ;;\n";
  out += "esac\n";

  for (auto s : order()) {
    const auto& step = steps_[s];
    out += "\nprogress " + step.message.render() + "\n";
    for (const auto& line : step.lines) out += line + "\n";
  }
  out += "\nprogress " + msg("Done").render() + "\n";
  return out;
}

std::string Emitter::sanitize_comment(const std::string& s) {
  std::string out = s;
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

// `NAME="${NAME:-default}"` when the default needs no escaping inside `${...}`; otherwise an `if` that
// assigns the single-quoted default, since quotes inside `${...:-...}` are parsed differently by shells.
// Built with `--env NAME`, the script's default is that env's value (the script is the env's deployment).
std::string Emitter::param_line(const ir::Param& p) const {
  const auto& var = param_var_.at(p.name);
  const auto& value = p.env_value ? p.env_value : p.default_value;
  if (!value) return var + "=\"${" + var + ":?set " + var + " (parameter " + upper_stem(p.name) + ")}\"\n";
  const auto& dv = *value;
  bool simple = std::all_of(dv.begin(), dv.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '/' || c == ':' || c == '@' || c == '%' || c == '+' || c == ',' || c == '=' || c == '-' || c == ' ';
  });
  if (simple) return var + "=\"${" + var + ":-" + dv + "}\"\n";
  return "if [[ -z \"${" + var + ":-}\" ]]; then " + var + "=" + Word::lit(dv).render() + "; fi\n";
}

}  // namespace egress::emit::bash

namespace egress::emit {

AzOutputs azcli_outputs(const ir::Deployment& d, const EmitOptions& o, std::size_t bulk_threshold) {
  return bash::Emitter(d, o, bulk_threshold).run();
}

std::string azcli(const ir::Deployment& d, const EmitOptions& o) { return azcli_outputs(d, o, kAzBulkThreshold).script; }

}  // namespace egress::emit
