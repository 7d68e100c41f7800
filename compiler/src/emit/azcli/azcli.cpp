// The az CLI emitter: a bash script that does what the article does, step by step, for any IR.
//
// Each IR resource becomes one or more steps (create, child objects, reading back a value Azure assigns,
// associating a route table). Every step names the steps it needs by key; the script is a topological
// order of the steps that prefers the order they were planned in, which follows the article:
// group, network, public IP, firewall, its IPs, routes, rules, association, cluster, app, DNAT last.
// Every value from the IR reaches bash as a quoted sh::Word, so nothing in a name can run as code.
#include <algorithm>
#include <map>
#include <functional>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "emit/azcli/command.hpp"
#include "emit/azcli/policy_commands.hpp"
#include "emit/api_versions.hpp"
#include "emit/emit.hpp"
#include "emit/k8s/labels.hpp"
#include "emit/shell_quote.hpp"

namespace egress::emit {

namespace {

using bash::Command;
using sh::Word;

// ---- Variable names

bool reserved_name(const std::string& n) {
  static const std::set<std::string> kExact = {
      "CDPATH", "COLUMNS", "DIRSTACK", "DISPLAY", "EDITOR", "ENV", "EPOCHREALTIME", "EPOCHSECONDS", "EUID",
      "FCEDIT", "FUNCNAME", "GLOBIGNORE", "GROUPS", "HOME", "HOSTNAME", "HOSTTYPE", "IFS", "IGNOREEOF",
      "INPUTRC", "KUBECONFIG", "LANG", "LANGUAGE", "LINENO", "LINES", "LOGNAME", "MACHTYPE", "MAIL", "MAILPATH",
      "OLDPWD", "OPTARG", "OPTERR", "OPTIND", "OSTYPE", "PAGER", "PATH", "PIPESTATUS", "PPID", "PROMPT_COMMAND",
      "PS1", "PS2", "PS3", "PS4", "PWD", "RANDOM", "REPLY", "SCRIPT_DIR", "SECONDS", "SHELL", "SHELLOPTS",
      "SHLVL", "SRANDOM", "TERM", "TIMEFORMAT", "TMPDIR", "TZ", "UID", "USER", "_"};
  static const std::vector<std::string> kPrefixes = {"BASH", "LC_", "AZURE_", "AZ_", "COMP_", "READLINE_", "HIST",
                                                     "KUBE", "PYTHON", "REQUESTS_", "SSL_", "HTTP", "NO_PROXY"};
  if (kExact.count(n) != 0) return true;
  return std::any_of(kPrefixes.begin(), kPrefixes.end(), [&](const std::string& p) { return n.rfind(p, 0) == 0; });
}

// "aks-subnet" -> "AKS_SUBNET": upper case, runs of other characters as one '_', no '_' at either end.
std::string upper_stem(const std::string& s) {
  std::string out;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += static_cast<char>((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// upper_stem, cut to at most `max` characters at a '_' where possible, so odd names still give short variables.
std::string short_stem(const std::string& s, std::size_t max = 24) {
  auto out = upper_stem(s);
  if (out.size() <= max) return out;
  auto cut = out.rfind('_', max);
  out.resize(cut != std::string::npos && cut > 0 ? cut : max);
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

class Names {
 public:
  /// A fresh variable name close to `want` (made valid, kept off bash's and the tools' own variables).
  std::string claim(std::string want) {
    // Off the names bash and the tools read (PATH, KUBECONFIG, AZURE_*, ...): a prefix, as no suffix helps
    // against a reserved prefix.
    if (want.empty() || (want.front() >= '0' && want.front() <= '9') || reserved_name(want)) want = "EGRESS_" + want;
    std::string name = want;
    for (int n = 2; taken_.count(name) != 0 || reserved_name(name); ++n) name = want + "_" + std::to_string(n);
    taken_.insert(name);
    return name;
  }

 private:
  std::set<std::string> taken_;
};

// The literal parts of a name ("${prefix}-fwrn" -> "FWRN"), or `fallback` when they hold no letters.
std::string stem_of(const ir::Text& t, const std::string& fallback) {
  std::string lit;
  for (const auto& p : t.parts)
    if (!p.param) lit += p.text + "-";
  auto s = short_stem(lit);
  return s.empty() ? fallback : s;
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// ---- Steps

struct Step {
  Word message;                       // the progress message
  std::vector<std::string> lines;     // bash text
  std::vector<std::string> keys;      // names other steps depend on
  std::vector<std::string> needs;     // keys this step depends on
};

class Emitter {
 public:
  Emitter(const ir::Deployment& d, const EmitOptions& o) : d_(d), o_(o) {}

  std::string run() {
    name_variables();
    plan();
    return render();
  }

 private:
  const ir::Deployment& d_;
  const EmitOptions& o_;
  Names names_;

  std::map<std::string, std::string> param_var_;      // param name -> variable
  std::string group_var_;
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

  Word text(const ir::Text& t) const {
    Word w;
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
  Word name(ir::Index r) const { return Word::var(name_var_[r]); }
  Word child(ir::Index r, std::size_t j) const { return Word::var(child_var_.at({r, j})); }

  static Word msg(const std::string& s) { return Word::lit(s); }

  // ---- Naming

  bool referenced_public_ip(ir::Index pip) const {
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
      } else if (r.kind == ir::Kind::managed_cluster) {
        if (any(r.as<ir::ManagedCluster>().authorized_ranges)) return true;
      }
    }
    return false;
  }

  // The firewall whose private IP a route's next hop names, if any: the script then uses the address Azure
  // reports, as the article does, instead of the one the compiler derived.
  std::optional<ir::Index> firewall_with_private_ip(const std::string& ip) const {
    if (ip.empty()) return std::nullopt;
    for (ir::Index i = 0; i < d_.resources.size(); ++i) {
      const auto& r = d_.resources[i];
      if (r.kind == ir::Kind::firewall && r.as<ir::Firewall>().private_ip == ip) return i;
    }
    return std::nullopt;
  }

  void name_variables() {
    for (const auto& p : d_.params) param_var_[p.name] = names_.claim(short_stem(p.name, 32));
    group_var_ = names_.claim(short_stem(d_.group_symbol, 32).empty() ? "RG" : short_stem(d_.group_symbol, 32));
    assignments_.emplace_back(group_var_, text(d_.group_name));
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
          const auto& configs = r.as<ir::Firewall>().ip_configurations;
          for (std::size_t j = 0; j < configs.size(); ++j) add_child(j, configs[j].name, "IPCONFIG");
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
        const auto& ref = r.as<ir::ManagedCluster>().subnet;
        std::pair<ir::Index, std::size_t> k{ref.vnet, ref.subnet};
        if (subnet_id_var_.count(k) == 0 && child_var_.count(k) != 0) {
          std::string base = child_var_.at(k);
          if (auto pos = base.rfind("_NAME"); pos != std::string::npos) base.erase(pos, 5);
          subnet_id_var_[k] = names_.claim(base + "_ID");
        }
      }
    }
  }

  // ---- Planning

  void add(Word message, std::vector<std::string> lines, std::vector<std::string> keys, std::vector<std::string> needs) {
    steps_.push_back({std::move(message), std::move(lines), std::move(keys), std::move(needs)});
  }

  // The line that stops the script when a value read back into `var` is empty.
  static std::string require(const std::string& var, const Word& what) {
    return "require_value " + what.render() + " \"$" + var + "\"";
  }

  // Needs of a resource's first step: the group, and the first step of each resource it depends on.
  std::vector<std::string> base_needs(const ir::Resource& r) const {
    std::vector<std::string> needs = {"group"};
    for (auto dep : r.depends_on) needs.push_back(key("create", dep));
    return needs;
  }

  void plan() {
    add(msg("Creating resource group ") + rg(),
        {Command("az group create").opt("--name", rg()).opt("--location", location()).render()}, {"group"}, {});
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
          if (r.kind == ir::Kind::firewall) plan_firewall(i, r);
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
        case ir::Kind::role_assignment:
          // `az aks create` grants the cluster's identity what it needs on the VNet and the kubelet identity
          // (the article's note); only the templates spell role assignments out.
          break;
      }
    }
    plan_apps();
    plan_nat_rules();
  }

  void plan_public_ip(ir::Index i, const ir::Resource& r) {
    const auto& pip = r.as<ir::PublicIp>();
    Command c("az network public-ip create");
    c.opt("--resource-group", rg()).opt("--name", name(i)).opt("--location", location());
    if (!pip.sku.empty()) c.opt("--sku", Word::lit(pip.sku));
    if (!pip.allocation.empty()) c.opt("--allocation-method", Word::lit(pip.allocation));
    add(msg("Creating public IP ") + name(i), {c.render()}, {key("create", i), key("res", i)}, base_needs(r));
    if (address_var_.count(i) == 0) return;
    const auto& var = address_var_.at(i);
    Command show("az network public-ip show");
    show.opt("--resource-group", rg()).opt("--name", name(i)).opt_fixed("--query", "ipAddress").opt_fixed("-o", "tsv");
    std::vector<std::string> needs = {key("create", i)};
    // A static address exists at once; a dynamic one only once something uses the public IP.
    if (pip.allocation != "Static") needs.push_back(key("pip.attached", i));
    add(msg("Reading the address of public IP ") + name(i),
        {show.render(var), require(var, msg("the address of public IP ") + name(i))},
        {key("pip.address", i), key("res", i)}, needs);
  }

  void plan_identity(ir::Index i, const ir::Resource& r) {
    const auto& var = identity_var_.at(i);
    Command c("az identity create");
    c.opt("--resource-group", rg()).opt("--name", name(i)).opt("--location", location());
    c.opt_fixed("--query", "id").opt_fixed("-o", "tsv");
    add(msg("Creating managed identity ") + name(i),
        {c.render(var), require(var, msg("the resource ID of identity ") + name(i))},
        {key("create", i), key("res", i)}, base_needs(r));
  }

  // `az network ip-group` left the core CLI for an extension of its own (CLI 2.50 and later), so the script
  // creates the group as a generic resource, which every CLI version knows, with the templates' api-version
  // and body. Classic rules take IP groups by resource ID (the extension resolves no names there): read it.
  void plan_ip_group(ir::Index i, const ir::Resource& r) {
    const auto& var = ip_group_var_.at(i);
    std::string body = "{\"ipAddresses\":[";  // the addresses are prefixes the compiler checked: no escaping
    const auto& addresses = r.as<ir::IpGroup>().addresses;
    for (std::size_t k = 0; k < addresses.size(); ++k) body += (k > 0 ? ",\"" : "\"") + addresses[k] + "\"";
    body += "]}";
    Command c("az resource create");
    c.opt("--resource-group", rg()).opt("--name", name(i)).opt("--location", location());
    c.opt("--resource-type", Word::lit(std::string(api::ip_group.type)));
    c.opt("--api-version", Word::lit(std::string(api::ip_group.version)));
    c.opt("--properties", Word::lit(body));
    c.opt_fixed("--query", "id").opt_fixed("-o", "tsv");
    add(msg("Creating IP group ") + name(i), {c.render(var), require(var, msg("the resource ID of IP group ") + name(i))},
        {key("create", i), key("res", i)}, base_needs(r));
  }

  void plan_policy(ir::Index i, const ir::Resource& r) {
    const auto& p = r.as<ir::FirewallPolicy>();
    Command c("az network firewall policy create");
    c.opt("--resource-group", rg()).opt("--name", name(i)).opt("--location", location());
    // As for firewalls: the CLI leaves tier Standard and threat intelligence Alert to Azure's defaults.
    if (!p.sku_tier.empty() && p.sku_tier != "Standard") c.opt("--sku", Word::lit(p.sku_tier));
    if (!p.threat_intel_mode.empty() && p.threat_intel_mode != "Alert")
      c.opt("--threat-intel-mode", Word::lit(p.threat_intel_mode));
    if (p.dns_proxy) c.opt_fixed("--enable-dns-proxy", "true");
    auto needs = base_needs(r);
    needs.push_back("extension");
    add(msg("Creating firewall policy ") + name(i), {c.render()}, {key("create", i), key("res", i)}, needs);
  }

  // A rule collection group, then its collections rule by rule; the next group of the policy waits for all
  // of it (the IR's dependency on the previous group).
  void plan_rule_collection_group(ir::Index i, const ir::Resource& r) {
    const auto& g = r.as<ir::RuleCollectionGroup>();
    Command c("az network firewall policy rule-collection-group create");
    c.opt("--resource-group", rg()).opt("--policy-name", name(g.policy)).opt("--name", name(i));
    c.opt_fixed("--priority", std::to_string(g.priority));
    auto needs = base_needs(r);
    for (auto dep : r.depends_on) needs.push_back(key("res", dep));
    add(msg("Creating rule collection group ") + name(i) + msg(" of firewall policy ") + name(g.policy), {c.render()},
        {key("create", i), key("res", i)}, needs);
    std::string prev = key("create", i);
    auto step = [&](const std::string& what, const bash::Command& command, std::vector<std::string> extra) {
      extra.push_back(prev);
      std::string k = key("rcg.step", i, steps_.size());
      add(msg(what), {command.render()}, {k, key("res", i)}, std::move(extra));
      prev = k;
    };
    for (const auto& col : g.collections) {
      bash::RuleTarget t{rg(), name(g.policy), name(i), col.name(), 0, "", true};
      std::vector<std::string> rule_needs;
      auto words = [&](const std::vector<ir::Address>& sources, const std::vector<ir::Index>& source_groups,
                       const std::vector<ir::Address>& destinations, const std::vector<ir::Index>& destination_groups) {
        bash::RuleWords w{addresses(sources), ip_groups(source_groups, rule_needs), addresses(destinations),
                          ip_groups(destination_groups, rule_needs)};
        for (const auto& a : sources) address_needs(a, rule_needs);
        for (const auto& a : destinations) address_needs(a, rule_needs);
        return w;
      };
      switch (col.kind) {
        case ir::PolicyCollection::Kind::network:
          t.priority = col.network.priority, t.action = col.network.action;
          for (const auto& rule : col.network.rules) {
            auto w = words(rule.sources, rule.source_ip_groups, rule.destination_addresses, rule.destination_ip_groups);
            step("Adding network rule " + rule.name + " to collection " + col.name(), bash::policy_network_rule(t, rule, w), rule_needs);
            t.first = false;
          }
          break;
        case ir::PolicyCollection::Kind::application:
          t.priority = col.application.priority, t.action = col.application.action;
          for (const auto& rule : col.application.rules) {
            auto w = words(rule.sources, rule.source_ip_groups, {}, {});
            step("Adding application rule " + rule.name + " to collection " + col.name(),
                 bash::policy_application_rule(t, rule, w), rule_needs);
            t.first = false;
          }
          break;
        case ir::PolicyCollection::Kind::nat:
          t.priority = col.nat.priority, t.action = col.nat.action;
          for (const auto& rule : col.nat.rules) {
            auto w = words(rule.sources, rule.source_ip_groups, {rule.destination}, {});
            step("Adding DNAT rule " + rule.name + " to collection " + col.name(), bash::policy_nat_rule(t, rule, w), rule_needs);
            t.first = false;
          }
          break;
      }
    }
  }

  std::vector<Word> ip_groups(const std::vector<ir::Index>& groups, std::vector<std::string>& needs) const {
    std::vector<Word> out;
    for (auto g : groups) {
      out.push_back(Word::var(ip_group_var_.at(g)));
      needs.push_back(key("create", g));
    }
    return out;
  }

  void plan_route_table(ir::Index i, const ir::Resource& r) {
    const auto& rt = r.as<ir::RouteTable>();
    Command c("az network route-table create");
    c.opt("--resource-group", rg()).opt("--location", location()).opt("--name", name(i));
    if (rt.disable_bgp_route_propagation) c.opt_fixed("--disable-bgp-route-propagation", "true");
    add(msg("Creating route table ") + name(i), {c.render()}, {key("create", i), key("res", i)}, base_needs(r));
    std::string prev = key("create", i);
    for (std::size_t j = 0; j < rt.routes.size(); ++j) {
      const auto& route = rt.routes[j];
      Command rc("az network route-table route create");
      rc.opt("--resource-group", rg()).opt("--name", child(i, j)).opt("--route-table-name", name(i));
      rc.opt("--address-prefix", address(route.prefix)).opt("--next-hop-type", Word::lit(route.next_hop_type));
      std::vector<std::string> needs = {prev};
      address_needs(route.prefix, needs);
      if (!route.next_hop_ip.empty()) {
        auto fw = route.next_hop_type == "VirtualAppliance" ? firewall_with_private_ip(route.next_hop_ip) : std::nullopt;
        if (fw && private_ip_var_.count(*fw) != 0) {
          rc.opt("--next-hop-ip-address", Word::var(private_ip_var_.at(*fw)));
          needs.push_back(key("fw.private_ip", *fw));
        } else {
          rc.opt("--next-hop-ip-address", Word::lit(route.next_hop_ip));
        }
      }
      std::string k = key("route", i, j);
      add(msg("Adding route ") + child(i, j) + msg(" to route table ") + name(i), {rc.render()}, {k, key("res", i)},
          needs);
      prev = k;
    }
  }

  void plan_vnet(ir::Index i, const ir::Resource& r) {
    const auto& vnet = r.as<ir::VirtualNetwork>();
    Command c("az network vnet create");
    c.opt("--resource-group", rg()).opt("--name", name(i)).opt("--location", location());
    c.opts("--address-prefixes", literals(vnet.address_prefixes));
    if (!vnet.subnets.empty()) {
      c.opt("--subnet-name", child(i, 0)).opt("--subnet-prefixes", Word::lit(vnet.subnets[0].prefix));
    }
    std::vector<std::string> create_keys = {key("create", i), key("res", i)};
    if (!vnet.subnets.empty()) create_keys.push_back(key("subnet", i, 0));
    add(msg("Creating virtual network ") + name(i), {c.render()}, create_keys, base_needs(r));
    std::string prev = key("create", i);
    for (std::size_t j = 1; j < vnet.subnets.size(); ++j) {
      Command s("az network vnet subnet create");
      s.opt("--resource-group", rg()).opt("--vnet-name", name(i)).opt("--name", child(i, j));
      s.opt("--address-prefixes", Word::lit(vnet.subnets[j].prefix));
      std::string k = key("subnet", i, j);
      add(msg("Creating subnet ") + child(i, j), {s.render()}, {k, key("res", i)}, {prev});
      prev = k;
    }
    // Route tables are attached once their routes exist, before anything (a cluster) is placed in the subnet.
    for (std::size_t j = 0; j < vnet.subnets.size(); ++j) {
      const auto& sub = vnet.subnets[j];
      if (!sub.route_table) continue;
      Command u("az network vnet subnet update");
      u.opt("--resource-group", rg()).opt("--vnet-name", name(i)).opt("--name", child(i, j));
      u.opt("--route-table", name(*sub.route_table));
      add(msg("Associating route table ") + name(*sub.route_table) + msg(" with subnet ") + child(i, j),
          {u.render()}, {key("associate", i, j), key("res", i)},
          {key("subnet", i, j), key("res", *sub.route_table)});
    }
  }

  // One direction of a peering; `peer` in the source gives two. Forwarded traffic is allowed, as in the
  // templates, so what a peer's route sends through the firewall can pass.
  void plan_peering(ir::Index i, const ir::Resource& r) {
    const auto& p = r.as<ir::VnetPeering>();
    Command c("az network vnet peering create");
    c.opt("--resource-group", rg()).opt("--name", name(i)).opt("--vnet-name", name(p.vnet));
    c.opt("--remote-vnet", name(p.remote_vnet)).flag("--allow-vnet-access").flag("--allow-forwarded-traffic");
    add(msg("Peering virtual network ") + name(p.vnet) + msg(" with ") + name(p.remote_vnet), {c.render()},
        {key("create", i), key("res", i)}, base_needs(r));
  }

  void plan_firewall(ir::Index i, const ir::Resource& r) {
    const auto& fw = r.as<ir::Firewall>();
    Command c("az network firewall create");
    c.opt("--resource-group", rg()).opt("--name", name(i)).opt("--location", location());
    // The CLI's defaults are tier Standard (applied with --sku) and threat intelligence Alert.
    if (!fw.sku_tier.empty() && fw.sku_tier != "Standard")
      c.opt_fixed("--sku", "AZFW_VNet").opt("--tier", Word::lit(fw.sku_tier));
    if (!fw.threat_intel_mode.empty() && fw.threat_intel_mode != "Alert")
      c.opt("--threat-intel-mode", Word::lit(fw.threat_intel_mode));
    if (fw.dns_proxy) c.opt_fixed("--enable-dns-proxy", "true");
    auto needs = base_needs(r);
    needs.push_back("extension");
    if (fw.policy) {
      c.opt("--firewall-policy", name(*fw.policy));
      for (auto dep : r.depends_on)  // the policy and every rule of its groups
        if (d_.resources[dep].kind == ir::Kind::rule_collection_group) needs.push_back(key("res", dep));
    }
    add(msg("Creating firewall ") + name(i) + msg(" (this takes a few minutes)"), {c.render()},
        {key("create", i), key("res", i)}, needs);
    std::string prev = key("create", i);
    auto chain = [&](Word message, std::string line, std::vector<std::string> extra_needs, std::vector<std::string> keys) {
      extra_needs.push_back(prev);
      keys.push_back(key("res", i));
      std::string k = key("fw.step", i, steps_.size());
      keys.push_back(k);
      add(std::move(message), {std::move(line)}, std::move(keys), std::move(extra_needs));
      prev = k;
    };
    for (std::size_t j = 0; j < fw.ip_configurations.size(); ++j) {
      const auto& cfg = fw.ip_configurations[j];
      Command ic("az network firewall ip-config create");
      ic.opt("--resource-group", rg()).opt("--firewall-name", name(i)).opt("--name", child(i, j));
      ic.opt("--public-ip-address", name(cfg.public_ip));
      std::vector<std::string> needs_ic = {key("create", cfg.public_ip)};
      if (cfg.subnet) {
        ic.opt("--vnet-name", name(cfg.subnet->vnet));
        needs_ic.push_back(key("subnet", cfg.subnet->vnet, cfg.subnet->subnet));
      }
      chain(msg("Attaching public IP ") + name(cfg.public_ip) + msg(" to firewall ") + name(i), ic.render(), needs_ic,
            {key("pip.attached", cfg.public_ip)});
    }
    if (private_ip_var_.count(i) != 0) {
      const auto& var = private_ip_var_.at(i);
      Command show("az network firewall show");
      show.opt("--resource-group", rg()).opt("--name", name(i));
      show.opt_fixed("--query", "ipConfigurations[0].privateIPAddress").opt_fixed("-o", "tsv");
      add(msg("Reading the private IP of firewall ") + name(i),
          {show.render(var), require(var, msg("the private IP of firewall ") + name(i))},
          {key("fw.private_ip", i), key("res", i)}, {prev});
      prev = key("fw.private_ip", i);
    }
    for (const auto& col : fw.network_collections) {
      for (std::size_t j = 0; j < col.rules.size(); ++j) {
        const auto& rule = col.rules[j];
        Command nr("az network firewall network-rule create");
        nr.opt("--resource-group", rg()).opt("--firewall-name", name(i));
        nr.opt("--collection-name", Word::lit(col.name)).opt("--name", Word::lit(rule.name));
        nr.opts("--protocols", literals(rule.protocols));
        std::vector<std::string> needs_r;
        nr.opts("--source-addresses", addresses(rule.sources));
        nr.opts("--source-ip-groups", ip_groups(rule.source_ip_groups, needs_r));
        nr.opts("--destination-addresses", addresses(rule.destination_addresses));
        nr.opts("--destination-ip-groups", ip_groups(rule.destination_ip_groups, needs_r));
        nr.opts("--destination-fqdns", literals(rule.destination_fqdns));
        nr.opts("--destination-ports", literals(rule.destination_ports));
        if (j == 0) nr.opt("--action", Word::lit(lower(col.action))).opt_fixed("--priority", std::to_string(col.priority));
        for (const auto& a : rule.sources) address_needs(a, needs_r);
        for (const auto& a : rule.destination_addresses) address_needs(a, needs_r);
        chain(msg("Adding network rule " + rule.name + " to collection " + col.name), nr.render(), needs_r, {});
      }
    }
    for (const auto& col : fw.application_collections) {
      for (std::size_t j = 0; j < col.rules.size(); ++j) {
        const auto& rule = col.rules[j];
        Command ar("az network firewall application-rule create");
        ar.opt("--resource-group", rg()).opt("--firewall-name", name(i));
        ar.opt("--collection-name", Word::lit(col.name)).opt("--name", Word::lit(rule.name));
        std::vector<std::string> needs_r;
        ar.opts("--source-addresses", addresses(rule.sources));
        ar.opts("--source-ip-groups", ip_groups(rule.source_ip_groups, needs_r));
        std::vector<Word> protocols;
        for (const auto& p : rule.protocols) protocols.push_back(Word::lit(lower(p.type) + "=" + std::to_string(p.port)));
        ar.opts("--protocols", protocols);
        ar.opts("--target-fqdns", literals(rule.target_fqdns));
        ar.opts("--fqdn-tags", literals(rule.fqdn_tags));
        if (j == 0) ar.opt("--action", Word::lit(lower(col.action))).opt_fixed("--priority", std::to_string(col.priority));
        for (const auto& a : rule.sources) address_needs(a, needs_r);
        chain(msg("Adding application rule " + rule.name + " to collection " + col.name), ar.render(), needs_r, {});
      }
    }
  }

  void plan_cluster(ir::Index i, const ir::Resource& r) {
    const auto& mc = r.as<ir::ManagedCluster>();
    std::pair<ir::Index, std::size_t> sub{mc.subnet.vnet, mc.subnet.subnet};
    auto needs = base_needs(r);
    for (auto dep : r.depends_on) needs.push_back(key("res", dep));  // every step: routes, rules, associations
    if (subnet_id_var_.count(sub) != 0) {
      const auto& var = subnet_id_var_.at(sub);
      Command show("az network vnet subnet show");
      show.opt("--resource-group", rg()).opt("--vnet-name", name(sub.first)).opt("--name", child(sub.first, sub.second));
      show.opt_fixed("--query", "id").opt_fixed("-o", "tsv");
      add(msg("Reading the resource ID of subnet ") + child(sub.first, sub.second),
          {show.render(var), require(var, msg("the resource ID of subnet ") + child(sub.first, sub.second))},
          {key("subnet_id", i)},
          {key("subnet", sub.first, sub.second), key("associate", sub.first, sub.second)});
      needs.push_back(key("subnet_id", i));
    }
    Command c("az aks create");
    c.opt("--resource-group", rg()).opt("--name", name(i)).opt("--location", location());
    c.opt_fixed("--node-count", std::to_string(mc.node_count));
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
    if (mc.control_plane_identity && identity_var_.count(*mc.control_plane_identity) != 0) {
      c.opt("--assign-identity", Word::var(identity_var_.at(*mc.control_plane_identity)));
      needs.push_back(key("create", *mc.control_plane_identity));
    }
    if (mc.kubelet_identity && identity_var_.count(*mc.kubelet_identity) != 0) {
      c.opt("--assign-kubelet-identity", Word::var(identity_var_.at(*mc.kubelet_identity)));
      needs.push_back(key("create", *mc.kubelet_identity));
    }
    if (!mc.vm_size.value.empty()) c.opt("--node-vm-size", text(mc.vm_size));
    if (mc.max_pods > 0) c.opt_fixed("--max-pods", std::to_string(mc.max_pods));
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
    if (mc.generate_ssh_keys) c.flag("--generate-ssh-keys");
    add(msg("Creating AKS cluster ") + name(i) + msg(" (this takes several minutes)"), {c.render()},
        {key("create", i), key("res", i)}, needs);
    bool has_apps = std::any_of(d_.apps.begin(), d_.apps.end(), [i](const ir::KubeApp& a) { return a.cluster == i; });
    if (!has_apps) add_credentials(i, key("create", i));
  }

  std::string add_credentials(ir::Index cluster, std::string after) {
    Command c("az aks get-credentials");
    c.opt("--resource-group", rg()).opt("--name", name(cluster)).flag("--overwrite-existing");
    std::string k = key("credentials", cluster, steps_.size());
    add(msg("Fetching credentials for cluster ") + name(cluster), {c.render()}, {k},
        {key("create", cluster), std::move(after)});
    return k;
  }

  // After the clusters: for each cluster that runs apps, its credentials, then its apps. Every object of the
  // YAML file carries its app's label, so with several apps each `kubectl apply` selects its own.
  void plan_apps() {
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
        k.opt("-f", Word::var("SCRIPT_DIR") + Word::lit("/" + o_.stem + ".yaml"));
        if (d_.apps.size() > 1) k.opt("--selector", Word::lit(std::string(kube::kPartOfLabel) + "=" + labels[a]));
        std::string kk = key("apply", a);
        add(msg("Deploying app " + app.symbol + " to cluster ") + name(ci), {k.render()}, {kk, "apply"}, {prev});
        prev = kk;
      }
    }
  }

  // Last, as in the article: DNAT rules that publish the apps' internal load balancers on the firewall.
  void plan_nat_rules() {
    for (ir::Index i = 0; i < d_.resources.size(); ++i) {
      const auto& r = d_.resources[i];
      if (r.kind != ir::Kind::firewall) continue;
      std::string prev = key("res", i);
      for (const auto& col : r.as<ir::Firewall>().nat_collections) {
        for (std::size_t j = 0; j < col.rules.size(); ++j) {
          const auto& rule = col.rules[j];
          // The article's flag order.
          Command c("az network firewall nat-rule create");
          c.opt("--collection-name", Word::lit(col.name));
          c.opt("--destination-addresses", address(rule.destination));
          c.opt("--destination-ports", Word::lit(rule.destination_port));
          c.opt("--firewall-name", name(i)).opt("--name", Word::lit(rule.name));
          c.opts("--protocols", literals(rule.protocols));
          c.opt("--resource-group", rg());
          std::vector<std::string> needs = {prev, "apply"};
          c.opts("--source-addresses", addresses(rule.sources));
          c.opts("--source-ip-groups", ip_groups(rule.source_ip_groups, needs));
          c.opt("--translated-port", Word::lit(rule.translated_port));
          if (j == 0) c.opt("--action", Word::lit(col.action)).opt_fixed("--priority", std::to_string(col.priority));
          c.opt("--translated-address", Word::lit(rule.translated_address));
          address_needs(rule.destination, needs);
          for (const auto& a : rule.sources) address_needs(a, needs);
          std::string k = key("nat", i, steps_.size());
          add(msg("Adding DNAT rule " + rule.name + " to collection " + col.name), {c.render()}, {k}, needs);
          prev = k;
        }
      }
    }
  }

  // ---- Ordering and text

  // A topological order of the steps; among the steps that are ready, the earliest planned goes first.
  std::vector<std::size_t> order() const {
    std::multimap<std::string, std::size_t> by_key;
    for (std::size_t s = 0; s < steps_.size(); ++s)
      for (const auto& k : steps_[s].keys) by_key.emplace(k, s);
    std::vector<std::set<std::size_t>> preds(steps_.size());
    for (std::size_t s = 0; s < steps_.size(); ++s) {
      for (const auto& need : steps_[s].needs) {
        auto [lo, hi] = by_key.equal_range(need);
        for (auto it = lo; it != hi; ++it)
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

  std::string render() const {
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
      out += "# Parameters: set any of them in the environment to override the default.\n";
      for (const auto& p : d_.params) out += param_line(p);
      out += "\n";
    }
    out += "# Resource names.\n";
    for (const auto& [var, w] : assignments_) out += var + "=" + w.render() + "\n";
    out += "\n";
    if (!d_.apps.empty()) out += "SCRIPT_DIR=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n\n";

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

    out += "case \"${1:-}\" in\n";
    out += "  \"\") ;;\n";
    out += "  --delete)\n";
    out += "    progress " + (msg("Deleting resource group ") + rg()).render() + "\n";
    out += "    " + Command("az group delete").opt("--name", rg()).flag("--yes").render() + "\n";
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

  static std::string sanitize_comment(const std::string& s) {
    std::string out = s;
    for (auto& c : out)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return out;
  }

  // `NAME="${NAME:-default}"` when the default needs no escaping inside `${...}`; otherwise an `if` that
  // assigns the single-quoted default, since quotes inside `${...:-...}` are parsed differently by shells.
  std::string param_line(const ir::Param& p) const {
    const auto& var = param_var_.at(p.name);
    if (!p.default_value) return var + "=\"${" + var + ":?set " + var + " (parameter " + upper_stem(p.name) + ")}\"\n";
    const auto& dv = *p.default_value;
    bool simple = std::all_of(dv.begin(), dv.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
             c == '/' || c == ':' || c == '@' || c == '%' || c == '+' || c == ',' || c == '=' || c == '-' || c == ' ';
    });
    if (simple) return var + "=\"${" + var + ":-" + dv + "}\"\n";
    return "if [[ -z \"${" + var + ":-}\" ]]; then " + var + "=" + Word::lit(dv).render() + "; fi\n";
  }
};

}  // namespace

std::string azcli(const ir::Deployment& d, const EmitOptions& o) { return Emitter(d, o).run(); }

}  // namespace egress::emit
