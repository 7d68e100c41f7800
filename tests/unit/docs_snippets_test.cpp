// Every code block in the docs and the README still says something true (issue 13, part 5). Each fenced
// block is one of:
//
// - an **egress snippet**: a block labelled `egress`, or an unlabelled one whose first word is a statement of
//   the language. It must parse. A whole program (it declares a `group`) must also check without errors.
//   Markers on the line before the fence change that: `<!-- egress: expect E0207 W0230 -->` (a program shown
//   for its diagnostics: it must report at least those codes), `<!-- egress: elided -->` (the snippet leaves
//   parts out with `...` and is not parsed).
// - a **shell block** (labelled `sh`): it needs one marker, so that none is forgotten:
//   `<!-- sh: run -->` runs it with bash (-e) in a folder holding the article as main.egress, the
//   repository's examples/ and egressc on PATH; it must exit 0.
//   `<!-- sh: listing FILE -->` says it is an excerpt of FILE (relative to the repository): its lines, except
//   `...` lines, must stand in FILE in that order.
//   `<!-- sh: not run: REASON -->` says why it cannot run here (it installs, deploys to Azure, needs root ...).
// - a transcript (`<!-- transcript: ... -->`, docs_transcripts_test.cpp), or anything else: not checked here.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "egress/compiler.hpp"
#include "lsp/keywords.hpp"
#include "parse/parse.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;
using harness::run_command;
using harness::TempDir;

namespace {

struct Block {
  std::string doc;
  std::size_t line = 0;  // of the opening fence, 1-based
  std::string lang;
  std::string marker;    // the `<!-- ... -->` on the line before the fence, without the comment marks
  std::string body;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<Block> blocks(const std::string& name) {
  std::vector<Block> out;
  std::istringstream in(slurp(source_dir() + "/" + name).value());
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto t = trim(lines[i]);
    if (t.rfind("```", 0) != 0) continue;
    Block b{name, i + 1, t.substr(3), "", ""};
    if (i > 0) {
      const auto prev = trim(lines[i - 1]);
      if (prev.rfind("<!--", 0) == 0 && prev.size() >= 7 && prev.substr(prev.size() - 3) == "-->")
        b.marker = trim(prev.substr(4, prev.size() - 7));
    }
    std::size_t j = i + 1;
    for (; j < lines.size() && trim(lines[j]) != "```"; ++j) b.body += lines[j] + "\n";
    out.push_back(std::move(b));
    i = j;
  }
  return out;
}

std::vector<std::string> documents() {
  std::vector<std::string> out{"README.md"};
  for (const auto& dir : {"docs", "docs/examples"})
    for (const auto& e : fs::directory_iterator(fs::path(source_dir()) / dir))
      if (e.path().extension() == ".md") out.push_back(std::string(dir) + "/" + e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

/// Every statement keyword of the language, at any depth (from the language server's tables).
const std::set<std::string>& statement_words() {
  static const std::set<std::string> words = [] {
    std::set<std::string> out;
    std::vector<std::string> todo{""};
    std::set<std::string> seen;
    while (!todo.empty()) {
      const auto head = todo.back();
      todo.pop_back();
      if (!seen.insert(head).second) continue;
      for (const auto& k : lsp::statements_in(head)) {
        out.emplace(k.word);
        todo.emplace_back(k.word);
      }
    }
    return out;
  }();
  return words;
}

bool is_egress(const Block& b) {
  if (b.lang == "egress") return true;
  if (!b.lang.empty() || b.marker.rfind("transcript:", 0) == 0) return false;
  std::istringstream in(b.body);
  std::string first;
  in >> first;
  return statement_words().count(first) > 0;
}

std::string where(const Block& b) { return b.doc + ":" + std::to_string(b.line); }

/// The snippet without its `...` elisions (`firewall fw < ... >`, a `...` line), which stand for text left out.
std::string without_elisions(std::string text) {
  for (auto at = text.find("..."); at != std::string::npos; at = text.find("...", at)) text.replace(at, 3, "");
  return text;
}

void check_egress(const Block& b) {
  INFO(where(b) << "\n" << b.body);
  if (b.marker == "egress: elided") return;
  const bool expect = b.marker.rfind("egress: expect", 0) == 0;
  SourceManager sources;
  const auto id = sources.add(where(b), without_elisions(b.body));
  Diagnostics parse_diags;
  const auto tree = parse::parse(sources, id, parse_diags);
  std::string rendered;
  for (const auto& d : parse_diags.all()) rendered += render(d, sources);
  INFO(rendered);
  if (!expect) CHECK_FALSE(parse_diags.has_errors());
  // A whole program declares its group and a network; anything less is a piece of one, parsed only.
  bool group = false, vnet = false;
  for (const auto& s : tree.statements) {
    group = group || s.head.text == "group";
    vnet = vnet || s.head.text == "vnet";
  }
  if (!(group && vnet) && !expect) return;
  Options o;
  o.read_file = [](const std::string& p) { return slurp(p.rfind('/', 0) == 0 ? p : source_dir() + "/" + p); };
  const auto r = check(sources, id, o);
  std::set<std::string> codes;
  std::string all;
  for (const auto& d : r.diagnostics.all()) {
    codes.insert(std::string(info(d.code).id));
    all += render(d, sources);
  }
  INFO(all);
  if (b.marker.rfind("egress: expect", 0) == 0) {
    std::istringstream want(b.marker.substr(14));
    for (std::string code; want >> code;) CHECK(codes.count(code) == 1);
  } else {
    CHECK(r.ok());
  }
}

void check_shell(const Block& b, const fs::path& sandbox) {
  INFO(where(b) << "\n" << b.body);
  const auto& m = b.marker;
  if (m.rfind("sh: not run: ", 0) == 0 && m.size() > 13) return;
  if (m.rfind("sh: listing ", 0) == 0) {
    const auto file = trim(m.substr(12));
    const auto text = slurp(source_dir() + "/" + file);
    INFO("listing of " << file);
    REQUIRE(text.has_value());
    std::istringstream in(b.body);
    std::size_t at = 0;
    for (std::string line; std::getline(in, line);) {
      if (trim(line).empty() || trim(line) == "...") continue;
      const auto found = text->find(line, at);
      INFO("line not found (in order): " << line);
      CHECK(found != std::string::npos);
      if (found != std::string::npos) at = found + line.size();
    }
    return;
  }
  if (m == "sh: run") {
    spit(sandbox / "block.sh", b.body);
    const auto r = run_command("cd '" + sandbox.string() + "' && PATH='" + (sandbox / "bin").string() +
                               ":'\"$PATH\" NO_COLOR=1 bash -e block.sh </dev/null");
    INFO(r.out);
    CHECK(r.status == 0);
    return;
  }
  FAIL_CHECK("a shell block needs <!-- sh: run -->, <!-- sh: listing FILE --> or <!-- sh: not run: REASON -->");
}

}  // namespace

TEST_CASE("docs: every egress snippet parses, every program checks, every shell block runs or says why not", "[docs]") {
  TempDir sandbox("egress-docs");
  fs::create_directories(sandbox.path / "bin");
  fs::create_symlink(egress::testing::egress_binary(), sandbox.path / "bin/egressc");
  fs::create_symlink(fs::path(source_dir()) / "examples", sandbox.path / "examples");
  fs::copy_file(fs::path(source_dir()) / "examples/aks-egress/main.egress", sandbox.path / "main.egress");

  std::size_t egress = 0, shell = 0;
  for (const auto& doc : documents()) {
    for (const auto& b : blocks(doc)) {
      if (is_egress(b)) {
        ++egress;
        check_egress(b);
      } else if (b.lang == "sh") {
        ++shell;
        check_shell(b, sandbox.path);
      }
    }
  }
  // The docs hold well over a hundred egress snippets and some forty shell blocks: finding none means the
  // scan is broken, not that the docs are clean.
  CHECK(egress > 100);
  CHECK(shell > 30);
}
