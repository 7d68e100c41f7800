// The Bicep reader: a file parsed and its expressions evaluated into the normal form (support/normal_form.hpp).
//
// The subset egress writes: decorators, param, var, resource (with parent and scope), output; objects and
// arrays one entry a line; 'strings' with ${} and \ escapes; names, members, calls, numbers, true/false/null.
#include <cctype>
#include <map>
#include <memory>
#include <set>

#include "normal_form.hpp"
#include "normal_form_value.hpp"

namespace egress::testing {

using namespace normal_form;

namespace {

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
  /// Between the entries of an object or array: skips line ends and commas; at `close`, eats it and is true.
  bool list_end(char close) {
    for (;;) {
      skip(true);
      if (peek() == close) {
        ++p_;
        return true;
      }
      if (peek() != ',') return false;
      ++p_;
    }
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
      while (!list_end('}')) {
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
      return n;
    }
    if (c == '[') {
      ++p_;
      n->kind = BNode::array;
      while (!list_end(']')) n->items.push_back(value());
      return n;
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

}  // namespace

json bicep_normal_form(const std::string& text) { return BicepLowering(BicepParser(text).file()).normal_form(); }

}  // namespace egress::testing
