// The ARM reader: a template's expressions evaluated into the normal form (support/normal_form.hpp).
#include <cctype>
#include <set>

#include "normal_form.hpp"
#include "normal_form_value.hpp"

namespace egress::testing {

using namespace normal_form;

namespace {

/// An ARM template expression: calls, 'strings' ('' escapes a quote), integers, true/false, `.member`.
class ArmExpression {
 public:
  explicit ArmExpression(std::string s) : s_(std::move(s)) {}
  Val parse() {
    Val v = expr();
    skip();
    if (p_ != s_.size()) unsupported("ARM expression: trailing text in " + s_);
    return v;
  }

 private:
  void skip() {
    while (p_ < s_.size() && s_[p_] == ' ') ++p_;
  }
  bool eat(char c) {
    skip();
    if (p_ < s_.size() && s_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  Val expr() {
    Val v = primary();
    for (;;) {
      if (eat('.')) {
        v = member(v, ident());
      } else if (eat('[')) {
        Val index = expr();
        if (!eat(']')) unsupported("ARM expression: ] expected in " + s_);
        v = ref((v.is_ref ? v.path : as_text(v)) + "[" + as_json(index).dump() + "]");
      } else {
        return v;
      }
    }
  }
  std::string ident() {
    skip();
    const auto start = p_;
    while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_')) ++p_;
    if (start == p_) unsupported("ARM expression: a name expected at " + std::to_string(p_) + " in " + s_);
    return s_.substr(start, p_ - start);
  }
  Val primary() {
    skip();
    if (p_ >= s_.size()) unsupported("ARM expression ends early: " + s_);
    if (s_[p_] == '\'') {
      std::string out;
      for (++p_;; ++p_) {
        if (p_ >= s_.size()) unsupported("ARM expression: unterminated string in " + s_);
        if (s_[p_] == '\'') {
          if (p_ + 1 < s_.size() && s_[p_ + 1] == '\'') {
            out += '\'';
            ++p_;
          } else {
            ++p_;
            break;
          }
        } else {
          out += s_[p_];
        }
      }
      return text(out);
    }
    if (std::isdigit(static_cast<unsigned char>(s_[p_])) || s_[p_] == '-') {
      const auto start = p_++;
      while (p_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_]))) ++p_;
      return Val{false, json(std::stoll(s_.substr(start, p_ - start))), "", ""};
    }
    const std::string name = ident();
    if (name == "true" || name == "false") return Val{false, json(name == "true"), "", ""};
    if (name == "null") return Val{false, json(nullptr), "", ""};
    if (!eat('(')) unsupported("ARM expression: ( expected after " + name + " in " + s_);
    std::vector<Val> args;
    if (!eat(')')) {
      do args.push_back(expr());
      while (eat(','));
      if (!eat(')')) unsupported("ARM expression: ) expected in " + s_);
    }
    return call(name, args);
  }

  std::string s_;
  std::size_t p_ = 0;
};

/// Keys that only one of the two languages has a place for.
bool metadata_key(const std::string& k) { return k == "comments"; }

}  // namespace

/// A JSON value of a template: strings that are expressions are evaluated, `[[` is a literal `[`.
json arm_value(const json& v) {
  if (v.is_string()) {
    const auto s = v.get<std::string>();
    if (s.size() >= 2 && s.front() == '[' && s.back() == ']' && s[1] != '[')
      return as_json(ArmExpression(s.substr(1, s.size() - 2)).parse());
    if (s.rfind("[[", 0) == 0) return json(s.substr(1));
    return v;
  }
  if (v.is_object()) {
    json out = json::object();
    for (const auto& [k, x] : v.items()) out[as_text(Val{false, arm_value(json(k)), "", ""})] = arm_value(x);  // keys may be expressions
    return out;
  }
  if (v.is_array()) {
    json out = json::array();
    for (const auto& x : v) out.push_back(arm_value(x));
    return out;
  }
  return v;
}

json arm_normal_form(const std::string& text) {
  const json t = json::parse(text);
  json out;
  out["parameters"] = json::object();
  const json params = t.value("parameters", json::object()), vars = t.value("variables", json::object()),
             outputs = t.value("outputs", json::object());  // named: items() of a temporary would dangle
  for (const auto& [name, p] : params.items()) {
    json np;
    np["type"] = p.at("type");
    if (p.contains("defaultValue")) np["defaultValue"] = arm_value(p["defaultValue"]);
    if (p.contains("allowedValues")) np["allowedValues"] = p["allowedValues"];
    if (p.contains("metadata") && p["metadata"].contains("description"))
      np["description"] = p["metadata"]["description"];
    out["parameters"][name] = np;
  }
  out["variables"] = json::object();
  for (const auto& [name, v] : vars.items()) out["variables"][name] = arm_value(v);
  out["outputs"] = json::object();
  for (const auto& [name, o] : outputs.items())
    out["outputs"][name] = {{"type", o.at("type")}, {"value", arm_value(o.at("value"))}};
  out["resources"] = json::object();
  for (const auto& r : t.at("resources")) {
    json nr = json::object();
    std::set<std::string> deps;
    for (const auto& [k, v] : r.items()) {
      if (metadata_key(k)) continue;
      if (k == "dependsOn") {
        for (const auto& d : v) {
          const auto key = id_key(as_text(Val{false, arm_value(d), "", ""}));
          if (!key) unsupported("a dependsOn entry that is not a resourceId(): " + d.dump());
          deps.insert(*key);
        }
        continue;
      }
      nr[k] = arm_value(v);
    }
    nr["dependsOn"] = deps;
    const std::string key = nr.at("type").get<std::string>() + "/" + nr.at("name").get<std::string>();
    if (out["resources"].contains(key)) unsupported("two ARM resources are " + key);
    out["resources"][key] = nr;
  }
  return out;
}

}  // namespace egress::testing
