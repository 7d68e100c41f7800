// The formatter: the layout rules one by one, and over every .egress file of the repository: idempotent,
// comment-preserving and meaning-preserving (same outputs, same diagnostics). Plus `egressc fmt` itself.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "format/format.hpp"
#include "parse/parse.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;

namespace {

std::string fmt_ok(const std::string& text) {
  auto out = format::format_text(text);
  REQUIRE(out.has_value());
  return *out;
}

/// The comments of `text`, in order, without trailing white space.
std::vector<std::string> comments_of(const std::string& path, const std::string& text) {
  SourceManager sources;
  const auto id = sources.add(path, text);
  Diagnostics diags;
  const auto tree = parse::parse(sources, id, diags);
  std::vector<std::string> out;
  for (const auto& c : tree.comments) {
    std::string s(sources.slice(c.span));
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    out.push_back(s);
  }
  return out;
}

struct Compiled {
  bool ok = false;
  std::vector<Output> outputs;
  std::vector<std::string> diagnostics;  // code and message, in order
};

Compiled compile_text(const std::string& path, const std::string& text) {
  SourceManager sources;
  const auto id = sources.add(path, text);
  Options o;
  o.read_file = [](const std::string& p) { return slurp(p); };
  auto r = compile(sources, id, o);
  Compiled c;
  c.ok = r.ok();
  c.outputs = r.outputs;
  for (const auto& d : r.diagnostics.all()) c.diagnostics.push_back(std::string(info(d.code).id) + " " + d.message);
  return c;
}

std::vector<fs::path> repo_egress_files() {
  std::vector<fs::path> files;
  for (const char* dir : {"examples", "tests", "stdlib"}) {
    const fs::path root = fs::path(source_dir()) / dir;
    if (!fs::exists(root)) continue;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_directory() && it->path().filename() == "node_modules") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file() && it->path().extension() == ".egress") files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

int run_shell(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

using harness::TempDir;

}  // namespace

TEST_CASE("fmt: the reference program and the stdlib are already formatted", "[format]") {
  for (const char* rel : {"examples/aks-egress/main.egress", "stdlib/aks.egress", "stdlib/azure.egress"}) {
    INFO(rel);
    const auto text = slurp(source_dir() + "/" + rel);
    REQUIRE(text.has_value());
    CHECK(fmt_ok(*text) == *text);
  }
}

TEST_CASE("fmt: every .egress file of the repository", "[format]") {
  std::size_t formatted = 0, compiled = 0;
  for (const auto& path : repo_egress_files()) {
    INFO(path.string());
    const auto text = slurp(path).value_or("");
    SourceManager sources;
    const auto id = sources.add(path.string(), text);
    Diagnostics diags;
    auto once = format::format_file(sources, id, diags);
    if (!once) {
      CHECK(diags.has_errors());
      continue;
    }
    ++formatted;
    // Idempotent.
    const auto twice = format::format_text(*once);
    REQUIRE(twice.has_value());
    CHECK(*twice == *once);
    // Every comment is still there, in order.
    CHECK(comments_of(path.string(), *once) == comments_of(path.string(), text));
    // The same program: the same outputs byte for byte, or the same diagnostics.
    const auto before = compile_text(path.string(), text);
    const auto after = compile_text(path.string(), *once);
    CHECK(before.ok == after.ok);
    CHECK(before.diagnostics.size() == after.diagnostics.size());
    if (before.ok && after.ok) {
      ++compiled;
      REQUIRE(before.outputs.size() == after.outputs.size());
      for (std::size_t i = 0; i < before.outputs.size(); ++i) {
        INFO(before.outputs[i].filename);
        CHECK(before.outputs[i].content == after.outputs[i].content);
      }
    }
  }
  CHECK(formatted >= 3);
  CHECK(compiled >= 1);
}

/// Changes the white space of `text` between tokens (not inside strings or comments, never where there was
/// none): runs of blanks get other lengths and tabs; lines get other indentation.
static std::string reshuffle_blanks(const std::string& text, unsigned seed) {
  std::string out;
  unsigned state = seed * 2654435761u + 1;
  auto next = [&] {
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7fff;
  };
  bool in_string = false, in_comment = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_comment) {
      out += c;
      if (c == '\n') in_comment = false;
      continue;
    }
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) out += text[++i];
      else if (c == '"' || c == '\n') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') in_comment = true;
    if (c == ' ' || c == '\t') {
      while (i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) ++i;
      const unsigned n = 1 + next() % 3;
      for (unsigned k = 0; k < n; ++k) out += next() % 4 == 0 ? '\t' : ' ';
      continue;
    }
    out += c;
  }
  return out;
}

TEST_CASE("fmt: the layout does not depend on the white space it is given", "[format]") {
  std::size_t checked = 0;
  for (const auto& path : repo_egress_files()) {
    const auto text = slurp(path).value_or("");
    const auto reference = format::format_text(text);
    if (!reference) continue;
    INFO(path.string());
    for (unsigned seed = 1; seed <= 3; ++seed) {
      const auto shuffled = reshuffle_blanks(text, seed);
      const auto again = format::format_text(shuffled);
      REQUIRE(again.has_value());
      CHECK(*again == *reference);
      ++checked;
    }
  }
  CHECK(checked > 0);
}

TEST_CASE("fmt: spacing is normalised", "[format]") {
  CHECK(fmt_ok("param   location :region=eastus\n") == "param location: region = eastus\n");
  CHECK(fmt_ok("group rg   \"x\"\tin location\n") == "group rg \"x\" in location\n");
  CHECK(fmt_ok("network n priority 100 <\nallow a tcp 10.0.0.0/8,10.1.0.0/16->\"a.b\":443 , 80\n>\n") ==
        "network n priority 100 <\n  allow a tcp 10.0.0.0/8, 10.1.0.0/16 -> \"a.b\" : 443, 80\n>\n");
  CHECK(fmt_ok("application a priority 100 <\n  allow f http : 80,https :443 * -> tag X\n>\n") ==
        "application a priority 100 <\n  allow f http:80, https:443 * -> tag X\n>\n");
  CHECK(fmt_ok("env A=\"b\"\n") == "env A = \"b\"\n");
  // Strings and words are kept exactly as written.
  CHECK(fmt_ok("file k   \"a  \\\"b\\\"\\t${p}\"\n") == "file k \"a  \\\"b\\\"\\t${p}\"\n");
  CHECK(fmt_ok("route r fwpip/32   -> internet\n") == "route r fwpip/32 -> internet\n");
}

TEST_CASE("fmt: blocks, nesting and one-line blocks", "[format]") {
  CHECK(fmt_ok("vnet v 10.0.0.0/8 <\n        subnet s 10.0.0.0/16\n   subnet t 10.1.0.0/16\n>\n") ==
        "vnet v 10.0.0.0/8 <\n  subnet s 10.0.0.0/16\n  subnet t 10.1.0.0/16\n>\n");
  // One short statement written on one line stays there; written on several lines it keeps them.
  CHECK(fmt_ok("public_ip p   <   sku standard   >\n") == "public_ip p < sku standard >\n");
  CHECK(fmt_ok("vnet v 10.0.0.0/8 <\n  subnet s 10.0.0.0/16\n>\n") == "vnet v 10.0.0.0/8 <\n  subnet s 10.0.0.0/16\n>\n");
  // Two statements, or a nested block, are never on one line.
  CHECK(fmt_ok("public_ip p < sku standard; allocation static >\n") ==
        "public_ip p <\n  sku standard\n  allocation static\n>\n");
  CHECK(fmt_ok("firewall f < network n priority 1 < allow a tcp * -> * : 1 > >\n") ==
        "firewall f <\n  network n priority 1 < allow a tcp * -> * : 1 >\n>\n");
  // Too long for one line.
  const std::string long_one = "application aksfwar priority 100 < allow fqdn http:80, https:443 * -> tag AzureKubernetesService >\n";
  CHECK(fmt_ok(long_one) ==
        "application aksfwar priority 100 <\n  allow fqdn http:80, https:443 * -> tag AzureKubernetesService\n>\n");
  CHECK(fmt_ok("a x <\n\n\n  b\n\n\n\n  c\n\n>\n\n\n") == "a x <\n  b\n\n  c\n>\n");
  CHECK(fmt_ok("a; b;c\n") == "a\nb\nc\n");
  CHECK(fmt_ok("a < >\n") == "a < >\n");
  CHECK(fmt_ok("a <\n>\n") == "a <\n>\n");
  // Deep nesting indents two spaces a level.
  CHECK(fmt_ok("a <\nb <\nc <\nd\n>\n>\n>\n") == "a <\n  b <\n    c <\n      d\n    >\n  >\n>\n");
}

TEST_CASE("fmt: rule names line up within a run", "[format]") {
  CHECK(fmt_ok("network n priority 1 <\n  allow a tcp * -> * : 1\n  allow long-name udp * -> * : 2\n\n"
               "  allow b tcp * -> * : 3\n>\n") ==
        "network n priority 1 <\n  allow a         tcp * -> * : 1\n  allow long-name udp * -> * : 2\n\n"
        "  allow b tcp * -> * : 3\n>\n");
  // Over-padded names shrink back.
  CHECK(fmt_ok("network n priority 1 <\n  allow a      tcp * -> * : 1\n  allow bb    tcp * -> * : 1\n>\n") ==
        "network n priority 1 <\n  allow a  tcp * -> * : 1\n  allow bb tcp * -> * : 1\n>\n");
}

TEST_CASE("fmt: comments are kept", "[format]") {
  // Own-line comments take the indentation of what follows; blank lines around them are kept (one at most).
  CHECK(fmt_ok("// head\n\n\n// more\nvnet v 10.0.0.0/8 <\n// inside\n      subnet s 10.0.0.0/16\n    // before the end\n>\n// tail\n") ==
        "// head\n\n// more\nvnet v 10.0.0.0/8 <\n  // inside\n  subnet s 10.0.0.0/16\n  // before the end\n>\n// tail\n");
  // End-of-line comments start at column 46, or one space after the longest line of their run.
  CHECK(fmt_ok("import aks // why\n") == std::string("import aks") + std::string(35, ' ') + "// why\n");
  const std::string longer(50, 'x');
  CHECK(fmt_ok("a // 1\n" + longer + " // 2\nb\nc // 3\n") ==
        std::string("a") + std::string(51 - 1, ' ') + "// 1\n" + longer + std::string(" // 2\nb\nc") + std::string(44, ' ') + "// 3\n");
  // After `<`, after `>`, after a `,` that wraps the statement, and in a one-line block (which then opens up).
  CHECK(fmt_ok("vnet v 10.0.0.0/8 < // open\n  subnet s 10.0.0.0/16\n> // close\n") ==
        std::string("vnet v 10.0.0.0/8 <") + std::string(26, ' ') + std::string("// open\n  subnet s 10.0.0.0/16\n>") +
            std::string(44, ' ') + "// close\n");
  CHECK(fmt_ok("regions a, // first\n   b,\n  // own\n c\n") ==
        std::string("regions a,") + std::string(35, ' ') + "// first\n  b,\n  // own\n  c\n");
  CHECK(fmt_ok("public_ip p < sku standard // c\n>\n") == std::string("public_ip p <\n  sku standard") + std::string(31, ' ') +
                                                             "// c\n>\n");
  // Trailing white space in a comment goes; the comment itself is untouched.
  CHECK(fmt_ok("//   spaced   text   \n") == "//   spaced   text\n");
  CHECK(fmt_ok("// only a comment") == "// only a comment\n");
}

TEST_CASE("fmt: line breaks after a comma are kept", "[format]") {
  CHECK(fmt_ok("regions a, b,\nc,    d\n") == "regions a, b,\n  c, d\n");
  CHECK(fmt_ok("a <\n  allow x tcp * -> \"a\",\n\n\n        \"b\" : 443\n>\n") ==
        "a <\n  allow x tcp * -> \"a\",\n    \"b\" : 443\n>\n");
}

TEST_CASE("fmt: line ends, byte-order mark, empty input", "[format]") {
  CHECK(fmt_ok("vnet v 10.0.0.0/8 <\r\n  subnet s 10.0.0.0/16 // c\r\n>\r\n") ==
        std::string("vnet v 10.0.0.0/8 <\n  subnet s 10.0.0.0/16") + std::string(23, ' ') + "// c\n>\n");
  CHECK(fmt_ok("\xEF\xBB\xBFimport aks\n") == "import aks\n");
  CHECK(fmt_ok("") == "");
  CHECK(fmt_ok("\n\n  \n") == "");
  CHECK(fmt_ok("import aks") == "import aks\n");
  // Non-ASCII text counts by characters when comments are aligned.
  CHECK(fmt_ok("file k \"é\" // c\n") == std::string("file k \"é\"") + std::string(35, ' ') + "// c\n");
}

TEST_CASE("fmt: files with syntax errors are not formatted", "[format]") {
  CHECK_FALSE(format::format_text("vnet v <\n").has_value());
  CHECK_FALSE(format::format_text("a \"unterminated\n").has_value());
  CHECK_FALSE(format::format_text(">\n").has_value());
  CHECK_FALSE(format::format_text(std::string("a \xff\n")).has_value());
  SourceManager sources;
  const auto id = sources.add("bad.egress", "vnet v <\n");
  Diagnostics diags;
  CHECK_FALSE(format::format_file(sources, id, diags).has_value());
  CHECK(diags.has_errors());
}

TEST_CASE("egressc fmt: stdout, stdin, --check and --write", "[format][driver]") {
  TempDir dir;
  const std::string egressc = egress::testing::egress_binary();
  const auto messy = dir.path / "messy.egress";
  const auto clean = dir.path / "clean.egress";
  const auto broken = dir.path / "broken.egress";
  spit(messy, "vnet v 10.0.0.0/8 <\n      subnet s 10.0.0.0/16\n>\n");
  spit(clean, "vnet v 10.0.0.0/8 <\n  subnet s 10.0.0.0/16\n>\n");
  spit(broken, "vnet v <\n");
  ::chmod(messy.c_str(), 0640);
  const auto out = dir.path / "out.txt";
  const std::string q = "'";

  CHECK(run_shell(egressc + " fmt " + q + messy.string() + q + " > " + q + out.string() + q) == 0);
  CHECK(slurp(out) == slurp(clean));
  CHECK(run_shell(egressc + " fmt - < " + q + messy.string() + q + " > " + q + out.string() + q) == 0);
  CHECK(slurp(out) == slurp(clean));
  CHECK(run_shell(egressc + " fmt < " + q + messy.string() + q + " > " + q + out.string() + q) == 0);
  CHECK(slurp(out) == slurp(clean));

  CHECK(run_shell(egressc + " fmt --check " + q + clean.string() + q + " > " + q + out.string() + q) == 0);
  CHECK(slurp(out) == "");
  CHECK(run_shell(egressc + " fmt --check " + q + messy.string() + q + " > " + q + out.string() + q) == 1);
  CHECK(slurp(out) == messy.string() + "\n");
  CHECK(run_shell(egressc + " fmt --check " + q + broken.string() + q + " 2> " + q + out.string() + q) == 1);
  CHECK(slurp(out).value_or("").find("error[E0003]") != std::string::npos);
  CHECK(run_shell(egressc + " fmt " + q + broken.string() + q + " >/dev/null 2>&1") == 1);
  CHECK(run_shell(egressc + " fmt " + q + (dir.path / "missing.egress").string() + q + " >/dev/null 2>&1") == 1);
  CHECK(run_shell(egressc + " fmt --check -w " + q + clean.string() + q + " >/dev/null 2>&1") == 2);
  CHECK(run_shell(egressc + " fmt --bogus >/dev/null 2>&1") == 2);

  CHECK(run_shell(egressc + " fmt -w " + q + messy.string() + q + " " + q + clean.string() + q) == 0);
  CHECK(slurp(messy) == slurp(clean));
  struct stat st {};
  REQUIRE(::stat(messy.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
  CHECK(run_shell(egressc + " fmt --check " + q + messy.string() + q + " >/dev/null") == 0);
  // The broken file is left alone.
  CHECK(run_shell(egressc + " fmt -w " + q + broken.string() + q + " >/dev/null 2>&1") == 1);
  CHECK(slurp(broken) == "vnet v <\n");
  // No temporary file is left behind.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path)) ++entries;
  CHECK(entries == 4);
}
