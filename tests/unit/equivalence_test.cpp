// Determinism and equivalence of the four outputs.
//   - The same input gives the same bytes, run after run (and in another SourceManager, another order).
//   - ARM and Bicep describe the same resources with the same properties: a small reader lowers each to one
//     normal form (JSON; every reference becomes a «...» token: «param:x», «id:<type>/<name>»,
//     «res:<type>/<name>.ipAddress» ...) and the two are compared whole, dependencies included (Bicep's
//     implicit ones, from symbolic references, and its explicit dependsOn, against ARM's dependsOn).
//   - The az script creates the same resources (type and name) as the IR, each after everything it depends
//     on: the script is run with `az` and `kubectl` as bash functions that log their arguments.
// On the example, every golden case, every .ok.egress of the diagnostics tests and hostile programs.
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/stdlib.hpp"
#include "emit/api_versions.hpp"
#include "lower/lower.hpp"
#include "model/check.hpp"
#include "parse/parse.hpp"
#include "sema/elaborate.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;
using nlohmann::json;

namespace {

[[noreturn]] void unsupported(const std::string& what) { throw std::runtime_error(what); }

// ============================================================================ the normal form
//
// A value is JSON, or a reference that more member accesses may extend ("res:<key>.ipAddress"). A reference
// becomes the text «<path>» wherever text is needed (in a string, as an argument, as a property value).

struct Val {
  bool is_ref = false;
  json j;            // !is_ref
  std::string path;  // is_ref
  std::string resource;  // Bicep: the symbol, when this is a bare resource symbol
};

Val text(std::string s) { return Val{false, json(std::move(s)), "", ""}; }
Val ref(std::string p) { return Val{true, json(), std::move(p), ""}; }

/// `full:<key>.properties.x` (reference(id, ver, 'Full') in ARM) is `res:<key>.x` (reference(id, ver)).
std::string normal_path(std::string p) {
  if (p.rfind("full:", 0) == 0) {
    const auto dot = p.find(".properties");
    if (dot != std::string::npos && (dot + 11 == p.size() || p[dot + 11] == '.'))
      p = "res:" + p.substr(5, dot - 5) + p.substr(dot + 11);
  }
  return p;
}

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

/// «id:<type>/<name>» -> "<type>/<name>", the key of a resource.
std::optional<std::string> id_key(const std::string& s) {
  const std::string open = "\xC2\xAB" "id:", close = "\xC2\xBB";
  if (s.rfind(open, 0) != 0 || s.size() < open.size() + close.size() || s.substr(s.size() - close.size()) != close)
    return std::nullopt;
  return s.substr(open.size(), s.size() - open.size() - close.size());
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

/// The functions both languages share, evaluated alike. `args` are evaluated already.
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

// ============================================================================ ARM

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

/// Keys that only one of the two languages has a place for.
bool metadata_key(const std::string& k) { return k == "comments"; }

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

// ============================================================================ Bicep
//
// The subset egress writes: decorators, param, var, resource (with parent and scope), output; objects and
// arrays one entry a line; 'strings' with ${} and \ escapes; names, members, calls, numbers, true/false/null.

struct BNode {
  enum Kind { object, array, string, number, boolean, null_, ident, member, call } kind = null_;
  std::vector<std::pair<std::string, std::unique_ptr<BNode>>> fields;  // object
  std::vector<std::unique_ptr<BNode>> keys;  // object: for each field, its key when it interpolates ('${x.id}')
  std::vector<std::unique_ptr<BNode>> items;                            // array, call arguments
  std::vector<std::pair<std::string, std::unique_ptr<BNode>>> parts;   // string: literal text or ${expr}
  std::string name;                                                     // ident, member, call
  std::unique_ptr<BNode> base;                                          // member
  long long integer = 0;
  bool flag = false;
};

struct BDecl {
  std::string kind;  // param, var, resource, output
  std::string name;
  std::string type;  // param/output type; resource 'Type@version'
  std::unique_ptr<BNode> value;
  std::map<std::string, std::vector<std::unique_ptr<BNode>>> decorators;
  bool existing = false;
};

class BicepParser {
 public:
  explicit BicepParser(const std::string& s) : s_(s) {}

  std::vector<BDecl> file() {
    std::vector<BDecl> out;
    std::map<std::string, std::vector<std::unique_ptr<BNode>>> decorators;
    for (;;) {
      skip(true);
      if (p_ >= s_.size()) break;
      if (s_[p_] == '@') {
        ++p_;
        const auto name = word();
        expect('(');
        decorators[name] = arguments();
        continue;
      }
      BDecl d;
      d.kind = word();
      d.decorators = std::move(decorators);
      decorators.clear();
      if (d.kind == "targetScope") {
        expect('=');
        (void)value();
        continue;
      }
      d.name = word();
      if (d.kind == "param") {
        d.type = word();
        skip(false);
        if (peek() == '=') {
          ++p_;
          d.value = value();
        }
      } else if (d.kind == "var") {
        expect('=');
        d.value = value();
      } else if (d.kind == "resource") {
        skip(false);
        auto t = value();
        if (t->kind != BNode::string || t->parts.size() != 1 || t->parts[0].second) unsupported("resource type");
        d.type = t->parts[0].first;
        skip(false);
        if (std::isalpha(static_cast<unsigned char>(peek()))) {
          if (word() != "existing") unsupported("resource: `existing` or `=` expected");
          d.existing = true;
        }
        expect('=');
        d.value = value();
      } else if (d.kind == "output") {
        d.type = word();
        expect('=');
        d.value = value();
      } else {
        unsupported("Bicep: unknown declaration `" + d.kind + "`");
      }
      out.push_back(std::move(d));
    }
    return out;
  }

 private:
  char peek() const { return p_ < s_.size() ? s_[p_] : '\0'; }
  /// Skips blanks and comments, and line ends too when `lines`.
  void skip(bool lines) {
    for (;;) {
      while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\r' || (lines && s_[p_] == '\n'))) ++p_;
      if (s_.compare(p_, 2, "//") == 0) {
        while (p_ < s_.size() && s_[p_] != '\n') ++p_;
      } else if (s_.compare(p_, 2, "/*") == 0) {
        const auto end = s_.find("*/", p_ + 2);
        if (end == std::string::npos) unsupported("Bicep: unclosed comment");
        p_ = end + 2;
      } else {
        return;
      }
    }
  }
  void expect(char c) {
    skip(false);
    if (peek() != c) unsupported(std::string("Bicep: `") + c + "` expected at offset " + std::to_string(p_) + ": " +
                                 s_.substr(p_, 40));
    ++p_;
  }
  std::string word() {
    skip(false);
    const auto start = p_;
    while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_')) ++p_;
    if (start == p_) unsupported("Bicep: a name expected at offset " + std::to_string(p_) + ": " + s_.substr(p_, 40));
    return s_.substr(start, p_ - start);
  }
  std::vector<std::unique_ptr<BNode>> arguments() {  // after '('
    std::vector<std::unique_ptr<BNode>> out;
    skip(true);
    if (peek() == ')') {
      ++p_;
      return out;
    }
    for (;;) {
      out.push_back(value());
      skip(true);
      if (peek() == ',') {
        ++p_;
        continue;
      }
      expect(')');
      return out;
    }
  }
  std::unique_ptr<BNode> value() {
    auto v = primary();
    for (;;) {
      if (peek() == '.') {
        ++p_;
        auto m = std::make_unique<BNode>();
        m->kind = BNode::member;
        m->name = word();
        m->base = std::move(v);
        v = std::move(m);
      } else if (peek() == '(' && v->kind == BNode::ident) {
        ++p_;
        v->kind = BNode::call;
        v->items = arguments();
      } else {
        return v;
      }
    }
  }
  std::unique_ptr<BNode> primary() {
    skip(false);
    auto n = std::make_unique<BNode>();
    const char c = peek();
    if (c == '{') {
      ++p_;
      n->kind = BNode::object;
      for (;;) {
        skip(true);
        if (peek() == '}') {
          ++p_;
          return n;
        }
        if (peek() == ',') {
          ++p_;
          continue;
        }
        std::string key;
        std::unique_ptr<BNode> key_node;
        if (peek() == '\'') {
          auto k = primary();
          if (k->parts.size() == 1 && !k->parts[0].second) key = k->parts[0].first;
          else key_node = std::move(k);
        } else {
          key = word();
        }
        expect(':');
        n->fields.emplace_back(key, value());
        n->keys.push_back(std::move(key_node));
      }
    }
    if (c == '[') {
      ++p_;
      n->kind = BNode::array;
      for (;;) {
        skip(true);
        if (peek() == ']') {
          ++p_;
          return n;
        }
        if (peek() == ',') {
          ++p_;
          continue;
        }
        n->items.push_back(value());
      }
    }
    if (c == '\'') {
      n->kind = BNode::string;
      if (s_.compare(p_, 3, "'''") == 0) {  // multi-line: no escapes, no interpolation
        const auto end = s_.find("'''", p_ + 3);
        if (end == std::string::npos) unsupported("Bicep: unclosed '''");
        std::string body = s_.substr(p_ + 3, end - p_ - 3);
        if (!body.empty() && body[0] == '\n') body.erase(0, 1);
        n->parts.emplace_back(body, nullptr);
        p_ = end + 3;
        return n;
      }
      ++p_;
      std::string lit;
      for (;;) {
        if (p_ >= s_.size() || s_[p_] == '\n') unsupported("Bicep: unterminated string");
        const char d = s_[p_];
        if (d == '\'') {
          ++p_;
          break;
        }
        if (d == '\\') {
          const char e = p_ + 1 < s_.size() ? s_[p_ + 1] : '\0';
          p_ += 2;
          switch (e) {
            case '\\': lit += '\\'; break;
            case '\'': lit += '\''; break;
            case 'n': lit += '\n'; break;
            case 'r': lit += '\r'; break;
            case 't': lit += '\t'; break;
            case '$': lit += '$'; break;
            case 'u': {
              if (peek() != '{') unsupported("Bicep: \\u without {");
              const auto close = s_.find('}', p_);
              const auto cp = std::stoul(s_.substr(p_ + 1, close - p_ - 1), nullptr, 16);
              p_ = close + 1;
              if (cp < 0x80) {
                lit += static_cast<char>(cp);
              } else if (cp < 0x800) {
                lit += static_cast<char>(0xC0 | (cp >> 6));
                lit += static_cast<char>(0x80 | (cp & 0x3F));
              } else if (cp < 0x10000) {
                lit += static_cast<char>(0xE0 | (cp >> 12));
                lit += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                lit += static_cast<char>(0x80 | (cp & 0x3F));
              } else {
                lit += static_cast<char>(0xF0 | (cp >> 18));
                lit += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
                lit += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                lit += static_cast<char>(0x80 | (cp & 0x3F));
              }
              break;
            }
            default: unsupported(std::string("Bicep: unknown escape \\") + e);
          }
          continue;
        }
        if (d == '$' && p_ + 1 < s_.size() && s_[p_ + 1] == '{') {
          if (!lit.empty()) n->parts.emplace_back(std::move(lit), nullptr);
          lit.clear();
          p_ += 2;
          auto e = value();
          expect('}');
          n->parts.emplace_back("", std::move(e));
          continue;
        }
        lit += d;
        ++p_;
      }
      if (!lit.empty() || n->parts.empty()) n->parts.emplace_back(std::move(lit), nullptr);
      return n;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
      const auto start = p_++;
      while (std::isdigit(static_cast<unsigned char>(peek()))) ++p_;
      n->kind = BNode::number;
      n->integer = std::stoll(s_.substr(start, p_ - start));
      return n;
    }
    const std::string w = word();
    if (w == "true" || w == "false") {
      n->kind = BNode::boolean;
      n->flag = w == "true";
    } else if (w == "null") {
      n->kind = BNode::null_;
    } else {
      n->kind = BNode::ident;
      n->name = w;
    }
    return n;
  }

  const std::string& s_;
  std::size_t p_ = 0;
};

class BicepLowering {
 public:
  explicit BicepLowering(std::vector<BDecl> decls) : decls_(std::move(decls)) {
    for (auto& d : decls_) {
      if (symbols_.count(d.name)) unsupported("Bicep: two declarations of " + d.name);
      symbols_[d.name] = &d;
    }
  }

  json normal_form() {
    json out;
    out["parameters"] = json::object();
    out["variables"] = json::object();
    out["outputs"] = json::object();
    out["resources"] = json::object();
    for (auto& d : decls_) {
      if (d.kind == "param") {
        json np;
        np["type"] = d.decorators.count("secure") ? "secure" + d.type : d.type;
        if (d.value) np["defaultValue"] = as_json(eval(*d.value));
        if (d.decorators.count("allowed")) np["allowedValues"] = as_json(eval(*d.decorators["allowed"].at(0)));
        if (d.decorators.count("description")) np["description"] = as_json(eval(*d.decorators["description"].at(0)));
        out["parameters"][d.name] = np;
      } else if (d.kind == "var") {
        out["variables"][d.name] = as_json(eval(*d.value));
      } else if (d.kind == "output") {
        out["outputs"][d.name] = {{"type", d.type}, {"value", as_json(eval(*d.value))}};
      } else if (d.kind == "resource" && !d.existing) {
        json nr = resource_body(d);
        const auto key = resource_key(d);
        if (out["resources"].contains(key)) unsupported("two Bicep resources are " + key);
        out["resources"][key] = nr;
      }
    }
    return out;
  }

 private:
  const BNode* field(const BDecl& d, const std::string& name) {
    if (!d.value || d.value->kind != BNode::object) unsupported("resource " + d.name + ": not an object");
    for (const auto& [k, v] : d.value->fields)
      if (k == name) return v.get();
    return nullptr;
  }
  std::string type_of(const BDecl& d) { return d.type.substr(0, d.type.find('@')); }
  /// The resource's name; references in it are not dependencies of whoever asks for the name.
  std::string name_of(const BDecl& d) {
    const BNode* n = field(d, "name");
    if (n == nullptr) unsupported("resource " + d.name + " has no name");
    auto* const saved = used_;
    used_ = nullptr;
    std::string name = as_text(eval(*n));
    used_ = saved;
    if (const BNode* parent = field(d, "parent")) {
      if (parent->kind != BNode::ident || !symbols_.count(parent->name)) unsupported("parent of " + d.name);
      name = name_of(*symbols_[parent->name]) + "/" + name;
    }
    return name;
  }
  std::string resource_key(const BDecl& d) { return type_of(d) + "/" + name_of(d); }

  json resource_body(const BDecl& d) {
    json nr = json::object();
    std::set<std::string> deps;
    used_ = &deps;
    nr["type"] = type_of(d);
    nr["apiVersion"] = d.type.substr(d.type.find('@') + 1);
    nr["name"] = name_of(d);
    for (const auto& [k, v] : d.value->fields) {
      if (k == "name") {
        (void)eval(*v);  // what the name references, the resource depends on
        continue;
      }
      if (k == "parent") {
        deps.insert(resource_key(resource(v->name)));
        continue;
      }
      if (k == "dependsOn") {
        if (v->kind != BNode::array) unsupported("dependsOn");
        for (const auto& item : v->items) {
          if (item->kind != BNode::ident) unsupported("dependsOn: not a symbol");
          deps.insert(resource_key(resource(item->name)));
        }
        continue;
      }
      if (k == "scope" && v->kind == BNode::ident) {
        const auto& target = resource(v->name);
        deps.insert(resource_key(target));
        nr[k] = "\xC2\xAB" "id:" + resource_key(target) + "\xC2\xBB";
        continue;
      }
      nr[k] = as_json(eval(*v));
    }
    used_ = nullptr;
    deps.erase(resource_key(d));
    nr["dependsOn"] = deps;
    return nr;
  }

  const BDecl& resource(const std::string& symbol) {
    auto it = symbols_.find(symbol);
    if (it == symbols_.end() || it->second->kind != "resource") unsupported("not a resource: " + symbol);
    return *it->second;
  }

  Val eval(const BNode& n) {
    switch (n.kind) {
      case BNode::object: {
        json o = json::object();
        for (std::size_t i = 0; i < n.fields.size(); ++i) {
          const auto& [k, v] = n.fields[i];
          o[n.keys[i] ? as_text(eval(*n.keys[i])) : k] = as_json(eval(*v));
        }
        return Val{false, o, "", ""};
      }
      case BNode::array: {
        json a = json::array();
        for (const auto& v : n.items) a.push_back(as_json(eval(*v)));
        return Val{false, a, "", ""};
      }
      case BNode::string: {
        std::string out;
        for (const auto& [lit, e] : n.parts) out += e ? as_text(eval(*e)) : lit;
        return text(out);
      }
      case BNode::number: return Val{false, json(n.integer), "", ""};
      case BNode::boolean: return Val{false, json(n.flag), "", ""};
      case BNode::null_: return Val{false, json(nullptr), "", ""};
      case BNode::ident: {
        auto it = symbols_.find(n.name);
        if (it == symbols_.end()) unsupported("Bicep: unknown name " + n.name);
        if (it->second->kind == "param") return ref("param:" + n.name);
        if (it->second->kind == "var") return ref("var:" + n.name);
        if (it->second->kind == "resource") {
          Val v;
          v.resource = n.name;
          return v;
        }
        unsupported("Bicep: " + n.name + " is not a value");
      }
      case BNode::member: {
        const Val base = eval(*n.base);
        if (!base.resource.empty()) {
          const auto& d = resource(base.resource);
          const auto key = resource_key(d);
          if (used_ != nullptr) used_->insert(key);
          if (n.name == "id") return text("\xC2\xAB" "id:" + key + "\xC2\xBB");
          if (n.name == "name") return text(name_of(d));
          if (n.name == "type") return text(type_of(d));
          if (n.name == "apiVersion") return text(d.type.substr(d.type.find('@') + 1));
          if (n.name == "properties") return ref("res:" + key);
          return ref("full:" + key + "." + n.name);
        }
        return member(base, n.name);
      }
      case BNode::call: {
        std::vector<Val> args;
        for (const auto& a : n.items) args.push_back(eval(*a));
        return call(n.name, args);
      }
    }
    unsupported("Bicep: an expression");
  }

  std::vector<BDecl> decls_;
  std::map<std::string, BDecl*> symbols_;
  std::set<std::string>* used_ = nullptr;
};

json bicep_normal_form(const std::string& text) { return BicepLowering(BicepParser(text).file()).normal_form(); }

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

// ============================================================================ the programs

struct Program {
  std::string label;
  std::string path;  // for imports of files, relative to the source dir
  std::string text;
};

std::string example_text() { return slurp(source_dir() + "/examples/aks-egress/main.egress").value(); }

/// The example, every golden case and every .ok.egress that compiles, and hostile variants of the example.
std::vector<Program> programs() {
  std::vector<Program> out;
  out.push_back({"examples/aks-egress", "examples/aks-egress/main.egress", example_text()});
  std::vector<fs::path> files;
  for (const char* sub : {"tests/golden", "tests/diagnostics", "tests/fuzz/seeds"}) {
    const fs::path dir = fs::path(source_dir()) / sub;
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      const auto name = e.path().filename().string();
      if (!e.is_regular_file() || e.path().extension() != ".egress") continue;
      if (std::string(sub) == "tests/diagnostics" && name.find(".ok.egress") == std::string::npos) continue;
      if (std::string(sub) == "tests/golden" && name != "main.egress") continue;
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    const auto rel = fs::relative(f, source_dir()).string();
    out.push_back({rel, rel, slurp(f).value()});
  }
  // Hostile text where the checker lets it through: parameter defaults, FQDNs, subnet names.
  const std::vector<std::string> hostile{"it's", "a\\\"b", "\\${x}", "$(id)", "`id`", "a\\nb", "[concat('a')]",
                                         "[[x]", "caf\xC3\xA9", "\\\\'", "'''", "a\rb", "#x", "key: v"};
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    std::string t = example_text();
    const std::string from = "param prefix: string = \"aks-egress\"";
    t.replace(t.find(from), from.size(), from + "\nparam evil: string = \"" + hostile[i] + "\"");
    out.push_back({"hostile param default " + std::to_string(i), "examples/aks-egress/main.egress", t});
  }
  return out;
}

struct Built {
  std::unique_ptr<testing::Compiled> compiled;
  std::string arm, bicep, az, k8s;
};

std::optional<Built> build(const Program& p) {
  Built b;
  b.compiled = std::make_unique<testing::Compiled>();
  auto& c = *b.compiled;
  const auto id = c.sources.add(p.path, p.text);
  Options o;
  o.stem = "main";
  const std::string base = source_dir() + "/";
  o.read_file = [base](const std::string& path) { return slurp(path.rfind('/', 0) == 0 ? path : base + path); };
  c.result = compile(c.sources, id, o);
  if (!c.result.ok() || c.result.outputs.size() != 4) return std::nullopt;
  for (const auto& out : c.result.outputs) {
    switch (out.target) {
      case Target::arm: b.arm = out.content; break;
      case Target::bicep: b.bicep = out.content; break;
      case Target::az: b.az = out.content; break;
      case Target::k8s: b.k8s = out.content; break;
    }
  }
  return b;
}

// ============================================================================ the IR and the az script

/// The IR of a program whose imports are stdlib modules only, built the way compile() builds it.
std::optional<ir::Deployment> lower_program(const std::string& path, const std::string& text) {
  SourceManager sources;
  Diagnostics diags;
  std::vector<syntax::File> trees;
  trees.reserve(8);
  trees.push_back(parse::parse(sources, sources.add(path, text), diags));
  std::set<std::string> modules{"azure"};
  for (const auto& s : trees[0].statements)
    if (s.head.text == "import") {
      if (s.items.size() != 1 || s.items[0].kind != syntax::ItemKind::word) return std::nullopt;  // a file
      modules.insert(s.items[0].text);
    }
  for (const auto& m : modules) {
    const auto& all = stdlib_modules();
    auto it = all.find(m);
    if (it == all.end()) return std::nullopt;
    trees.push_back(parse::parse(sources, sources.add("<stdlib>/" + m + ".egress", it->second), diags));
  }
  std::vector<const syntax::File*> files;
  for (const auto& t : trees) files.push_back(&t);
  sema::Catalog catalog;
  auto program = sema::elaborate(files, sources, catalog, diags);
  if (diags.has_errors()) return std::nullopt;
  lower::allocate_load_balancer_ips(program, diags);
  model::check(program, catalog, diags);
  if (diags.has_errors()) return std::nullopt;
  auto d = lower::lower(program, diags);
  if (diags.has_errors()) return std::nullopt;
  return d;
}

using Call = std::vector<std::string>;

/// The az command that creates a resource of each kind ("network vnet create"), and the option that names it.
std::optional<std::pair<std::string, std::string>> creation_command(ir::Kind k) {
  switch (k) {
    case ir::Kind::public_ip: return std::pair{"network public-ip create", "--name"};
    case ir::Kind::identity: return std::pair{"identity create", "--name"};
    case ir::Kind::route_table: return std::pair{"network route-table create", "--name"};
    case ir::Kind::virtual_network: return std::pair{"network vnet create", "--name"};
    case ir::Kind::firewall: return std::pair{"network firewall create", "--name"};
    case ir::Kind::managed_cluster: return std::pair{"aks create", "--name"};
    case ir::Kind::vnet_peering: return std::pair{"network vnet peering create", "--name"};
    case ir::Kind::role_assignment: return std::pair{"role assignment create", ""};
  }
  return std::nullopt;
}

/// "az network vnet create --name x ..." -> does the call start with these words?
bool is_command(const Call& c, const std::string& words) {
  std::size_t i = 1;
  std::size_t p = 0;
  while (p < words.size()) {
    const auto space = words.find(' ', p);
    const auto w = words.substr(p, space == std::string::npos ? std::string::npos : space - p);
    if (i >= c.size() || c[i] != w) return false;
    ++i;
    p = space == std::string::npos ? words.size() : space + 1;
  }
  return true;
}

std::optional<std::string> option(const Call& c, const std::string& name) {
  for (std::size_t i = 1; i + 1 < c.size(); ++i)
    if (c[i] == name) return c[i + 1];
  return std::nullopt;
}

std::vector<Call> read_calls(const std::string& log) {
  std::vector<Call> calls;
  std::size_t p = 0;
  while (p < log.size()) {
    const auto nl = log.find('\n', p);
    if (nl == std::string::npos) break;
    const std::string header = log.substr(p, nl - p);
    p = nl + 1;
    const auto space = header.find(' ');
    Call call{header.substr(0, space)};
    const int count = std::stoi(header.substr(space + 1));
    for (int i = 0; i < count; ++i) {
      const auto nul = log.find('\0', p);
      if (nul == std::string::npos) break;
      call.push_back(log.substr(p, nul - p));
      p = nul + 1;
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

constexpr const char* kRecorder = R"SH(
script=$1 log=$2
az() {
  { printf 'az %d\n' $#; [ $# -gt 0 ] && printf '%s\0' "$@"; } >>"$log"
  case " $* " in *" show "* | *" list "*) printf 'stub-value\n' ;; esac
  return 0
}
kubectl() {
  { printf 'kubectl %d\n' $#; [ $# -gt 0 ] && printf '%s\0' "$@"; } >>"$log"
  return 0
}
export -f az kubectl
export log
bash "$script"
)SH";

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "egress-equiv-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace

// ============================================================================ the tests

TEST_CASE("determinism: the same input gives the same bytes, whatever ran before", "[equivalence]") {
  for (const auto& p : programs()) {
    DYNAMIC_SECTION(p.label) {
      auto first = build(p);
      if (!first) continue;
      // Something else compiled in between, in the same process.
      (void)build(Program{"other", "examples/aks-egress/main.egress", example_text() + "\n// other\n"});
      auto second = build(p);
      REQUIRE(second);
      CHECK(first->arm == second->arm);
      CHECK(first->bicep == second->bicep);
      CHECK(first->az == second->az);
      CHECK(first->k8s == second->k8s);
      for (const auto* out : {&first->arm, &first->bicep, &first->az, &first->k8s}) {
        CHECK(out->find("\r\n") == std::string::npos);
        CHECK(out->rfind("\xEF\xBB\xBF", 0) == std::string::npos);
        CHECK((!out->empty() && out->back() == '\n'));
      }
    }
  }
}

TEST_CASE("the normal form reader itself: ARM expressions and Bicep agree on known pairs", "[equivalence]") {
  CHECK(arm_value("[format('{0}-fw', parameters('prefix'))]") == json("\xC2\xABparam:prefix\xC2\xBB-fw"));
  CHECK(arm_value("[[literal]") == json("[literal]"));
  CHECK(arm_value("[concat(reference(resourceId('T/x', 'n'), '2024-01-01').ipAddress, '/32')]") ==
        json("\xC2\xABres:T/x/n.ipAddress\xC2\xBB/32"));
  CHECK(arm_value("[format('{{{0}}}', 'a')]") == json("{a}"));
  CHECK(arm_value("['it''s']") == json("it's"));
  const auto b = bicep_normal_form(
      "param prefix string = 'p'\n"
      "resource ip 'T/x@1' = {\n  name: '${prefix}-ip'\n  properties: {\n    'a.b': 'it\\'s \\${x}'\n  }\n}\n"
      "resource r 'T/y@1' = {\n  name: 'r'\n  properties: {\n    p: '${ip.properties.ipAddress}/32'\n"
      "    id: ip.id\n  }\n}\n");
  CHECK(b["resources"]["T/x/\xC2\xABparam:prefix\xC2\xBB-ip"]["properties"]["a.b"] == json("it's ${x}"));
  CHECK(b["resources"]["T/y/r"]["properties"]["p"] == json("\xC2\xABres:T/x/\xC2\xABparam:prefix\xC2\xBB-ip.ipAddress\xC2\xBB/32"));
  CHECK(b["resources"]["T/y/r"]["dependsOn"] == json::array({"T/x/\xC2\xABparam:prefix\xC2\xBB-ip"}));
}

TEST_CASE("ARM and Bicep describe the same resources with the same properties and dependencies", "[equivalence]") {
  std::size_t compared = 0;
  for (const auto& p : programs()) {
    DYNAMIC_SECTION(p.label) {
      auto b = build(p);
      if (!b) continue;
      json arm, bicep;
      try {
        arm = arm_normal_form(b->arm);
      } catch (const std::exception& e) {
        FAIL("cannot read the ARM template: " << e.what());
      }
      try {
        bicep = bicep_normal_form(b->bicep);
      } catch (const std::exception& e) {
        FAIL("cannot read the Bicep file: " << e.what() << "\n" << b->bicep.substr(0, 2000));
      }
      std::vector<std::string> diffs;
      differences(arm, bicep, "", diffs);
      std::string shown;
      for (const auto& d : diffs) shown += d + "\n";
      INFO("differences (ARM vs Bicep):\n" << shown);
      CHECK(diffs.empty());
      CHECK(arm["resources"].size() > 0);
      ++compared;
    }
  }
  // Catch runs the test once per section, so a count is only meaningful within one run.
  (void)compared;
  CHECK_FALSE(programs().empty());
}

TEST_CASE("the az script creates the IR's resources, each after what it depends on", "[equivalence]") {
  TempDir dir;
  spit(dir.path / "record.sh", kRecorder);
  std::size_t checked = 0;
  for (const auto& p : programs()) {
    DYNAMIC_SECTION(p.label) {
      auto b = build(p);
      if (!b) continue;
      auto d = lower_program(p.path, p.text);
      if (!d) continue;  // imports a file: the reader above handles stdlib modules only
      const fs::path work = dir.path / std::to_string(checked);
      fs::create_directories(work);
      spit(work / "main.sh", b->az);
      spit(work / "main.yaml", b->k8s);
      const std::string log = (work / "calls.log").string();
      const std::string cmd = "cd " + work.string() + " && bash " + (dir.path / "record.sh").string() + " " +
                              (work / "main.sh").string() + " " + log + " >" + (work / "out.txt").string() + " 2>&1";
      const int status = std::system(cmd.c_str());
      INFO("script output:\n" << slurp(work / "out.txt").value_or(""));
      REQUIRE(WIFEXITED(status));
      REQUIRE(WEXITSTATUS(status) == 0);
      const auto calls = read_calls(slurp(log).value_or(""));
      REQUIRE_FALSE(calls.empty());

      // Where each resource is created: the first call of its kind's creation command with its name.
      std::vector<std::optional<std::size_t>> created(d->resources.size());
      std::map<ir::Kind, std::size_t> unnamed_seen;  // role assignments have no --name: matched in order
      for (std::size_t i = 0; i < d->resources.size(); ++i) {
        const auto& r = d->resources[i];
        // `az aks create` grants the cluster's role assignments itself (the article's note): no command.
        if (r.kind == ir::Kind::role_assignment) continue;
        const auto cc = creation_command(r.kind);
        REQUIRE(cc);
        std::size_t nth = 0;
        for (std::size_t k = 0; k < calls.size(); ++k) {
          if (calls[k][0] != "az" || !is_command(calls[k], cc->first)) continue;
          if (cc->second.empty()) {
            if (nth++ == unnamed_seen[r.kind]) {
              created[i] = k;
              break;
            }
          } else if (option(calls[k], cc->second) == r.name.value) {
            created[i] = k;
            break;
          }
        }
        if (cc->second.empty()) ++unnamed_seen[r.kind];
        INFO("resource " << r.symbol << " (" << emit::api::of(r.kind).type << " " << r.name.value << ")");
        CHECK(created[i].has_value());
      }
      // Nothing created twice, nothing created that the IR does not have.
      std::set<std::pair<std::string, std::string>> creations;
      for (const auto& c : calls) {
        if (c[0] != "az" || c.size() < 3 || c.back() == "--help") continue;
        for (std::size_t i = 0; i < d->resources.size(); ++i) {
          const auto cc = creation_command(d->resources[i].kind);
          if (!cc->second.empty() && is_command(c, cc->first)) {
            const auto name = option(c, cc->second).value_or("?");
            INFO("created twice: " << cc->first << " " << name);
            CHECK(creations.insert({cc->first, name}).second);
            break;
          }
        }
      }
      // Order: every dependency is created first.
      for (std::size_t i = 0; i < d->resources.size(); ++i) {
        if (!created[i]) continue;
        // A dependency on a role assignment (no command of its own) stands for what the assignment depends on.
        std::vector<std::size_t> deps(d->resources[i].depends_on.begin(), d->resources[i].depends_on.end());
        for (std::size_t k = 0; k < deps.size(); ++k)
          if (d->resources[deps[k]].kind == ir::Kind::role_assignment)
            deps.insert(deps.end(), d->resources[deps[k]].depends_on.begin(), d->resources[deps[k]].depends_on.end());
        for (auto dep : deps) {
          if (d->resources[dep].kind == ir::Kind::role_assignment) continue;
          if (!created[dep]) continue;
          INFO(d->resources[i].symbol << " depends on " << d->resources[dep].symbol);
          CHECK(*created[dep] < *created[i]);
        }
      }
      // The resource group comes first, and kubectl runs only once a cluster exists.
      CHECK(is_command(calls.front(), "group create"));
      for (std::size_t k = 0; k < calls.size(); ++k) {
        if (calls[k][0] != "kubectl") continue;
        bool cluster_before = false;
        for (std::size_t i = 0; i < d->resources.size(); ++i)
          if (d->resources[i].kind == ir::Kind::managed_cluster && created[i] && *created[i] < k) cluster_before = true;
        CHECK(cluster_before);
      }
      ++checked;
    }
  }
  (void)checked;
  CHECK_FALSE(programs().empty());
}
