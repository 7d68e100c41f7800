// Elaboration of `env NAME < PARAM VALUE; ... >`: sets of parameter values, one program deployed several ways.
// Every env is checked against the parameters here whichever env is built (unknown names, values that do not
// fit, missing required values), so `egressc check` reports them once. Then the selected env's values become
// what the checks see (Param::value()); the outputs keep the parameters, and the driver writes the env's values
// into parameter files (emit/params_files.cpp) and the az script's defaults.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "base/suggest.hpp"
#include "sema/context.hpp"

namespace egress::sema {

using syntax::ItemKind;

namespace {

std::string_view type_name(ParamType t) {
  switch (t) {
    case ParamType::string: return "string";
    case ParamType::integer: return "int";
    case ParamType::region: return "region";
    case ParamType::boolean: return "bool";
    case ParamType::cidrs: return "cidrs";
  }
  return "?";
}

/// The value of `PARAM VALUE` as text (like Param::default_value), or nullopt after reporting why it does not
/// fit the parameter's type (E0431, E0117 for a region that is not in the stdlib's list).
std::optional<std::string> env_value(Context& cx, const Param& p, const syntax::Statement& s) {
  if (s.items.size() != 1) {
    cx.diags.report(Code::E0431, s.items.empty() ? s.head.span : s.items[1].span,
                    fmt::format("`{}` takes one value in an env", p.name),
                    fmt::format("write `{} VALUE`, VALUE a {}", p.name, type_name(p.type)));
    return std::nullopt;
  }
  const auto& v = s.items[0];
  if (v.has_interpolation()) {
    cx.diags.report(Code::E0431, v.span, fmt::format("an env's value for `{}` cannot interpolate parameters", p.name),
                    "write the value as plain text");
    return std::nullopt;
  }
  const bool is_text = v.kind == ItemKind::string || v.kind == ItemKind::word;
  std::string value(v.kind == ItemKind::string ? (v.parts().empty() ? std::string_view() : v.parts().front().text) : v.text);
  bool fits = true;
  switch (p.type) {
    case ParamType::string:
    case ParamType::region: fits = is_text; break;
    case ParamType::integer: fits = v.kind == ItemKind::number && value.size() <= 9; break;
    case ParamType::boolean: fits = v.is_word("true") || v.is_word("false"); break;
    case ParamType::cidrs: break;  // declare_env reads lists with cidrs_value()
  }
  if (!fits) {
    cx.diags.report(Code::E0431, v.span, fmt::format("`{}` is {} {} parameter; this value is not one", p.name,
                                                     p.type == ParamType::integer ? "an" : "a", type_name(p.type)),
                    p.type == ParamType::integer   ? "write a whole number below 1,000,000,000"
                    : p.type == ParamType::boolean ? "write true or false"
                                                   : "write a string");
    return std::nullopt;
  }
  if (p.type == ParamType::region && !cx.catalog.regions.empty() && !cx.catalog.known_region(value)) {
    std::string hint = "regions are written like eastus, westeurope, southeastasia";
    if (cx.may_suggest())
      if (const auto near = closest(value, cx.catalog.regions, Case::ignored); !near.empty())
        hint = fmt::format("did you mean `{}`?", near);
    cx.diags.report(Code::E0117, v.span, fmt::format("`{}` is not an Azure region", value), hint);
    return std::nullopt;
  }
  return value;
}

void declare_env(Context& cx, const syntax::Statement& s, std::map<std::string, Span, std::less<>>& seen) {
  Args a(cx, s, "env NAME < PARAM VALUE; ... >");
  auto name = a.name("the env's name");
  a.finish();
  if (!name) return;
  Env env;
  env.name = *name;
  env.span = s.items[0].span;
  if (auto [it, fresh] = seen.try_emplace(env.name, env.span); !fresh) {
    cx.diags.report(Code::E0433, env.span, fmt::format("env `{}` is declared twice", env.name), "rename one of them, or merge their values")
        .notes.push_back({it->second, "the first env of that name"});
    return;
  }
  std::map<std::string, Span, std::less<>> set_here;
  for (const auto& inner : s.block.statements) {
    cx.no_block(inner);
    const auto& pname = inner.head.text;
    const Param* p = cx.program.find_param(pname);
    if (p == nullptr) {
      std::string hint = fmt::format("declare it: `param {}: string = \"...\"`, or remove the line", pname);
      if (cx.may_suggest()) {
        std::vector<std::string_view> names;
        for (const auto& q : cx.program.params) names.push_back(q.name);
        if (const auto near = closest(pname, names); !near.empty()) hint = fmt::format("did you mean `{}`?", near);
      }
      cx.diags.report(Code::E0430, inner.head.span, fmt::format("env `{}` sets `{}`, which is no parameter", env.name, pname), hint);
      continue;
    }
    if (auto [it, fresh] = set_here.try_emplace(std::string(pname), inner.span); !fresh) {
      cx.diags.report(Code::E0433, inner.head.span, fmt::format("env `{}` sets `{}` twice", env.name, pname), "keep one value")
          .notes.push_back({it->second, "the first value"});
      continue;
    }
    std::optional<std::string> value;
    std::vector<ListItem> list;
    if (p->type == ParamType::cidrs) {
      std::vector<const syntax::Item*> items;
      for (const auto& item : inner.items) items.push_back(&item);
      if (auto l = cidrs_value(cx, items, inner.span, pname, Code::E0431)) {
        list = std::move(*l);
        value = join(list);
      }
    } else {
      value = env_value(cx, *p, inner);
    }
    if (!value) continue;
    if (p->default_value && *p->default_value == *value)
      cx.diags.report(Code::W0315, inner.span,
                      fmt::format("env `{}` sets `{}` to its default, {}", env.name, pname, *value),
                      "remove the line: the env gets the default anyway, and changing the default later then changes this env too");
    env.values.push_back({std::string(pname), *value, inner.span, std::move(list)});
  }
  std::string missing;
  for (const auto& p : cx.program.params)
    if (!p.default_value && set_here.count(p.name) == 0) missing += (missing.empty() ? "`" : ", `") + p.name + "`";
  if (!missing.empty())
    cx.diags.report(Code::E0432, env.span,
                    fmt::format("env `{}` gives no value to {}, which {} no default: a deployment of this env would stop "
                                "and ask for it",
                                env.name, missing, missing.find(',') == std::string::npos ? "has" : "have"),
                    "give the env a value for each, or give the parameter a default");
  cx.program.envs.push_back(std::move(env));
}

}  // namespace

std::optional<Count> count_value(Context& cx, Args& a, long min, long max, std::string_view setting, std::string_view what) {
  const syntax::Item* it = a.peek();
  const Param* p = it != nullptr && it->kind == ItemKind::word && !it->has_interpolation() && it->prefix < 0
                       ? cx.program.find_param(it->text)
                       : nullptr;
  if (p == nullptr) {
    auto n = a.number(min, max, what);
    if (!n) return std::nullopt;
    return Count{static_cast<int>(*n), {}};
  }
  a.next();
  if (p->type != ParamType::integer) {
    cx.diags.report(Code::E0434, it->span, fmt::format("`{}` is a {} parameter; `{}` takes a count (an int parameter)", p->name, type_name(p->type), setting),
                    fmt::format("declare it `param {}: int = N`, or write a number from {} to {}", p->name, min, max))
        .notes.push_back({p->span, "the parameter"});
    return std::nullopt;
  }
  const auto& value = p->value();
  if (!value) {
    cx.diags.report(Code::E0434, it->span,
                    fmt::format("`{}` has no value here, so `{}` cannot be checked: a count outside {}-{} would only fail "
                                "at deployment", p->name, setting, min, max),
                    cx.program.envs.empty() ? fmt::format("give `{}` a default", p->name)
                                            : fmt::format("give `{}` a default, or build with --env NAME", p->name))
        .notes.push_back({p->span, "the parameter"});
    return std::nullopt;
  }
  long n = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size() || n < min || n > max) {
    const bool from_env = p->env_value.has_value();
    auto& d = cx.diags.report(Code::E0434, it->span,
                              fmt::format("`{}` is {} {}, and `{}` takes {} to {}: {}", p->name, *value,
                                          from_env ? fmt::format("in env `{}`", cx.program.env->name) : std::string("by default"),
                                          setting, min, max, what),
                              fmt::format("give `{}` a value from {} to {}", p->name, min, max));
    d.notes.push_back({from_env ? p->env_span : p->span, from_env ? "the env's value" : "the parameter"});
    return std::nullopt;
  }
  return Count{static_cast<int>(n), p->name};
}

void declare_envs(Context& cx, const std::vector<const syntax::File*>& files, std::string_view selected) {
  std::map<std::string, Span, std::less<>> seen;
  for (const auto* file : files)
    for (const auto& s : file->statements)
      if (s.head.text == "env") declare_env(cx, s, seen);
  if (selected.empty()) return;
  for (const auto& env : cx.program.envs) {
    if (env.name != selected) continue;
    cx.program.env = &env;
    for (const auto& v : env.values)
      for (auto& p : cx.program.params)
        if (p.name == v.param) {
          p.env_value = v.value;
          p.env_span = v.span;
          p.env_list = v.list;
        }
  }
}

}  // namespace egress::sema
