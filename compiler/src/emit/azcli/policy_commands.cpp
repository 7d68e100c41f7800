// Rule commands of firewall policies; see policy_commands.hpp.
#include "emit/azcli/policy_commands.hpp"

namespace egress::emit::bash {

namespace {

using sh::Word;

std::vector<Word> literals(const std::vector<std::string>& ss) {
  std::vector<Word> out;
  for (const auto& s : ss) out.push_back(Word::lit(s));
  return out;
}

// The command that creates the collection with this rule, or adds the rule to it; `kind` is the collection's.
Command start(const RuleTarget& t, const std::string& rule_name, const char* rule_type, bool nat) {
  const char* verb = !t.first ? "az network firewall policy rule-collection-group collection rule add"
                     : nat    ? "az network firewall policy rule-collection-group collection add-nat-collection"
                              : "az network firewall policy rule-collection-group collection add-filter-collection";
  Command c(verb);
  c.opt("--resource-group", t.resource_group).opt("--policy-name", t.policy).opt("--rcg-name", t.group);
  if (t.first) {
    c.opt("--name", Word::lit(t.collection)).opt_fixed("--collection-priority", std::to_string(t.priority));
    c.opt("--action", Word::lit(nat ? "DNAT" : t.action));
    c.opt("--rule-name", Word::lit(rule_name));
    if (!nat) c.opt("--rule-type", Word::lit(rule_type));  // add-nat-collection makes NAT rules only
  } else {
    c.opt("--collection-name", Word::lit(t.collection)).opt("--name", Word::lit(rule_name));
    c.opt("--rule-type", Word::lit(rule_type));
  }
  return c;
}

}  // namespace

Command policy_network_rule(const RuleTarget& t, const ir::NetworkRule& r, const RuleWords& w) {
  Command c = start(t, r.name, "NetworkRule", false);
  c.opts("--ip-protocols", literals(r.protocols));
  c.opts("--source-addresses", w.sources);
  c.opts("--source-ip-groups", w.source_ip_groups);
  c.opts("--destination-addresses", w.destinations);
  c.opts("--destination-ip-groups", w.destination_ip_groups);
  c.opts("--destination-fqdns", literals(r.destination_fqdns));
  c.opts("--destination-ports", literals(r.destination_ports));
  return c;
}

Command policy_application_rule(const RuleTarget& t, const ir::ApplicationRule& r, const RuleWords& w) {
  Command c = start(t, r.name, "ApplicationRule", false);
  std::vector<Word> protocols;
  for (const auto& p : r.protocols) protocols.push_back(Word::lit(p.type + "=" + std::to_string(p.port)));
  c.opts("--protocols", protocols);
  c.opts("--source-addresses", w.sources);
  c.opts("--source-ip-groups", w.source_ip_groups);
  c.opts("--target-fqdns", literals(r.target_fqdns));
  c.opts("--fqdn-tags", literals(r.fqdn_tags));
  c.opts("--target-urls", w.target_urls);
  c.opts("--web-categories", w.web_categories);
  if (r.terminate_tls) c.opt_fixed("--enable-tls-inspection", "true");
  return c;
}

Command policy_nat_rule(const RuleTarget& t, const ir::NatRule& r, const RuleWords& w) {
  Command c = start(t, r.name, "NatRule", true);
  c.opts("--ip-protocols", literals(r.protocols));
  c.opts("--source-addresses", w.sources);
  c.opts("--source-ip-groups", w.source_ip_groups);
  c.opts("--destination-addresses", w.destinations);
  c.opt("--destination-ports", Word::lit(r.destination_port));
  c.opt("--translated-address", Word::lit(r.translated_address));
  c.opt("--translated-port", Word::lit(r.translated_port));
  return c;
}

}  // namespace egress::emit::bash
