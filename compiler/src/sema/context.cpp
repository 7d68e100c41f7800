// Symbol table, text evaluation and the statement argument cursor.
#include "sema/context.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/suggest.hpp"

namespace egress::sema {

using syntax::Item;
using syntax::ItemKind;

std::string_view kind_name(SymbolKind k) {
  switch (k) {
    case SymbolKind::param: return "param";
    case SymbolKind::group: return "group";
    case SymbolKind::vnet: return "vnet";
    case SymbolKind::subnet: return "subnet";
    case SymbolKind::public_ip: return "public_ip";
    case SymbolKind::firewall: return "firewall";
    case SymbolKind::route_table: return "route_table";
    case SymbolKind::identity: return "identity";
    case SymbolKind::cluster: return "cluster";
    case SymbolKind::app: return "app";
    case SymbolKind::ip_group: return "ip_group";
    case SymbolKind::nat_gateway: return "nat_gateway";
    case SymbolKind::firewall_policy: return "firewall_policy";
    case SymbolKind::rule_set: return "rule_set";
  }
  return "?";
}

namespace {

std::string describe(const Item& item) {
  switch (item.kind) {
    case ItemKind::string: return fmt::format("the string \"{}\"", item.text.substr(0, 40));
    case ItemKind::arrow: return "`->`";
    case ItemKind::colon: return "`:`";
    case ItemKind::comma: return "`,`";
    case ItemKind::star: return "`*`";
    case ItemKind::equals: return "`=`";
    default: return fmt::format("`{}`", item.text.substr(0, 40));
  }
}

}  // namespace

bool Context::declare(const std::string& name, SymbolKind kind, void* decl, Span span) {
  auto [it, inserted] = symbols.try_emplace(name, Symbol{kind, decl, span});
  if (!inserted) {
    auto& d = diags.report(Code::E0103, span,
                           fmt::format("`{}` is already declared (as a {})", name, kind_name(it->second.kind)),
                           "give each declaration its own name; to add to a block declared elsewhere, reopen it "
                           "with just its kind and name, e.g. `firewall fw < ... >`");
    d.notes.push_back({it->second.span, "first declared here"});
  }
  return inserted;
}

void* Context::resolve(std::string_view name, SymbolKind kind, Span span, std::string_view role) {
  auto it = symbols.find(name);
  if (it == symbols.end()) {
    std::string guess;
    if (may_suggest()) {
      std::vector<std::string_view> same_kind;
      for (const auto& [n, sym] : symbols)
        if (sym.kind == kind) same_kind.push_back(n);
      guess = closest(name, same_kind);
    }
    diags.report(Code::E0104, span, fmt::format("{} `{}` is not declared", role, name),
                 guess.empty() ? fmt::format("declare it with `{} {} ...`", kind_name(kind), name)
                               : fmt::format("did you mean `{}`?", guess));
    return nullptr;
  }
  if (it->second.kind != kind) {
    auto& d = diags.report(Code::E0105, span,
                           fmt::format("{} must be a {}, but `{}` is a {}", role, kind_name(kind), name,
                                       kind_name(it->second.kind)));
    d.notes.push_back({it->second.span, fmt::format("`{}` is declared here", name)});
    return nullptr;
  }
  used.insert(it->second.decl);
  return it->second.decl;
}

void Context::defer(std::function<void()> fix, bool late) {
  auto& list = late ? late_fixups : fixups;
  auto notes = diags.context();  // innermost first
  if (notes.empty()) {
    list.push_back(std::move(fix));
    return;
  }
  list.push_back([this, notes = std::move(notes), fix = std::move(fix)] {
    ContextNotes scope(diags, notes);
    fix();
  });
}

Text Context::text(const Item& item) {
  Text t;
  t.span = item.span;
  if (item.kind == ItemKind::word && !item.has_interpolation() && item.prefix < 0) {
    auto it = symbols.find(item.text);
    if (it != symbols.end() && it->second.kind == SymbolKind::param) {
      const Param* p = program.find_param(item.text);
      if (p->build_time) {  // decided at build time: its value, as literal text (sema/param_shape.cpp)
        t.parts.push_back({false, p->value().value_or("")});
        t.value = t.parts.back().text;
        return t;
      }
      t.parts.push_back({true, p->name});
      t.value = p->value().value_or("${" + p->name + "}");
      return t;
    }
    t.parts.push_back({false, std::string(item.text)});
    t.value = item.text;
    return t;
  }
  // Any other token, and a word without `${}` (it has no parts: syntax/ast.hpp): its text as written.
  if (item.kind != ItemKind::string && !item.has_interpolation()) {
    t.parts.push_back({false, std::string(item.text)});
    t.value = item.text;
    return t;
  }
  for (const auto& part : item.parts()) {
    if (!part.interpolation) {
      if (!t.parts.empty() && !t.parts.back().param) t.parts.back().text += part.text;
      else t.parts.push_back({false, std::string(part.text)});
      t.value += part.text;
      continue;
    }
    const Param* p = program.find_param(part.text);
    if (p == nullptr) {
      std::string guess;
      if (may_suggest()) {
        std::vector<std::string_view> names;
        for (const auto& q : program.params) names.push_back(q.name);
        guess = closest(part.text, names);
      }
      diags.report(Code::E0104, part.span, fmt::format("`${{{}}}` names no parameter", part.text),
                   guess.empty() ? fmt::format("declare it: `param {}: string = \"...\"`", part.text)
                                 : fmt::format("did you mean `${{{}}}`?", guess));
      t.value += part.text;
      t.known = false;
      continue;
    }
    if (p->build_time) {
      const auto v = p->value().value_or("");
      if (!t.parts.empty() && !t.parts.back().param) t.parts.back().text += v;
      else t.parts.push_back({false, v});
      t.value += v;
      continue;
    }
    t.parts.push_back({true, p->name});
    if (!p->value()) t.known = false;
    t.value += p->value().value_or("${" + p->name + "}");
  }
  return t;
}

void Context::unknown_statement(const syntax::Statement& s, std::string_view where,
                                std::initializer_list<std::string_view> allowed) {
  const auto guess = closest(s.head.text, allowed);
  std::string list;
  for (auto a : allowed) list += fmt::format("{}`{}`", list.empty() ? "" : ", ", a);
  auto& d = diags.report(Code::E0101, s.head.span, fmt::format("`{}` is not a statement {}", s.head.text, where),
                         guess.empty() ? fmt::format("allowed here: {}", list)
                                       : fmt::format("did you mean `{}`? (allowed here: {})", guess, list));
  if (!guess.empty()) d.fixits.push_back({s.head.span, guess});
}

bool Context::first_setting(std::map<std::string, Span, std::less<>>& seen, const syntax::Statement& s) {
  auto [it, inserted] = seen.try_emplace(std::string(s.head.text), s.span);
  if (inserted) return true;
  auto& d = diags.report(Code::E0108, s.span, fmt::format("`{}` is already set; the second value would silently win", s.head.text),
                         "keep one of the two lines");
  d.notes.push_back({it->second, "first set here"});
  return false;
}

void Context::no_block(const syntax::Statement& s) {
  if (s.has_block)
    diags.report(Code::E0102, s.block.open, fmt::format("`{}` takes no `< >` block", s.head.text),
                 "remove the block");
}

// ---------------------------------------------------------------------------------------------- Args

Args::Args(Context& cx, const syntax::Statement& s, std::string form)
    : cx_(cx), s_(s), owned_form_(std::move(form)), form_(owned_form_) {}

const Item* Args::peek(std::size_t ahead) const {
  return pos_ + ahead < s_.items.size() ? &s_.items[pos_ + ahead] : nullptr;
}
bool Args::at(ItemKind k) const { return peek() != nullptr && peek()->kind == k; }
bool Args::at_word(std::string_view w) const { return peek() != nullptr && peek()->is_word(w); }

bool Args::accept(ItemKind k) {
  if (!at(k)) return false;
  ++pos_;
  return true;
}
bool Args::accept_word(std::string_view w) {
  if (!at_word(w)) return false;
  ++pos_;
  return true;
}
const Item* Args::next() { return done() ? nullptr : &s_.items[pos_++]; }

void Args::fail(const Item* item, std::string_view expected) {
  if (failed_) return;
  failed_ = true;
  const Span span = item != nullptr ? item->span : Span{s_.span.file, s_.head.span.offset, s_.head.span.length};
  const auto found = item != nullptr ? describe(*item) : std::string("the end of the statement");
  cx_.diags.report(Code::E0102, span, fmt::format("`{}`: expected {}, found {}", s_.head.text, expected, found),
                   fmt::format("the form is: {}", form_));
}

const Item* Args::expect(ItemKind k, std::string_view what) {
  if (failed_) return nullptr;
  if (!at(k)) {
    fail(peek(), what);
    return nullptr;
  }
  return next();
}

bool Args::expect_word(std::string_view w) {
  if (failed_) return false;
  if (accept_word(w)) return true;
  fail(peek(), fmt::format("`{}`", w));
  return false;
}

std::optional<std::string> Args::name(std::string_view what) {
  if (failed_) return std::nullopt;
  const Item* it = peek();
  if (it == nullptr || it->kind != ItemKind::word || it->has_interpolation() || it->prefix >= 0 ||
      it->text.find('.') != std::string::npos) {
    fail(it, what);
    return std::nullopt;
  }
  ++pos_;
  return std::string(it->text);
}

std::optional<Text> Args::text(std::string_view what) {
  if (failed_) return std::nullopt;
  const Item* it = peek();
  if (it == nullptr || (it->kind != ItemKind::string && it->kind != ItemKind::word)) {
    fail(it, what);
    return std::nullopt;
  }
  ++pos_;
  return cx_.text(*it);
}

std::optional<Text> Args::optional_azure_name() {
  if (failed_) return std::nullopt;
  const Item* it = peek();
  if (it == nullptr) return std::nullopt;
  if (it->kind == ItemKind::string) {
    ++pos_;
    return cx_.text(*it);
  }
  if (it->kind == ItemKind::word && !it->has_interpolation() && cx_.program.find_param(it->text) != nullptr) {
    ++pos_;
    return cx_.text(*it);
  }
  return std::nullopt;
}

std::optional<Cidr> Args::cidr(std::string_view what) {
  const Item* it = expect(ItemKind::address, what);
  if (it == nullptr) return std::nullopt;
  auto c = to_cidr(cx_, *it);
  if (!c) failed_ = true;
  return c;
}

std::optional<Ip> Args::ip(std::string_view what) {
  const Item* it = expect(ItemKind::address, what);
  if (it == nullptr) return std::nullopt;
  auto ip = to_ip(cx_, *it);
  if (!ip) failed_ = true;
  return ip;
}

std::optional<long> Args::number(long min, long max, std::string_view what) {
  const Item* it = expect(ItemKind::number, what);
  if (it == nullptr) return std::nullopt;
  if (it->text.size() > 9) {
    fail(it, fmt::format("{} from {} to {}", what, min, max));
    return std::nullopt;
  }
  const long v = std::stol(std::string(it->text));
  if (v < min || v > max) {
    cx_.diags.report(Code::E0106, it->span, fmt::format("{} must be from {} to {}, not {}", what, min, max, v));
    failed_ = true;
    return std::nullopt;
  }
  return v;
}

std::optional<PortRange> Args::port_range() {
  if (failed_) return std::nullopt;
  const Item* it = peek();
  auto port_value = [&](std::string_view digits) -> long {
    return digits.size() > 6 ? 999999 : std::stol(std::string(digits));
  };
  if (it != nullptr && it->kind == ItemKind::number) {
    ++pos_;
    const long v = port_value(it->text);
    if (v < 1 || v > 65535) {
      cx_.diags.report(Code::E0116, it->span, fmt::format("port {} is outside 1-65535", it->text),
                       "ports run from 1 to 65535; write `*` for any port");
      failed_ = true;
      return std::nullopt;
    }
    return PortRange{static_cast<std::uint16_t>(v), static_cast<std::uint16_t>(v), it->span};
  }
  if (it != nullptr && it->kind == ItemKind::port_range) {
    ++pos_;
    const auto dash = it->text.find('-');
    const long a = port_value(std::string_view(it->text).substr(0, dash));
    const long b = port_value(std::string_view(it->text).substr(dash + 1));
    if (a < 1 || b > 65535 || a > 65535 || b < 1) {
      cx_.diags.report(Code::E0116, it->span, fmt::format("port range {} is outside 1-65535", it->text));
      failed_ = true;
      return std::nullopt;
    }
    if (a > b) {
      auto& d = cx_.diags.report(Code::E0116, it->span, fmt::format("port range {} is inverted", it->text),
                                 fmt::format("write {}-{}", b, a));
      d.fixits.push_back({it->span, fmt::format("{}-{}", b, a)});
      failed_ = true;
      return std::nullopt;
    }
    return PortRange{static_cast<std::uint16_t>(a), static_cast<std::uint16_t>(b), it->span};
  }
  if (it != nullptr && it->kind == ItemKind::star) {
    ++pos_;
    return PortRange{1, 65535, it->span};
  }
  fail(it, "a port (443), a port range (8000-8080) or `*`");
  return std::nullopt;
}

std::optional<std::size_t> Args::choice(std::initializer_list<std::string_view> choices, std::string_view what) {
  if (failed_) return std::nullopt;
  const Item* it = peek();
  if (it != nullptr && it->kind == ItemKind::word) {
    std::size_t i = 0;
    for (auto c : choices) {
      if (it->text == c) {
        ++pos_;
        return i;
      }
      ++i;
    }
    std::string list;
    for (auto c : choices) list += fmt::format("{}`{}`", list.empty() ? "" : ", ", c);
    const auto guess = closest(it->text, choices);
    auto& d = cx_.diags.report(Code::E0106, it->span, fmt::format("`{}` is not a valid {}", it->text, what),
                               guess.empty() ? fmt::format("use one of {}", list)
                                             : fmt::format("did you mean `{}`? (one of {})", guess, list));
    if (!guess.empty()) d.fixits.push_back({it->span, guess});
    failed_ = true;
    ++pos_;
    return std::nullopt;
  }
  std::string list;
  for (auto c : choices) list += fmt::format("{}`{}`", list.empty() ? "" : ", ", c);
  fail(it, fmt::format("{} ({})", what, list));
  return std::nullopt;
}

void Args::finish() {
  if (!failed_ && !done()) fail(peek(), "nothing more");
}

// ---------------------------------------------------------------------------------------------- addresses

std::optional<Cidr> to_cidr(Context& cx, const Item& item) {
  auto c = parse_cidr(item.text);
  if (!c) {
    cx.diags.report(Code::E0115, item.span, fmt::format("`{}` is not a valid IPv4 address or CIDR prefix", item.text),
                    "write four numbers from 0 to 255 and a prefix length from 0 to 32, e.g. 10.42.0.0/16");
    return std::nullopt;
  }
  c->span = item.span;
  if (c->host_bits_set()) {
    const Cidr fixed{c->first(), c->length, item.span};
    auto& d = cx.diags.report(Code::E0119, item.span,
                              fmt::format("`{}` has host bits set: Azure rejects the prefix", item.text),
                              fmt::format("the network of this prefix is {}", fixed.str()));
    d.fixits.push_back({item.span, fixed.str()});
    return std::nullopt;
  }
  return c;
}

std::optional<Ip> to_ip(Context& cx, const Item& item) {
  auto v = parse_ip(item.text);
  if (!v) {
    cx.diags.report(Code::E0115, item.span, fmt::format("`{}` is not a valid IPv4 address", item.text),
                    "write four numbers from 0 to 255, e.g. 10.42.1.10");
    return std::nullopt;
  }
  return Ip{*v, item.span};
}

const Param* Program::find_param(std::string_view name) const {
  for (const auto& p : params)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace egress::sema
