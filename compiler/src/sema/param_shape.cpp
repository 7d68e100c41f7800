// Parameters that decide what is built, not values passed at deployment: a `bool` named by `when PARAM` /
// `unless PARAM` at the end of a statement (the statement exists only when the condition holds), and a `cidrs`
// list, which stands for its addresses wherever it is written. Both change the network the model checks (a
// subnet more or less, the ranges a rule or the API server admits), so they are applied to a copy of the syntax
// before elaboration, with the values of the env being built: each env's outputs are exactly the design that was
// checked, and the outputs keep no parameter for them (a template condition or an address array could otherwise
// be flipped at deployment into a network nobody checked). docs/reference.md, `param` and `env`.
#include <fmt/format.h>

#include "sema/context.hpp"

namespace egress::sema {

using syntax::ItemKind;

std::string join(const std::vector<ListItem>& list) {
  std::string out;
  for (const auto& item : list) out += (out.empty() ? "" : ", ") + item.text;
  return out;
}

std::optional<std::vector<ListItem>> cidrs_value(Context& cx, const std::vector<const syntax::Item*>& items, Span where,
                                                 std::string_view param, Code code) {
  std::vector<ListItem> out;
  bool ok = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& item = *items[i];
    const bool want_address = i % 2 == 0;
    if (want_address && item.kind == ItemKind::address) {
      if (to_cidr(cx, item)) out.push_back({std::string(item.text), item.span});
      else ok = false;  // E0115 or E0119 said why
    } else if (want_address || item.kind != ItemKind::comma) {
      cx.diags.report(code, item.span, fmt::format("`{}` is a cidrs parameter: its value is addresses separated by commas", param),
                      "write addresses and prefixes such as 10.42.0.0/16, 203.0.113.7");
      return std::nullopt;
    }
  }
  if (out.empty() || items.size() % 2 == 0) {
    if (ok)
      cx.diags.report(code, items.empty() ? where : items.back()->span,
                      fmt::format("`{}` is a cidrs parameter: its value is one address or more, separated by commas", param),
                      "write addresses and prefixes such as 10.42.0.0/16, 203.0.113.7");
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  return out;
}

namespace {

// The shaped statements and items are new runs, kept in the shaped copy's storage (syntax/ast.hpp); the runs
// left as they were are still the original file's, which outlives the copy (elaborate() holds both).
class Shaper {
 public:
  explicit Shaper(Context& cx) : cx_(cx) {}

  std::span<const syntax::Statement> statements(syntax::File& copy, std::span<const syntax::Statement> list,
                                                bool top_level) {
    std::vector<syntax::Statement> kept;
    kept.reserve(list.size());
    for (auto s : list) {
      if (top_level && (s.head.text == "param" || s.head.text == "env")) {  // already read, from the original files
        kept.push_back(s);
        continue;
      }
      if (!holds(s)) continue;
      if (!expand(copy, s.items)) continue;  // E0436: left out, rather than checked with a name where addresses go
      if (s.has_block) s.block.statements = statements(copy, s.block.statements, false);
      kept.push_back(s);
    }
    return copy.storage.statements.keep(kept);
  }

 private:
  Param* param(const syntax::Item& item) {
    if (item.kind != ItemKind::word || item.has_interpolation() || item.prefix >= 0) return nullptr;
    for (auto& p : cx_.program.params)
      if (p.name == item.text) return &p;
    return nullptr;
  }

  // False when the statement ends with a condition that does not hold. The condition is removed either way.
  bool holds(syntax::Statement& s) {
    if (s.items.size() < 2) return true;
    const auto& keyword = s.items[s.items.size() - 2];
    const bool when = keyword.is_word("when");
    if (!when && !keyword.is_word("unless")) return true;
    Param* p = param(s.items.back());
    if (p == nullptr) return true;  // `unless` of a requirement row, not a condition
    const auto at = s.items.back().span;
    s.items = s.items.first(s.items.size() - 2);
    if (p->type != ParamType::boolean) {
      cx_.diags.report(Code::E0435, at, fmt::format("`{}` needs a bool parameter; `{}` is not one", when ? "when" : "unless", p->name),
                       fmt::format("declare a switch: `param {}: bool = false`, and set it per env", p->name))
          .notes.push_back({p->span, "the parameter"});
      return true;  // checked as if there were no condition, so its other errors still show
    }
    p->build_time = true;
    if (!p->value()) {
      without_value(*p, at);
      return true;
    }
    return (*p->value() == "true") == when;
  }

  // False when a cidrs parameter of the items has no value (E0436).
  bool expand(syntax::File& copy, std::span<const syntax::Item>& items) {
    bool any = false;
    for (const auto& item : items)
      if (const Param* p = param(item); p != nullptr && p->type == ParamType::cidrs) any = true;
    if (!any) return true;
    bool ok = true;
    std::vector<syntax::Item> out;
    for (const auto& item : items) {
      const Param* p = param(item);
      if (p == nullptr || p->type != ParamType::cidrs) {
        out.push_back(item);
        continue;
      }
      if (p->list().empty()) {
        without_value(*p, item.span);
        ok = false;
        continue;
      }
      // Each address as written where the value was given (its span's text, not the list's copy of it: an
      // item's text is a view, and must outlive it).
      for (std::size_t i = 0; i < p->list().size(); ++i) {
        const Span at = p->list()[i].span;
        if (i > 0) out.push_back(syntax::Item::token(ItemKind::comma, ",", at));
        out.push_back(syntax::Item::token(ItemKind::address, cx_.sources.slice(at), at));
      }
    }
    items = copy.storage.items.keep(out);
    return ok;
  }

  void without_value(const Param& p, Span at) {
    cx_.diags.report(Code::E0436, at,
                     fmt::format("`{}` decides what is built, and has no value here: it has no default{}", p.name,
                                 cx_.program.envs.empty() ? "" : " and no env is being built"),
                     cx_.program.envs.empty() ? fmt::format("give `{}` a default", p.name)
                                              : fmt::format("give `{}` a default, or build with --env NAME", p.name))
        .notes.push_back({p.span, "the parameter"});
  }

  Context& cx_;
};

/// True when a statement ends with `when|unless NAME` and NAME is a parameter of any type (E0435 for others).
bool has_condition(const Program& program, std::span<const syntax::Statement> list) {
  for (const auto& s : list) {
    const auto n = s.items.size();
    if (n >= 2 && (s.items[n - 2].is_word("when") || s.items[n - 2].is_word("unless")) &&
        s.items[n - 1].kind == ItemKind::word && program.find_param(s.items[n - 1].text) != nullptr)
      return true;
    if (s.has_block && has_condition(program, s.block.statements)) return true;
  }
  return false;
}

}  // namespace

std::vector<syntax::File> shape_program(Context& cx, const std::vector<const syntax::File*>& files) {
  bool any = false;
  for (auto& p : cx.program.params) {
    if (p.type == ParamType::cidrs) p.build_time = true;
    if (p.type == ParamType::cidrs) any = true;
  }
  for (const auto* file : files)
    if (!any && cx.sources.path(file->file).rfind("<stdlib>/", 0) != 0) any = has_condition(cx.program, file->statements);
  if (!any) return {};
  std::vector<syntax::File> out;
  out.reserve(files.size());
  Shaper shaper(cx);
  for (const auto* file : files) {
    auto& copy = out.emplace_back();
    copy.file = file->file;
    copy.comments = file->comments;
    copy.statements = file->statements;
    // The stdlib's words are its own: a user's parameter of the same name must not change them.
    if (cx.sources.path(file->file).rfind("<stdlib>/", 0) != 0) copy.statements = shaper.statements(copy, file->statements, true);
  }
  return out;
}

}  // namespace egress::sema
