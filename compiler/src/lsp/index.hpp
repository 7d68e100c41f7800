// The language server's picture of a program: every named thing with where it is declared, every place a name
// is used, and the tokens that are not names (keywords, service and FQDN tags, regions, imports). Built by
// walking the syntax trees of the main file and its imports the way sema/elaborate.cpp reads them, and
// linked to the checked program (sema::Program) by statement spans for what hover shows.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "egress/source.hpp"
#include "sema/program.hpp"
#include "syntax/ast.hpp"

namespace egress::lsp {

enum class SymbolKind {
  param, group, vnet, subnet, public_ip, firewall, route_table, route, identity, cluster, app,
  collection, rule, workload, service, config, requirement, ip_group, firewall_policy, nat_gateway, rule_set,
};
std::string_view kind_label(SymbolKind k);  // "subnet", "public IP", "rule collection" ...

struct Symbol {
  SymbolKind kind = SymbolKind::param;
  std::string name;                      // as written in references: "vnet.aks" for a subnet
  Span name_span;                        // the declaring name
  const syntax::Statement* statement = nullptr;  // the declaring statement
  const syntax::Statement* parent = nullptr;     // the enclosing statement (the vnet of a subnet ...)
  std::string scope;                     // workloads and configs: their app; rules: "fw/collection"
  std::vector<Span> reopened;            // `firewall fw < ... >` statements that add to it
};

/// A use of a symbol (or its declaration) in some file.
struct Occurrence {
  Span span;
  int symbol = -1;
  bool declaration = false;
};

/// Something at a position that is not a declared name.
struct Token {
  enum class Kind { keyword, service_tag, fqdn_tag, region, module, import_path, unresolved } kind = Kind::keyword;
  Span span;
  std::string text;
  const syntax::Statement* statement = nullptr;
  const syntax::Statement* parent = nullptr;
};

/// The checked declaration behind a symbol, when elaboration produced one.
struct SemaDecl {
  const sema::Param* param = nullptr;
  const sema::Group* group = nullptr;
  const sema::Vnet* vnet = nullptr;
  const sema::Subnet* subnet = nullptr;
  const sema::PublicIp* public_ip = nullptr;
  const sema::Firewall* firewall = nullptr;
  const sema::RouteTable* route_table = nullptr;
  const sema::Route* route = nullptr;
  const sema::Identity* identity = nullptr;
  const sema::Cluster* cluster = nullptr;
  const sema::App* app = nullptr;
  const sema::RuleCollection* collection = nullptr;
  const sema::NetworkRule* network_rule = nullptr;
  const sema::ApplicationRule* application_rule = nullptr;
  const sema::DnatRule* dnat_rule = nullptr;
  const sema::Workload* workload = nullptr;
  const sema::Service* service = nullptr;
  const sema::ConfigMap* config = nullptr;
  const sema::IpGroup* ip_group = nullptr;
  const sema::NatGateway* nat_gateway = nullptr;
  const sema::FirewallPolicy* firewall_policy = nullptr;
  const sema::RuleSet* rule_set = nullptr;
};

class Index {
 public:
  /// `files` are the syntax trees in load order (the main file first).
  void build(const std::vector<const syntax::File*>& files, const sema::Program& program);

  [[nodiscard]] const std::vector<Symbol>& symbols() const { return symbols_; }
  [[nodiscard]] const std::vector<Occurrence>& occurrences() const { return occurrences_; }
  [[nodiscard]] const std::vector<Token>& tokens() const { return tokens_; }
  /// The occurrence (a name's declaration or use) that covers `offset` in `file`; null if none.
  [[nodiscard]] const Occurrence* occurrence_at(std::uint32_t file, std::uint32_t offset) const;
  [[nodiscard]] const Token* token_at(std::uint32_t file, std::uint32_t offset) const;
  /// Every occurrence of a symbol, declaration first.
  [[nodiscard]] std::vector<const Occurrence*> occurrences_of(int symbol) const;
  /// A global name (param, vnet, subnet "vnet.sub", public IP ...) or a service; -1 if none.
  [[nodiscard]] int find(std::string_view name) const;
  [[nodiscard]] int find_service(std::string_view name) const;
  [[nodiscard]] SemaDecl sema(int symbol) const;
  /// The rule, collection ... elaborated from `s` (matched by its span).
  [[nodiscard]] SemaDecl sema_of(const syntax::Statement& s) const;

 private:
  struct Walk;
  int declare(SymbolKind kind, std::string name, const syntax::Item& item, const syntax::Statement& s,
              const syntax::Statement* parent, std::string scope);
  void link(const sema::Program& program);

  std::vector<Symbol> symbols_;
  std::vector<Occurrence> occurrences_;  // sorted by (file, offset) after build()
  std::vector<Token> tokens_;            // sorted likewise
  std::map<std::string, int, std::less<>> globals_;
  std::map<std::string, int, std::less<>> services_;
  std::map<std::string, int, std::less<>> scoped_;  // "app/kind/name"
  std::map<std::pair<std::uint32_t, std::uint32_t>, SemaDecl> by_span_;  // (file, offset) of a statement
};

}  // namespace egress::lsp
