// The script's steps for firewalls (classic rules, IP configurations, DNAT rules last) and firewall policies
// with their rule collection groups.
#include "emit/azcli/emitter.hpp"

#include <fmt/format.h>

#include <optional>

#include "emit/api_versions.hpp"
#include "emit/azcli/policy_commands.hpp"
#include "emit/json_writer.hpp"

namespace egress::emit::bash {

// A firewall whose VNet lives in another resource group. `ip-config create` of the azure-firewall extension
// (0.14.8) builds the subnet's ID from --vnet-name in the firewall's own group, unless its --subnet (and for
// the management NIC --management-subnet) is already a resource ID: both options exist but are left out of
// the help (argparse.SUPPRESS in the extension's _params.py; _validators.py keeps an ID as it is, and still
// needs --vnet-name / --m-vnet-name to be given). So the subnet's ID is passed, built from the VNet's ID read
// back from its group. nullopt: the VNet is in the firewall's group, and --vnet-name says it all.
std::optional<Word> Emitter::subnet_in_other_group(ir::Index fw, const ir::SubnetRef& subnet, std::vector<std::string>& needs) {
  if (!d_.several_groups() || d_.resources[fw].group == d_.resources[subnet.vnet].group) return std::nullopt;
  Word id = ref(fw, subnet.vnet, needs);
  id.append_lit("/subnets/");
  id += child(subnet.vnet, subnet.subnet);
  return id;
}

void Emitter::plan_firewall(ir::Index i, const ir::Resource& r) {
  const auto& fw = r.as<ir::Firewall>();
  Command c("az network firewall create");
  c.opt("--resource-group", rg(i)).opt("--name", name(i)).opt("--location", location(i));
  // The CLI's defaults are tier Standard (applied with --sku) and threat intelligence Alert.
  if (!fw.sku_tier.empty() && fw.sku_tier != "Standard")
    c.opt_fixed("--sku", "AZFW_VNet").opt("--tier", Word::lit(fw.sku_tier));
  if (!fw.threat_intel_mode.empty() && fw.threat_intel_mode != "Alert")
    c.opt("--threat-intel-mode", Word::lit(fw.threat_intel_mode));
  if (fw.dns_proxy) c.opt_fixed("--enable-dns-proxy", "true");
  c.opts("--zones", literals(fw.zones));
  auto needs = base_needs(r);
  needs.push_back("extension");
  // The management NIC. The azure-firewall extension (0.14.8) derives the management subnet from --vnet-name
  // only for a Basic firewall, and refuses a Basic firewall without --m-conf-name and --m-public-ip: so a Basic
  // firewall is created with its first data IP configuration and its management one at once. Standard and
  // Premium add the management configuration with their first `ip-config create` (--m-name, --m-vnet-name).
  const bool basic_with_management = fw.management && fw.sku_tier == "Basic" && !fw.ip_configurations.empty() &&
                                     fw.ip_configurations.front().subnet && fw.management->subnet;
  if (basic_with_management) {
    const auto& data = fw.ip_configurations.front();
    c.opt("--vnet-name", name(data.subnet->vnet)).opt("--conf-name", child(i, 0));
    c.opt("--public-ip", ref(i, data.public_ip, needs));
    c.opt("--m-conf-name", child(i, fw.ip_configurations.size())).opt("--m-public-ip", ref(i, fw.management->public_ip, needs));
    needs.push_back(key("create", data.public_ip));
    needs.push_back(key("create", fw.management->public_ip));
    needs.push_back(key("subnet", data.subnet->vnet, data.subnet->subnet));
    needs.push_back(key("subnet", fw.management->subnet->vnet, fw.management->subnet->subnet));
  }
  if (fw.policy) {
    c.opt("--firewall-policy", ref(i, *fw.policy, needs));
    for (auto dep : r.depends_on)  // the policy and every rule of its groups
      if (d_.resources[dep].kind == ir::Kind::rule_collection_group) needs.push_back(key("res", dep));
  }
  std::vector<std::string> keys = {key("create", i), key("res", i)};
  if (basic_with_management) {
    keys.push_back(key("pip.attached", fw.ip_configurations.front().public_ip));
    keys.push_back(key("pip.attached", fw.management->public_ip));
  }
  add(msg("Creating firewall ") + name(i) + msg(" (this takes a few minutes)"), {c.render()}, keys, needs);
  std::string prev = key("create", i);
  auto chain = [&](Word message, std::string line, std::vector<std::string> extra_needs, std::vector<std::string> keys) {
    extra_needs.push_back(prev);
    keys.push_back(key("res", i));
    std::string k = key("fw.step", i, steps_.size());
    keys.push_back(k);
    add(std::move(message), {std::move(line)}, std::move(keys), std::move(extra_needs));
    prev = k;
  };
  for (std::size_t j = basic_with_management ? 1 : 0; j < fw.ip_configurations.size(); ++j) {
    const auto& cfg = fw.ip_configurations[j];
    Command ic("az network firewall ip-config create");
    ic.opt("--resource-group", rg(i)).opt("--firewall-name", name(i)).opt("--name", child(i, j));
    std::vector<std::string> needs_ic = {key("create", cfg.public_ip)};
    ic.opt("--public-ip-address", ref(i, cfg.public_ip, needs_ic));
    if (cfg.subnet) {
      ic.opt("--vnet-name", name(cfg.subnet->vnet));
      if (auto id = subnet_in_other_group(i, *cfg.subnet, needs_ic)) ic.opt("--subnet", *id);
      needs_ic.push_back(key("subnet", cfg.subnet->vnet, cfg.subnet->subnet));
    }
    if (j == 0 && fw.management && fw.management->subnet && !basic_with_management) {
      ic.opt("--m-name", child(i, fw.ip_configurations.size())).opt("--m-public-ip-address", ref(i, fw.management->public_ip, needs_ic));
      ic.opt("--m-vnet-name", name(fw.management->subnet->vnet));
      if (auto id = subnet_in_other_group(i, *fw.management->subnet, needs_ic)) ic.opt("--management-subnet", *id);
      needs_ic.push_back(key("create", fw.management->public_ip));
      needs_ic.push_back(key("subnet", fw.management->subnet->vnet, fw.management->subnet->subnet));
    }
    chain(msg("Attaching public IP ") + name(cfg.public_ip) + msg(" to firewall ") + name(i), ic.render(), needs_ic,
          {key("pip.attached", cfg.public_ip)});
  }
  read_private_ip(i, prev);
  for (const auto& col : fw.network_collections) {
    for (std::size_t j = 0; j < col.rules.size(); ++j) {
      const auto& rule = col.rules[j];
      Command nr("az network firewall network-rule create");
      nr.opt("--resource-group", rg(i)).opt("--firewall-name", name(i));
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
      ar.opt("--resource-group", rg(i)).opt("--firewall-name", name(i));
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

// The firewall's private IP as Azure reports it, for the routes that name the firewall (after step `prev`).
void Emitter::read_private_ip(ir::Index i, std::string& prev) {
  if (private_ip_var_.count(i) == 0) return;
  const auto& var = private_ip_var_.at(i);
  Command show("az network firewall show");
  show.opt("--resource-group", rg(i)).opt("--name", name(i));
  show.opt_fixed("--query", "ipConfigurations[0].privateIPAddress").opt_fixed("-o", "tsv");
  add(msg("Reading the private IP of firewall ") + name(i),
      {show.render(var), require(var, msg("the private IP of firewall ") + name(i))},
      {key("fw.private_ip", i), key("res", i)}, {prev});
  prev = key("fw.private_ip", i);
}

void Emitter::plan_policy(ir::Index i, const ir::Resource& r) {
  const auto& p = r.as<ir::FirewallPolicy>();
  Command c("az network firewall policy create");
  c.opt("--resource-group", rg(i)).opt("--name", name(i)).opt("--location", location(i));
  // As for firewalls: the CLI leaves tier Standard and threat intelligence Alert to Azure's defaults.
  if (!p.sku_tier.empty() && p.sku_tier != "Standard") c.opt("--sku", Word::lit(p.sku_tier));
  if (!p.threat_intel_mode.empty() && p.threat_intel_mode != "Alert")
    c.opt("--threat-intel-mode", Word::lit(p.threat_intel_mode));
  if (p.dns_proxy) c.opt_fixed("--enable-dns-proxy", "true");
  auto needs = base_needs(r);
  needs.push_back("extension");
  std::vector<Word> servers, ips, fqdns;
  for (const auto& s : p.dns_servers) servers.push_back(Word::lit(s));
  for (const auto& s : p.threat_intel_allow_ips) ips.push_back(Word::lit(s));
  for (const auto& s : p.threat_intel_allow_fqdns) fqdns.push_back(Word::lit(s));
  c.opts("--dns-servers", servers).opts("--ip-addresses", ips).opts("--fqdns", fqdns);
  if (p.base) {  // the parent is created first (the IR's dependency); the CLI takes its name in this group
    c.opt("--base-policy", ref(i, *p.base, needs));
    needs.push_back(key("create", *p.base));
  }
  if (!p.idps_mode.empty()) c.opt("--idps-mode", Word::lit(p.idps_mode));
  if (p.tls_secret_id) {
    c.opt("--cert-name", text(p.tls_certificate_name)).opt("--key-vault-secret-id", text(*p.tls_secret_id));
    if (p.identity && identity_var_.count(*p.identity) != 0) {
      c.opt("--identity", Word::var(identity_var_.at(*p.identity)));
      needs.push_back(key("create", *p.identity));
    }
  }
  add(msg("Creating firewall policy ") + name(i), {c.render()}, {key("create", i), key("res", i)}, needs);
  // Signature overrides, one command each: the extension adds them to the policy's intrusion detection.
  std::string prev = key("create", i);
  for (std::size_t j = 0; j < p.idps_signatures.size(); ++j) {
    Command o("az network firewall policy intrusion-detection add");
    o.opt("--resource-group", rg(i)).opt("--policy-name", name(i));
    o.opt("--mode", Word::lit(p.idps_signatures[j].mode)).opt("--signature-id", Word::lit(p.idps_signatures[j].id));
    std::string k = key("idps.step", i, j);
    add(msg("Overriding IDPS signature " + p.idps_signatures[j].id + " in firewall policy ") + name(i), {o.render()},
        {k, key("res", i)}, {prev});
    prev = k;
  }
  if (!p.idps_bypass.empty() || !p.idps_private_ranges.empty()) plan_idps_configuration(i, p, prev);
}

// IDPS bypass rules and private ranges. The extension's `intrusion-detection add` has arguments for both, but
// its code (0.14.8, custom.py) appends a bypass rule to a configuration that a policy without signature
// overrides does not have, and splits --private-ranges, a list, as if it were a string: both fail at run time.
// The policy's generic update (`--set`, which every AAZ update command has) writes the two lists as JSON
// into the policy it reads back, keeping the signature overrides added before; it runs after them.
void Emitter::plan_idps_configuration(ir::Index i, const ir::FirewallPolicy& p, const std::string& after) {
  std::vector<std::string> needs = {after};
  auto string_list = [](Word& w, const std::vector<Word>& items) {
    w.append_lit("[");
    for (std::size_t k = 0; k < items.size(); ++k) {
      w.append_lit(k == 0 ? "\"" : ",\"");
      w += items[k];
      w.append_lit("\"");
    }
    w.append_lit("]");
  };
  auto quoted = [](const std::vector<std::string>& ss) {  // JSON-escaped, without the quotes string_list adds
    std::vector<Word> out;
    for (const auto& s : ss) {
      const std::string q = json::quote(s);
      out.push_back(Word::lit(q.substr(1, q.size() - 2)));
    }
    return out;
  };
  std::vector<Word> sets;
  if (!p.idps_bypass.empty()) {
    Word w = Word::lit("intrusionDetection.configuration.bypassTrafficSettings=[");
    for (std::size_t k = 0; k < p.idps_bypass.size(); ++k) {
      const auto& b = p.idps_bypass[k];
      w.append_lit(std::string(k == 0 ? "" : ",") + "{\"name\":" + json::quote(b.name) + ",\"protocol\":" +
                   json::quote(b.protocol));
      for (const auto& a : b.sources) address_needs(a, needs);
      for (const auto& a : b.destinations) address_needs(a, needs);
      if (!b.sources.empty() || b.source_ip_groups.empty()) {
        w.append_lit(",\"sourceAddresses\":");
        string_list(w, addresses(b.sources));
      }
      if (!b.source_ip_groups.empty()) {
        w.append_lit(",\"sourceIpGroups\":");
        string_list(w, ip_groups(b.source_ip_groups, needs));
      }
      if (!b.destinations.empty() || b.destination_ip_groups.empty()) {
        w.append_lit(",\"destinationAddresses\":");
        string_list(w, addresses(b.destinations));
      }
      if (!b.destination_ip_groups.empty()) {
        w.append_lit(",\"destinationIpGroups\":");
        string_list(w, ip_groups(b.destination_ip_groups, needs));
      }
      w.append_lit(",\"destinationPorts\":");
      string_list(w, quoted(b.destination_ports));
      w.append_lit("}");
    }
    w.append_lit("]");
    sets.push_back(std::move(w));
  }
  if (!p.idps_private_ranges.empty()) {
    Word w = Word::lit("intrusionDetection.configuration.privateRanges=");
    string_list(w, quoted(p.idps_private_ranges));
    sets.push_back(std::move(w));
  }
  Command c("az network firewall policy update");
  c.opt("--resource-group", rg(i)).opt("--name", name(i)).opts("--set", sets);
  add(msg("Setting IDPS bypass rules and private ranges of firewall policy ") + name(i), {c.render()},
      {key("idps.config", i), key("res", i)}, needs);
}

// A rule collection group, then its collections rule by rule; the next group of the policy waits for all
// of it (the IR's dependency on the previous group).
void Emitter::plan_rule_collection_group(ir::Index i, const ir::Resource& r) {
  const auto& g = r.as<ir::RuleCollectionGroup>();
  Command c("az network firewall policy rule-collection-group create");
  c.opt("--resource-group", rg(i)).opt("--policy-name", name(g.policy)).opt("--name", name(i));
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
    bash::RuleTarget t{rg(i), name(g.policy), name(i), col.name(), 0, "", true};
    // What the rule being added needs (its IP groups, addresses of other resources): cleared for each rule,
    // or every rule of a collection would carry the needs of all the rules before it, quadratic work in
    // order() for a large collection (tests/unit/policy_perf_test.cpp).
    std::vector<std::string> rule_needs;
    auto words = [&](const std::vector<ir::Address>& sources, const std::vector<ir::Index>& source_groups,
                     const std::vector<ir::Address>& destinations, const std::vector<ir::Index>& destination_groups) {
      rule_needs.clear();
      bash::RuleWords w{addresses(sources), ip_groups(source_groups, rule_needs), addresses(destinations),
                        ip_groups(destination_groups, rule_needs), {}, {}};
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
          for (const auto& u : rule.target_urls) w.target_urls.push_back(text(u));
          for (const auto& c : rule.web_categories) w.web_categories.push_back(text(c));
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
  plan_http_headers(i, g, prev);
}

// HTTP headers to insert. The azure-firewall extension 0.14.8 has no argument for them and its SDK (2021-08-01)
// no field: the group's own generic update would send them at an api-version that does not know them. So the
// script sets them on the group as a generic resource, at the templates' api-version, once the group holds
// every rule; a rule is found by its collection's and its own position, the order in which the script added
// them (names may hold dots, which the --set path would split).
void Emitter::plan_http_headers(ir::Index i, const ir::RuleCollectionGroup& g, std::string& prev) {
  std::vector<Word> sets;
  for (std::size_t c = 0; c < g.collections.size(); ++c) {
    if (g.collections[c].kind != ir::PolicyCollection::Kind::application) continue;
    const auto& rules = g.collections[c].application.rules;
    for (std::size_t k = 0; k < rules.size(); ++k) {
      if (rules[k].http_headers.empty()) continue;
      Word w = Word::lit(fmt::format("properties.ruleCollections[{}].rules[{}].httpHeadersToInsert=[", c, k));
      for (std::size_t h = 0; h < rules[k].http_headers.size(); ++h) {
        w.append_lit(h == 0 ? "{\"headerName\":" : ",{\"headerName\":");
        w += json_text(rules[k].http_headers[h].name);
        w.append_lit(",\"headerValue\":");
        w += json_text(rules[k].http_headers[h].value);
        w.append_lit("}");
      }
      w.append_lit("]");
      sets.push_back(std::move(w));
    }
  }
  if (sets.empty()) return;
  Command c("az resource update");
  c.opt("--resource-group", rg(i)).opt("--name", name(g.policy) + Word::lit("/") + name(i));
  c.opt("--resource-type", Word::lit(std::string(api::rule_collection_group.type)));
  c.opt("--api-version", Word::lit(std::string(api::rule_collection_group.version)));
  c.opts("--set", sets);
  const std::string k = key("rcg.headers", i);
  add(msg("Inserting HTTP headers in rules of rule collection group ") + name(i), {c.render()}, {k, key("res", i)},
      {prev});
  prev = k;
}

// A JSON string of text that may hold parameters: literal pieces escaped, a parameter's value spliced in as
// the script holds it (its value is the user's; the template outputs take it the same way).
Word Emitter::json_text(const ir::Text& t) const {
  const Word w = text(t);
  Word out = Word::lit("\"");
  for (const auto& seg : w.segs()) {
    if (seg.var) {
      out.append_var(seg.text);
    } else {
      const std::string q = json::quote(seg.text);
      out.append_lit(q.substr(1, q.size() - 2));
    }
  }
  out.append_lit("\"");
  return out;
}

std::vector<Word> Emitter::ip_groups(const std::vector<ir::Index>& groups, std::vector<std::string>& needs) const {
  std::vector<Word> out;
  for (auto g : groups) {
    out.push_back(Word::var(ip_group_var_.at(g)));
    needs.push_back(key("create", g));
  }
  return out;
}

// Last, as in the article: DNAT rules that publish the apps' internal load balancers on the firewall.
void Emitter::plan_nat_rules() {
  for (ir::Index i = 0; i < d_.resources.size(); ++i) {
    const auto& r = d_.resources[i];
    // A firewall deployed from a template has its DNAT rules already (plan_bulk.cpp).
    if (r.kind != ir::Kind::firewall || deployed_whole_.count(i) != 0) continue;
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
        c.opt("--resource-group", rg(i));
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

}  // namespace egress::emit::bash
