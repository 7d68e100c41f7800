// The normal form's values (support/normal_form_value.hpp) and the comparison of two normal forms.
#include <set>

#include "normal_form.hpp"
#include "normal_form_value.hpp"

using nlohmann::json;

namespace egress::testing {
namespace normal_form {
namespace {

/// `full:<key>.properties.x` (reference(id, ver, 'Full') in ARM) is `res:<key>.x` (reference(id, ver)).
std::string normal_path(std::string p) {
  if (p.rfind("full:", 0) == 0) {
    const auto dot = p.find(".properties");
    if (dot != std::string::npos && (dot + 11 == p.size() || p[dot + 11] == '.'))
      p = "res:" + p.substr(5, dot - 5) + p.substr(dot + 11);
  }
  return p;
}

/// ARM's format(): {0}, {1} ... and {{ }}.
std::string arm_format(const std::string& f, const std::vector<std::string>& args) {
  std::string out;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] == '{' && i + 1 < f.size() && f[i + 1] == '{') {
      out += '{';
      ++i;
    } else if (f[i] == '}' && i + 1 < f.size() && f[i + 1] == '}') {
      out += '}';
      ++i;
    } else if (f[i] == '{') {
      const auto close = f.find('}', i);
      if (close == std::string::npos) unsupported("format: unclosed {");
      const auto n = std::stoul(f.substr(i + 1, close - i - 1));
      if (n >= args.size()) unsupported("format: no argument " + std::to_string(n));
      out += args[n];
      i = close;
    } else {
      out += f[i];
    }
  }
  return out;
}

}  // namespace

std::string as_text(const Val& v) {
  if (!v.resource.empty()) unsupported("a resource symbol used as text: " + v.resource);
  if (v.is_ref) return "\xC2\xAB" + normal_path(v.path) + "\xC2\xBB";
  if (v.j.is_string()) return v.j.get<std::string>();
  if (v.j.is_boolean()) return v.j.get<bool>() ? "true" : "false";
  if (v.j.is_number()) return v.j.dump();
  unsupported("not text: " + v.j.dump());
}

json as_json(const Val& v) {
  if (!v.resource.empty()) unsupported("a resource symbol used as a value: " + v.resource);
  return v.is_ref ? json(as_text(v)) : v.j;
}

std::optional<std::string> id_key(const std::string& s) {
  const std::string open = "\xC2\xAB" "id:", close = "\xC2\xBB";
  if (s.rfind(open, 0) != 0 || s.size() < open.size() + close.size() || s.substr(s.size() - close.size()) != close)
    return std::nullopt;
  return s.substr(open.size(), s.size() - open.size() - close.size());
}

Val call(const std::string& f, const std::vector<Val>& args) {
  auto texts = [&](std::size_t from) {
    std::vector<std::string> out;
    for (std::size_t i = from; i < args.size(); ++i) out.push_back(as_text(args[i]));
    return out;
  };
  if (f == "resourceId") {
    std::string key;
    for (const auto& t : texts(0)) key += (key.empty() ? "" : "/") + t;
    return text("\xC2\xAB" "id:" + key + "\xC2\xBB");
  }
  if (f == "extensionResourceId" && args.size() >= 3) {
    std::string key;
    for (const auto& t : texts(1)) key += (key.empty() ? "" : "/") + t;
    return text("\xC2\xAB" "id:" + key + "\xC2\xBB");
  }
  if (f == "format") {
    if (args.empty()) unsupported("format()");
    return text(arm_format(as_text(args[0]), texts(1)));
  }
  if (f == "concat") {
    std::string out;
    for (const auto& t : texts(0)) out += t;
    return text(out);
  }
  if (f == "parameters" && args.size() == 1) return ref("param:" + as_text(args[0]));
  if (f == "variables" && args.size() == 1) return ref("var:" + as_text(args[0]));
  if (f == "reference") {
    if (args.empty()) unsupported("reference()");
    const auto key = id_key(as_text(args[0]));
    if (!key) unsupported("reference() of something that is not a resourceId(): " + as_text(args[0]));
    const bool full = args.size() >= 3 && as_text(args[2]) == "Full";
    return ref((full ? "full:" : "res:") + *key);
  }
  std::string path = f + "(";
  for (std::size_t i = 0; i < args.size(); ++i) path += (i ? "," : "") + as_json(args[i]).dump();
  return ref(path + ")");
}

Val member(const Val& base, const std::string& name) {
  if (base.is_ref) return ref(base.path + "." + name);
  if (base.j.is_object() && base.j.contains(name)) return Val{false, base.j[name], "", ""};
  unsupported("member ." + name + " of " + base.j.dump());
}

}  // namespace normal_form

/// The paths at which two JSON values differ, for a readable failure.
void differences(const json& a, const json& b, const std::string& at, std::vector<std::string>& out) {
  if (out.size() > 20) return;
  if (a.is_object() && b.is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, _] : a.items()) keys.insert(k);
    for (const auto& [k, _] : b.items()) keys.insert(k);
    for (const auto& k : keys) {
      if (!a.contains(k)) out.push_back(at + "/" + k + ": only in Bicep: " + b[k].dump().substr(0, 300));
      else if (!b.contains(k)) out.push_back(at + "/" + k + ": only in ARM: " + a[k].dump().substr(0, 300));
      else differences(a[k], b[k], at + "/" + k, out);
    }
  } else if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i) differences(a[i], b[i], at + "/" + std::to_string(i), out);
  } else if (a != b) {
    out.push_back(at + ": ARM " + a.dump().substr(0, 300) + " vs Bicep " + b.dump().substr(0, 300));
  }
}

}  // namespace egress::testing
