// Shared state of elaboration: the program under construction, the symbol table, deferred reference
// fix-ups, and Args, a cursor over one statement's items that reports what it expected.
#pragma once
#include <functional>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "egress/diagnostic.hpp"
#include "sema/catalog.hpp"
#include "sema/program.hpp"
#include "syntax/ast.hpp"

namespace egress::sema {

enum class SymbolKind { param, group, vnet, subnet, public_ip, firewall, route_table, identity, cluster, app, ip_group, firewall_policy, nat_gateway, rule_set };
std::string_view kind_name(SymbolKind k);

struct Symbol {
  SymbolKind kind;
  void* decl = nullptr;  // points into a std::deque of Program, so it stays valid
  Span span;
};

/// What the parameters of the rule set being expanded stand for (sema/decl_rule_set.cpp).
struct Bindings {
  const RuleSet* set = nullptr;
  std::vector<Endpoint> values;  // one per set->params
  std::vector<bool>* used = nullptr;  // per parameter: has the body named it (W0256)
  [[nodiscard]] const Endpoint* find(std::string_view name) const;
};

/// A rule set's source: its statement (the body is walked once per use) and what its expansions found.
struct RuleSetSource {
  const syntax::Statement* statement = nullptr;
  std::vector<bool> param_used;
  bool expanded = false;  // its body was walked at least once (by a use or by check_rule_sets)
};

struct Context {
  Program& program;
  Catalog& catalog;
  Diagnostics& diags;
  const SourceManager& sources;
  std::map<std::string, Symbol, std::less<>> symbols;
  std::vector<std::function<void()>> fixups;  // run once every declaration is known
  std::vector<std::function<void()>> late_fixups;  // run after the fix-ups: need references they resolve
  std::set<const void*> used;                 // declarations something refers to (for W0101)
  // "Did you mean" walks every declaration of a kind: after this many, unknown names get no suggestion,
  // so 20,000 unknown names against 20,000 declarations stay linear (tests/unit/limits_test.cpp).
  std::size_t suggestions_left = 100;
  // Rule sets: their sources, the parameters of the one being expanded (null outside a rule set's body),
  // the sets being expanded (to find recursion), and where unused sets' bodies are checked and dropped.
  std::map<const RuleSet*, RuleSetSource> rule_set_sources = {};
  const Bindings* bindings = nullptr;
  std::vector<const RuleSet*> expanding = {};
  bool counting_uses = true;
  std::deque<RuleCollection> scratch = {};
  std::map<std::string, std::string, std::less<>> top_level_heads = {};  // top-level name -> its statement's head
  // Each policy's rule collection groups by name (E0103), so that a policy of many groups is checked in
  // linear time, not by walking every earlier group for each new one (tests/unit/policy_perf_test.cpp).
  std::map<std::pair<const FirewallPolicy*, std::string>, const RuleCollectionGroup*> rule_groups = {};
  /// Spends one of suggestions_left; false once they are all spent.
  bool may_suggest() {
    if (suggestions_left == 0) return false;
    --suggestions_left;
    return true;
  }

  /// Declares `name`; reports E0103 (with a note at the first declaration) and returns false on a clash.
  bool declare(const std::string& name, SymbolKind kind, void* decl, Span span);
  /// Looks `name` up expecting `kind`; reports E0104/E0105 and returns null when it does not fit.
  void* resolve(std::string_view name, SymbolKind kind, Span span, std::string_view role);
  template <class T>
  T* resolve_as(std::string_view name, SymbolKind kind, Span span, std::string_view role) {
    return static_cast<T*>(resolve(name, kind, span, role));
  }

  /// A string or word as Text: `${p}` holes must name parameters; a bare word naming a parameter
  /// becomes that parameter, any other bare word is literal text.
  Text text(const syntax::Item& item);
  /// Reports E0101 for an unknown statement head, with the allowed heads and a "did you mean".
  void unknown_statement(const syntax::Statement& s, std::string_view where,
                         std::initializer_list<std::string_view> allowed);
  /// Reports E0108 when a single-valued setting is given a second time in the same declaration
  /// (`seen` maps a setting to where it was first given). Returns true when it is the first time.
  bool first_setting(std::map<std::string, Span, std::less<>>& seen, const syntax::Statement& s);
  /// Reports E0102 when a statement that takes no block has one.
  void no_block(const syntax::Statement& s);
  /// Adds a fix-up that runs with the context notes open now (Diagnostics::push_context), so an error it
  /// reports inside a rule set's body still says which `use` it comes from.
  /// `late`: after every other fix-up (a cluster's subnet, for instance, is resolved in one).
  void defer(std::function<void()> fix, bool late = false);
};

/// A cursor over a statement's items. The first problem is reported once (E0102) with the statement's
/// form as the hint; later calls then fail quietly so one typo gives one error.
class Args {
 public:
  /// `form` is the statement's shape, shown in the hint of E0102. A string literal is kept as a view (it lives
  /// as long as the program: no copy per statement, which showed at 100,000 rules); built text is owned.
  template <std::size_t N>
  Args(Context& cx, const syntax::Statement& s, const char (&form)[N]) : cx_(cx), s_(s), form_(form) {}
  Args(Context& cx, const syntax::Statement& s, std::string form);
  Args(const Args&) = delete;  // form_ may point into owned_form_
  Args& operator=(const Args&) = delete;

  [[nodiscard]] bool done() const { return pos_ >= s_.items.size(); }
  [[nodiscard]] bool ok() const { return !failed_; }
  [[nodiscard]] const syntax::Item* peek(std::size_t ahead = 0) const;
  [[nodiscard]] bool at(syntax::ItemKind k) const;
  [[nodiscard]] bool at_word(std::string_view w) const;
  [[nodiscard]] const syntax::Statement& statement() const { return s_; }

  bool accept(syntax::ItemKind k);
  bool accept_word(std::string_view w);
  const syntax::Item* next();
  const syntax::Item* expect(syntax::ItemKind k, std::string_view what);
  bool expect_word(std::string_view w);

  /// A plain identifier (no dots, no interpolation).
  std::optional<std::string> name(std::string_view what = "a name");
  /// A string, or a word naming a parameter: an Azure resource name or other text.
  std::optional<Text> text(std::string_view what = "a string");
  /// An optional Azure name: a string, or a bare word that names a parameter.
  std::optional<Text> optional_azure_name();
  std::optional<Cidr> cidr(std::string_view what = "a CIDR prefix such as 10.42.0.0/16");
  std::optional<Ip> ip(std::string_view what = "an IP address");
  std::optional<long> number(long min, long max, std::string_view what);
  std::optional<PortRange> port_range();
  /// One of `choices` (words); returns its index.
  std::optional<std::size_t> choice(std::initializer_list<std::string_view> choices, std::string_view what);
  /// Reports anything left over.
  void finish();
  /// Reports E0102 at `item` (or the statement's end) unless already failed.
  void fail(const syntax::Item* item, std::string_view expected);

 private:
  Context& cx_;
  const syntax::Statement& s_;
  std::string owned_form_;  // callers pass fmt::format(...) temporaries (a view of one dangled)
  std::string_view form_;   // a literal, or owned_form_
  std::size_t pos_ = 0;
  bool failed_ = false;
};

/// Validates an address token and reports E0115 (malformed) or, for prefixes, host bits set.
std::optional<Cidr> to_cidr(Context& cx, const syntax::Item& item);
std::optional<Ip> to_ip(Context& cx, const syntax::Item& item);

// Declarations, one file per area.
void declare_param(Context& cx, const syntax::Statement& s);
/// Every `env NAME < PARAM VALUE; ... >` of `files`, checked against the params; the values of the env named
/// `selected` (if any) become what the checks see (sema/decl_env.cpp). After every param is declared.
void declare_envs(Context& cx, const std::vector<const syntax::File*>& files, std::string_view selected);
/// A `cidrs` value: addresses separated by commas, each checked (E0115, E0119; `code` for anything else, naming
/// `param`: E0111 for a default, E0431 for an env's value). nullopt after an error (sema/param_shape.cpp).
std::optional<std::vector<ListItem>> cidrs_value(Context& cx, const std::vector<const syntax::Item*>& items, Span where,
                                                 std::string_view param, Code code);
/// The addresses of a cidrs value as text: "10.0.0.0/8, 192.168.0.0/16".
std::string join(const std::vector<ListItem>& list);
/// `when PARAM` / `unless PARAM` at the end of any statement's items, and cidrs parameters where items go:
/// returns copies of the user's files with every switched-off statement left out, every condition removed and
/// every cidrs parameter replaced by its addresses, or nothing when no parameter shapes the program (the files
/// are then used as they are). After declare_envs (it reads the values being built with).
std::vector<syntax::File> shape_program(Context& cx, const std::vector<const syntax::File*>& files);

/// The next item as a count from `min` to `max`: a number (E0102 otherwise, `what` saying what it is), or the
/// name of an `int` parameter whose value (the selected env's, else its default) is checked against the range
/// (E0434, also when it has no value); nullopt after an error. Reusable by every setting that takes a count (sema/decl_env.cpp).
std::optional<Count> count_value(Context& cx, Args& a, long min, long max, std::string_view setting, std::string_view what);
void declare_group(Context& cx, const syntax::Statement& s, Group* existing);
void declare_vnet(Context& cx, const syntax::Statement& s, Vnet* existing);
/// `peer OTHER [< settings >]` in a vnet block (sema/peering.cpp).
void declare_peer(Context& cx, Vnet& vnet, const syntax::Statement& s);
void declare_public_ip(Context& cx, const syntax::Statement& s, PublicIp* existing);
void declare_route_table(Context& cx, const syntax::Statement& s, RouteTable* existing);
void declare_identity(Context& cx, const syntax::Statement& s);
void declare_profile(Context& cx, const syntax::Statement& s);
void declare_firewall(Context& cx, const syntax::Statement& s, Firewall* existing);
void declare_ip_group(Context& cx, const syntax::Statement& s);
void declare_nat_gateway(Context& cx, const syntax::Statement& s, NatGateway* existing);
/// A subnet's `nat_gateway NAME` (decl_nat_gateway.cpp); resolved by a fix-up.
void subnet_nat_gateway(Context& cx, Subnet& sub, const syntax::Statement& s);
/// The subnets that name each NAT gateway, and the checks that need them (E0343, E0344); after the fix-ups.
void attach_nat_gateways(Context& cx);
void declare_firewall_policy(Context& cx, const syntax::Statement& s, FirewallPolicy* existing);
/// A policy and its `base` ancestors, the oldest first (cycles are broken by check_policy_inheritance()).
std::vector<const FirewallPolicy*> policy_chain(const FirewallPolicy& policy);
/// The threat intelligence mode a policy has: its own, else its base policy's (inherited), else Alert.
ThreatIntel effective_threat_intel(const FirewallPolicy& policy);
/// `base` cycles (E0315) and a child's threat intelligence mode weaker than its parent's (E0316).
void check_policy_inheritance(Context& cx);
/// Checks of policies against the firewalls that use them and their own tier (E0317-E0321, W0240); after
/// attach_policy() has given each firewall its policy's rules.
void check_policy_features(Context& cx);
/// A `network|application|nat NAME priority N < rules >` collection, added to `into` (a firewall's classic
/// collections or a policy's rule collection group).
void rule_collection(Context& cx, std::deque<RuleCollection>& into, const syntax::Statement& s);
void declare_cluster(Context& cx, const syntax::Statement& s, Cluster* existing);
/// `pool NAME < ... >` in a cluster's block (sema/decl_pool.cpp).
void declare_pool(Context& cx, Cluster& c, const syntax::Statement& s);
/// After every cluster is read: the implicit `nodepool1` of a cluster without pools, pool defaults, and the
/// checks of the pools themselves (E0410-E0415, E0418).
void finish_pools(Context& cx, Cluster& c);
void declare_app(Context& cx, const syntax::Statement& s, App* existing);
void declare_catalog_entry(Context& cx, const syntax::Statement& s);  // regions, service_tags, fqdn_tags
void declare_requirement(Context& cx, const syntax::Statement& s);
/// `zones 1, 2, 3`: availability zones 1-3, each once (E0106), sorted (sema/decl_zones.cpp).
std::vector<int> parse_zones(Context& cx, const syntax::Statement& s);
/// `rule_set ...` at the top level: declares the set (its body is walked where it is used).
void declare_rule_set(Context& cx, const syntax::Statement& s);
/// `use RULE_SET [ARG, ...] [priority N]` in a firewall, a rule collection group or a rule set's body:
/// adds the set's collections, with its parameters bound to the arguments, to `into`.
void use_rule_set(Context& cx, std::deque<RuleCollection>& into, const syntax::Statement& s);
/// After every declaration: checks the bodies no `use` expanded, then reports unused sets (W0255) and
/// parameters (W0256).
void check_rule_sets(Context& cx);
/// Parses a rule endpoint list item (source or destination).
std::optional<Endpoint> endpoint(Context& cx, Args& args, bool destination);

}  // namespace egress::sema
