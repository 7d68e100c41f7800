// The programs of the equivalence tests (support/programs.hpp).
#include "programs.hpp"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace egress::testing {

std::string example_text() { return slurp(source_dir() + "/examples/aks-egress/main.egress").value(); }

/// The example, every golden case and every .ok.egress that compiles, and hostile variants of the example.
std::vector<Program> programs() {
  std::vector<Program> out;
  out.push_back({"examples/aks-egress", "examples/aks-egress/main.egress", example_text()});
  std::vector<fs::path> files;
  for (const char* sub : {"examples", "tests/golden", "tests/diagnostics", "tests/fuzz/seeds"}) {
    const fs::path dir = fs::path(source_dir()) / sub;
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      const auto name = e.path().filename().string();
      if (!e.is_regular_file() || e.path().extension() != ".egress") continue;
      if (std::string(sub) == "tests/diagnostics" && name.find(".ok.egress") == std::string::npos) continue;
      if (std::string(sub) == "tests/golden" && name != "main.egress") continue;
      // Every example but the article's, which comes first (example_text()).
      if (std::string(sub) == "examples" && (name != "main.egress" || e.path().parent_path().filename() == "aks-egress")) continue;
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

std::optional<Built> build(const Program& p, std::size_t az_bulk_threshold) {
  Built b;
  b.compiled = std::make_unique<testing::Compiled>();
  auto& c = *b.compiled;
  const auto id = c.sources.add(p.path, p.text);
  Options o;
  o.stem = "main";
  o.az_bulk_threshold = az_bulk_threshold;
  const std::string base = source_dir() + "/";
  o.read_file = [base](const std::string& path) { return slurp(path.rfind('/', 0) == 0 ? path : base + path); };
  c.result = compile(c.sources, id, o);
  if (!c.result.ok()) return std::nullopt;
  // One file per target, besides the az script's templates.
  const auto is_template = [](const Output& out) { return out.target == Target::az && out.filename != "main.sh"; };
  if (c.result.outputs.size() - std::count_if(c.result.outputs.begin(), c.result.outputs.end(), is_template) != 4)
    return std::nullopt;
  for (const auto& out : c.result.outputs) {
    if (is_template(out)) {
      b.az_templates.emplace_back(out.filename, out.content);
      continue;
    }
    switch (out.target) {
      case Target::arm: b.arm = out.content; break;
      case Target::bicep: b.bicep = out.content; break;
      case Target::az: b.az = out.content; break;
      case Target::k8s: b.k8s = out.content; break;
    }
  }
  return b;
}

}  // namespace egress::testing
