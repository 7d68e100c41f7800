// The az commands that fill a firewall policy's rule collection groups (azure-firewall extension):
// `collection add-filter-collection` / `add-nat-collection` create a collection with its first rule, and
// `collection rule add` adds each further rule. The script emitter (azcli.cpp) plans them; this file spells
// them, from words it has already made of the IR's names and addresses.
#pragma once
#include <string>
#include <vector>

#include "emit/azcli/command.hpp"
#include "lower/ir.hpp"

namespace egress::emit::bash {

/// Where a rule goes: the resource group, policy and rule collection group (bash words), and its collection.
struct RuleTarget {
  sh::Word resource_group;
  sh::Word policy;
  sh::Word group;
  std::string collection;
  int priority = 0;
  std::string action;  // Allow | Deny | Dnat
  bool first = false;  // the collection's first rule: the command creates the collection
};

/// A rule's addresses and IP groups, as bash words (a public IP's address is a variable read back).
struct RuleWords {
  std::vector<sh::Word> sources;
  std::vector<sh::Word> source_ip_groups;
  std::vector<sh::Word> destinations;  // network rules: addresses; NAT rules: the public IP's address
  std::vector<sh::Word> destination_ip_groups;
  std::vector<sh::Word> target_urls;     // application rules of Premium policies
  std::vector<sh::Word> web_categories;  // application rules
};

Command policy_network_rule(const RuleTarget& t, const ir::NetworkRule& r, const RuleWords& w);
Command policy_application_rule(const RuleTarget& t, const ir::ApplicationRule& r, const RuleWords& w);
Command policy_nat_rule(const RuleTarget& t, const ir::NatRule& r, const RuleWords& w);

}  // namespace egress::emit::bash
