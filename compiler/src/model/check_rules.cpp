// E0222-E0233, E0260, E0261, W0204, W0209: rule collections and their rules; E0240, E0241, W0210: what each
// firewall SKU and its frontends allow. (W0203, rules that never match: check_shadowing.cpp.)
//
// Sources (page title, section, date last checked; docs/azure-facts.md has a row for each):
//   Collection priority 100-65000 (E0222): "Microsoft.Network azureFirewalls" ARM template reference
//     (learn.microsoft.com/azure/templates/microsoft.network/azurefirewalls), and the validators' ARM schema of
//     Microsoft.Network 2025-07-01 it is generated from (priority: minimum 100, maximum 65000, for network,
//     application and NAT rule collections). Checked 2026-12-07 against the schema (the page was not re-read).
//   FQDNs in network rules (E0228, E0229): "Use FQDN filtering in network rules"
//     (learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules), introduction: "You must enable DNS Proxy
//     to use FQDNs in your network rules"; its note: "FQDN filtering in network rules doesn't support
//     wildcards". Checked 2026-12-07.
//   Service tags only as destinations of network rules (E0106): "Virtual network service tags", note under
//     "Available service tags": "When using service tags with Azure Firewall, you can only create destination
//     rules ... Source rules are not supported". Checked 2026-12-07.
//   Which service tags Azure Firewall takes, and which have a regional form (E0231, E0261): "Virtual network
//     service tags", table "Available service tags", columns "Can be regional?" and "Can use with Azure
//     Firewall?" (the lists are data: stdlib/azure.egress). Checked 2026-12-07.
//   FQDN tags only in application rules (E0230): "FQDN tags overview" (learn.microsoft.com/azure/firewall/
//     fqdn-tags), table "Current FQDN tags" and its note. Checked 2026-12-07.
//   Microsoft 365 FQDN tags only with a Firewall Policy (E0260): "Use Azure Firewall to protect Microsoft 365",
//     note: "Azure Firewall policy supports Microsoft 365 service tags and FQDN tags. Classic rules don't support
//     them." Checked 2026-12-07 (ms.date 03/28/2026).
//   Wildcards in target FQDNs (E0233): "Azure Firewall FAQ", "How do wildcards work in target URLs and target
//     FQDNs in application rules?": "Asterisks work when placed on the left-most side"; `*.contoso.com` and
//     `*contoso.com` are supported, `www.contoso.*` and `*.contoso.*` are not. Checked 2026-12-06 (the only FAQ
//     version found on 2026-12-07 predates this answer).
//   SKUs (E0240): "Azure Firewall features by SKU" (learn.microsoft.com/azure/firewall/features-by-sku; Basic: no
//     DNS proxy, no network-level FQDN filtering, threat intelligence alert only); "Azure Firewall Management NIC"
//     (learn.microsoft.com/azure/firewall/management-nic: "all Basic Firewall versions ... always have a
//     Management NIC enabled"; AzureFirewallManagementSubnet "minimum subnet size /26", with its own public IP
//     address). Checked before issue 10 (the features page) and 2026-12-07 (the management NIC page).
//   Frontends (E0241): "Configure public IP for Azure Firewall" (learn.microsoft.com/azure/virtual-network/
//     ip-services/configure-public-ip-firewall): "Azure Firewall requires at least one public static IP address
//     ... supports Standard SKU public IP addresses. Basic SKU public IP address and public IP prefixes aren't
//     supported." Checked before issue 10 (not re-read on 2026-12-07).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

#include "base/ascii.hpp"
#include "model/checks.hpp"

namespace egress::model {

using namespace egress::sema;

namespace {

std::string_view kind_text(CollectionKind k) {
  switch (k) {
    case CollectionKind::network: return "network";
    case CollectionKind::application: return "application";
    case CollectionKind::nat: return "nat";
  }
  return "";
}

// ---------------------------------------------------------------------------------------------- collections

void collections(const Firewall& fw, Diagnostics& diags) {
  // Priorities and names are unique per firewall for classic rules, per rule collection group in a policy.
  std::map<std::tuple<const RuleCollectionGroup*, CollectionKind, int>, const RuleCollection*> priorities;
  std::map<std::tuple<const RuleCollectionGroup*, CollectionKind, std::string>, const RuleCollection*> names;
  struct RuleName {
    std::string_view name;
    Span span;
    bool derived;  // a DNAT rule's name made from its target and port
  };
  std::vector<RuleName> rule_names;
  for (const auto& col : fw.collections) {
    ContextNotes from_use(diags, col.origin);  // a collection a `use` placed: which use (sema/decl_rule_set.cpp)
    const auto kind = kind_text(col.kind);
    if (col.priority < 100 || col.priority > 65000) {
      diags.report(Code::E0222, col.span,
                   fmt::format("{} collection `{}` has priority {}: Azure Firewall accepts 100 to 65000 and rejects "
                               "the deployment",
                               kind, col.name, col.priority),
                   "lower numbers are processed first; choose a priority from 100 to 65000");
    } else if (auto [it, fresh] = priorities.try_emplace({col.group, col.kind, col.priority}, &col); !fresh) {
      auto& d = diags.report(Code::E0223, col.span,
                             fmt::format("{} collections `{}` and `{}` both have priority {}: Azure Firewall needs a "
                                         "unique priority per collection to know which applies first",
                                         kind, it->second->name, col.name, col.priority),
                             "give each collection of a kind its own priority");
      d.notes.push_back({it->second->span, it->second->implicit
                                               ? "the `dnat` lines written directly in the firewall form a nat "
                                                 "collection `dnat` with priority 100"
                                               : fmt::format("collection `{}` has the same priority", it->second->name)});
      if (it->second->origin != col.origin)
        for (const auto& n : it->second->origin) d.notes.push_back({n.span, fmt::format("`{}`: {}", it->second->name, n.message)});
    }
    if (auto [it, fresh] = names.try_emplace({col.group, col.kind, col.name}, &col); !fresh) {
      auto& d = diags.report(Code::E0226, col.span,
                             fmt::format("{} has two {} collections named `{}`: Azure keeps one and the "
                                         "other's rules are lost, or rejects the deployment",
                                         col.group != nullptr ? fmt::format("rule collection group `{}`", col.group->name)
                                                              : fmt::format("firewall `{}`", fw.symbol),
                                         kind, col.name),
                             "rename one of the collections");
      d.notes.push_back({it->second->span, it->second->implicit
                                               ? "the `dnat` lines written directly in the firewall form a nat "
                                                 "collection named `dnat`"
                                               : "the first collection of that name"});
      if (it->second->origin != col.origin)
        for (const auto& n : it->second->origin) d.notes.push_back({n.span, fmt::format("the first: {}", n.message)});
    }
    // E0225: rule names within a collection. The names are sorted (stably, so the first of equal names is the
    // first written) and equal neighbours reported: no map node per rule, one vector reused for every collection.
    rule_names.clear();
    for (const auto& r : col.network_rules) rule_names.push_back({r.name, r.span, false});
    for (const auto& r : col.application_rules) rule_names.push_back({r.name, r.span, false});
    for (const auto& r : col.dnat_rules) rule_names.push_back({r.name, r.span, true});
    std::stable_sort(rule_names.begin(), rule_names.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (std::size_t i = 1, first = 0; i < rule_names.size(); ++i) {
      if (rule_names[i].name != rule_names[first].name) {
        first = i;
        continue;
      }
      auto& d = diags.report(Code::E0225, rule_names[i].span,
                             fmt::format("collection `{}` has two rules named `{}`: Azure rejects the deployment",
                                         col.name, rule_names[i].name),
                             rule_names[i].derived ? "this DNAT rule's name is derived from its target and port; "
                                                     "name it: `dnat NAME ...`"
                                                   : "give each rule of a collection its own name");
      d.notes.push_back({rule_names[first].span, "the first rule of that name"});
    }
  }
}

// ---------------------------------------------------------------------------------------------- endpoints

class RuleChecker {
 public:
  RuleChecker(const Program& p, const Catalog& c, Diagnostics& d) : program_(p), catalog_(c), diags_(d) {
    for (const auto& r : catalog_.regions) regions_.insert(ascii_lower(r));
  }

  void firewall(const Firewall& fw) {
    fqdn_rules_.clear();
    for (const auto& col : fw.collections) {
      ContextNotes from_use(diags_, col.origin);
      for (const auto& r : col.network_rules) network_rule(fw, col, r);
      for (const auto& r : col.application_rules) application_rule(fw, col, r);
      for (const auto& r : col.dnat_rules) sources(r.sources, "DNAT rule");
    }
    if (!fqdn_rules_.empty()) fqdns_need_dns_proxy(fw);
  }

 private:
  /// Sources are `*`, addresses, prefixes, subnets or public IPs; Azure Firewall takes no tags there.
  void sources(const std::vector<Endpoint>& list, std::string_view what) {
    for (const auto& e : list) {
      if (e.kind == Endpoint::Kind::service_tag)
        diags_.report(Code::E0106, e.span,
                      fmt::format("`{}` is a service tag, but Azure Firewall takes service tags only as destinations "
                                  "of network rules, not as a {}'s source",
                                  e.text, what),
                      "write the source as `*`, an address, a prefix or a subnet (vnet.subnet)");
      else if (e.kind == Endpoint::Kind::fqdn_tag)
        diags_.report(Code::E0106, e.span,
                      fmt::format("FQDN tag `{}` cannot be a {}'s source: FQDN tags name destinations of application "
                                  "rules",
                                  e.text, what),
                      "write the source as `*`, an address, a prefix or a subnet (vnet.subnet)");
    }
  }

  void network_rule(const Firewall& fw, const RuleCollection& col, const NetworkRule& r) {
    sources(r.sources, "network rule");
    // E0227: ICMP has no ports; TCP and UDP need them.
    const bool icmp_only = !r.protocols.empty() && std::all_of(r.protocols.begin(), r.protocols.end(),
                                                               [](Protocol p) { return p == Protocol::icmp; });
    const bool full_only = r.ports.size() == 1 && r.ports[0].first == 1 && r.ports[0].last == 65535;
    if (icmp_only && !r.ports.empty() && !full_only) {
      diags_.report(Code::E0227, r.ports.front().span,
                    fmt::format("rule `{}` gives ports for ICMP, which has none: Azure rejects ICMP rules with "
                                "destination ports other than `*`",
                                r.name),
                    "remove the ports (`: ...`), or add `tcp`/`udp` if those ports were meant");
    } else if (!icmp_only && r.ports.empty()) {
      diags_.report(Code::E0227, r.span,
                    fmt::format("rule `{}` allows {} but names no destination ports: it would open every port",
                                r.name, protocol_list(r.protocols)),
                    "add the ports, e.g. `: 443`, or `: *` if every port is really meant");
    }
    for (const auto& d : r.destinations) {
      switch (d.kind) {
        case Endpoint::Kind::fqdn: {
          if (d.text.find('*') != std::string::npos) {
            diags_.report(Code::E0229, d.span,
                          fmt::format("network rule `{}` names the wildcard \"{}\": network rules resolve FQDNs "
                                      "through DNS and take no wildcards, so Azure rejects it",
                                      r.name, d.text),
                          "list the exact names, or use an application rule (HTTP/HTTPS/MSSQL), which takes "
                          "`*.example.com`");
          } else {
            fqdn_syntax(d, false);
          }
          fqdn_rules_.push_back({&col, &r, &d});
          break;
        }
        case Endpoint::Kind::fqdn_tag: {
          auto& diag = diags_.report(Code::E0230, d.span,
                                     fmt::format("network rule `{}` names FQDN tag `{}`: FQDN tags work only in "
                                                 "application rules, and Azure rejects the rule",
                                                 r.name, d.text),
                                     "move the destination into an application rule, e.g. `allow NAME https:443 * -> "
                                     "tag " + d.text + "`");
          diag.notes.push_back({col.span, fmt::format("network collection `{}`", col.name)});
          if (catalog_.service_tags.count(d.text)) {
            diag.hint = fmt::format("`{}` is also a service tag: write it without `tag` to use the service tag", d.text);
            diag.fixits.push_back({d.span, d.text});
          }
          break;
        }
        case Endpoint::Kind::service_tag: service_tag(d); break;
        default: break;
      }
    }
    // W0204: `*` to `*` on every port with every protocol, allowed.
    const bool any_protocol = std::find(r.protocols.begin(), r.protocols.end(), Protocol::any) != r.protocols.end() ||
                              (has(r.protocols, Protocol::tcp) && has(r.protocols, Protocol::udp) &&
                               has(r.protocols, Protocol::icmp));
    const bool any_port = r.ports.empty() || std::any_of(r.ports.begin(), r.ports.end(), [](const PortRange& p) {
                            return p.first == 1 && p.last == 65535;
                          });
    if (col.action == Action::allow && any_protocol && any_port && has_any(r.sources) && has_any(r.destinations)) {
      auto& diag = diags_.report(Code::W0204, r.span,
                                 fmt::format("rule `{}` allows any source to any destination on every port and "
                                             "protocol: firewall `{}` filters nothing, and every rule after it is moot",
                                             r.name, fw.symbol),
                                 "allow only the destinations and ports the workloads need");
      diag.notes.push_back({col.span, fmt::format("allow collection `{}`", col.name)});
    }
  }

  void application_rule(const Firewall& fw, const RuleCollection& col, const ApplicationRule& r) {
    sources(r.sources, "application rule");
    for (const auto& t : r.targets) {
      switch (t.kind) {
        case Endpoint::Kind::any:
          any_fqdn(col, r, t);
          break;
        case Endpoint::Kind::fqdn:
          if (t.text == "*") any_fqdn(col, r, t);
          else fqdn_syntax(t, true);
          break;
        case Endpoint::Kind::fqdn_tag:
          fqdn_tag(t);
          // A policy firewall's collections are its policy's, which take them.
          if (catalog_.policy_only_fqdn_tags.count(t.text) && fw.policy == nullptr) policy_only_fqdn_tag(fw, r, t);
          break;
        case Endpoint::Kind::service_tag: {
          auto& d = diags_.report(Code::E0106, t.span,
                                  fmt::format("application rule `{}` targets `{}`, but application rules take FQDNs or "
                                              "FQDN tags, not service tags",
                                              r.name, t.text),
                                  catalog_.fqdn_tags.count(t.text)
                                      ? fmt::format("`{}` is an FQDN tag: write `tag {}`", t.text, t.text)
                                      : "move service tags into a network rule; write FQDNs as strings");
          if (catalog_.fqdn_tags.count(t.text) && t.pattern().is_literal()) d.fixits.push_back({t.span, "tag " + t.text});
          break;
        }
        default:
          diags_.report(Code::E0106, t.span,
                        fmt::format("application rule `{}` targets the address `{}`: application rules match FQDNs "
                                    "(by SNI or Host header), never addresses",
                                    r.name, t.text),
                        "put addresses in a network rule, or write the FQDN as a string");
          break;
      }
    }
  }

  void any_fqdn(const RuleCollection& col, const ApplicationRule& r, const Endpoint& t) {
    if (col.action != Action::allow) return;
    auto& d = diags_.report(Code::W0209, t.span,
                            fmt::format("application rule `{}` allows every FQDN: HTTP and HTTPS leave to any site, "
                                        "including ones that exfiltrate data",
                                        r.name),
                            "list the FQDNs the workloads need, or an FQDN tag such as AzureKubernetesService");
    d.notes.push_back({col.span, fmt::format("allow collection `{}`", col.name)});
  }

  void fqdn_syntax(const Endpoint& e, bool allow_wildcard) {
    if (!fully_known(e.pattern(), program_)) return;
    const auto problem = fqdn_problem(e.text, allow_wildcard);
    if (problem.empty()) return;
    diags_.report(Code::E0233, e.span,
                  fmt::format("\"{}\" is not a valid {}: it {}; Azure rejects the rule", e.text,
                              allow_wildcard ? "FQDN or wildcard" : "FQDN", problem),
                  allow_wildcard ? "write a host name such as \"mcr.microsoft.com\", or a wildcard that starts the "
                                   "name, such as \"*.blob.core.windows.net\" or \"*contoso.com\""
                                 : "write a host name such as \"ntp.ubuntu.com\": labels of 1-63 letters, digits and "
                                   "`-`, at most 253 characters");
  }

  void fqdn_tag(const Endpoint& e) {
    if (catalog_.fqdn_tags.count(e.text)) return;
    auto guess = closest_name(e.text, catalog_.fqdn_tags);
    // `AzureHDInsight` (the spelling of the "FQDN tags overview" table) for `HDInsight`: try without the prefix.
    if (guess.empty() && e.text.rfind("Azure", 0) == 0 && catalog_.fqdn_tags.count(e.text.substr(5)))
      guess = e.text.substr(5);
    diags_.report(Code::E0232, e.span,
                  ascii_lower(guess) == ascii_lower(e.text)
                      ? fmt::format("FQDN tag `{}` is spelled `{}` in Azure's list of FQDN tags", e.text, guess)
                      : fmt::format("`{}` is not an Azure Firewall FQDN tag: Azure rejects the rule", e.text),
                  guess.empty() ? "FQDN tags are listed in stdlib/azure.egress (`fqdn_tags`), e.g. "
                                  "AzureKubernetesService, WindowsUpdate"
                                : fmt::format("did you mean `tag {}`?", guess));
  }

  bool known_region(std::string_view r) const { return regions_.count(ascii_lower(r)) != 0; }

  /// E0260: a classic rule takes no Microsoft 365 FQDN tag (a Firewall Policy's rule does).
  void policy_only_fqdn_tag(const Firewall& fw, const ApplicationRule& r, const Endpoint& t) {
    auto& d = diags_.report(
        Code::E0260, t.span,
        fmt::format("application rule `{}` names FQDN tag `{}`, which only a Firewall Policy takes: firewall `{}` "
                    "has classic rules, which don't support Microsoft 365 tags (\"Use Azure Firewall to protect "
                    "Microsoft 365\"), and Azure rejects the rule",
                    r.name, t.text, fw.symbol),
        "configure the firewall with a `firewall_policy` (`policy NAME`) and put the rule in one of its "
        "`rule_group`s, or list the Microsoft 365 FQDNs the workloads need as strings");
    d.notes.push_back({fw.span, fmt::format("firewall `{}` is declared here, with classic rule collections", fw.symbol)});
  }

  /// E0231 for a tag the service tag list marks as not usable with Azure Firewall.
  void unsupported_service_tag(const Endpoint& e, std::string_view tag) {
    diags_.report(Code::E0231, e.span,
                  fmt::format("`{}` is a service tag Azure Firewall does not take (\"Virtual network service tags\", "
                              "column \"Can use with Azure Firewall?\": No): Azure rejects the rule",
                              tag),
                  tag == "Internet" || tag == "VirtualNetwork"
                      ? "write the addresses as prefixes, e.g. `0.0.0.0/0` for any Internet address or the VNet's prefix"
                      : "name the service's addresses as prefixes, or use a service tag the firewall takes");
  }

  /// E0261: `TAG.region` where TAG has no regional form.
  void not_regional(const Endpoint& e, std::string_view tag, std::string_view region) {
    auto& d = diags_.report(
        Code::E0261, e.span,
        fmt::format("service tag `{}` has no regional form (\"Virtual network service tags\", column \"Can be "
                    "regional?\": No), so `{}.{}` names no tag and Azure rejects the rule",
                    tag, tag, region),
        fmt::format("write `{}`: it covers every region", tag));
    if (e.pattern().is_literal()) d.fixits.push_back({e.span, std::string(tag)});
  }

  /// E0231, E0261: a tag from the catalog, optionally followed by `.region` when the tag has a regional form.
  void service_tag(const Endpoint& e) {
    std::string text = e.text;
    const bool known = fully_known(e.pattern(), program_);
    bool region_hole = false;  // `TAG.${p}` with no value for p
    if (!known) {
      // `AzureCloud.${location}` with no default: check the tag before the unknown region.
      const auto hole = text.find("${");
      text = text.substr(0, hole);
      if (!text.empty() && text.back() == '.') {
        text.pop_back();
        region_hole = true;
      }
      if (text.empty()) return;
    }
    if (catalog_.service_tags.count(text)) {
      if (region_hole && !catalog_.regional(text)) not_regional(e, text, e.text.substr(text.size() + 1));
      return;
    }
    if (catalog_.firewall_unsupported_tags.count(text)) return unsupported_service_tag(e, text);
    for (auto dot = text.find('.'); dot != std::string::npos; dot = text.find('.', dot + 1)) {
      const auto base = std::string_view(text).substr(0, dot);
      const auto region = std::string_view(text).substr(dot + 1);
      if (catalog_.firewall_unsupported_tags.find(base) != catalog_.firewall_unsupported_tags.end())
        return unsupported_service_tag(e, base);
      if (catalog_.service_tags.find(base) == catalog_.service_tags.end()) continue;
      if (!catalog_.regional(base)) return not_regional(e, base, region);
      if (!known || known_region(region)) return;
      // A known tag with an unknown region suffix.
      const auto guess = closest_name(region, catalog_.regions);
      auto& d = diags_.report(Code::E0231, e.span,
                              fmt::format("service tag `{}` names region `{}`, which is not an Azure region: Azure "
                                          "rejects the rule",
                                          text, region),
                              guess.empty() ? "regional service tags are written TAG.region, e.g. AzureCloud.eastus"
                                            : fmt::format("did you mean `{}.{}`?", base, guess));
      if (!guess.empty() && e.pattern().is_literal()) d.fixits.push_back({e.span, fmt::format("{}.{}", base, guess)});
      return;
    }
    // Unknown tag: suggest the closest, keeping a region suffix the user wrote.
    std::string base = text, suffix;
    if (const auto dot = text.rfind('.'); dot != std::string::npos && known_region(text.substr(dot + 1))) {
      base = text.substr(0, dot);
      suffix = text.substr(dot);
    }
    const auto guess = closest_name(base, catalog_.service_tags);
    if (!suffix.empty() && !guess.empty() && !catalog_.regional(guess)) suffix.clear();
    auto& d = diags_.report(Code::E0231, e.span,
                            ascii_lower(guess) == ascii_lower(base)
                                ? fmt::format("service tag `{}` is spelled `{}{}` in Azure's list of service tags", text,
                                              guess, suffix)
                                : fmt::format("`{}` is not an Azure service tag: Azure rejects the rule", text),
                            guess.empty() ? "service tags are listed in stdlib/azure.egress (`service_tags`); an FQDN "
                                            "must be written as a string: \"example.com\""
                                          : fmt::format("did you mean `{}{}`?", guess, suffix));
    if (!guess.empty() && e.pattern().is_literal()) d.fixits.push_back({e.span, guess + suffix});
  }

  /// E0228: one error per firewall, at the first FQDN, with the fix-it that turns the DNS proxy on.
  void fqdns_need_dns_proxy(const Firewall& fw) {
    if (fw.dns_proxy || fw.sku == FirewallSku::basic) return;  // Basic: E0240 (no DNS proxy at all)
    const auto& first = fqdn_rules_.front();
    auto& d = diags_.report(
        Code::E0228, first.endpoint->span,
        fmt::format("network rule `{}` names \"{}\", but firewall `{}` has no DNS proxy: Azure rejects FQDNs in network "
                    "rules unless the firewall resolves them{}",
                    first.rule->name, first.endpoint->text, fw.symbol,
                    fqdn_rules_.size() > 1 ? fmt::format(" ({} more FQDN{} in network rules)", fqdn_rules_.size() - 1,
                                                         fqdn_rules_.size() > 2 ? "s" : "")
                                           : std::string()),
        "turn the DNS proxy on: `dns_proxy on` in the firewall");
    d.notes.push_back({fw.span, fmt::format("firewall `{}` is declared here", fw.symbol)});
    if (fw.dns_proxy_span.length != 0) {
      d.notes.push_back({fw.dns_proxy_span, "the DNS proxy is turned off here"});
      d.fixits.push_back({fw.dns_proxy_span, "dns_proxy on"});
      return;
    }
    // Insert before the firewall's first setting, frontend or collection.
    const Span* first_inner = nullptr;
    auto consider = [&](const Span& s) {
      if (s.length != 0 && s.file == fw.span.file && (first_inner == nullptr || s.offset < first_inner->offset))
        first_inner = &s;
    };
    for (const auto& f : fw.frontends) consider(f.span);
    for (const auto& c : fw.collections)
      if (!c.implicit) consider(c.span);
    if (first_inner != nullptr) d.fixits.push_back({Span{first_inner->file, first_inner->offset, 0}, "dns_proxy on\n  "});
  }

  static bool has(const std::vector<Protocol>& list, Protocol p) {
    return std::find(list.begin(), list.end(), p) != list.end();
  }
  static bool has_any(const std::vector<Endpoint>& list) {
    return std::any_of(list.begin(), list.end(), [](const Endpoint& e) { return e.kind == Endpoint::Kind::any; });
  }
  static std::string protocol_list(const std::vector<Protocol>& list) {
    std::string out;
    for (auto p : list) {
      if (!out.empty()) out += '/';
      out += p == Protocol::tcp ? "TCP" : p == Protocol::udp ? "UDP" : p == Protocol::icmp ? "ICMP" : "any protocol";
    }
    return out;
  }

  struct FqdnUse {
    const RuleCollection* collection;
    const NetworkRule* rule;
    const Endpoint* endpoint;
  };

  const Program& program_;
  const Catalog& catalog_;
  Diagnostics& diags_;
  std::set<std::string, std::less<>> regions_;
  std::vector<FqdnUse> fqdn_rules_;
};

}  // namespace

void check_rules(const Program& program, const Catalog& catalog, Diagnostics& diags) {
  RuleChecker checker(program, catalog, diags);
  for (const auto& fw : program.firewalls) {
    collections(fw, diags);
    checker.firewall(fw);
    for (const auto& col : fw.collections) report_shadowed_rules(col, diags);
    report_inherited_shadowing(fw, diags);
  }
}

// ---------------------------------------------------------------------------------------------- SKUs

void check_firewall_skus(const Program& program, Diagnostics& diags) {
  for (const auto& fw : program.firewalls) {
    // E0107: no frontend, so no data IP configuration at all. (With a management NIC Azure would take a data
    // configuration without a public IP; egress always gives the first one a frontend.)
    if (fw.frontends.empty()) {
      diags.report(Code::E0107, fw.span,
                   fmt::format("firewall `{}` has no frontend: Azure Firewall needs an IP configuration with a public "
                               "IP, and rejects the firewall without one",
                               fw.symbol),
                   "add `frontend PUBLIC_IP \"ip-configuration-name\"` with a Standard, static public IP");
    }
    // E0241: frontends are Standard, static public IPs.
    for (const auto& f : fw.frontends) {
      if (f.public_ip == nullptr) continue;
      const auto& pip = *f.public_ip;
      if (pip.sku == PublicIpSku::standard && pip.allocation == Allocation::static_) continue;
      auto& d = diags.report(
          Code::E0241, f.span,
          fmt::format("public IP `{}` is {}{}: Azure Firewall takes only Standard SKU, static public IPs, and "
                      "rejects the IP configuration",
                      pip.symbol, pip.sku == PublicIpSku::basic ? "Basic SKU" : "Standard SKU",
                      pip.allocation == Allocation::dynamic ? ", dynamically allocated" : ""),
          "declare it `public_ip NAME \"name\" < sku standard; allocation static >` (both are the defaults)");
      d.notes.push_back({pip.span, fmt::format("public IP `{}` is declared here", pip.symbol)});
    }
    if (fw.threat_intel == ThreatIntel::off) {
      auto& d = diags.report(Code::W0210, fw.span,
                             fmt::format("threat intelligence is off on firewall `{}`: traffic to and from known "
                                         "malicious IPs and domains passes without even an alert",
                                         fw.symbol),
                             "use `threat_intel alert` (the default) or `threat_intel deny`");
      if (!fw.frontends.empty()) d.notes.push_back({fw.frontends.front().span, "traffic through this frontend is not screened"});
    }
    if (fw.sku != FirewallSku::basic) continue;
    // E0240: what Basic lacks.
    const std::string sku_note = fmt::format("firewall `{}` is Basic SKU", fw.symbol);
    if (fw.dns_proxy) {
      auto& d = diags.report(Code::E0240, fw.dns_proxy_span.length != 0 ? fw.dns_proxy_span : fw.span,
                             fmt::format("firewall `{}` turns the DNS proxy on, but Basic SKU has no DNS proxy: Azure "
                                         "rejects the firewall",
                                         fw.symbol),
                             "use `sku standard`, or `dns_proxy off` (Basic then resolves with Azure DNS only)");
      d.notes.push_back({fw.span, sku_note});
    }
    for (const auto& col : fw.collections)
      for (const auto& r : col.network_rules)
        for (const auto& dst : r.destinations)
          if (dst.kind == Endpoint::Kind::fqdn) {
            auto& d = diags.report(Code::E0240, dst.span,
                                   fmt::format("network rule `{}` names \"{}\", but Basic SKU filters no FQDNs in "
                                               "network rules: Azure rejects the rule",
                                               r.name, dst.text),
                                   "use `sku standard` with `dns_proxy on`, or an application rule for HTTP/HTTPS");
            d.notes.push_back({fw.span, sku_note});
          }
    if (fw.threat_intel == ThreatIntel::deny) {
      diags.report(Code::E0240, fw.span,
                   fmt::format("firewall `{}` sets `threat_intel deny`, but Basic SKU's threat intelligence only "
                               "alerts: Azure rejects the Deny mode",
                               fw.symbol),
                   "use `threat_intel alert`, or `sku standard` to deny");
    }
    // The management NIC Basic always has, and its subnet: check_firewall_sku.cpp (E0330-E0332).
  }
}

}  // namespace egress::model
