// textDocument/prepareRename and textDocument/rename: a declared name and every use of it, in the document and
// in the files it imports, changed by one WorkspaceEdit.
//
// Two things make a rename in egress more than replacing one word:
// - a subnet is used as `VNET.SUBNET`, so renaming a subnet edits the part after the dot of each use, and
//   renaming a VNet the part before the dot of each use of its subnets;
// - a declaration without an explicit Azure name (`public_ip fwpip`) is deployed under its egress name.
//   Renaming it would rename the Azure resource, which Azure does by creating a new one beside the old. So the
//   rename writes the old name as the explicit Azure name (`public_ip egress_ip "fwpip"`): the program reads
//   better and the deployment does not change. (It also keeps `subnet AzureFirewallSubnet` deployable.)
// Names from the standard library cannot be renamed (there is no file to edit).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "lsp/features.hpp"

namespace egress::lsp {

namespace {

using syntax::Item;
using syntax::ItemKind;

const Occurrence* occurrence_in_main(const Analysis& a, std::uint32_t offset) {
  const auto* o = a.index().occurrence_at(a.main, offset);
  if (o == nullptr && offset > 0) o = a.index().occurrence_at(a.main, offset - 1);  // the cursor just after a name
  return o;
}

/// An egress name: what `ident_first ident_char*` (with inner dashes) accepts in the grammar.
bool valid_name(std::string_view n) {
  auto first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  auto inner = [&](char c) { return first(c) || (c >= '0' && c <= '9'); };
  if (n.empty() || !first(n.front()) || n.back() == '-') return false;
  return std::all_of(n.begin(), n.end(), [&](char c) { return inner(c) || c == '-'; });
}

/// Declarations whose second item may be an Azure name (sema's Args::optional_azure_name); without one, the
/// Azure resource is named after the declaration.
bool takes_azure_name(SymbolKind k) {
  switch (k) {
    case SymbolKind::group:
    case SymbolKind::vnet:
    case SymbolKind::subnet:
    case SymbolKind::public_ip:
    case SymbolKind::nat_gateway:
    case SymbolKind::route_table:
    case SymbolKind::route:
    case SymbolKind::identity:
    case SymbolKind::firewall:
    case SymbolKind::ip_group:
    case SymbolKind::firewall_policy:
    case SymbolKind::cluster: return true;
    default: return false;
  }
}

/// The declaration's own statement has an explicit Azure name: a string, or a bare parameter name, right after
/// the declared name (the same test sema applies).
bool has_azure_name(const Analysis& a, const Symbol& sym) {
  const auto& items = sym.statement->items;
  if (items.size() < 2) return false;
  const Item& next = items[1];
  if (next.kind == ItemKind::string) return true;
  return next.kind == ItemKind::word && !next.has_interpolation() && a.program.find_param(next.text) != nullptr;
}

/// The part of an occurrence's text that is the name: a subnet use `vnet.aks` holds the subnet's name after the
/// dot; a quoted service name inside its quotes.
Span name_part(const Analysis& a, const Span& span, SymbolKind kind) {
  const std::string_view text = a.sources.slice(span);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') return Span{span.file, span.offset + 1, span.length - 2};
  const auto dot = text.rfind('.');
  if (dot == std::string_view::npos) return span;
  if (kind == SymbolKind::subnet)
    return Span{span.file, span.offset + static_cast<std::uint32_t>(dot) + 1, span.length - static_cast<std::uint32_t>(dot) - 1};
  if (kind == SymbolKind::vnet) return Span{span.file, span.offset, static_cast<std::uint32_t>(text.find('.'))};
  return span;
}

/// The name as the namespace knows it after the rename ("vnet.new" for a subnet).
std::string qualified(const Symbol& sym, const std::string& new_name) {
  if (sym.kind != SymbolKind::subnet) return new_name;
  const auto dot = sym.name.rfind('.');
  return sym.name.substr(0, dot + 1) + new_name;
}

/// Another symbol already answers to `name` where `sym` lives: the rename would merge two declarations.
const Symbol* clash(const Analysis& a, const Symbol& sym, const std::string& new_name) {
  const auto& all = a.index().symbols();
  const std::string wanted = qualified(sym, new_name);
  for (const auto& other : all) {
    if (&other == &sym || other.name != wanted) continue;
    switch (sym.kind) {
      case SymbolKind::route:
      case SymbolKind::collection:
      case SymbolKind::rule:
      case SymbolKind::workload:
      case SymbolKind::config:
        if (other.kind == sym.kind && other.parent == sym.parent && other.scope == sym.scope) return &other;
        break;
      case SymbolKind::service:
        if (other.kind == SymbolKind::service) return &other;
        break;
      default:
        if (other.kind != SymbolKind::service && other.kind != SymbolKind::route && other.kind != SymbolKind::collection &&
            other.kind != SymbolKind::rule && other.kind != SymbolKind::workload && other.kind != SymbolKind::config)
          return &other;
    }
  }
  return nullptr;
}

[[noreturn]] void refuse(std::string message) { throw RenameError(std::move(message)); }

}  // namespace

json prepare_rename(const Analysis& a, std::uint32_t offset) {
  const auto* o = occurrence_in_main(a, offset);
  if (o == nullptr) return nullptr;
  const auto& sym = a.index().symbols()[static_cast<std::size_t>(o->symbol)];
  if (sym.name_span.file >= a.file_uris.size() || a.file_uris[sym.name_span.file].empty())
    refuse(fmt::format("`{}` is declared in the standard library, which cannot be edited", sym.name));
  const Span part = name_part(a, o->span, sym.kind);
  return {{"range", to_json(a.lines.at(part.file).range(part.offset, part.length))},
          {"placeholder", std::string(a.sources.slice(part))}};
}

json rename(const Analysis& a, std::uint32_t offset, const std::string& new_name) {
  const auto* o = occurrence_in_main(a, offset);
  if (o == nullptr) refuse("there is no declared name here to rename");
  const auto& symbols = a.index().symbols();
  const auto& sym = symbols[static_cast<std::size_t>(o->symbol)];
  if (!valid_name(new_name))
    refuse(fmt::format("`{}` is not an egress name: start with a letter or `_`, then letters, digits, `_` or inner `-`",
                       new_name));
  if (const auto* other = clash(a, sym, new_name))
    refuse(fmt::format("`{}` is already the name of {} {}", qualified(sym, new_name), kind_label(other->kind),
                       other->name));

  // Every span to rewrite, by file: the symbol's own occurrences, and for a VNet the VNet part of its
  // subnets' uses.
  std::map<std::uint32_t, std::vector<std::pair<Span, std::string>>> edits;
  auto add = [&](const Span& span, const std::string& text) {
    if (span.file >= a.file_uris.size() || a.file_uris[span.file].empty())
      refuse(fmt::format("`{}` is used in the standard library, which cannot be edited", sym.name));
    edits[span.file].emplace_back(span, text);
  };
  for (const auto* use : a.index().occurrences_of(o->symbol)) add(name_part(a, use->span, sym.kind), new_name);
  if (sym.kind == SymbolKind::vnet) {
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      if (symbols[i].kind != SymbolKind::subnet || symbols[i].name.rfind(sym.name + ".", 0) != 0) continue;
      for (const auto* use : a.index().occurrences_of(static_cast<int>(i))) {
        if (use->declaration) continue;  // `subnet aks` inside the vnet: no VNet part
        const std::string_view text = a.sources.slice(use->span);
        if (text.rfind(sym.name + ".", 0) != 0) continue;
        add(Span{use->span.file, use->span.offset, static_cast<std::uint32_t>(sym.name.size())}, new_name);
      }
    }
  }
  // Keep the deployed name: write the old one as the explicit Azure name.
  if (takes_azure_name(sym.kind) && !has_azure_name(a, sym)) {
    const Span& n = sym.name_span;
    add(Span{n.file, n.offset + n.length, 0}, fmt::format(" \"{}\"", std::string(a.sources.slice(n))));
  }

  json changes = json::object();
  for (auto& [file, list] : edits) {
    std::sort(list.begin(), list.end(), [](const auto& x, const auto& y) { return x.first.offset < y.first.offset; });
    list.erase(std::unique(list.begin(), list.end(),
                           [](const auto& x, const auto& y) {
                             return x.first.offset == y.first.offset && x.first.length == y.first.length && x.second == y.second;
                           }),
               list.end());
    json text_edits = json::array();
    for (const auto& [span, text] : list)
      text_edits.push_back({{"range", to_json(a.lines.at(file).range(span.offset, span.length))}, {"newText", text}});
    changes[a.file_uris[file]] = std::move(text_edits);
  }
  return {{"changes", std::move(changes)}};
}

}  // namespace egress::lsp
