// Completion. The context comes from the text before the cursor, scanned the way the grammar reads it (blocks
// opened by `<` and closed by `>`, statements ended by a line break or `;` unless a `,` continues them), so it
// works on the half-written statement being typed. What is offered comes from the index (declared names),
// the catalog of the embedded stdlib (service tags, FQDN tags, regions) and the keyword tables.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "api/stdlib.hpp"
#include "lsp/features.hpp"
#include "lsp/keywords.hpp"

namespace egress::lsp {

namespace {

struct Cursor {
  std::vector<std::string> blocks;  // heads of the open blocks, outermost first
  std::vector<std::string> tokens;  // the statement's tokens before the cursor: words, "->", ":", ",", "=", "*", "\"s\""
  std::string partial;              // the word being typed
  std::uint32_t partial_start = 0;
  bool in_comment = false;
  bool in_string = false;
  bool in_interpolation = false;  // after an unclosed `${`
  std::uint32_t interpolation_start = 0;
};

bool word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '$' || c == '{' ||
         c == '}' || c == '/' || static_cast<unsigned char>(c) >= 0x80;
}

Cursor scan(std::string_view text, std::uint32_t offset) {
  Cursor c;
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  auto end_statement = [&] { c.tokens.clear(); };
  std::size_t i = 0;
  while (i < offset) {
    const char ch = text[i];
    if (ch == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n' && text[i] != '\r') {
        if (i >= offset) break;
        ++i;
      }
      if (i >= offset) {
        c.in_comment = true;
        return c;
      }
      continue;
    }
    if (ch == '"') {
      const std::size_t start = i++;
      bool closed = false;
      while (i < text.size() && text[i] != '\n' && text[i] != '\r') {
        if (i >= offset) break;
        if (text[i] == '\\') {
          i += 2;
          continue;
        }
        if (text[i] == '"') {
          closed = true;
          ++i;
          break;
        }
        ++i;
      }
      if (!closed && i >= offset) {
        c.in_string = true;
        const auto body = text.substr(start, offset - start);
        const auto open = body.rfind("${");
        if (open != std::string_view::npos && body.find('}', open) == std::string_view::npos) {
          c.in_interpolation = true;
          c.interpolation_start = static_cast<std::uint32_t>(start + open + 2);
        }
        return c;
      }
      c.tokens.emplace_back(text.substr(start, i - start));
      continue;
    }
    if (ch == '\n' || ch == '\r') {
      if (c.tokens.empty() || c.tokens.back() != ",") end_statement();
      ++i;
      continue;
    }
    if (ch == ';') {
      end_statement();
      ++i;
      continue;
    }
    if (ch == '<') {
      c.blocks.push_back(c.tokens.empty() ? std::string() : c.tokens.front());
      end_statement();
      ++i;
      continue;
    }
    if (ch == '-' && i + 1 < text.size() && text[i + 1] == '>') {
      c.tokens.emplace_back("->");
      i += 2;
      continue;
    }
    if (ch == '>') {
      if (!c.blocks.empty()) c.blocks.pop_back();
      end_statement();
      ++i;
      continue;
    }
    if (ch == ',' || ch == ':' || ch == '=' || ch == '*') {
      c.tokens.emplace_back(1, ch);
      ++i;
      continue;
    }
    if (ch == ' ' || ch == '\t') {
      ++i;
      continue;
    }
    // A word (or a number, address ...): up to a delimiter, or the cursor.
    const std::size_t start = i;
    while (i < text.size() && word_char(text[i]) && !(text[i] == '-' && i + 1 < text.size() && text[i + 1] == '>')) {
      if (i >= offset) break;
      ++i;
    }
    if (i == start) {  // a character no rule takes: skip it
      ++i;
      continue;
    }
    if (i >= offset) {
      c.partial = std::string(text.substr(start, offset - start));
      c.partial_start = static_cast<std::uint32_t>(start);
      const auto open = c.partial.rfind("${");
      if (open != std::string::npos && c.partial.find('}', open) == std::string::npos) {
        c.in_interpolation = true;
        c.interpolation_start = static_cast<std::uint32_t>(start + open + 2);
      }
      return c;
    }
    c.tokens.emplace_back(text.substr(start, i - start));
  }
  c.partial_start = offset;
  return c;
}

// LSP CompletionItemKind numbers.
enum ItemKindNumber { Field = 5, Variable = 6, Class = 7, Interface = 8, Module = 9, Value = 12, Keyword = 14,
                      File = 17, Reference = 18, EnumMember = 20, Constant = 21, Struct = 22 };

int item_kind(SymbolKind k) {
  switch (k) {
    case SymbolKind::param: return Variable;
    case SymbolKind::vnet: return Module;
    case SymbolKind::subnet: return Field;
    case SymbolKind::public_ip: return Constant;
    case SymbolKind::firewall: return Class;
    case SymbolKind::route_table: return Struct;
    case SymbolKind::identity: return Reference;
    case SymbolKind::cluster: return Class;
    case SymbolKind::app: return Module;
    case SymbolKind::service: return Interface;
    case SymbolKind::config: return File;
    default: return Reference;
  }
}

class Items {
 public:
  Items(const Analysis& a, std::uint32_t from, std::uint32_t to) : range_(a.main_lines().range(from, to - from)) {}

  void add(const std::string& label, int kind, const std::string& detail, const std::string& doc = {},
           const std::string& sort = "1") {
    if (label.empty() || !seen_.insert(label).second) return;
    json item = {{"label", label}, {"kind", kind}, {"sortText", sort + label},
                 {"textEdit", {{"range", to_json(range_)}, {"newText", label}}}};
    if (!detail.empty()) item["detail"] = detail;
    if (!doc.empty()) item["documentation"] = {{"kind", "markdown"}, {"value", doc}};
    list_.push_back(std::move(item));
  }
  void keyword(const KeywordInfo& k) { add(std::string(k.word), Keyword, std::string(k.form), std::string(k.doc), "0"); }
  void keyword(std::string_view w, const std::string& detail = {}) { add(std::string(w), Keyword, detail, {}, "0"); }
  json take() { return {{"isIncomplete", false}, {"items", std::move(list_)}}; }

 private:
  Range range_;
  std::set<std::string> seen_;
  json list_ = json::array();
};

void symbols(Items& out, const Analysis& a, std::initializer_list<SymbolKind> kinds, const std::string& sort = "1") {
  for (const auto& s : a.index().symbols()) {
    if (std::find(kinds.begin(), kinds.end(), s.kind) == kinds.end()) continue;
    if (s.kind == SymbolKind::service) continue;  // services are offered quoted, see below
    out.add(s.name, item_kind(s.kind), std::string(kind_label(s.kind)), {}, sort);
  }
}

void service_tags(Items& out, const Analysis& a, const std::string& partial) {
  const auto dot = partial.find('.');
  if (dot != std::string::npos) {
    // `AzureCloud.` -> its regional forms.
    const std::string tag = partial.substr(0, dot);
    if (!a.catalog.service_tags.count(tag)) return;
    for (const auto& p : a.program.params)
      if (p.type == sema::ParamType::region) out.add(tag + ".${" + p.name + "}", Value, "service tag in the program's region");
    for (const auto& r : a.catalog.regions) out.add(tag + "." + r, Value, "service tag in " + r, {}, "2");
    return;
  }
  for (const auto& t : a.catalog.service_tags) out.add(t, Value, "service tag", {}, "2");
}

}  // namespace

json completion(const Analysis& a, std::uint32_t offset) {
  const auto text = a.sources.text(a.main);
  const Cursor c = scan(text, offset);
  if (c.in_comment) return json::array();
  if (c.in_interpolation) {
    Items out(a, c.interpolation_start, std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size())));
    for (const auto& p : a.program.params) out.add(p.name, Variable, "param");
    symbols(out, a, {SymbolKind::param});
    return out.take();
  }
  if (c.in_string) return json::array();
  const std::uint32_t end = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  Items out(a, c.partial_start, end);
  const std::string block = c.blocks.empty() ? std::string() : c.blocks.back();

  // At a statement's start: the statements this block takes.
  if (c.tokens.empty()) {
    for (const auto& k : statements_in(block)) out.keyword(k);
    return out.take();
  }

  const std::string& head = c.tokens.front();
  const std::string& prev = c.tokens.back();
  const bool after_arrow = std::find(c.tokens.begin(), c.tokens.end(), "->") != c.tokens.end();
  const std::size_t n = c.tokens.size();  // tokens before the cursor, the head included

  if (head == "import" && n == 1) {
    for (const auto& [name, _] : stdlib_modules()) out.add(name, Module, "stdlib module");
    return out.take();
  }
  if (head == "param") {
    if (prev == ":") for (auto t : {"string", "int", "region", "bool", "cidrs"}) out.keyword(t, "parameter type");
    else if (prev == "=" && n >= 4 && c.tokens[n - 2] == "region")
      for (const auto& r : a.catalog.regions) out.add(r, Value, "Azure region");
    else if (prev == "=" && n >= 4 && c.tokens[n - 2] == "bool") for (auto t : {"true", "false"}) out.keyword(t);
    return out.take();
  }
  if (prev == "in" && (head == "firewall" || head == "cluster")) {
    for (const auto& s : a.index().symbols()) {
      if (s.kind != SymbolKind::subnet) continue;
      const bool fw_subnet = s.name.size() >= 20 && s.name.substr(s.name.size() - 20) == ".AzureFirewallSubnet";
      const bool preferred = head == "firewall" ? fw_subnet : !fw_subnet;
      out.add(s.name, Field, "subnet", {}, preferred ? "0" : "1");
    }
    return out.take();
  }
  if (prev == "in" && head == "group") {
    symbols(out, a, {SymbolKind::param}, "0");
    for (const auto& r : a.catalog.regions) out.add(r, Value, "Azure region");
    return out.take();
  }
  if (prev == "on" && head == "app") {
    symbols(out, a, {SymbolKind::cluster});
    return out.take();
  }
  if (block == "subnet" && head == "route_table") {
    symbols(out, a, {SymbolKind::route_table});
    return out.take();
  }
  if (block == "subnet" && head == "nat_gateway") {
    symbols(out, a, {SymbolKind::nat_gateway});
    return out.take();
  }
  if (block == "nat_gateway" && head == "public_ip") {
    symbols(out, a, {SymbolKind::public_ip});
    return out.take();
  }
  if (block == "vnet" && head == "peer") {
    symbols(out, a, {SymbolKind::vnet});
    return out.take();
  }
  if ((block == "firewall" && (head == "frontend" || head == "management")) ||
      (block == "cluster" && head == "api_server_authorized") ||
      (head == "dnat" && prev == "to")) {
    symbols(out, a, {SymbolKind::public_ip});
    return out.take();
  }
  if (block == "cluster" && head == "identity") {
    if (n == 1) for (auto v : {"system", "user"}) out.keyword(v);
    else if (prev == "user" || prev == "kubelet") symbols(out, a, {SymbolKind::identity});
    else if (n == 3 && c.tokens[1] == "user") out.keyword("kubelet");
    return out.take();
  }
  if (block == "route_table" && head == "route") {
    if (prev == "->") {
      for (auto v : {"internet", "vnet_local", "virtual_network_gateway", "none"}) out.keyword(v, "next hop");
      symbols(out, a, {SymbolKind::firewall}, "0");
    } else if (!after_arrow && n >= 2) {
      symbols(out, a, {SymbolKind::public_ip});
    }
    return out.take();
  }
  if ((block == "deployment" || block == "statefulset") && head == "mount" && n == 1) {
    symbols(out, a, {SymbolKind::config});
    return out.take();
  }
  if ((block == "deployment" || block == "statefulset") && head == "wait_for" && n == 1) {
    for (const auto& s : a.index().symbols())
      if (s.kind == SymbolKind::service) out.add(s.name, Interface, "service");
    return out.take();
  }
  if (head == "dnat") {
    if (prev == "->") {
      out.keyword("service", "-> service \"NAME\"");
    } else if (prev == "service") {
      for (const auto& s : a.index().symbols())
        if (s.kind == SymbolKind::service) out.add("\"" + s.name + "\"", Interface, "service of app " + s.scope);
    } else if (prev == "from" || (prev == "," && !after_arrow)) {
      symbols(out, a, {SymbolKind::subnet, SymbolKind::ip_group});
      out.keyword("*", "any source");
    } else if (!after_arrow) {
      for (auto v : {"tcp", "udp", "from", "to"}) out.keyword(v);
    }
    return out.take();
  }
  if (head == "allow" || head == "deny") {
    const bool application = block == "application";
    if (n == 2 || (prev == "," && !after_arrow && n >= 3 &&
                   (c.tokens[n - 2] == "tcp" || c.tokens[n - 2] == "udp" || c.tokens[n - 2] == "icmp" ||
                    c.tokens[n - 2] == "any" || std::isdigit(static_cast<unsigned char>(c.tokens[n - 2][0]))))) {
      if (application) for (auto v : {"http:80", "https:443", "mssql:1433"}) out.keyword(v, "protocol:port");
      else for (auto v : {"tcp", "udp", "icmp", "any"}) out.keyword(v, "protocol");
      return out.take();
    }
    if (prev == "tag") {
      for (const auto& t : a.catalog.fqdn_tags) out.add(t, Value, "FQDN tag");
      return out.take();
    }
    if (after_arrow && prev != ":") {
      if (application) out.keyword("tag", "tag FQDN_TAG");
      else service_tags(out, a, c.partial);
      if (application) symbols(out, a, {SymbolKind::subnet, SymbolKind::public_ip}, "1");
      else symbols(out, a, {SymbolKind::subnet, SymbolKind::public_ip, SymbolKind::ip_group}, "1");
      return out.take();
    }
    if (!after_arrow && prev != ":") {
      out.keyword("*", "any source");
      symbols(out, a, {SymbolKind::subnet, SymbolKind::ip_group});
    }
    return out.take();
  }
  if (head == "use") {  // `use RULE_SET ARG, ...`: the set, then endpoints or, for a requirement set, a cluster
    if (n == 1) symbols(out, a, {SymbolKind::rule_set});
    else if (prev != "priority") symbols(out, a, {SymbolKind::subnet, SymbolKind::public_ip, SymbolKind::ip_group, SymbolKind::cluster});
    return out.take();
  }
  if (block == "firewall" && head == "policy") {
    symbols(out, a, {SymbolKind::firewall_policy});
    return out.take();
  }
  if (head == "ip_group" && n >= 2) {  // members after the name
    symbols(out, a, {SymbolKind::subnet});
    return out.take();
  }
  if (n == 1) {
    const auto values = setting_values(head, block);
    if (!values.empty()) {
      for (auto v : values) out.keyword(v);
      return out.take();
    }
  }
  if (head == "network_plugin" && n == 2 && c.tokens[1] == "azure") {
    out.keyword("overlay");
    return out.take();
  }
  // Anything else: the names a statement may refer to.
  symbols(out, a, {SymbolKind::param, SymbolKind::vnet, SymbolKind::subnet, SymbolKind::public_ip, SymbolKind::firewall,
                   SymbolKind::route_table, SymbolKind::identity, SymbolKind::cluster});
  return out.take();
}

}  // namespace egress::lsp
