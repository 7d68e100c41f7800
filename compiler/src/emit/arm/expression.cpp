// ARM template expressions: see expression.hpp.
#include "emit/arm/expression.hpp"

#include <vector>

namespace egress::emit::arm_detail {

namespace {

// The parts of a Text with empty literals dropped and neighbouring literals merged.
std::vector<ir::Text::Part> normalized(const ir::Text& t) {
  std::vector<ir::Text::Part> out;
  if (t.parts.empty()) {
    if (!t.value.empty()) out.push_back({false, t.value});
    return out;
  }
  for (const auto& p : t.parts) {
    if (!p.param && p.text.empty()) continue;
    if (!p.param && !out.empty() && !out.back().param)
      out.back().text += p.text;
    else
      out.push_back(p);
  }
  return out;
}

// A literal for the format string of format(): .NET composite formatting reads `{` and `}`.
std::string format_escaped(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    out += c;
    if (c == '{' || c == '}') out += c;
  }
  return out;
}

}  // namespace

bool needs_escape(std::string_view s) { return s.size() >= 2 && s.front() == '[' && s.back() == ']'; }

std::string escape_literal(std::string_view s) {
  if (!needs_escape(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 1);
  out += '[';
  out += s;
  return out;
}

std::string string_literal(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  out += '\'';
  return out;
}

std::string parameter(std::string_view name) { return "parameters(" + string_literal(name) + ")"; }

std::string literal_text(const ir::Text& t) {
  if (t.parts.empty()) return t.value;
  std::string out;
  for (const auto& p : t.parts) out += p.text;
  return out;
}

std::string text_expression(const ir::Text& t) {
  const auto parts = normalized(t);
  bool literal = true;
  for (const auto& p : parts) literal = literal && !p.param;
  if (literal) return string_literal(literal_text(t));
  if (parts.size() == 1) return parameter(parts.front().text);
  std::string fmt;
  std::string args;
  int n = 0;
  for (const auto& p : parts) {
    if (p.param) {
      fmt += '{' + std::to_string(n++) + '}';
      args += ", " + parameter(p.text);
    } else {
      fmt += format_escaped(p.text);
    }
  }
  return "format(" + string_literal(fmt) + args + ")";
}

std::string text_value(const ir::Text& t) {
  if (t.is_literal()) return escape_literal(literal_text(t));
  return "[" + text_expression(t) + "]";
}

// The first arguments of resourceId(): the type alone for a resource of the template's own group, or the
// subscription and the group's name first for one in another group (templates of several groups).
static std::string id_head(const api::ResourceType& type, const ir::Text* group) {
  std::string out = "resourceId(";
  if (group != nullptr) out += "subscription().subscriptionId, " + text_expression(*group) + ", ";
  return out + string_literal(type.type);
}

std::string resource_id(const api::ResourceType& type, const ir::Text& name, const ir::Text* group) {
  return id_head(type, group) + ", " + text_expression(name) + ")";
}

std::string child_resource_id(const api::ResourceType& type, const ir::Text& parent_name, const ir::Text& child_name,
                              const ir::Text* group) {
  return id_head(type, group) + ", " + text_expression(parent_name) + ", " + text_expression(child_name) + ")";
}

std::string subnet_id(const ir::Text& vnet_name, const ir::Text& subnet_name, const ir::Text* group) {
  return child_resource_id(api::subnet, vnet_name, subnet_name, group);
}

std::string reference(const api::ResourceType& type, const ir::Text& name, const ir::Text* group) {
  return "reference(" + resource_id(type, name, group) + ", " + string_literal(type.version) + ")";
}

std::string reference_full(const api::ResourceType& type, const ir::Text& name, const ir::Text* group) {
  return "reference(" + resource_id(type, name, group) + ", " + string_literal(type.version) + ", 'Full')";
}

ir::Text child_name(const ir::Text& parent, const ir::Text& child) {
  ir::Text out;
  const auto append = [&out](const ir::Text& t) {
    if (t.parts.empty())
      out.parts.push_back({false, t.value});
    else
      out.parts.insert(out.parts.end(), t.parts.begin(), t.parts.end());
    out.value += t.value;
  };
  append(parent);
  out.parts.push_back({false, "/"});
  out.value += '/';
  append(child);
  return out;
}

std::string role_definition_id(std::string_view role_guid) {
  return "subscriptionResourceId(" + string_literal(api::role_definition_type) + ", " + string_literal(role_guid) + ")";
}

}  // namespace egress::emit::arm_detail
