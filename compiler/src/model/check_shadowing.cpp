// W0203: rules that never match because earlier rules of their collection already cover them.
// Split from check_rules.cpp; the index below keeps the check linear in the size of the rules.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <map>
#include <optional>
#include <span>
#include <type_traits>
#include <unordered_map>

#include "base/ascii.hpp"
#include "model/checks.hpp"

#include "base/work_count.hpp"

namespace egress::model {

using namespace egress::sema;

namespace {

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

using PortPair = std::pair<std::uint32_t, std::uint32_t>;

/// One protocol, one source address and one destination of a rule; its ports are `ports_begin..ports_end` of
/// the Atoms' `ports` (each protocol's ranges stored once, not copied into every atom: one allocation per atom
/// was most of this check's allocations).
struct Atom {
  std::uint32_t protocol;
  const Endpoint* source;
  const Endpoint* destination;
  std::uint32_t ports_begin, ports_end;
};

/// A rule split into atoms (atoms_of()); reused from rule to rule, so its vectors keep their capacity.
struct Atoms {
  std::vector<Atom> list;
  std::vector<PortPair> ports;
  [[nodiscard]] bool empty() const { return list.empty(); }
  [[nodiscard]] std::span<const PortPair> ports_of(const Atom& a) const {
    return std::span<const PortPair>(ports).subspan(a.ports_begin, a.ports_end - a.ports_begin);
  }
};

class ShadowIndex {
 public:
  /// True (and the covering rules in `by`) when earlier rules cover every atom of this rule.
  bool covered(const Atoms& atoms, std::vector<std::uint32_t>& by) {
    auto& contributors = contributors_;
    contributors.clear();
    for (const auto& atom : atoms.list) {
      gathered_maps_.clear();
      generalise(*atom.source, source_lengths_, any_source_, source_keys_);
      generalise(*atom.destination, destination_lengths_, any_destination_, destination_keys_);
      protocol_keys_.clear();
      if (protocols_ >> atom.protocol & 1) protocol_keys_.push_back(atom.protocol);
      if (atom.protocol < kProtocolAny && (protocols_ >> kProtocolAny & 1)) protocol_keys_.push_back(kProtocolAny);
      for (auto p : protocol_keys_)
        for (auto s : source_keys_)
          for (auto d : destination_keys_) {
            work::count();
            if (auto it = index_.find(AtomKey{s, d, p}); it != index_.end()) gathered_maps_.push_back(&it->second);
          }
      if (gathered_maps_.empty()) return false;
      for (const auto& [first, last] : atoms.ports_of(atom))
        if (!covers(first, last, contributors)) return false;
    }
    std::sort(contributors.begin(), contributors.end());
    contributors.erase(std::unique(contributors.begin(), contributors.end()), contributors.end());
    by.assign(contributors.begin(), contributors.begin() + std::min<std::size_t>(3, contributors.size()));
    return true;
  }

  void add(const Atoms& atoms, std::uint32_t rule) {
    for (const auto& atom : atoms.list) {
      const auto s = exact(*atom.source, source_lengths_);
      const auto d = exact(*atom.destination, destination_lengths_);
      any_source_ = any_source_ || s == make_key(kAny, 0);
      any_destination_ = any_destination_ || d == make_key(kAny, 0);
      protocols_ |= std::uint64_t{1} << atom.protocol;
      auto& coverage = index_[AtomKey{s, d, atom.protocol}];
      for (const auto& [first, last] : atoms.ports_of(atom)) {
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
        return intern(kFqdn, ascii_lower(e.text));
      case Endpoint::Kind::service_tag: return intern(kServiceTag, ascii_lower(e.text));
      case Endpoint::Kind::fqdn_tag: return intern(kFqdnTag, ascii_lower(e.text));
      case Endpoint::Kind::public_ip: return intern(kPublicIp, e.public_ip ? e.public_ip->symbol : e.text);
      case Endpoint::Kind::ip_group: break;  // atoms_of() gives its members, never the group
    }
    return make_key(kAny, 1);
  }

  /// The keys of every endpoint that covers `e` and was indexed: `*`, itself, prefixes containing it, parent
  /// wildcards, the global form of a regional service tag.
  void generalise(const Endpoint& e, std::uint64_t lengths, bool any_indexed, std::vector<std::uint64_t>& out) const {
    out.clear();
    if (any_indexed) out.push_back(make_key(kAny, 0));
    auto add_found = [&](std::uint64_t kind, const std::string& text) {
      if (auto k = find(kind, text)) out.push_back(*k);
    };
    switch (e.kind) {
      case Endpoint::Kind::any: break;
      case Endpoint::Kind::cidr:
      case Endpoint::Kind::subnet: {
        const Cidr c = e.kind == Endpoint::Kind::cidr ? e.cidr : e.subnet != nullptr ? e.subnet->prefix : Cidr{};
        if (e.kind == Endpoint::Kind::subnet && e.subnet == nullptr) break;
        // Only the lengths indexed so far (the set bits of `lengths` up to c.length), not all 33.
        for (auto bits = lengths & ((std::uint64_t{2} << c.length) - 1); bits != 0; bits &= bits - 1) {
          const int len = std::countr_zero(bits);
          out.push_back(cidr_key(c.first() & Cidr{0, len, {}}.mask(), len));
        }
        break;
      }
      case Endpoint::Kind::fqdn: {
        if (e.text == "*") break;
        const auto name = ascii_lower(e.text);
        add_found(kFqdn, name);
        // `*.example.com` covers `a.example.com` and `b.a.example.com`.
        for (auto dot = name.find('.'); dot != std::string::npos; dot = name.find('.', dot + 1))
          add_found(kFqdn, std::string(1, '*').append(name, dot));
        break;
      }
      case Endpoint::Kind::service_tag: {
        const auto tag = ascii_lower(e.text);
        add_found(kServiceTag, tag);
        if (const auto dot = tag.rfind('.'); dot != std::string::npos) add_found(kServiceTag, tag.substr(0, dot));
        break;
      }
      case Endpoint::Kind::fqdn_tag: add_found(kFqdnTag, ascii_lower(e.text)); break;
      case Endpoint::Kind::public_ip:
        add_found(kPublicIp, e.public_ip ? e.public_ip->symbol : e.text);
        break;
      case Endpoint::Kind::ip_group: break;  // atoms_of() gives its members, never the group
    }
  }

  std::unordered_map<AtomKey, Coverage, AtomHash> index_;
  std::array<std::unordered_map<std::string, std::uint64_t>, 6> strings_;  // per kind of endpoint
  // What was indexed so far, so that covered() looks up only keys that can be there (most rules of a large set
  // name one address and one protocol: one lookup instead of eight).
  std::uint64_t source_lengths_ = 0, destination_lengths_ = 0;  // bit n: a /n prefix was indexed
  bool any_source_ = false, any_destination_ = false;            // `*` was indexed as a source, a destination
  std::uint64_t protocols_ = 0;                                   // bit p: protocol p (at most 12) was indexed
  std::vector<std::uint64_t> source_keys_, destination_keys_;
  std::vector<std::uint32_t> protocol_keys_;
  std::vector<const Coverage*> gathered_maps_;
  std::vector<const Coverage::Piece*> pieces_;
  std::vector<std::uint32_t> contributors_;
};

/// Appends the ports a network rule matches for protocol `p` to `out`.
void port_ranges(const NetworkRule& r, Protocol p, std::vector<PortPair>& out) {
  if (p == Protocol::icmp || r.ports.empty()) {
    out.emplace_back(1, 65535);
    return;
  }
  for (const auto& range : r.ports) out.emplace_back(range.first, range.last);
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

void atoms_of(const NetworkRule& r, Atoms& out) {
  out.list.clear();
  out.ports.clear();
  for (auto p : r.protocols) {
    const std::uint32_t proto = p == Protocol::tcp ? 0 : p == Protocol::udp ? 1 : p == Protocol::icmp ? 2 : 3;
    const auto begin = static_cast<std::uint32_t>(out.ports.size());
    port_ranges(r, p, out.ports);
    const auto end = static_cast<std::uint32_t>(out.ports.size());
    for (const auto& source : r.sources)
      each_member(source, [&](const Endpoint& s) {
        for (const auto& destination : r.destinations)
          each_member(destination, [&](const Endpoint& d) { out.list.push_back({proto, &s, &d, begin, end}); });
      });
  }
}

void atoms_of(const ApplicationRule& r, Atoms& out) {
  out.list.clear();
  out.ports.clear();
  std::map<std::uint32_t, std::vector<PortPair>> by_kind;
  for (const auto& p : r.protocols) by_kind[10 + static_cast<std::uint32_t>(p.kind)].emplace_back(p.port, p.port);
  for (const auto& kind : by_kind) {
    // Not a structured binding: clang before 16 cannot capture one in a lambda.
    const std::uint32_t proto = kind.first;
    const auto begin = static_cast<std::uint32_t>(out.ports.size());
    out.ports.insert(out.ports.end(), kind.second.begin(), kind.second.end());
    const auto end = static_cast<std::uint32_t>(out.ports.size());
    for (const auto& source : r.sources)
      each_member(source, [&](const Endpoint& s) {
        for (const auto& t : r.targets) out.list.push_back({proto, &s, &t, begin, end});
      });
  }
}

template <class Rules>
std::vector<Shadowed> shadowed_in(const Rules& rules) {
  std::vector<Shadowed> out;
  ShadowIndex index;
  Atoms atoms;
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

}  // namespace

void report_shadowed_rules(const RuleCollection& col, Diagnostics& diags) {
  ContextNotes from_use(diags, col.origin);  // a collection a `use` placed: which use
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


// A child policy's rule that inherited rules already cover never matches: the base policy's collections are
// processed first ("Hierarchical policies", learn.microsoft.com/azure/firewall-manager/policy-overview;
// checked 2026-12-06), whatever their action. Per kind, since network rules and application rules match
// different things; one index of the inherited rules, then each of the policy's own rules against it.
namespace {

template <class Rule>
const std::vector<Rule>& rules_of(const RuleCollection& c) {
  if constexpr (std::is_same_v<Rule, NetworkRule>) return c.network_rules;
  else return c.application_rules;
}

template <class Rule>
void inherited_shadowing(const Firewall& fw, CollectionKind kind, Diagnostics& diags) {
  struct Ref {
    const RuleCollection* collection;
    const Rule* rule;
  };
  std::vector<Ref> inherited;
  std::vector<const RuleCollection*> own;
  for (const auto& c : fw.collections) {
    if (c.kind != kind || c.policy == nullptr) continue;
    if (c.policy == fw.policy) own.push_back(&c);
    else
      for (const auto& r : rules_of<Rule>(c)) inherited.push_back({&c, &r});
  }
  if (inherited.empty() || own.empty()) return;
  ShadowIndex index;
  Atoms atoms;
  for (std::size_t i = 0; i < inherited.size(); ++i) {
    atoms_of(*inherited[i].rule, atoms);
    index.add(atoms, static_cast<std::uint32_t>(i));
  }
  std::vector<std::uint32_t> by;
  for (const auto* c : own)
    for (const auto& r : rules_of<Rule>(*c)) {
      atoms_of(r, atoms);
      if (atoms.empty() || !index.covered(atoms, by)) continue;
      std::string covering;
      for (std::size_t k = 0; k < by.size(); ++k)
        covering += fmt::format("{}`{}`", k == 0 ? "" : k + 1 == by.size() ? " and " : ", ", inherited[by[k]].rule->name);
      auto& d = diags.report(
          Code::W0203, r.span,
          fmt::format("rule `{}` of policy `{}` never matches: inherited {} {} of base policy `{}` already {} all "
                      "it matches, and inherited rules are processed first",
                      r.name, fw.policy->symbol, by.size() == 1 ? "rule" : "rules", covering,
                      inherited[by.front()].collection->policy->symbol, by.size() == 1 ? "matches" : "match"),
          "remove the rule from the child policy, or narrow the inherited rule in the base policy");
      for (auto b : by)
        d.notes.push_back({inherited[b].rule->span,
                           fmt::format("rule `{}` of collection `{}` covers it", inherited[b].rule->name,
                                       inherited[b].collection->name)});
    }
}

}  // namespace

void report_inherited_shadowing(const Firewall& fw, Diagnostics& diags) {
  if (fw.policy == nullptr || fw.policy->base == nullptr) return;
  inherited_shadowing<NetworkRule>(fw, CollectionKind::network, diags);
  inherited_shadowing<ApplicationRule>(fw, CollectionKind::application, diags);
}

std::vector<Shadowed> shadowed_rules(const RuleCollection& collection) {
  if (collection.kind == CollectionKind::network) return shadowed_in(collection.network_rules);
  if (collection.kind == CollectionKind::application) return shadowed_in(collection.application_rules);
  return {};
}


}  // namespace egress::model
