// What the ARM and Bicep readers share: a value of the normal form and the functions both languages have.
// A value is JSON, or a reference that more member accesses may extend ("res:<key>.ipAddress"). A reference
// becomes the text «<path>» wherever text is needed (in a string, as an argument, as a property value).
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace egress::testing::normal_form {

using nlohmann::json;

/// What the readers do with anything outside the subset egress writes.
[[noreturn]] inline void unsupported(const std::string& what) { throw std::runtime_error(what); }

struct Val {
  bool is_ref = false;
  json j;            // !is_ref
  std::string path;  // is_ref
  std::string resource;  // Bicep: the symbol, when this is a bare resource symbol
};

inline Val text(std::string s) { return Val{false, json(std::move(s)), "", ""}; }
inline Val ref(std::string p) { return Val{true, json(), std::move(p), ""}; }

std::string as_text(const Val& v);
json as_json(const Val& v);

/// «id:<type>/<name>» -> "<type>/<name>", the key of a resource.
std::optional<std::string> id_key(const std::string& s);

/// The functions both languages share, evaluated alike. `args` are evaluated already.
Val call(const std::string& f, const std::vector<Val>& args);

/// `base.name`: a longer reference, or the member of a JSON object.
Val member(const Val& base, const std::string& name);

}  // namespace egress::testing::normal_form
