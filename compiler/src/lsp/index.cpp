// Building the index: declarations first (full ones, then reopened blocks, then what blocks declare inside),
// then a second walk that classifies every item of every statement as a use of a name or as a token.
#include "lsp/index.hpp"

#include <algorithm>
#include <functional>

namespace egress::lsp {

using syntax::Item;
using syntax::ItemKind;
using syntax::Statement;

std::string_view kind_label(SymbolKind k) {
  switch (k) {
    case SymbolKind::param: return "param";
    case SymbolKind::group: return "resource group";
    case SymbolKind::vnet: return "vnet";
    case SymbolKind::subnet: return "subnet";
    case SymbolKind::public_ip: return "public IP";
    case SymbolKind::firewall: return "firewall";
    case SymbolKind::route_table: return "route table";
    case SymbolKind::route: return "route";
    case SymbolKind::identity: return "identity";
    case SymbolKind::cluster: return "cluster";
    case SymbolKind::app: return "app";
    case SymbolKind::collection: return "rule collection";
    case SymbolKind::rule: return "rule";
    case SymbolKind::workload: return "workload";
    case SymbolKind::service: return "service";
    case SymbolKind::config: return "config";
    case SymbolKind::requirement: return "requirement";
    case SymbolKind::ip_group: return "IP group";
    case SymbolKind::firewall_policy: return "firewall policy";
    case SymbolKind::nat_gateway: return "NAT gateway";
    case SymbolKind::rule_set: return "rule set";
  }
  return "?";
}

namespace {

bool plain_word(const Item& it) { return it.kind == ItemKind::word && !it.has_interpolation() && it.prefix < 0; }

/// The span of a word's name without a `/32` prefix length.
Span name_span(const Item& it) { return Span{it.span.file, it.span.offset, static_cast<std::uint32_t>(it.text.size())}; }

/// A string's text with its escapes resolved (interpolations kept as `${name}`), or a word's text.
std::string value_of(const Item& it) {
  if (it.kind != ItemKind::string) return std::string(it.text);
  std::string out;
  for (const auto& p : it.parts()) out += p.interpolation ? "${" + std::string(p.text) + "}" : std::string(p.text);
  return out;
}

bool is_reopen(const Statement& s) {
  return s.has_block && s.items.size() == 1 && plain_word(s.items[0]);
}

bool is_protocol(const Item& it) {
  return it.is_word("tcp") || it.is_word("udp") || it.is_word("icmp") || it.is_word("any");
}

bool is_hop_keyword(const Item& it) {
  return it.is_word("internet") || it.is_word("vnet_local") || it.is_word("virtual_network_gateway") ||
         it.is_word("none") || it.is_word("virtual_appliance");
}

std::optional<SymbolKind> top_kind(std::string_view head) {
  if (head == "param") return SymbolKind::param;
  if (head == "group") return SymbolKind::group;
  if (head == "vnet") return SymbolKind::vnet;
  if (head == "public_ip") return SymbolKind::public_ip;
  if (head == "route_table") return SymbolKind::route_table;
  if (head == "identity") return SymbolKind::identity;
  if (head == "firewall") return SymbolKind::firewall;
  if (head == "cluster") return SymbolKind::cluster;
  if (head == "app") return SymbolKind::app;
  if (head == "requirement") return SymbolKind::requirement;
  if (head == "ip_group") return SymbolKind::ip_group;
  if (head == "firewall_policy") return SymbolKind::firewall_policy;
  if (head == "nat_gateway") return SymbolKind::nat_gateway;
  if (head == "rule_set") return SymbolKind::rule_set;
  return std::nullopt;
}

}  // namespace

int Index::declare(SymbolKind kind, std::string name, const Item& item, const Statement& s, const Statement* parent,
                   std::string scope) {
  Symbol sym;
  sym.kind = kind;
  sym.name = std::move(name);
  sym.name_span = item.kind == ItemKind::word ? name_span(item) : item.span;
  sym.statement = &s;
  sym.parent = parent;
  sym.scope = std::move(scope);
  const int id = static_cast<int>(symbols_.size());
  symbols_.push_back(sym);
  occurrences_.push_back({symbols_.back().name_span, id, true});
  const auto& n = symbols_.back().name;
  switch (kind) {
    case SymbolKind::service: services_.try_emplace(n, id); break;
    case SymbolKind::workload: scoped_.try_emplace(symbols_.back().scope + "/workload/" + n, id); break;
    case SymbolKind::config: scoped_.try_emplace(symbols_.back().scope + "/config/" + n, id); break;
    case SymbolKind::route:
    case SymbolKind::collection:
    case SymbolKind::rule:
    case SymbolKind::requirement: break;
    default: globals_.try_emplace(n, id); break;
  }
  return id;
}

int Index::find(std::string_view name) const {
  auto it = globals_.find(name);
  return it == globals_.end() ? -1 : it->second;
}

int Index::find_service(std::string_view name) const {
  auto it = services_.find(name);
  return it == services_.end() ? -1 : it->second;
}

void Index::build(const std::vector<const syntax::File*>& files, const sema::Program& program) {
  symbols_.clear();
  occurrences_.clear();
  tokens_.clear();
  globals_.clear();
  services_.clear();
  scoped_.clear();
  by_span_.clear();

  auto ref = [&](const Span& span, int symbol) {
    if (symbol >= 0) occurrences_.push_back({span, symbol, false});
  };
  // The declarations as sema walks them: the top level, and the declarations in group blocks
  // (sema/placement.cpp's top_level()).
  std::vector<const Statement*> top;
  for (const auto* file : files)
    for (const auto& s : file->statements) {
      top.push_back(&s);
      if (s.head.text == "group")
        for (const auto& inner : s.block.statements) top.push_back(&inner);
    }
  auto token = [&](Token::Kind kind, const Item& it, const Statement& s, const Statement* parent) {
    tokens_.push_back({kind, it.span, it.kind == ItemKind::string ? value_of(it) : std::string(it.text), &s, parent});
  };

  // ---- 1. top-level declarations, then reopened blocks (which declare when nothing else did).
  std::vector<const Statement*> reopens;
  for (const auto* sp : top) {
      const auto& s = *sp;
      const auto kind = top_kind(s.head.text);
      if (!kind || s.items.empty()) continue;
      const Item& name = s.items[0];
      if (*kind == SymbolKind::requirement) {
        if (plain_word(name)) declare(*kind, std::string(name.text), name, s, nullptr, {});
        continue;
      }
      if (!plain_word(name) || name.text.find('.') != std::string::npos) continue;
      if (is_reopen(s) && *kind != SymbolKind::param && *kind != SymbolKind::group &&
          *kind != SymbolKind::identity && *kind != SymbolKind::ip_group && *kind != SymbolKind::rule_set) {
        reopens.push_back(&s);
        continue;
      }
      if (find(std::string(name.text)) < 0) declare(*kind, std::string(name.text), name, s, nullptr, {});
    }
  for (const auto* s : reopens) {
    const Item& name = s->items[0];
    const int existing = find(name.text);
    if (existing >= 0 && symbols_[static_cast<std::size_t>(existing)].kind == *top_kind(s->head.text)) {
      ref(name.span, existing);
      symbols_[static_cast<std::size_t>(existing)].reopened.push_back(s->span);
    } else if (existing < 0) {
      declare(*top_kind(s->head.text), std::string(name.text), name, *s, nullptr, {});
    } else {
      ref(name.span, existing);  // E0112: still a use of that name
    }
  }

  // ---- 2. what blocks declare: subnets, routes, collections and rules, workloads, services, configs.
  for (const auto* sp : top) {
      const auto& s = *sp;
      if (s.items.empty() || !plain_word(s.items[0])) continue;
      const std::string owner(s.items[0].text);
      const std::string_view sh = s.head.text;
      for (const auto& inner : s.block.statements) {
        const Item* name = inner.items.empty() ? nullptr : &inner.items[0];
        const std::string_view h = inner.head.text;
        if (sh == "vnet" && h == "subnet" && name && plain_word(*name) &&
            name->text.find('.') == std::string::npos) {
          if (find(owner + "." + std::string(name->text)) < 0) declare(SymbolKind::subnet, owner + "." + std::string(name->text), *name, inner, &s, owner);
        } else if (sh == "route_table" && h == "route" && name && plain_word(*name)) {
          declare(SymbolKind::route, std::string(name->text), *name, inner, &s, owner);
        } else if ((sh == "firewall" || sh == "rule_set") && (h == "network" || h == "application" || h == "nat") && name &&
                   plain_word(*name)) {
          declare(SymbolKind::collection, std::string(name->text), *name, inner, &s, owner);
          for (const auto& rule : inner.block.statements) {
            if (rule.items.empty()) continue;
            const Item& rn = rule.items[0];
            const std::string_view rh = rule.head.text;
            const bool named = (rh == "allow" || rh == "deny")
                                   ? plain_word(rn) && !is_protocol(rn)
                                   : rh == "dnat" && plain_word(rn) && !is_protocol(rn) &&
                                         !rn.is_word("from") && !rn.is_word("to");
            if (named) declare(SymbolKind::rule, std::string(rn.text), rn, rule, &inner, owner + "/" + std::string(name->text));
          }
        } else if (sh == "firewall" && h == "dnat" && name && plain_word(*name) && !is_protocol(*name) &&
                   !name->is_word("from") && !name->is_word("to")) {
          declare(SymbolKind::rule, std::string(name->text), *name, inner, &s, owner + "/dnat");
        } else if (sh == "app" && (h == "deployment" || h == "statefulset") && name &&
                   (plain_word(*name) || name->kind == ItemKind::string)) {
          declare(SymbolKind::workload, value_of(*name), *name, inner, &s, owner);
        } else if (sh == "app" && h == "service" && name &&
                   (plain_word(*name) || name->kind == ItemKind::string)) {
          declare(SymbolKind::service, value_of(*name), *name, inner, &s, owner);
        } else if (sh == "app" && h == "config" && name &&
                   (plain_word(*name) || name->kind == ItemKind::string)) {
          declare(SymbolKind::config, value_of(*name), *name, inner, &s, owner);
        }
      }
    }

  // ---- 3. uses of names, and tokens.
  auto by_position = [](const auto& a, const auto& b) {
    return a.span.file != b.span.file ? a.span.file < b.span.file : a.span.offset < b.span.offset;
  };
  std::function<void(const Statement&, const Statement*, const Statement*)> walk;
  walk = [&](const Statement& s, const Statement* parent, const Statement* top) {
    const auto first_token = static_cast<std::ptrdiff_t>(tokens_.size());
    // Heads as string_views: `==` then compares lengths first (std::string == const char* calls strlen and
    // memcmp for each of the ~40 keywords a statement is tested against).
    const std::string_view h = s.head.text;
    const auto& items = s.items;
    std::vector<bool> done(items.size(), false);
    tokens_.push_back({Token::Kind::keyword, s.head.span, std::string(h), &s, parent});
    // Declared names were recorded in passes 1 and 2.
    if (!items.empty() && (top_kind(h) || h == "subnet" || h == "route" || h == "network" || h == "application" ||
                           h == "nat" || h == "deployment" || h == "statefulset" || h == "service" || h == "config" ||
                           h == "allow" || h == "deny"))
      done[0] = true;
    const std::string_view app_scope =
        top != nullptr && top->head.text == "app" && !top->items.empty() ? top->items[0].text : std::string_view{};
    auto use = [&](std::size_t i, int symbol) {
      if (i >= items.size()) return;
      done[i] = true;
      if (symbol >= 0) ref(items[i].kind == ItemKind::word ? name_span(items[i]) : items[i].span, symbol);
    };
    auto after_word = [&](std::string_view w) -> std::size_t {
      for (std::size_t i = 0; i + 1 < items.size(); ++i)
        if (items[i].is_word(w)) return i + 1;
      return items.size();
    };
    auto keyword = [&](std::size_t i) {
      done[i] = true;
      token(Token::Kind::keyword, items[i], s, parent);
    };
    // Rule endpoints and DNAT sources: declared subnets and public IPs, service tags, `tag X`.
    auto endpoint = [&](std::size_t i, bool destination) {
      const Item& it = items[i];
      if (it.is_word("tag")) {
        keyword(i);
        return;
      }
      if (i > 0 && items[i - 1].is_word("tag")) {
        done[i] = true;
        token(Token::Kind::fqdn_tag, it, s, parent);
        return;
      }
      if (it.kind != ItemKind::word) return;
      if (plain_word(it)) {
        const int sym = find(it.text);
        if (sym >= 0 && (symbols_[static_cast<std::size_t>(sym)].kind == SymbolKind::subnet ||
                         symbols_[static_cast<std::size_t>(sym)].kind == SymbolKind::public_ip)) {
          use(i, sym);
          return;
        }
      }
      done[i] = true;
      (void)destination;
      token(Token::Kind::service_tag, it, s, parent);
    };

    if (h == "import" && !items.empty()) {
      done[0] = true;
      token(items[0].kind == ItemKind::string ? Token::Kind::import_path : Token::Kind::module, items[0], s, parent);
    } else if (h == "group") {
      if (auto i = after_word("in"); i < items.size() && plain_word(items[i])) {
        const int sym = find(items[i].text);
        if (sym >= 0) use(i, sym);
        else {
          done[i] = true;
          token(Token::Kind::region, items[i], s, parent);
        }
      }
    } else if (h == "param") {
      if (items.size() >= 3 && items[1].kind == ItemKind::colon) keyword(2);
      if (items.size() >= 5 && items[3].kind == ItemKind::equals && items[2].is_word("region") && plain_word(items[4])) {
        done[4] = true;
        token(Token::Kind::region, items[4], s, parent);
      }
    } else if ((h == "firewall" || h == "cluster") && parent == nullptr) {
      if (auto i = after_word("in"); i < items.size() && items[i].kind == ItemKind::word) use(i, find(items[i].text));
    } else if (h == "app" && parent == nullptr) {
      if (auto i = after_word("on"); i < items.size() && plain_word(items[i])) use(i, find(items[i].text));
    } else if (h == "regions" || h == "service_tags" || h == "fqdn_tags") {
      const auto kind = h == "regions" ? Token::Kind::region : h == "service_tags" ? Token::Kind::service_tag : Token::Kind::fqdn_tag;
      for (std::size_t i = 0; i < items.size(); ++i)
        if (items[i].kind == ItemKind::word) {
          done[i] = true;
          token(kind, items[i], s, parent);
        }
    } else if (parent != nullptr) {
      const std::string_view ph = parent->head.text;
      if (ph == "subnet" && (h == "route_table" || h == "nat_gateway") && !items.empty()) {
        use(0, find(items[0].text));
      } else if (ph == "nat_gateway" && h == "public_ip") {
        for (std::size_t i = 0; i < items.size(); ++i)
          if (plain_word(items[i])) use(i, find(items[i].text));
      } else if (ph == "vnet" && h == "peer" && !items.empty()) {
        use(0, find(items[0].text));
      } else if (ph == "route_table" && h == "route") {
        bool after_arrow = false;
        for (std::size_t i = 1; i < items.size(); ++i) {
          const Item& it = items[i];
          if (it.kind == ItemKind::arrow) {
            after_arrow = true;
          } else if (it.kind == ItemKind::word && !it.has_interpolation()) {
            if (after_arrow && is_hop_keyword(it)) keyword(i);
            else if (after_arrow) use(i, find(it.text));
            else if (const int sym = find(it.text); sym >= 0 && symbols_[static_cast<std::size_t>(sym)].kind == SymbolKind::public_ip)
              use(i, sym);
          }
        }
      } else if (h == "use" && !items.empty()) {
        // `use RULE_SET ARG, ... [priority N]`: the set, then endpoints (or a cluster, for a requirement set).
        use(0, find(items[0].text));
        for (std::size_t i = 1; i < items.size(); ++i) {
          const Item& it = items[i];
          if (it.kind == ItemKind::comma || it.kind == ItemKind::number) continue;
          if (it.is_word("priority")) {
            keyword(i);
            continue;
          }
          const int sym = plain_word(it) ? find(it.text) : -1;
          if (sym >= 0 && symbols_[static_cast<std::size_t>(sym)].kind != SymbolKind::param) use(i, sym);
          else if (sym < 0) endpoint(i, true);
        }
      } else if (ph == "firewall" && (h == "frontend" || h == "management") && !items.empty()) {
        use(0, find(items[0].text));
      } else if ((ph == "network" || ph == "application") && (h == "allow" || h == "deny")) {
        bool after_arrow = false;
        bool protocols = true;
        for (std::size_t i = 1; i < items.size(); ++i) {
          const Item& it = items[i];
          if (it.kind == ItemKind::arrow) {
            after_arrow = true;
            continue;
          }
          if (it.kind == ItemKind::comma || it.kind == ItemKind::colon) continue;
          if (protocols && it.kind == ItemKind::word &&
              (is_protocol(it) || it.is_word("http") || it.is_word("https") || it.is_word("mssql"))) {
            keyword(i);
            continue;
          }
          if (protocols && it.kind == ItemKind::number) continue;
          protocols = false;
          if (i > 0 && items[i - 1].kind == ItemKind::colon && after_arrow) continue;  // ports
          endpoint(i, after_arrow);
        }
      } else if (h == "dnat") {
        bool sources = false;
        for (std::size_t i = 0; i < items.size(); ++i) {
          const Item& it = items[i];
          if (done[i]) continue;
          if (it.is_word("from")) {
            keyword(i);
            sources = true;
          } else if (it.is_word("to") && i + 1 < items.size()) {
            keyword(i);
            sources = false;
            use(i + 1, find(items[i + 1].text));
            ++i;
          } else if (it.is_word("service") && i + 1 < items.size() && i > 0 && items[i - 1].kind == ItemKind::arrow) {
            keyword(i);
            use(i + 1, find_service(value_of(items[i + 1])));
            ++i;
          } else if (is_protocol(it)) {
            keyword(i);
          } else if (it.kind == ItemKind::number || it.kind == ItemKind::arrow) {
            sources = false;
          } else if (sources && it.kind != ItemKind::comma) {
            endpoint(i, false);
          } else if (i == 0 && plain_word(it)) {
            done[i] = true;  // the rule's name (declared in pass 2)
          }
        }
      } else if (ph == "cluster" && h == "api_server_authorized") {
        for (std::size_t i = 0; i < items.size(); ++i)
          if (plain_word(items[i])) use(i, find(items[i].text));
      } else if (ph == "cluster" && h == "identity") {
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (items[i].is_word("system") || items[i].is_word("user") || items[i].is_word("kubelet")) keyword(i);
          else if (plain_word(items[i])) use(i, find(items[i].text));
        }
      } else if ((ph == "deployment" || ph == "statefulset") && h == "mount" && !items.empty()) {
        auto it = scoped_.find(std::string(app_scope) + "/config/" + value_of(items[0]));
        use(0, it == scoped_.end() ? -1 : it->second);
      } else if ((ph == "deployment" || ph == "statefulset") && h == "wait_for" && !items.empty()) {
        int sym = find_service(value_of(items[0]));
        if (sym < 0) {
          auto it = scoped_.find(std::string(app_scope) + "/workload/" + value_of(items[0]));
          if (it != scoped_.end()) sym = it->second;
        }
        use(0, sym);
      } else if (ph == "requirement" && items.size() >= 2 && items[1].kind == ItemKind::word) {
        keyword(0);
        done[1] = true;
        token(Token::Kind::service_tag, items[1], s, parent);
      }
    }

    // Interpolations name params; so does a bare word that is a param's name (an Azure name or a location).
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Item& it = items[i];
      if (it.kind == ItemKind::string || it.kind == ItemKind::word) {
        for (const auto& part : it.parts()) {
          if (!part.interpolation) continue;
          const int sym = find(part.text);
          if (sym >= 0 && symbols_[static_cast<std::size_t>(sym)].kind == SymbolKind::param)
            ref(Span{part.span.file, part.span.offset + 2, static_cast<std::uint32_t>(part.text.size())}, sym);
        }
      }
      if (done[i] || !plain_word(it)) continue;
      const int sym = find(it.text);
      if (sym >= 0 && symbols_[static_cast<std::size_t>(sym)].kind == SymbolKind::param) {
        use(i, sym);
      } else {
        token(Token::Kind::unresolved, it, s, parent);
      }
    }
    // This statement's head and items come before its block's statements; the items were classified out of
    // order, so put their few tokens in order here (a stable sort of the whole list cost a sixth of the index).
    const auto mine = tokens_.begin() + first_token;
    if (!std::is_sorted(mine, tokens_.end(), by_position)) std::stable_sort(mine, tokens_.end(), by_position);
    for (const auto& inner : s.block.statements) walk(inner, &s, top == nullptr ? &s : top);
  };
  for (const auto* file : files)
    for (const auto& s : file->statements) walk(s, nullptr, nullptr);

  std::stable_sort(occurrences_.begin(), occurrences_.end(), by_position);
  // Each statement's tokens were put in order as it was walked, and statements follow each other in their
  // file, so the whole list is in order already unless the files came out of id order: then sort, as before.
  if (!std::is_sorted(tokens_.begin(), tokens_.end(), by_position))
    std::stable_sort(tokens_.begin(), tokens_.end(), by_position);
  link(program);
}

namespace {

template <class Vec>
const typename Vec::value_type* at_offset(const Vec& list, std::uint32_t file, std::uint32_t offset) {
  // The first element that starts after `offset`; the candidates are just before it.
  auto it = std::upper_bound(list.begin(), list.end(), std::make_pair(file, offset), [](const auto& key, const auto& e) {
    return key.first != e.span.file ? key.first < e.span.file : key.second < e.span.offset;
  });
  const typename Vec::value_type* touching = nullptr;
  while (it != list.begin()) {
    --it;
    if (it->span.file != file) break;
    if (offset < it->span.end()) return &*it;
    if (offset == it->span.end() && touching == nullptr) touching = &*it;
    if (it->span.end() + 256 < offset) break;  // spans are short: nothing further back can cover it
  }
  return touching;
}

}  // namespace

const Occurrence* Index::occurrence_at(std::uint32_t file, std::uint32_t offset) const {
  return at_offset(occurrences_, file, offset);
}

const Token* Index::token_at(std::uint32_t file, std::uint32_t offset) const { return at_offset(tokens_, file, offset); }

std::vector<const Occurrence*> Index::occurrences_of(int symbol) const {
  std::vector<const Occurrence*> out;
  for (const auto& o : occurrences_)
    if (o.symbol == symbol) out.push_back(&o);
  std::stable_partition(out.begin(), out.end(), [](const Occurrence* o) { return o->declaration; });
  return out;
}

void Index::link(const sema::Program& p) {
  auto at = [&](const Span& s) -> SemaDecl& { return by_span_[{s.file, s.offset}]; };
  for (const auto& x : p.params) at(x.span).param = &x;
  for (const auto& g : p.groups) at(g.span).group = &g;
  for (const auto& v : p.vnets) {
    at(v.span).vnet = &v;
    for (const auto& s : v.subnets) at(s.span).subnet = &s;
  }
  for (const auto& x : p.public_ips) at(x.span).public_ip = &x;
  for (const auto& t : p.route_tables) {
    at(t.span).route_table = &t;
    for (const auto& r : t.routes) at(r.span).route = &r;
  }
  for (const auto& x : p.identities) at(x.span).identity = &x;
  for (const auto& x : p.ip_groups) at(x.span).ip_group = &x;
  for (const auto& x : p.nat_gateways) at(x.span).nat_gateway = &x;
  for (const auto& x : p.firewall_policies) at(x.span).firewall_policy = &x;
  for (const auto& x : p.rule_sets) at(x.span).rule_set = &x;
  for (const auto& x : p.clusters) at(x.span).cluster = &x;
  for (const auto& fw : p.firewalls) {
    at(fw.span).firewall = &fw;
    for (const auto& c : fw.collections) {
      if (!c.implicit) at(c.span).collection = &c;
      for (const auto& r : c.network_rules) at(r.span).network_rule = &r;
      for (const auto& r : c.application_rules) at(r.span).application_rule = &r;
      for (const auto& r : c.dnat_rules) {
        at(r.span).dnat_rule = &r;
        if (c.implicit) at(r.span).collection = &c;
      }
    }
  }
  for (const auto& a : p.apps) {
    at(a.span).app = &a;
    for (const auto& w : a.workloads) at(w.span).workload = &w;
    for (const auto& s : a.services) at(s.span).service = &s;
    for (const auto& c : a.configs) at(c.span).config = &c;
  }
}

SemaDecl Index::sema_of(const Statement& s) const {
  auto it = by_span_.find({s.span.file, s.span.offset});
  return it == by_span_.end() ? SemaDecl{} : it->second;
}

SemaDecl Index::sema(int symbol) const {
  if (symbol < 0 || static_cast<std::size_t>(symbol) >= symbols_.size()) return {};
  const auto& sym = symbols_[static_cast<std::size_t>(symbol)];
  return sym.statement ? sema_of(*sym.statement) : SemaDecl{};
}

}  // namespace egress::lsp
