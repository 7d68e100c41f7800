// E0222-E0233, W0203, W0204, W0209: rule collections and their rules; E0240, E0241, W0210: what each firewall
// SKU and its frontends allow.
//
// Sources (verified against the current docs):
//   Collection priority 100-65000: Microsoft.Network/azureFirewalls template reference,
//     https://learn.microsoft.com/azure/templates/microsoft.network/azurefirewalls (priority: minValue 100,
//     maxValue 65000, for network, application and NAT rule collections).
//   FQDNs in network rules: https://learn.microsoft.com/azure/firewall/fqdn-filtering-network-rules
//     "You must enable DNS Proxy to use FQDNs in your network rules"; "FQDN filtering in network rules doesn't
//     support wildcards".
//   Service tags only as destinations of network rules: https://learn.microsoft.com/azure/firewall/service-tags
//   FQDN tags only in application rules: https://learn.microsoft.com/azure/firewall/fqdn-tags
//   SKUs: https://learn.microsoft.com/azure/firewall/features-by-sku (Basic: no DNS proxy, no network-level FQDN
//     filtering, threat intelligence alert only); management NIC: https://learn.microsoft.com/azure/firewall/management-nic
//     ("all Basic Firewall versions ... always have a Management NIC enabled"; AzureFirewallManagementSubnet
//     "minimum subnet size /26", with its own public IP address).
//   Frontends: https://learn.microsoft.com/azure/virtual-network/ip-services/configure-public-ip-firewall
//     "Azure Firewall requires at least one public static IP address ... supports Standard SKU public IP
//     addresses. Basic SKU public IP address and public IP prefixes aren't supported."
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

#include "model/checks.hpp"

#include "base/work_count.hpp"

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

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ---------------------------------------------------------------------------------------------- collections

void collections(const Firewall& fw, Diagnostics& diags) {
  // Priorities and names are unique per firewall for classic rules, per rule collection group in a policy.
  std::map<std::tuple<const RuleCollectionGroup*, CollectionKind, int>, const RuleCollection*> priorities;
  std::map<std::tuple<const RuleCollectionGroup*, CollectionKind, std::string>, const RuleCollection*> names;
  for (const auto& col : fw.collections) {
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
    }
    // E0225: rule names within a collection.
    std::map<std::string, Span, std::less<>> rule_names;
    auto rule_name = [&](const std::string& name, Span span, bool derived) {
      auto [it, fresh] = rule_names.try_emplace(name, span);
      if (fresh) return;
      auto& d = diags.report(Code::E0225, span,
                             fmt::format("collection `{}` has two rules named `{}`: Azure rejects the deployment",
                                         col.name, name),
                             derived ? "this DNAT rule's name is derived from its target and port; name it: "
                                       "`dnat NAME ...`"
                                     : "give each rule of a collection its own name");
      d.notes.push_back({it->second, "the first rule of that name"});
    };
    for (const auto& r : col.network_rules) rule_name(r.name, r.span, false);
    for (const auto& r : col.application_rules) rule_name(r.name, r.span, false);
    for (const auto& r : col.dnat_rules) rule_name(r.name, r.span, true);
  }
}

// ---------------------------------------------------------------------------------------------- endpoints

class RuleChecker {
 public:
  RuleChecker(const Program& p, const Catalog& c, Diagnostics& d) : program_(p), catalog_(c), diags_(d) {
    for (const auto& r : catalog_.regions) regions_.insert(lower(r));
  }

  void firewall(const Firewall& fw) {
    fqdn_rules_.clear();
    for (const auto& col : fw.collections) {
      for (const auto& r : col.network_rules) network_rule(fw, col, r);
      for (const auto& r : col.application_rules) application_rule(col, r);
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

  void application_rule(const RuleCollection& col, const ApplicationRule& r) {
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
        case Endpoint::Kind::fqdn_tag: fqdn_tag(t); break;
        case Endpoint::Kind::service_tag: {
          auto& d = diags_.report(Code::E0106, t.span,
                                  fmt::format("application rule `{}` targets `{}`, but application rules take FQDNs or "
                                              "FQDN tags, not service tags",
                                              r.name, t.text),
                                  catalog_.fqdn_tags.count(t.text)
                                      ? fmt::format("`{}` is an FQDN tag: write `tag {}`", t.text, t.text)
                                      : "move service tags into a network rule; write FQDNs as strings");
          if (catalog_.fqdn_tags.count(t.text) && t.pattern.is_literal()) d.fixits.push_back({t.span, "tag " + t.text});
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
    if (!fully_known(e.pattern, program_)) return;
    const auto problem = fqdn_problem(e.text, allow_wildcard);
    if (problem.empty()) return;
    diags_.report(Code::E0233, e.span,
                  fmt::format("\"{}\" is not a valid {}: it {}; Azure rejects the rule", e.text,
                              allow_wildcard ? "FQDN or wildcard" : "FQDN", problem),
                  allow_wildcard ? "write a host name such as \"mcr.microsoft.com\", or a wildcard such as "
                                   "\"*.blob.core.windows.net\""
                                 : "write a host name such as \"ntp.ubuntu.com\": labels of 1-63 letters, digits and "
                                   "`-`, at most 253 characters");
  }

  void fqdn_tag(const Endpoint& e) {
    if (catalog_.fqdn_tags.count(e.text)) return;
    const auto guess = closest_name(e.text, catalog_.fqdn_tags);
    diags_.report(Code::E0232, e.span,
                  lower(guess) == lower(e.text)
                      ? fmt::format("FQDN tag `{}` is spelled `{}` in Azure's list of FQDN tags", e.text, guess)
                      : fmt::format("`{}` is not an Azure Firewall FQDN tag: Azure rejects the rule", e.text),
                  guess.empty() ? "FQDN tags are listed in stdlib/azure.egress (`fqdn_tags`), e.g. "
                                  "AzureKubernetesService, WindowsUpdate"
                                : fmt::format("did you mean `tag {}`?", guess));
  }

  bool known_region(std::string_view r) const { return regions_.count(lower(r)) != 0; }

  /// E0231: a tag from the catalog, optionally followed by `.region`.
  void service_tag(const Endpoint& e) {
    std::string text = e.text;
    const bool known = fully_known(e.pattern, program_);
    if (!known) {
      // `AzureCloud.${location}` with no default: check the tag before the unknown region.
      const auto hole = text.find("${");
      text = text.substr(0, hole);
      if (!text.empty() && text.back() == '.') text.pop_back();
      if (text.empty()) return;
    }
    if (catalog_.service_tags.count(text)) return;
    std::string region_problem;
    for (auto dot = text.find('.'); dot != std::string::npos; dot = text.find('.', dot + 1)) {
      const auto base = std::string_view(text).substr(0, dot);
      const auto region = std::string_view(text).substr(dot + 1);
      if (catalog_.service_tags.find(base) == catalog_.service_tags.end()) continue;
      if (!known || known_region(region)) return;
      // A known tag with an unknown region suffix.
      const auto guess = closest_name(region, catalog_.regions);
      auto& d = diags_.report(Code::E0231, e.span,
                              fmt::format("service tag `{}` names region `{}`, which is not an Azure region: Azure "
                                          "rejects the rule",
                                          text, region),
                              guess.empty() ? "regional service tags are written TAG.region, e.g. AzureCloud.eastus"
                                            : fmt::format("did you mean `{}.{}`?", base, guess));
      if (!guess.empty() && e.pattern.is_literal()) d.fixits.push_back({e.span, fmt::format("{}.{}", base, guess)});
      return;
    }
    // Unknown tag: suggest the closest, keeping a region suffix the user wrote.
    std::string base = text, suffix;
    if (const auto dot = text.rfind('.'); dot != std::string::npos && known_region(text.substr(dot + 1))) {
      base = text.substr(0, dot);
      suffix = text.substr(dot);
    }
    const auto guess = closest_name(base, catalog_.service_tags);
    auto& d = diags_.report(Code::E0231, e.span,
                            lower(guess) == lower(base)
                                ? fmt::format("service tag `{}` is spelled `{}{}` in Azure's list of service tags", text,
                                              guess, suffix)
                                : fmt::format("`{}` is not an Azure service tag: Azure rejects the rule", text),
                            guess.empty() ? "service tags are listed in stdlib/azure.egress (`service_tags`); an FQDN "
                                            "must be written as a string: \"example.com\""
                                          : fmt::format("did you mean `{}{}`?", guess, suffix));
    if (!guess.empty() && e.pattern.is_literal()) d.fixits.push_back({e.span, guess + suffix});
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

// ---------------------------------------------------------------------------------------------- shadowing

// An endpoint as a 64-bit key: the kind in the top bits, then a payload (a prefix, or an interned string).
enum : std::uint64_t { kAny = 0, kCidr = 1, kFqdn = 2, kServiceTag = 3, kFqdnTag = 4, kPublicIp = 5 };
constexpr std::uint64_t make_key(std::uint64_t kind, std::uint64_t payload) { return kind << 56 | payload; }
std::uint64_t cidr_key(std::uint32_t base, int length) {
  return make_key(kCidr, static_cast<std::uint64_t>(base) << 6 | static_cast<std::uint64_t>(length));
}

struct AtomKey {
  std::uint64_t source, destination;
  std::uint32_t protocol;
  friend bool operator==(const AtomKey&, const AtomKey&) = default;
};
struct AtomHash {
  static std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  }
  std::size_t operator()(const AtomKey& k) const {
    return static_cast<std::size_t>(mix(mix(k.source) ^ (k.destination + 0x9E3779B97F4A7C15ull)) ^ k.protocol);
  }
};

/// The ports covered so far for one atom: disjoint, non-adjacent ranges, each with the (first three) rules
/// that contributed to it. Most atoms hold one range, kept inline; more go to an ordered map.
class Coverage {
 public:
  struct Piece {
    std::uint32_t first, last;
    std::array<std::uint32_t, 3> rules;
    std::uint8_t count;
  };

  void add(std::uint32_t first, std::uint32_t last, std::uint32_t rule) {
    Piece merged{first, last, {rule, 0, 0}, 1};
    if (many_ == nullptr) {
      if (!has_one_) {
        one_ = merged;
        has_one_ = true;
        return;
      }
      if (one_.first <= last + 1 && first <= one_.last + 1) {
        absorb(merged, one_);
        one_ = merged;
        return;
      }
      many_ = std::make_unique<std::map<std::uint32_t, Piece>>();
      many_->emplace(one_.first, one_);
    }
    auto& m = *many_;
    auto it = m.upper_bound(first);
    if (it != m.begin() && std::prev(it)->second.last + 1 >= first) --it;
    while (it != m.end() && it->first <= last + 1) {
      work::count();
      absorb(merged, it->second);
      it = m.erase(it);
    }
    m.emplace(merged.first, merged);
  }

  /// Appends the pieces that overlap [first, last] to `out`; false when that would pass `limit` pieces.
  bool overlapping(std::uint32_t first, std::uint32_t last, std::vector<const Piece*>& out, std::size_t limit) const {
    if (many_ == nullptr) {
      if (has_one_ && one_.first <= last && first <= one_.last) out.push_back(&one_);
      return out.size() <= limit;
    }
    const auto& m = *many_;
    auto it = m.upper_bound(first);
    if (it != m.begin() && std::prev(it)->second.last >= first) --it;
    for (; it != m.end() && it->first <= last; ++it) {
      work::count();
      if (out.size() >= limit) return false;
      out.push_back(&it->second);
    }
    return true;
  }

 private:
  static void absorb(Piece& into, const Piece& p) {
    into.first = std::min(into.first, p.first);
    into.last = std::max(into.last, p.last);
    for (std::uint8_t i = 0; i < p.count; ++i) add_rule(into, p.rules[i]);
  }
  /// Keeps the (up to three) lowest rule indices, sorted.
  static void add_rule(Piece& p, std::uint32_t rule) {
    std::size_t at = 0;
    while (at < p.count && p.rules[at] < rule) ++at;
    if (at < p.count && p.rules[at] == rule) return;
    if (at >= p.rules.size()) return;
    if (p.count < p.rules.size()) ++p.count;
    for (std::size_t i = p.count - 1; i > at; --i) p.rules[i] = p.rules[i - 1];
    p.rules[at] = rule;
  }

  Piece one_{};
  bool has_one_ = false;
  std::unique_ptr<std::map<std::uint32_t, Piece>> many_;
};

struct Atom {
  std::uint32_t protocol;
  const Endpoint* source;
  const Endpoint* destination;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ports;
};

class ShadowIndex {
 public:
  /// True (and the covering rules in `by`) when earlier rules cover every atom of this rule.
  bool covered(const std::vector<Atom>& atoms, std::vector<std::uint32_t>& by) {
    std::vector<std::uint32_t> contributors;
    for (const auto& atom : atoms) {
      gathered_maps_.clear();
      generalise(*atom.source, source_lengths_, source_keys_);
      generalise(*atom.destination, destination_lengths_, destination_keys_);
      protocol_keys_.clear();
      protocol_keys_.push_back(atom.protocol);
      if (atom.protocol < kProtocolAny) protocol_keys_.push_back(kProtocolAny);
      for (auto p : protocol_keys_)
        for (auto s : source_keys_)
          for (auto d : destination_keys_) {
            work::count();
            if (auto it = index_.find(AtomKey{s, d, p}); it != index_.end()) gathered_maps_.push_back(&it->second);
          }
      if (gathered_maps_.empty()) return false;
      for (const auto& [first, last] : atom.ports)
        if (!covers(first, last, contributors)) return false;
    }
    std::sort(contributors.begin(), contributors.end());
    contributors.erase(std::unique(contributors.begin(), contributors.end()), contributors.end());
    by.assign(contributors.begin(), contributors.begin() + std::min<std::size_t>(3, contributors.size()));
    return true;
  }

  void add(const std::vector<Atom>& atoms, std::uint32_t rule) {
    for (const auto& atom : atoms) {
      const auto s = exact(*atom.source, source_lengths_);
      const auto d = exact(*atom.destination, destination_lengths_);
      auto& coverage = index_[AtomKey{s, d, atom.protocol}];
      for (const auto& [first, last] : atom.ports) {
        work::count();
        coverage.add(first, last, rule);
      }
    }
  }

  static constexpr std::uint32_t kProtocolAny = 3;  // network protocols 0-3 (any last); application 10+

 private:
  // At most this many pieces are examined for one port range; beyond it the rule counts as not covered, which
  // keeps every query bounded (a shadowed rule may then go unreported, never the reverse).
  static constexpr std::size_t kMaxPieces = 256;

  bool covers(std::uint32_t first, std::uint32_t last, std::vector<std::uint32_t>& contributors) {
    pieces_.clear();
    for (const auto* coverage : gathered_maps_)
      if (!coverage->overlapping(first, last, pieces_, kMaxPieces)) return false;
    std::sort(pieces_.begin(), pieces_.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
    std::uint32_t need = first;
    for (const auto* piece : pieces_) {
      work::count();
      if (piece->first > need) return false;
      if (piece->last < need) continue;
      for (std::uint8_t i = 0; i < piece->count; ++i) contributors.push_back(piece->rules[i]);
      need = piece->last + 1;
      if (need > last) return true;
    }
    return false;
  }

  std::uint64_t intern(std::uint64_t kind, const std::string& text) {
    auto& strings = strings_[kind];
    auto [it, fresh] = strings.try_emplace(text, strings.size());
    return make_key(kind, it->second);
  }
  /// The key of an interned string, or nothing when no rule used it yet (then nothing can cover it).
  std::optional<std::uint64_t> find(std::uint64_t kind, const std::string& text) const {
    const auto& strings = strings_[kind];
    auto it = strings.find(text);
    if (it == strings.end()) return std::nullopt;
    return make_key(kind, it->second);
  }

  std::uint64_t exact(const Endpoint& e, std::uint64_t& lengths) {
    switch (e.kind) {
      case Endpoint::Kind::any: return make_key(kAny, 0);
      case Endpoint::Kind::cidr:
        lengths |= std::uint64_t{1} << e.cidr.length;
        return cidr_key(e.cidr.first(), e.cidr.length);
      case Endpoint::Kind::subnet:
        if (e.subnet == nullptr) return make_key(kAny, 1);
        lengths |= std::uint64_t{1} << e.subnet->prefix.length;
        return cidr_key(e.subnet->prefix.first(), e.subnet->prefix.length);
      case Endpoint::Kind::fqdn:
        if (e.text == "*") return make_key(kAny, 0);
        return intern(kFqdn, lower(e.text));
      case Endpoint::Kind::service_tag: return intern(kServiceTag, lower(e.text));
      case Endpoint::Kind::fqdn_tag: return intern(kFqdnTag, lower(e.text));
      case Endpoint::Kind::public_ip: return intern(kPublicIp, e.public_ip ? e.public_ip->symbol : e.text);
      case Endpoint::Kind::ip_group: break;  // atoms_of() gives its members, never the group
    }
    return make_key(kAny, 1);
  }

  /// The keys of every endpoint that covers `e`: `*`, itself, prefixes containing it, parent wildcards, the
  /// global form of a regional service tag.
  void generalise(const Endpoint& e, std::uint64_t lengths, std::vector<std::uint64_t>& out) const {
    out.clear();
    out.push_back(make_key(kAny, 0));
    auto add_found = [&](std::uint64_t kind, const std::string& text) {
      if (auto k = find(kind, text)) out.push_back(*k);
    };
    switch (e.kind) {
      case Endpoint::Kind::any: break;
      case Endpoint::Kind::cidr:
      case Endpoint::Kind::subnet: {
        const Cidr c = e.kind == Endpoint::Kind::cidr ? e.cidr : e.subnet != nullptr ? e.subnet->prefix : Cidr{};
        if (e.kind == Endpoint::Kind::subnet && e.subnet == nullptr) break;
        for (int len = 0; len <= c.length; ++len)
          if (lengths >> len & 1) out.push_back(cidr_key(c.first() & Cidr{0, len, {}}.mask(), len));
        break;
      }
      case Endpoint::Kind::fqdn: {
        if (e.text == "*") break;
        const auto name = lower(e.text);
        add_found(kFqdn, name);
        // `*.example.com` covers `a.example.com` and `b.a.example.com`.
        for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1))
          add_found(kFqdn, std::string(1, '*').append(name, dot));
        break;
      }
      case Endpoint::Kind::service_tag: {
        const auto tag = lower(e.text);
        add_found(kServiceTag, tag);
        if (const auto dot = tag.rfind('.'); dot != std::string::npos) add_found(kServiceTag, tag.substr(0, dot));
        break;
      }
      case Endpoint::Kind::fqdn_tag: add_found(kFqdnTag, lower(e.text)); break;
      case Endpoint::Kind::public_ip:
        add_found(kPublicIp, e.public_ip ? e.public_ip->symbol : e.text);
        break;
      case Endpoint::Kind::ip_group: break;  // atoms_of() gives its members, never the group
    }
  }

  std::unordered_map<AtomKey, Coverage, AtomHash> index_;
  std::array<std::unordered_map<std::string, std::uint64_t>, 6> strings_;  // per kind of endpoint
  std::uint64_t source_lengths_ = 0, destination_lengths_ = 0;  // bit n: a /n prefix was indexed
  std::vector<std::uint64_t> source_keys_, destination_keys_;
  std::vector<std::uint32_t> protocol_keys_;
  std::vector<const Coverage*> gathered_maps_;
  std::vector<const Coverage::Piece*> pieces_;
};

std::vector<std::pair<std::uint32_t, std::uint32_t>> port_ranges(const NetworkRule& r, Protocol p) {
  if (p == Protocol::icmp || r.ports.empty()) return {{1, 65535}};
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (const auto& range : r.ports) out.emplace_back(range.first, range.last);
  return out;
}

/// Calls `f` with each address an endpoint stands for: an IP group's members, else the endpoint itself.
template <class F>
void each_member(const Endpoint& e, F&& f) {
  if (e.kind != Endpoint::Kind::ip_group) {
    f(e);
    return;
  }
  if (e.ip_group != nullptr)
    for (const auto& m : e.ip_group->members) f(m);
}

void atoms_of(const NetworkRule& r, std::vector<Atom>& out) {
  out.clear();
  for (auto p : r.protocols) {
    const std::uint32_t proto = p == Protocol::tcp ? 0 : p == Protocol::udp ? 1 : p == Protocol::icmp ? 2 : 3;
    for (const auto& source : r.sources)
      each_member(source, [&](const Endpoint& s) {
        for (const auto& destination : r.destinations)
          each_member(destination, [&](const Endpoint& d) { out.push_back({proto, &s, &d, port_ranges(r, p)}); });
      });
  }
}

void atoms_of(const ApplicationRule& r, std::vector<Atom>& out) {
  out.clear();
  std::map<std::uint32_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>> by_kind;
  for (const auto& p : r.protocols) by_kind[10 + static_cast<std::uint32_t>(p.kind)].emplace_back(p.port, p.port);
  for (const auto& [proto, ports] : by_kind)
    for (const auto& source : r.sources)
      each_member(source, [&](const Endpoint& s) {
        for (const auto& t : r.targets) out.push_back({proto, &s, &t, ports});
      });
}

template <class Rules>
std::vector<Shadowed> shadowed_in(const Rules& rules) {
  std::vector<Shadowed> out;
  ShadowIndex index;
  std::vector<Atom> atoms;
  std::vector<std::uint32_t> by;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    atoms_of(rules[i], atoms);
    if (atoms.empty()) continue;
    if (index.covered(atoms, by)) {
      out.push_back({i, std::vector<std::size_t>(by.begin(), by.end())});
      continue;  // everything it would add is already there
    }
    index.add(atoms, static_cast<std::uint32_t>(i));
  }
  return out;
}

void report_shadowed(const RuleCollection& col, Diagnostics& diags) {
  const auto shadowed = shadowed_rules(col);
  auto rule_span = [&](std::size_t i) {
    return col.kind == CollectionKind::network ? col.network_rules[i].span : col.application_rules[i].span;
  };
  auto rule_name = [&](std::size_t i) -> const std::string& {
    return col.kind == CollectionKind::network ? col.network_rules[i].name : col.application_rules[i].name;
  };
  const char* verb = col.action == Action::allow ? "allow" : "deny";
  for (const auto& s : shadowed) {
    std::string covering;
    for (std::size_t k = 0; k < s.by.size(); ++k)
      covering += fmt::format("{}`{}`", k == 0 ? "" : k + 1 == s.by.size() ? " and " : ", ", rule_name(s.by[k]));
    auto& d = diags.report(
        Code::W0203, rule_span(s.rule),
        s.by.size() == 1
            ? fmt::format("rule `{}` never matches: earlier rule {} of collection `{}` already {}s all it {}s",
                          rule_name(s.rule), covering, col.name, verb, verb)
            : fmt::format("rule `{}` never matches: earlier rules {} of collection `{}` together already {} all it {}s",
                          rule_name(s.rule), covering, col.name, verb, verb),
        "remove the rule; it changes nothing (or narrow the earlier rule, if it is the one that is too broad)");
    for (auto b : s.by) d.notes.push_back({rule_span(b), fmt::format("rule `{}` covers it", rule_name(b))});
  }
}

}  // namespace

std::vector<Shadowed> shadowed_rules(const RuleCollection& collection) {
  if (collection.kind == CollectionKind::network) return shadowed_in(collection.network_rules);
  if (collection.kind == CollectionKind::application) return shadowed_in(collection.application_rules);
  return {};
}

void check_rules(const Program& program, const Catalog& catalog, Diagnostics& diags) {
  RuleChecker checker(program, catalog, diags);
  for (const auto& fw : program.firewalls) {
    collections(fw, diags);
    checker.firewall(fw);
    for (const auto& col : fw.collections) report_shadowed(col, diags);
  }
}

// ---------------------------------------------------------------------------------------------- SKUs

void check_firewall_skus(const Program& program, Diagnostics& diags) {
  for (const auto& fw : program.firewalls) {
    // E0107: no frontend, so no IP configuration at all (egress supports no forced-tunnel mode).
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
    const Vnet* vnet = fw.subnet != nullptr ? fw.subnet->vnet : nullptr;
    if (vnet == nullptr) continue;
    const Subnet* management = nullptr;
    for (const auto& s : vnet->subnets)
      if (s.name.value == "AzureFirewallManagementSubnet") management = &s;
    if (management == nullptr) {
      auto& d = diags.report(Code::E0240, fw.span,
                             fmt::format("firewall `{}` is Basic SKU, which always has a management NIC: VNet `{}` "
                                         "needs a subnet named AzureFirewallManagementSubnet (a /26 or larger)",
                                         fw.symbol, vnet->symbol),
                             "add `subnet AzureFirewallManagementSubnet 10.x.y.0/26` to the VNet, or use `sku standard`");
      d.notes.push_back({vnet->span, fmt::format("VNet `{}` is declared here", vnet->symbol)});
    } else if (management->prefix.length > 26) {
      auto& d = diags.report(Code::E0240, management->prefix.span,
                             fmt::format("AzureFirewallManagementSubnet is a /{}: the management NIC of a Basic "
                                         "firewall needs a /26 or larger",
                                         management->prefix.length),
                             fmt::format("make it a /26, e.g. {}/26", format_ip(management->prefix.first() & ~std::uint32_t{63})));
      d.notes.push_back({fw.span, sku_note});
    }
    // The management NIC also needs its own public IP, and the language has no way to declare one yet.
    diags.report(Code::E0240, fw.span,
                 fmt::format("firewall `{}` is Basic SKU, whose management NIC needs a public IP of its own, and egress "
                             "cannot declare a management IP configuration yet: the deployment would fail",
                             fw.symbol),
                 "use `sku standard` (egress generates no management IP configuration)");
  }
}

}  // namespace egress::model
