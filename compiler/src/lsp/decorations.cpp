// What an editor paints over the text of a document: semantic tokens (each name coloured by what it names,
// which a TextMate grammar cannot know) and inlay hints (the values the compiler derives, shown where they
// apply: a firewall's private IP, the next hop of a route to it, an internal load balancer's IP after its
// service and after each DNAT to it, a subnet's usable addresses).
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "lsp/features.hpp"

namespace egress::lsp {

namespace {

// The legend's order is the protocol's numbering of token types and modifiers (semantic_tokens_legend()).
enum TokenType : int { keyword, parameter, namespace_, class_, property, enum_member, variable, string };
constexpr std::string_view kTokenTypes[] = {"keyword", "parameter", "namespace", "class", "property", "enumMember", "variable", "string"};
enum TokenModifier : int { declaration = 1, default_library = 2 };
constexpr std::string_view kTokenModifiers[] = {"declaration", "defaultLibrary"};

int type_of(SymbolKind k) {
  switch (k) {
    case SymbolKind::param: return parameter;
    case SymbolKind::group: return namespace_;
    case SymbolKind::firewall:
    case SymbolKind::firewall_policy:
    case SymbolKind::cluster:
    case SymbolKind::app: return class_;
    case SymbolKind::route:
    case SymbolKind::collection:
    case SymbolKind::rule:
    case SymbolKind::workload:
    case SymbolKind::service:
    case SymbolKind::config: return property;
    default: return variable;  // VNets, subnets, public IPs, route tables, identities, IP groups, rule sets ...
  }
}

int type_of(Token::Kind k) {
  switch (k) {
    case Token::Kind::keyword: return keyword;
    case Token::Kind::service_tag:
    case Token::Kind::fqdn_tag:
    case Token::Kind::region: return enum_member;
    case Token::Kind::module: return namespace_;
    case Token::Kind::import_path: return string;
    case Token::Kind::unresolved: return -1;
  }
  return -1;
}

bool in_stdlib(const Analysis& a, const Span& span) {
  return span.file >= a.file_uris.size() || a.file_uris[span.file].empty();
}

}  // namespace

json semantic_tokens_legend() {
  json types = json::array(), modifiers = json::array();
  for (auto t : kTokenTypes) types.push_back(t);
  for (auto m : kTokenModifiers) modifiers.push_back(m);
  return {{"tokenTypes", types}, {"tokenModifiers", modifiers}};
}

json semantic_tokens(const Analysis& a) {
  // (offset, length, type, modifiers) of the main document's names and known words, in text order.
  std::vector<std::tuple<std::uint32_t, std::uint32_t, int, int>> found;
  const auto& symbols = a.index().symbols();
  for (const auto& o : a.index().occurrences()) {
    if (o.span.file != a.main) continue;
    const auto& sym = symbols[static_cast<std::size_t>(o.symbol)];
    const int mods = (o.declaration ? declaration : 0) | (in_stdlib(a, sym.name_span) ? default_library : 0);
    found.emplace_back(o.span.offset, o.span.length, type_of(sym.kind), mods);
  }
  const auto names = found.end() - found.begin();
  for (const auto& t : a.index().tokens()) {
    if (t.span.file != a.main) continue;
    if (const int type = type_of(t.kind); type >= 0) found.emplace_back(t.span.offset, t.span.length, type, 0);
  }
  // The index keeps both lists in text order, so the two runs usually only need merging; ties at one offset
  // that are not in tuple order fall back to the sort (the same order either way).
  const auto middle = found.begin() + names;
  if (std::is_sorted(found.begin(), middle) && std::is_sorted(middle, found.end()))
    std::inplace_merge(found.begin(), middle, found.end());
  else
    std::sort(found.begin(), found.end());
  // Relative encoding (LSP 3.17 "Semantic Tokens"): five integers per token. Tokens may not overlap or span
  // lines; the first of overlapping ones wins.
  json data = json::array();
  data.get_ref<json::array_t&>().reserve(found.size() * 5);
  Position last{};
  std::uint32_t end = 0;
  for (const auto& [offset, length, type, mods] : found) {
    if (offset < end || length == 0) continue;
    const Range r = a.main_lines().range(offset, length);
    if (r.start.line != r.end.line) continue;
    const auto delta_line = r.start.line - last.line;
    const auto delta_char = delta_line == 0 ? r.start.character - last.character : r.start.character;
    for (auto v : {delta_line, delta_char, r.end.character - r.start.character}) data.push_back(v);
    data.push_back(type);
    data.push_back(mods);
    last = r.start;
    end = offset + length;
  }
  return {{"data", std::move(data)}};
}

json inlay_hints(const Analysis& a, const Range& range) {
  std::vector<std::pair<std::uint32_t, std::string>> hints;  // (offset, label)
  const auto& symbols = a.index().symbols();
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const auto& sym = symbols[i];
    if (sym.name_span.file != a.main) continue;
    const auto decl = a.index().sema(static_cast<int>(i));
    const auto after_name = sym.name_span.offset + sym.name_span.length;
    if (decl.firewall != nullptr && decl.firewall->subnet != nullptr) {
      hints.emplace_back(after_name, fmt::format("private IP {}", decl.firewall->private_ip.str()));
    } else if (decl.route != nullptr && decl.route->firewall != nullptr && decl.route->next_hop_span.file == a.main &&
               decl.route->firewall->subnet != nullptr) {
      const auto& hop = decl.route->next_hop_span;
      hints.emplace_back(hop.offset + hop.length, decl.route->firewall->private_ip.str());
    } else if (decl.service != nullptr && decl.service->load_balancer_ip) {
      // After the name, only when the compiler allocated it (a given `ip` carries its own item's span); after
      // each DNAT that names the service, always: that is the rule's translated address.
      const auto& ip = *decl.service->load_balancer_ip;
      if (ip.span == decl.service->span) hints.emplace_back(after_name, fmt::format("ip {}", ip.str()));
      for (const auto* use : a.index().occurrences_of(static_cast<int>(i)))
        if (!use->declaration && use->span.file == a.main) hints.emplace_back(use->span.offset + use->span.length, ip.str());
    } else if (decl.subnet != nullptr && decl.subnet->prefix.span.file == a.main && decl.subnet->prefix.length <= 29) {
      // Azure reserves five addresses of every subnet (the first four and the last).
      const auto& p = decl.subnet->prefix;
      hints.emplace_back(p.span.offset + p.span.length, fmt::format("{} usable", p.size() - 5));
    }
  }
  std::sort(hints.begin(), hints.end());
  json out = json::array();
  for (const auto& [offset, label] : hints) {
    const Position p = a.main_lines().position(offset);
    if (p.line < range.start.line || p.line > range.end.line) continue;
    out.push_back({{"position", to_json(p)}, {"label", label}, {"paddingLeft", true}});
  }
  return out;
}

}  // namespace egress::lsp
