// E0224: every name egress writes into a template, a script or a manifest follows its resource type's rules.
// The rules admit only letters, digits and a few of `-_.()`, so this check is also the first line of defence
// against names that would break out of bash, YAML or JSON quoting (the emitters quote as well).
//
// Azure rules: "Naming rules and restrictions for Azure resources"
//   https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
//   (Microsoft.Network: 1-80, alphanumerics, underscores, periods and hyphens, start with an alphanumeric,
//   end with an alphanumeric or underscore; virtualNetworks 2-64; resourcegroups 1-90, not ending with a period;
//   managedClusters 1-63; userAssignedIdentities 3-128). Classic firewall rule collections, rules and IP
//   configurations are not listed there; egress holds them to the Microsoft.Network rule, as for
//   firewallPolicies/ruleGroups. Checked 2026-12-07 (sections Microsoft.Network, Microsoft.Resources,
//   Microsoft.ManagedIdentity). egress is stricter for resource groups: ASCII letters and digits only, where the
//   page allows any Unicode letter or digit.
// AKS dnsPrefix (egress uses the cluster's name): 1-54 letters, digits and hyphens, starting and ending with a
//   letter or digit (the AKS resource provider's check, as documented for azurerm_kubernetes_cluster.dns_prefix).
//   No Microsoft source: searched on 2026-12-07, the managedClusters ARM schema (2026-05-01) and its SDK
//   reference describe dnsPrefix without a length or pattern, and the naming-rules page has no row for it.
// Azure Firewall names: at most 50 characters ("Azure Firewall FAQ", "Is there a character limit for a firewall
//   name?"), stricter than the naming-rules page's 1-80 for azureFirewalls: facts::firewall::kMaxNameLength.
//   Checked 2026-12-07.
// Kubernetes: "Object Names and IDs" https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
//   (DNS-1123 labels and subdomains, RFC 1035 labels for Services), IANA_SVC_NAME for port names.
//   Environment variable names by the cluster's Kubernetes version: facts::kubernetes (KEP-4369, GA in 1.34:
//   any printable ASCII but `=`; before, `[-._a-zA-Z][-._a-zA-Z0-9]*`). Checked 2026-12-06.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>

#include "base/suggest.hpp"
#include "model/checks.hpp"
#include "sema/azure_facts.hpp"

namespace egress::model {

using namespace egress::sema;

namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// A character as a reader should see it in a message: `;`, `space`, `\x0a`.
std::string show(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (c == ' ') return "a space";
  if (u < 0x20 || u >= 0x7f) return fmt::format("the byte \\x{:02x}", u);
  if (c == '`') return "a backquote";
  return fmt::format("`{}`", c);
}

bool network_char(char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; }
bool alnum_or_underscore(char c) { return is_alnum(c) || c == '_'; }
bool group_char(char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-' || c == '(' || c == ')'; }
bool not_period(char c) { return c != '.'; }
bool identity_char(char c) { return is_alnum(c) || c == '_' || c == '-'; }
bool dns_prefix_char(char c) { return is_alnum(c) || c == '-'; }
bool label_char(char c) { return is_lower_alnum(c) || c == '-'; }
bool subdomain_char(char c) { return is_lower_alnum(c) || c == '-' || c == '.'; }
bool lower_letter(char c) { return c >= 'a' && c <= 'z'; }
bool config_key_char(char c) { return is_alnum(c) || c == '-' || c == '.' || c == '_'; }
bool any_char(char) { return true; }
bool env_first(char c) { return is_letter(c) || c == '-' || c == '.' || c == '_'; }
bool printable_not_equals(char c) { return c >= 0x20 && c <= 0x7e && c != '='; }

// What a name under one rule may hold, and the words a message uses for it. `summary` is the whole rule,
// for the diagnostic's note (name_rule_text); the other texts finish a message about one broken part.
struct Shape {
  NameRule rule;
  std::size_t min, max;
  bool (*allowed)(char);
  bool (*first)(char);
  bool (*last)(char);
  std::string_view allowed_text;
  std::string_view first_text;
  std::string_view last_text;
  std::string_view summary;
};

// One row per NameRule, in the enum's order.
constexpr Shape shapes[] = {
    {NameRule::resource_group, 1, 90, group_char, any_char, not_period, "letters, digits, `_`, `-`, `.`, `(` and `)`", "",
     "a character other than `.`", "1-90 characters: letters, digits, `_`, `-`, `.`, `(` and `)`, not ending with `.`"},
    {NameRule::virtual_network, 2, 64, network_char, is_alnum, alnum_or_underscore, "letters, digits, `_`, `.` and `-`",
     "a letter or digit", "a letter, digit or `_`",
     "2-64 characters: letters, digits, `_`, `.` and `-`, starting with a letter or digit and ending with a letter, "
     "digit or `_`"},
    {NameRule::network_child, 1, 80, network_char, is_alnum, alnum_or_underscore, "letters, digits, `_`, `.` and `-`",
     "a letter or digit", "a letter, digit or `_`",
     "1-80 characters: letters, digits, `_`, `.` and `-`, starting with a letter or digit and ending with a letter, "
     "digit or `_`"},
    {NameRule::identity, 3, 128, identity_char, is_alnum, any_char, "letters, digits, `_` and `-`", "a letter or digit", "",
     "3-128 characters: letters, digits, `_` and `-`, starting with a letter or digit"},
    {NameRule::cluster, 1, 54, dns_prefix_char, is_alnum, is_alnum, "letters, digits and `-`", "a letter or digit",
     "a letter or digit",
     "1-54 characters: letters, digits and `-`, starting and ending with a letter or digit (the name is also the "
     "cluster's DNS prefix)"},
    {NameRule::k8s_label, 1, 63, label_char, is_lower_alnum, is_lower_alnum, "lowercase letters, digits and `-`",
     "a lowercase letter or digit", "a lowercase letter or digit",
     "a DNS-1123 label: 1-63 lowercase letters, digits and `-`, starting and ending with a letter or digit"},
    {NameRule::k8s_service, 1, 63, label_char, lower_letter, is_lower_alnum, "lowercase letters, digits and `-`",
     "a lowercase letter", "a lowercase letter or digit",
     "an RFC 1035 label: 1-63 lowercase letters, digits and `-`, starting with a letter and ending with a letter or "
     "digit"},
    {NameRule::k8s_subdomain, 1, 253, subdomain_char, is_lower_alnum, is_lower_alnum,
     "lowercase letters, digits, `-` and `.`", "a lowercase letter or digit", "a lowercase letter or digit",
     "a DNS-1123 subdomain: 1-253 lowercase letters, digits, `-` and `.`, each dot-separated part starting and ending "
     "with a letter or digit"},
    {NameRule::k8s_config_key, 1, 253, config_key_char, any_char, any_char, "letters, digits, `-`, `_` and `.`", "", "",
     "1-253 letters, digits, `-`, `_` and `.`, not `.` or `..`"},
    {NameRule::k8s_port_name, 1, 15, label_char, is_lower_alnum, is_lower_alnum, "lowercase letters, digits and `-`",
     "a lowercase letter or digit", "a lowercase letter or digit",
     "an IANA service name: 1-15 lowercase letters, digits and `-`, with at least one letter, no `--`, not starting "
     "or ending with `-`"},
    {NameRule::k8s_env_name, 1, 4096, config_key_char, env_first, any_char, "letters, digits, `-`, `_` and `.`",
     "a letter, `-`, `_` or `.`", "",
     "letters, digits, `-`, `_` and `.`, not starting with a digit (Kubernetes before 1.34)"},
    {NameRule::firewall, 1, facts::firewall::kMaxNameLength, network_char, is_alnum, alnum_or_underscore,
     "letters, digits, `_`, `.` and `-`", "a letter or digit", "a letter, digit or `_`",
     "1-50 characters (the Azure Firewall FAQ's limit): letters, digits, `_`, `.` and `-`, starting with a letter "
     "or digit and ending with a letter, digit or `_`"},
    {NameRule::k8s_env_name_relaxed, 1, 4096, printable_not_equals, any_char, any_char,
     "printable ASCII characters other than `=`", "", "",
     "printable ASCII characters other than `=` (Kubernetes 1.34 and later)"},
};

constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < std::size(shapes); ++i)
    if (shapes[i].rule != static_cast<NameRule>(i)) return false;
  return std::size(shapes) == static_cast<std::size_t>(NameRule::k8s_env_name_relaxed) + 1;
}
static_assert(in_enum_order(), "shapes[] holds one row per NameRule, in the enum's order");

const Shape& shape(NameRule rule) { return shapes[static_cast<std::size_t>(rule)]; }

}  // namespace

std::string_view name_rule_text(NameRule rule) { return shape(rule).summary; }

std::string name_problem(NameRule rule, std::string_view name) {
  const Shape& s = shape(rule);
  if (name.empty()) return "is empty";
  for (char c : name)
    if (!s.allowed(c)) {
      if (rule == NameRule::cluster && c == '_')
        return "contains `_`, which the cluster's DNS prefix does not allow";
      if ((rule == NameRule::k8s_label || rule == NameRule::k8s_service || rule == NameRule::k8s_subdomain ||
           rule == NameRule::k8s_port_name) &&
          c >= 'A' && c <= 'Z')
        return fmt::format("contains the uppercase letter `{}`; only lowercase letters are allowed", c);
      return fmt::format("contains {}; only {} are allowed", show(c), s.allowed_text);
    }
  if (name.size() < s.min || name.size() > s.max)
    return s.min == s.max ? fmt::format("is {} characters long; it must be {}", name.size(), s.min)
           : name.size() < s.min ? fmt::format("is {} characters long; at least {} are required", name.size(), s.min)
                                 : fmt::format("is {} characters long; at most {} are allowed", name.size(), s.max);
  if (!s.first(name.front())) return fmt::format("starts with {}; it must start with {}", show(name.front()), s.first_text);
  if (!s.last(name.back())) return fmt::format("ends with {}; it must end with {}", show(name.back()), s.last_text);
  switch (rule) {
    case NameRule::k8s_subdomain: {
      std::size_t start = 0;
      while (start <= name.size()) {
        const auto dot = name.find('.', start);
        const auto part = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (part.empty()) return "has an empty part between dots";
        if (!is_lower_alnum(part.front()) || !is_lower_alnum(part.back()))
          return fmt::format("has the part `{}`, which does not start and end with a letter or digit", part);
        if (dot == std::string_view::npos) break;
        start = dot + 1;
      }
      break;
    }
    case NameRule::k8s_config_key:
      if (name == "." || name == "..") return "is `.` or `..`";
      break;
    case NameRule::k8s_port_name:
      if (name.find("--") != std::string_view::npos) return "contains `--`";
      if (std::none_of(name.begin(), name.end(), lower_letter)) return "has no letter";
      break;
    default: break;
  }
  return {};
}

std::string fqdn_problem(std::string_view fqdn, bool allow_wildcard) {
  if (fqdn.empty()) return "is empty";
  if (allow_wildcard && fqdn == "*") return {};
  if (fqdn.size() > 253) return fmt::format("is {} characters long; an FQDN has at most 253", fqdn.size());
  if (fqdn.back() == '.') return "ends with `.`";
  std::size_t start = 0;
  bool first = true;
  while (true) {
    const auto dot = fqdn.find('.', start);
    const auto label = fqdn.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return "has an empty label (two dots in a row, or a leading dot)";
    if (label == "*") {
      if (!allow_wildcard) return "contains the wildcard `*`";
      if (!first) return "has `*` in a label other than the leftmost";
      if (dot == std::string_view::npos) return {};
    } else if (allow_wildcard && first && label.front() == '*') {
      // `*contoso.com`: the Azure Firewall FAQ lists it as a supported target FQDN (it matches contoso.com and
      // anything ending in contoso.com). The rest of the label is a label's tail: it may start with `-`.
      const auto tail = label.substr(1);
      if (tail.size() > 62) return fmt::format("has the label `{}…`, longer than 63 characters", label.substr(0, 20));
      for (char c : tail) {
        if (c == '*') return "has more than one `*`; a wildcard is one `*` at the very start, as in `*.example.com`";
        if (!is_alnum(c) && c != '-') return fmt::format("contains {}; labels hold only letters, digits and `-`", show(c));
      }
      if (tail.back() == '-') return fmt::format("has the label `{}`, which ends with `-`", label);
    } else {
      if (label.size() > 63) return fmt::format("has the label `{}…`, longer than 63 characters", label.substr(0, 20));
      for (char c : label) {
        if (c == '*')
          return !allow_wildcard ? "contains the wildcard `*`"
                 : first ? "has `*` after the start of the name; Azure Firewall takes `*` only at the very start, as "
                           "in `*.example.com` or `*example.com`"
                         : "has `*` in a label other than the leftmost";
        if (!is_alnum(c) && c != '-')
          return fmt::format("contains {}; labels hold only letters, digits and `-`", show(c));
      }
      if (label.front() == '-' || label.back() == '-')
        return fmt::format("has the label `{}`, which starts or ends with `-`", label);
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
    first = false;
  }
  return {};
}

std::string closest_name(std::string_view word, const std::set<std::string, std::less<>>& candidates) {
  return closest(word, candidates, Case::ignored);
}

bool fully_known(const Text& text, const Program& program) {
  for (const auto& part : text.parts) {
    if (!part.param) continue;
    const Param* p = program.find_param(part.text);
    if (p == nullptr || !p->value()) return false;
  }
  return true;
}

namespace {

/// A name as it may appear in a message: control bytes escaped so a message stays on one line.
std::string quoted(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 100)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) out += fmt::format("\\x{:02x}", u);
    else out += c;
  }
  if (name.size() > 100) out += "…";
  return out;
}

class NameChecker {
 public:
  NameChecker(const Program& p, Diagnostics& d) : program_(p), diags_(d) {}

  void azure(const Text& name, Span fallback, NameRule rule, std::string_view what) {
    if (!fully_known(name, program_)) return;  // a parameter without a default: known only at deployment
    report(name.value, name.span.length != 0 ? name.span : fallback, rule, what, true);
  }
  void azure(const std::string& name, Span span, NameRule rule, std::string_view what) {
    report(name, span, rule, what, true);
  }
  void kube(const std::string& name, Span span, NameRule rule, std::string_view what) {
    report(name, span, rule, what, false);
  }

 private:
  void report(std::string_view name, Span span, NameRule rule, std::string_view what, bool azure) {
    const auto problem = name_problem(rule, name);
    if (problem.empty()) return;
    diags_.report(Code::E0224, span,
                  fmt::format("{} name \"{}\" {}: {}", what, quoted(name), problem,
                              azure ? "Azure rejects the deployment" : "the Kubernetes API server rejects the manifest"),
                  fmt::format("{} names are {}", what, name_rule_text(rule)));
  }

  const Program& program_;
  Diagnostics& diags_;
};

/// The environment-variable naming rule of the cluster's declared Kubernetes version; without a known version
/// (none declared, or a parameter without a default) the rule every version accepts.
NameRule env_name_rule(const Cluster* cluster, const Program& program) {
  if (cluster == nullptr || cluster->kubernetes_version.value.empty() ||
      !fully_known(cluster->kubernetes_version, program))
    return NameRule::k8s_env_name;
  const auto v = facts::kubernetes::parse_version(cluster->kubernetes_version.value);
  return v && facts::kubernetes::relaxed_env_names(*v) ? NameRule::k8s_env_name_relaxed : NameRule::k8s_env_name;
}

}  // namespace

void check_names(const Program& program, Diagnostics& diags) {
  NameChecker n(program, diags);
  for (const auto& g : program.groups) n.azure(g.name, g.span, NameRule::resource_group, "resource group");
  for (const auto& v : program.vnets) {
    n.azure(v.name, v.span, NameRule::virtual_network, "virtual network");
    for (const auto& s : v.subnets) n.azure(s.name, s.span, NameRule::network_child, "subnet");
  }
  for (const auto& p : program.public_ips) n.azure(p.name, p.span, NameRule::network_child, "public IP");
  for (const auto& fw : program.firewalls) {
    n.azure(fw.name, fw.span, NameRule::firewall, "firewall");
    for (const auto& f : fw.frontends) n.azure(f.config_name, f.span, NameRule::network_child, "IP configuration");
    if (fw.management) n.azure(fw.management->config_name, fw.management->span, NameRule::network_child, "IP configuration");
    for (const auto& col : fw.collections) {
      n.azure(col.name, col.span, NameRule::network_child, "rule collection");
      for (const auto& r : col.network_rules) n.azure(r.name, r.span, NameRule::network_child, "rule");
      for (const auto& r : col.application_rules) n.azure(r.name, r.span, NameRule::network_child, "rule");
      for (const auto& r : col.dnat_rules) n.azure(r.name, r.span, NameRule::network_child, "DNAT rule");
    }
  }
  for (const auto& rt : program.route_tables) {
    n.azure(rt.name, rt.span, NameRule::network_child, "route table");
    for (const auto& r : rt.routes) n.azure(r.name, r.span, NameRule::network_child, "route");
  }
  for (const auto& id : program.identities) n.azure(id.name, id.span, NameRule::identity, "managed identity");
  for (const auto& c : program.clusters) n.azure(c.name, c.span, NameRule::cluster, "cluster");
  for (const auto& app : program.apps) {
    const auto env_rule = env_name_rule(app.cluster, program);
    n.kube(app.ns, app.span, NameRule::k8s_label, "namespace");
    for (const auto& cm : app.configs) {
      n.kube(cm.name, cm.span, NameRule::k8s_subdomain, "ConfigMap");
      for (const auto& [key, _] : cm.files) n.kube(key, cm.span, NameRule::k8s_config_key, "ConfigMap key");
    }
    for (const auto& w : app.workloads) {
      // A DNS-1123 label, not a subdomain: the name is also the container's name and the `app` label's value.
      n.kube(w.name, w.span, NameRule::k8s_label, w.kind == Workload::Kind::statefulset ? "StatefulSet" : "Deployment");
      for (const auto& p : w.ports)
        if (!p.name.empty()) n.kube(p.name, p.span, NameRule::k8s_port_name, "port");
      for (const auto& [key, _] : w.env) n.kube(key, w.span, env_rule, "environment variable");
      for (const auto& m : w.mounts) n.kube(m.key, m.span, NameRule::k8s_config_key, "ConfigMap key");
      for (const auto& wf : w.wait_for) n.kube(wf.host, wf.span, NameRule::k8s_subdomain, "host");
    }
    for (const auto& svc : app.services) {
      n.kube(svc.name, svc.span, NameRule::k8s_service, "Service");
      for (const auto& p : svc.ports) n.kube(p.name, p.span, NameRule::k8s_port_name, "port");
    }
  }
}

}  // namespace egress::model
