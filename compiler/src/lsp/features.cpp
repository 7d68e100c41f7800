// Diagnostics, navigation (definition, references, highlights), the outline, formatting and quick fixes.
// Hover is in hover.cpp, completion in completion.cpp.
#include "base/ascii.hpp"
#include "lsp/features.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "format/format.hpp"

namespace egress::lsp {

using syntax::ItemKind;
using syntax::Statement;

std::string code_href(const CodeInfo& code) {
  return std::string(kDiagnosticsDocs) + "#" + ascii_lower(std::string(code.id) + "-" + std::string(code.slug));
}

json to_json(const Position& p) { return {{"line", p.line}, {"character", p.character}}; }
json to_json(const Range& r) { return {{"start", to_json(r.start)}, {"end", to_json(r.end)}}; }

Position position_from_json(const json& j) {
  Position p;
  if (!j.is_object()) return p;
  auto read = [&](const char* key) -> std::uint32_t {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number()) return 0;
    if (it->is_number_unsigned()) return static_cast<std::uint32_t>(std::min<std::uint64_t>(it->get<std::uint64_t>(), UINT32_MAX));
    if (it->is_number_integer()) return static_cast<std::uint32_t>(std::clamp<std::int64_t>(it->get<std::int64_t>(), 0, UINT32_MAX));
    const double d = it->get<double>();
    return d > 0 && d < 4e9 ? static_cast<std::uint32_t>(d) : 0;
  };
  p.line = read("line");
  p.character = read("character");
  return p;
}

namespace {

json location(const Analysis& a, const Span& span) {
  if (span.file >= a.file_uris.size() || a.file_uris[span.file].empty()) return nullptr;
  return {{"uri", a.file_uris[span.file]}, {"range", to_json(a.lines[span.file].range(span.offset, span.length))}};
}

Range range_of(const Analysis& a, const Span& span) { return a.lines.at(span.file).range(span.offset, span.length); }

/// Where a diagnostic is shown in the main document: its own span there, or the import that leads to it.
std::optional<Span> shown_at(const Analysis& a, const Span& span) {
  if (span.file == a.main) return span;
  auto it = a.imported_by.find(span.file);
  if (it != a.imported_by.end()) return it->second;
  return std::nullopt;
}

json to_lsp(const Analysis& a, const Diagnostic& d) {
  const auto at = shown_at(a, d.span);
  if (!at) return nullptr;
  const auto& ci = info(d.code);
  std::string message = d.message;
  if (d.span.file != a.main) {
    const auto lc = a.sources.line_col(d.span.file, d.span.offset);
    message = fmt::format("in {}:{}:{}: {}", a.sources.path(d.span.file), lc.line, lc.column, message);
  }
  if (!d.hint.empty()) message += "\nhint: " + d.hint;
  json out = {
      {"range", to_json(range_of(a, *at))},
      {"severity", d.severity == Severity::error ? 1 : 2},
      {"code", std::string(ci.id)},
      {"codeDescription", {{"href", code_href(ci)}}},
      {"source", "egress"},
      {"message", message},
  };
  json related = json::array();
  if (d.span.file != a.main) {
    if (auto loc = location(a, d.span); !loc.is_null()) related.push_back({{"location", loc}, {"message", d.message}});
  }
  for (const auto& n : d.notes)
    if (auto loc = location(a, n.span); !loc.is_null()) related.push_back({{"location", loc}, {"message", n.message}});
  if (!related.empty()) out["relatedInformation"] = related;
  return out;
}

const Occurrence* occurrence(const Analysis& a, std::uint32_t offset) { return a.index().occurrence_at(a.main, offset); }

std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

}  // namespace

json diagnostics(const Analysis& a) {
  json list = json::array();
  for (const auto& d : a.diagnostics.all())
    if (auto j = to_lsp(a, d); !j.is_null()) list.push_back(std::move(j));
  return list;
}

json publish_diagnostics(const Analysis& a, std::optional<int> version) {
  json params = {{"uri", a.uri}, {"diagnostics", diagnostics(a)}};
  if (version) params["version"] = *version;
  return params;
}

json definition(const Analysis& a, std::uint32_t offset) {
  if (const auto* o = occurrence(a, offset)) {
    const auto& sym = a.index().symbols()[static_cast<std::size_t>(o->symbol)];
    return location(a, sym.name_span);
  }
  if (const auto* t = a.index().token_at(a.main, offset); t != nullptr && t->kind == Token::Kind::import_path) {
    const std::string target = !t->text.empty() && t->text.front() == '/' ? t->text : directory_of(a.path) + t->text;
    for (std::uint32_t id = 0; id < a.sources.size(); ++id)
      if (id != a.main && a.sources.path(id) == target && !a.file_uris[id].empty())
        return {{"uri", a.file_uris[id]}, {"range", to_json(Range{})}};
  }
  return nullptr;
}

json references(const Analysis& a, std::uint32_t offset, bool include_declaration) {
  const auto* o = occurrence(a, offset);
  if (o == nullptr) return nullptr;
  json out = json::array();
  for (const auto* use : a.index().occurrences_of(o->symbol)) {
    if (use->declaration && !include_declaration) continue;
    if (auto loc = location(a, use->span); !loc.is_null()) out.push_back(loc);
  }
  return out;
}

json document_highlight(const Analysis& a, std::uint32_t offset) {
  const auto* o = occurrence(a, offset);
  if (o == nullptr) return nullptr;
  json out = json::array();
  for (const auto* use : a.index().occurrences_of(o->symbol)) {
    if (use->span.file != a.main) continue;
    out.push_back({{"range", to_json(range_of(a, use->span))}, {"kind", use->declaration ? 3 : 2}});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- outline

namespace {

// LSP SymbolKind numbers.
enum LspSymbol { File = 1, Module = 2, Namespace = 3, Package = 4, Class = 5, Property = 7, Field = 8,
                 Interface = 11, Variable = 13, Constant = 14, Object = 19, Key = 20, Struct = 23, Event = 24,
                 Array = 18 };

int lsp_kind(std::string_view head, bool in_collection) {
  if (in_collection) return Property;
  if (head == "import") return Module;
  if (head == "param") return Variable;
  if (head == "group") return Namespace;
  if (head == "vnet") return Module;
  if (head == "subnet") return Struct;
  if (head == "public_ip") return Constant;
  if (head == "firewall") return Class;
  if (head == "firewall_policy") return Class;
  if (head == "rule_group") return Namespace;  // a group of collections, as a rule set is
  if (head == "ip_group") return Array;
  if (head == "nat_gateway") return Object;
  if (head == "network" || head == "application" || head == "nat") return Array;
  if (head == "route_table") return Struct;
  if (head == "route") return Field;
  if (head == "identity") return Key;
  if (head == "cluster") return Package;
  if (head == "app") return Module;
  if (head == "deployment" || head == "statefulset") return Object;
  if (head == "service") return Interface;
  if (head == "config") return File;
  if (head == "dnat" || head == "allow" || head == "deny") return Property;
  if (head == "requirement") return Event;
  if (head == "rule_set") return Namespace;
  if (head == "use") return Field;
  return Field;
}

bool outlined(const Statement& s, const Statement* parent) {
  const auto& h = s.head.text;
  static constexpr std::string_view top[] = {"import", "param", "env", "group", "vnet", "public_ip", "firewall",
                                             "route_table", "identity", "cluster", "app", "requirement", "rule_set",
                                             "ip_group", "firewall_policy", "nat_gateway"};
  if (parent == nullptr) return std::find(std::begin(top), std::end(top), h) != std::end(top);
  const auto& ph = parent->head.text;
  // A group's block holds its declarations: the outline shows them under it.
  if (ph == "group") return h != "import" && h != "param" && h != "group" && std::find(std::begin(top), std::end(top), h) != std::end(top);
  if (ph == "vnet") return h == "subnet";
  if (ph == "route_table") return h == "route";
  if (ph == "firewall") return h == "network" || h == "application" || h == "nat" || h == "dnat" || h == "use";
  if (ph == "rule_set" || ph == "rule_group") return h == "network" || h == "application" || h == "nat" || h == "use";
  if (ph == "firewall_policy") return h == "rule_group";
  if (ph == "network" || ph == "application" || ph == "nat") return h == "allow" || h == "deny" || h == "dnat";
  if (ph == "app") return h == "deployment" || h == "statefulset" || h == "service" || h == "config";
  return false;
}

std::string item_text(const syntax::Item& it) {
  if (it.kind != ItemKind::string) return std::string(it.text);
  std::string out;
  for (const auto& p : it.parts()) out += p.interpolation ? "${" + std::string(p.text) + "}" : std::string(p.text);
  return out;
}

json outline(const Analysis& a, const Statement& s, const Statement* parent) {
  const auto& h = s.head.text;
  std::string name;
  Span selection = s.head.span;
  std::string detail(h);
  const bool named = !s.items.empty() && (s.items[0].kind == ItemKind::word || s.items[0].kind == ItemKind::string);
  const auto decl = a.index().sema_of(s);
  if (h == "dnat") {
    if (decl.dnat_rule) name = decl.dnat_rule->name;
    else if (named && s.items[0].kind == ItemKind::word && s.items[0].text != "tcp" && s.items[0].text != "udp")
      name = s.items[0].text;
  } else if (named) {
    name = item_text(s.items[0]);
    selection = s.items[0].span;
  }
  if (name.empty()) name = h;
  // A short detail: what it is, and the Azure name or the essentials.
  if (h == "import") detail = "import";
  else if (parent == nullptr && s.has_block && s.items.size() == 1 && h != "requirement") detail = std::string(h) + " (reopened)";
  else if (h == "subnet" && decl.subnet) detail = "subnet " + decl.subnet->prefix.str();
  else if (h == "rule_group" && s.items.size() >= 3 && s.items[1].text == "priority")
    detail = "rule collection group, priority " + std::string(s.items[2].text);
  else if ((h == "network" || h == "application" || h == "nat") && decl.collection)
    detail = fmt::format("{} collection, priority {}", h, decl.collection->priority);
  else if (h == "allow" || h == "deny") detail = h;
  else if (h == "param" && s.items.size() >= 3) detail = "param: " + std::string(s.items[2].text);
  json sym = {
      {"name", name},
      {"detail", detail},
      {"kind", lsp_kind(h, false)},
      {"range", to_json(range_of(a, s.span.to(s.head.span)))},
      {"selectionRange", to_json(range_of(a, selection))},
  };
  json children = json::array();
  for (const auto& inner : s.block.statements)
    if (outlined(inner, &s)) children.push_back(outline(a, inner, &s));
  if (!children.empty()) sym["children"] = children;
  return sym;
}

}  // namespace

json document_symbols(const Analysis& a) {
  json out = json::array();
  for (const auto& s : a.main_tree().statements)
    if (outlined(s, nullptr)) out.push_back(outline(a, s, nullptr));
  return out;
}

json workspace_symbols(const std::vector<const Analysis*>& analyses, const std::string& query) {
  const std::string q = ascii_lower(query);
  json out = json::array();
  std::set<std::pair<std::string, std::uint32_t>> seen;  // (uri, offset): imported files are in several analyses
  for (const auto* a : analyses) {
    const auto& symbols = a->index().symbols();
    for (const auto& sym : symbols) {
      const auto file = sym.name_span.file;
      if (file >= a->file_uris.size() || a->file_uris[file].empty()) continue;  // the stdlib
      if (ascii_lower(sym.name).find(q) == std::string::npos) continue;
      if (!seen.emplace(a->file_uris[file], sym.name_span.offset).second) continue;
      json info = {{"name", sym.name},
                   {"kind", lsp_kind(sym.statement->head.text, sym.kind == SymbolKind::rule)},
                   {"location", location(*a, sym.name_span)}};
      if (!sym.scope.empty()) info["containerName"] = sym.scope;
      else if (sym.parent != nullptr && !sym.parent->items.empty()) info["containerName"] = item_text(sym.parent->items[0]);
      out.push_back(std::move(info));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- formatting

json formatting(const Analysis& a) {
  if (!a.main_parses) return nullptr;
  const std::string formatted = format::format(a.main_tree(), a.sources);
  const auto text = a.sources.text(a.main);
  if (formatted == text) return json::array();
  const Range whole{Position{}, a.main_lines().position(static_cast<std::uint32_t>(text.size()))};
  return json::array({{{"range", to_json(whole)}, {"newText", formatted}}});
}

// ---------------------------------------------------------------------------------------------- quick fixes

namespace {

bool overlaps(const Range& a, const Range& b) {
  auto before = [](const Position& x, const Position& y) {
    return x.line < y.line || (x.line == y.line && x.character < y.character);
  };
  return !before(a.end, b.start) && !before(b.end, a.start);
}

}  // namespace

json code_actions(const Analysis& a, const Range& range, const json& context) {
  json out = json::array();
  if (context.is_object()) {
    auto only = context.find("only");
    if (only != context.end() && only->is_array()) {
      bool wanted = false;
      for (const auto& k : *only)
        if (k.is_string() && (k == "quickfix" || k.get<std::string>().rfind("quickfix.", 0) == 0)) wanted = true;
      if (!wanted) return out;
    }
  }
  for (const auto& d : a.diagnostics.all()) {
    if (d.fixits.empty() || d.span.file != a.main) continue;
    const Range at = range_of(a, d.span);
    if (!overlaps(at, range)) continue;
    bool local = true;
    for (const auto& f : d.fixits)
      if (f.span.file != a.main) local = false;
    if (!local) continue;
    json edits = json::array();
    for (const auto& f : d.fixits) edits.push_back({{"range", to_json(range_of(a, f.span))}, {"newText", f.replacement}});
    const auto& f0 = d.fixits.front();
    const std::string old(a.sources.slice(f0.span));
    std::string title = f0.span.length == 0      ? fmt::format("Insert `{}`", f0.replacement)
                        : f0.replacement.empty() ? fmt::format("Remove `{}`", old)
                                                 : fmt::format("Replace `{}` with `{}`", old, f0.replacement);
    title += fmt::format(" ({})", info(d.code).id);
    out.push_back({
        {"title", title},
        {"kind", "quickfix"},
        {"diagnostics", json::array({to_lsp(a, d)})},
        {"isPreferred", d.fixits.size() == 1},
        {"edit", {{"changes", {{a.uri, edits}}}}},
    });
  }
  return out;
}

}  // namespace egress::lsp
