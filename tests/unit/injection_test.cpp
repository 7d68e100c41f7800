// Injection, end to end: programs whose names, strings, FQDNs, env values, config file contents, image tags,
// probe paths and parameter defaults hold quotes, `$()`, backquotes, `;`, newlines, `#`, YAML specials,
// JSON escapes and Unicode. Each program is either rejected by the checker with an error code, or compiled
// to outputs from which every reader gets back exactly the value written:
//   bash  the generated script is sourced with `az` and `kubectl` as functions that log their arguments;
//         the values are read from the logged arguments and from the script's variables
//   YAML  python3's yaml.safe_load_all (PyYAML resolves YAML 1.1 types: yes/no/on/off, 0x10, 1:20, ~ ...)
//   JSON  nlohmann::json, with ARM's own rule: a string that starts with `[` is an expression unless it
//         starts with `[[`
// (Bicep gets the same programs in equivalence_test.cpp, which reads them back and compares with ARM.)
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;
using nlohmann::json;

namespace {

using harness::TempDir;

/// The hostile values. `name` labels a case in the output.
struct Value {
  const char* name;
  std::string text;
};

std::vector<Value> hostile_values() {
  return {
      {"single quote", "it's"},
      {"double quotes", "say \"hi\""},
      {"command substitution", "$(touch PWNED)"},
      {"backquotes", "`touch PWNED`"},
      {"semicolon", "a; touch PWNED"},
      {"and-and", "a && touch PWNED"},
      {"pipe", "a | tee PWNED"},
      {"redirect", "a > PWNED"},
      {"newline", "line1\nline2"},
      {"newline then command", "x\ntouch PWNED"},
      {"trailing newline", "x\n"},
      {"hash", "# not a comment"},
      {"hash after space", "a #b"},
      {"parameter expansion", "${HOME}"},
      {"dollar alone", "$HOME $1 $@ $$"},
      {"yaml colon", "key: value"},
      {"yaml dash", "- item"},
      {"yaml flow", "{a: b}, [1, 2]"},
      {"yaml anchor", "&anchor"},
      {"yaml alias", "*alias"},
      {"yaml tag", "!!python/object:os.system"},
      {"yaml percent", "%YAML 1.1"},
      {"yaml at", "@at"},
      {"yaml block", "| literal"},
      {"yaml folded", "> folded"},
      {"yaml document", "---"},
      {"yaml end", "..."},
      {"yaml merge", "<<"},
      {"leading spaces", "   three"},
      {"trailing spaces", "three   "},
      {"only spaces", "   "},
      {"empty", ""},
      {"yaml bool yes", "yes"},
      {"yaml bool on", "on"},
      {"yaml bool true", "true"},
      {"yaml null", "null"},
      {"yaml tilde", "~"},
      {"yaml int", "5672"},
      {"yaml hex", "0x1F"},
      {"yaml octal", "010"},
      {"yaml sexagesimal", "1:20"},
      {"yaml float", "1e3"},
      {"yaml inf", ".inf"},
      {"json escapes", "\\\"\\u0000\\n"},
      {"backslashes", "C:\\path\\to\\n"},
      {"tab", "a\tb"},
      {"lone CR", "a\rb"},
      {"control byte", "a\x01" "b\x1b[31mred"},
      {"DEL", "a\x7f"},
      {"unicode", "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x9A\x80"},
      {"NEL", "a\xC2\x85" "b"},
      {"line separator", "a\xE2\x80\xA8" "b"},
      {"paragraph separator", "a\xE2\x80\xA9" "b"},
      {"BOM inside", "a\xEF\xBB\xBF" "b"},
      {"ARM expression", "[concat('a', 'b')]"},
      {"ARM escaped", "[[not an expression]"},
      {"bicep interpolation", "${location}"},
      {"bicep multiline", "'''"},
      {"leading dash", "-rf"},
      {"double dash", "--yes"},
      {"glob", "/*"},
      {"printf format", "%s %n %d"},
      {"long", std::string(5000, 'x')},
  };
}

/// `text` as an egress string literal: \\ \" \n \t \$ are the escapes; everything else goes in raw.
std::string egress_literal(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '$': out += "\\$"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

enum Reader : unsigned { arm = 1, yaml = 2, bash_var = 4, az_arg = 8 };

/// A place in the example where user text goes, the text around the value there, and where the value
/// must be read back from.
struct Position {
  const char* name;
  std::string find;          // replaced in the example
  std::string before;        // the value's literal is `before` + value + `after`
  std::string after;
  unsigned readers;
  const char* variable = nullptr;  // bash_var: the script's variable
};

std::vector<Position> positions() {
  return {
      {"param default", "param prefix: string = \"aks-egress\"", "", "", arm | bash_var, "EVIL"},
      {"env value", "env RABBITMQ_DEFAULT_USER = \"username\"", "", "", yaml},
      {"config file", "\"[rabbitmq_management,rabbitmq_prometheus,rabbitmq_amqp1_0].\"", "", "", yaml},
      {"fqdn", "allow docker tcp", "", "", arm | az_arg},
      {"group name", "\"${prefix}-rg\"", "", "", bash_var | az_arg, "RG"},
      {"subnet name", "\"aks-subnet\"", "", "", arm | az_arg},
      {"firewall name", "\"${prefix}-fw\"", "", "", arm | az_arg},
      {"prefix default", "\"aks-egress\"", "", "", arm},
      {"image tag", "\"ghcr.io/azure-samples/aks-store-demo/product-service:latest\"",
       "ghcr.io/azure-samples/aks-store-demo/product-service:", "", yaml},
      {"probe path", "probe \"/health\"\n    requests cpu \"1m\" memory \"1Mi\"", "/", "", yaml},
      {"cpu request", "requests cpu \"1m\" memory \"50Mi\"\n    limits cpu \"75m\" memory \"128Mi\"", "", "", yaml},
  };
}

/// The example with `value` at `p`.
std::string program(const std::string& example, const Position& p, const std::string& value) {
  std::string text = example;
  const auto at = text.find(p.find);
  REQUIRE(at != std::string::npos);
  const std::string lit = egress_literal(p.before + value + p.after);
  std::string replacement;
  if (std::string(p.name) == "param default") {
    replacement = p.find + "\nparam evil: string = " + lit;
  } else if (std::string(p.name) == "probe path") {
    replacement = "probe " + lit + "\n    requests cpu \"1m\" memory \"1Mi\"";
  } else if (std::string(p.name) == "cpu request") {
    // Without a CPU limit, so that every quantity is allowed (a request above its limit is E0106).
    replacement = "requests cpu " + lit + " memory \"50Mi\"\n    limits memory \"128Mi\"";
  } else if (std::string(p.name) == "env value") {
    replacement = "env RABBITMQ_DEFAULT_USER = " + lit;
  } else if (std::string(p.name) == "fqdn") {
    // A rule of its own: replacing one the cluster needs would be rejected for that (E0246).
    replacement = "allow extra tcp * -> " + lit + " : 8443\n    allow docker tcp";
  } else if (std::string(p.name) == "prefix default") {
    replacement = lit;
  } else {
    replacement = lit;
  }
  text.replace(at, p.find.size(), replacement);
  return text;
}

void string_leaves(const json& j, std::set<std::string>& out) {
  if (j.is_string()) out.insert(j.get<std::string>());
  if (j.is_structured())
    for (const auto& v : j) string_leaves(v, out);
}

using harness::Call;
using harness::read_calls;

// Sources a generated script with az and kubectl replaced by functions that log their arguments, then
// prints the requested variables NUL-separated.
const std::string kHarness = "script=$1 log=$2 varsout=$3\nshift 3\n" + harness::kAzKubectlStubs + R"SH(vars=("$@")
set --
source "$script" >/dev/null || exit 10
for v in "${vars[@]}"; do printf '%s\0' "${!v-<unset>}"; done >"$varsout"
)SH";

constexpr const char* kYamlToJson = R"PY(
import glob, json, sys, yaml
for p in sorted(glob.glob(sys.argv[1] + '/*.yaml')):
    try:
        with open(p, encoding='utf-8') as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
        out = json.dumps(docs, ensure_ascii=True)
    except Exception as e:
        out = json.dumps({'yaml_error': str(e)})
    with open(p[:-5] + '.json', 'w') as f:
        f.write(out)
)PY";

std::string python() { return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; }

struct Case {
  std::string label;
  const Position* position;
  std::string expected;  // the whole string written at the position
  std::string yaml_file, script_file;
  std::string arm;
};

}  // namespace

TEST_CASE("hostile text is rejected with a code or read back exactly by bash, YAML and JSON", "[injection]") {
  if (std::system((python() + " -c 'import yaml' >/dev/null 2>&1").c_str()) != 0) {
    WARN("skipped: python3 with PyYAML is needed to read the YAML back");
    return;
  }
  TempDir dir;
  const fs::path cwd = dir.path / "cwd";  // the scripts run here; PWNED must never appear
  fs::create_directories(cwd);
  fs::create_directories(dir.path / "yaml");
  spit(dir.path / "harness.sh", kHarness);
  spit(dir.path / "yaml2json.py", kYamlToJson);
  const std::string example = slurp(source_dir() + "/examples/aks-egress/main.egress").value();
  const auto values = hostile_values();
  const auto places = positions();

  std::vector<Case> accepted;
  std::map<std::string, std::size_t> rejected_by;  // code -> count
  std::map<std::string, std::pair<int, int>> per_position;  // name -> (accepted, rejected)
  std::size_t n = 0;
  for (const auto& p : places) {
    for (const auto& v : values) {
      const std::string label = std::string(p.name) + " / " + v.name;
      const std::string text = program(example, p, v.text);
      SourceManager sources;
      Options o;
      o.stem = "main";
      const auto result = compile(sources, sources.add("main.egress", text), o);
      if (!result.ok()) {
        std::set<std::string> codes;
        for (const auto& d : result.diagnostics.all()) {
          if (d.severity != Severity::error) continue;
          codes.insert(std::string(info(d.code).id));
          ++rejected_by[std::string(info(d.code).id)];
        }
        INFO(label);
        CHECK_FALSE(codes.empty());
        CHECK(result.outputs.empty());
        // The value is always written as a valid string literal: a rejection is the checker's, never
        // a syntax error.
        for (const auto& c : codes) CHECK(c.substr(0, 3) != "E00");
        ++per_position[p.name].second;
        continue;
      }
      ++per_position[p.name].first;
      REQUIRE(result.outputs.size() == 4);
      Case c{label, &p, p.before + v.text + p.after, "", "", ""};
      const std::string id = std::to_string(n++);
      for (const auto& out : result.outputs) {
        if (out.target == Target::k8s) {
          c.yaml_file = (dir.path / "yaml" / (id + ".yaml")).string();
          spit(c.yaml_file, out.content);
        } else if (out.target == Target::az) {
          fs::create_directories(dir.path / "sh" / id);
          c.script_file = (dir.path / "sh" / id / "main.sh").string();
          spit(c.script_file, out.content);
          spit(dir.path / "sh" / id / "main.yaml", "");
        } else if (out.target == Target::arm) {
          c.arm = out.content;
        }
      }
      accepted.push_back(std::move(c));
    }
  }
  REQUIRE(std::system((python() + " " + (dir.path / "yaml2json.py").string() + " " + (dir.path / "yaml").string())
                          .c_str()) == 0);

  for (const auto& c : accepted) {
    INFO(c.label << "\nexpected: " << json(c.expected).dump());
    const unsigned readers = c.position->readers;
    if (readers & arm) {
      const json doc = json::parse(c.arm);
      std::set<std::string> leaves;
      string_leaves(doc, leaves);
      // ARM evaluates a string that starts with `[` unless it starts with `[[`.
      const std::string want = !c.expected.empty() && c.expected[0] == '[' ? "[" + c.expected : c.expected;
      CHECK(leaves.count(want) == 1);
    }
    if (readers & yaml) {
      const auto converted = slurp(c.yaml_file.substr(0, c.yaml_file.size() - 5) + ".json");
      REQUIRE(converted.has_value());
      const json docs = json::parse(*converted);
      INFO("YAML: " << slurp(c.yaml_file).value_or("").substr(0, 4000));
      REQUIRE_FALSE((docs.is_object() && docs.contains("yaml_error")));
      std::set<std::string> leaves;
      string_leaves(docs, leaves);
      CHECK(leaves.count(c.expected) == 1);
    }
    if (readers & (bash_var | az_arg)) {
      const fs::path sdir = fs::path(c.script_file).parent_path();
      const std::string log = (sdir / "calls.log").string();
      const std::string vars = (sdir / "vars.out").string();
      const std::string cmd = "cd " + cwd.string() + " && bash " + (dir.path / "harness.sh").string() + " " +
                              c.script_file + " " + log + " " + vars + " " +
                              (c.position->variable != nullptr ? c.position->variable : "") + " >" +
                              (sdir / "stdout.txt").string() + " 2>&1";
      const int status = std::system(cmd.c_str());
      INFO("script output: " << slurp(sdir / "stdout.txt").value_or(""));
      REQUIRE(WIFEXITED(status));
      REQUIRE(WEXITSTATUS(status) == 0);
      if (readers & bash_var) {
        const std::string got = slurp(vars).value_or("");
        CHECK(got == c.expected + std::string(1, '\0'));
      }
      if (readers & az_arg) {
        bool found = false;
        for (const auto& call : read_calls(slurp(log).value_or("")))
          for (const auto& arg : call) found = found || arg == c.expected;
        CHECK(found);
      }
    }
  }
  CHECK_FALSE(fs::exists(cwd / "PWNED"));
  std::string summary;
  for (const auto& [name, counts] : per_position)
    summary += std::string(name) + ": " + std::to_string(counts.first) + " read back, " +
               std::to_string(counts.second) + " rejected\n";
  for (const auto& [code, count] : rejected_by) summary += code + " x" + std::to_string(count) + " ";
  WARN("injection: " << accepted.size() << " programs read back exactly; per position:\n" << summary);
}
