// Limits: inputs far beyond what anyone writes (deep nesting, huge files, a million rules, 10 MB lines) and
// inputs that are not text at all (NUL, invalid UTF-8), CRLF and BOM, import cycles, directories and missing
// files. Each one either works or gives a diagnostic with a code; never a crash, a stack overflow or a hang.
// The heavy sizes are tagged [.slow] (run them with `egress_tests [limits][.slow]`, or `"[.slow]"`); the
// default run uses the same code paths at a smaller size. Nothing here asserts a time or a peak memory: a
// hang is caught by ctest's TIMEOUT, and the figures (time, peak RSS) are printed by bench/process_bench.
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "driver/files.hpp"
#include "parse/parse.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress;
using namespace egress::testing;

namespace {

using harness::TempDir;

/// A compilation of text in memory; imports are read from disk as egressc reads them.
struct Run {
  SourceManager sources;
  Result result;
  std::set<std::string> codes;

  [[nodiscard]] bool has(const char* code) const { return codes.count(code) != 0; }
  [[nodiscard]] std::string rendered(std::size_t max_diags = 5) const {
    std::string out;
    for (std::size_t i = 0; i < result.diagnostics.all().size() && i < max_diags; ++i)
      out += render(result.diagnostics.all()[i], sources);
    return out;
  }
};

std::unique_ptr<Run> compile_text(std::string text, const std::string& path = "limits.egress", bool emit = true,
                                  std::size_t max_source = kDefaultMaxSourceBytes) {
  auto r = std::make_unique<Run>();
  const auto id = r->sources.add(path, std::move(text));
  Options o;
  o.max_source_bytes = max_source;
  o.read_file = [max_source](const std::string& p) { return driver::read_file(p, nullptr, max_source); };
  r->result = emit ? compile(r->sources, id, o) : check(r->sources, id, o);
  for (const auto& d : r->result.diagnostics.all()) r->codes.insert(std::string(info(d.code).id));
  return r;
}

/// Every diagnostic has a registered code, and outputs exist exactly when there is no error.
void check_sane(const Run& r) {
  for (const auto& d : r.result.diagnostics.all()) {
    CHECK(info(d.code).id.size() == 5);
    CHECK_FALSE(d.message.empty());
    CHECK(d.span.file < r.sources.size());
  }
  if (!r.result.ok()) CHECK(r.result.outputs.empty());
}

std::string example_text() { return slurp(source_dir() + "/examples/aks-egress/main.egress").value(); }

/// The example with `count` more network rules, each distinct, in a collection of their own.
std::string program_with_rules(std::size_t count) {
  std::string text = example_text();
  text.reserve(text.size() + count * 64);
  text += "\nfirewall fw <\n  network bulk priority 300 <\n";
  for (std::size_t i = 0; i < count; ++i) {
    text += "    allow r";
    text += std::to_string(i);
    text += " tcp 10.42.1.0/24 -> 10.";
    text += std::to_string(100 + (i >> 16) % 100);
    text += '.';
    text += std::to_string((i >> 8) & 255);
    text += '.';
    text += std::to_string(i & 255);
    text += " : ";
    text += std::to_string(1 + i % 65535);
    text += '\n';
  }
  text += "  >\n>\n";
  return text;
}

/// What one run of the egressc binary did: its exit status and the start of what it printed on stderr. Its
/// time and memory are figures for bench/process_bench, never conditions here.
struct Measured {
  int exit_code = -1;
  std::string stderr_head;  // the first 8 KiB of what it printed on stderr (W0230 may come before W0212)
};

Measured run_egressc(const std::vector<std::string>& args, const fs::path& scratch) {
  Measured m;
  const std::string err_path = (scratch / "stderr.txt").string();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out = ::open("/dev/null", O_WRONLY);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> argv{const_cast<char*>(egress::testing::egress_binary())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(egress::testing::egress_binary(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  m.stderr_head = slurp(err_path).value_or("").substr(0, 8192);
  return m;
}

}  // namespace

// ---------------------------------------------------------------------------------------------- nesting

TEST_CASE("10^5 nested blocks: E0006 at depth 33, no recursion", "[limits]") {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "vnet v <\n";
  for (int i = 0; i < 100000; ++i) text += ">\n";
  auto r = compile_text(std::move(text));
  INFO(r->rendered());
  check_sane(*r);
  CHECK(r->has("E0006"));
  CHECK(r->result.diagnostics.all().size() <= 101);
}

TEST_CASE("10^5 `<` on one line, and 10^5 stray `>`", "[limits]") {
  SECTION("all on one line") {
    auto r = compile_text("vnet " + std::string(100000, '<'));
    INFO(r->rendered());
    check_sane(*r);
    CHECK_FALSE(r->result.ok());
  }
  SECTION("nothing but `<`") {
    auto r = compile_text(std::string(100000, '<'));
    check_sane(*r);
    CHECK(r->has("E0001"));
  }
  SECTION("nothing but `>`, each on its line: at most 100 errors") {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += ">\n";
    auto r = compile_text(std::move(text));
    check_sane(*r);
    CHECK(r->has("E0001"));
    CHECK(r->result.diagnostics.all().size() <= 101);
  }
  SECTION("heads and `<` alternating on one line") {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += "a <";
    auto r = compile_text(std::move(text));
    check_sane(*r);
    CHECK(r->has("E0006"));
  }
}

// ---------------------------------------------------------------------------------------------- big files

namespace {

/// `megabytes` of text made of `unit` repeated, after the example (so that the program would compile).
std::string big_file(std::size_t megabytes, const std::string& unit) {
  std::string text = example_text();
  const std::size_t target = megabytes << 20;
  text.reserve(target + unit.size());
  while (text.size() < target) text += unit;
  return text;
}

// Every shape with the source cap (E0008) raised past the file: what a user who raises it gets.
void big_file_cases(std::size_t megabytes) {
  constexpr std::size_t uncapped = SIZE_MAX;
  SECTION("comments: compiles") {
    auto r = compile_text(big_file(megabytes, "// a comment line that says nothing at all, " + std::string(20, '-') + "\n"),
                          "limits.egress", true, uncapped);
    INFO(r->rendered());
    check_sane(*r);
    CHECK(r->result.ok());
  }
  SECTION("blank lines and semicolons: compiles") {
    auto r = compile_text(big_file(megabytes, "\n  ;\t\n\n"), "limits.egress", true, uncapped);
    check_sane(*r);
    CHECK(r->result.ok());
  }
  SECTION("unknown statements: every one counted, the first 1,000 kept") {
    const std::string unit = "frobnicate the widgets 42 times\n";
    const auto text = big_file(megabytes, unit);
    const auto expected = (text.size() - example_text().size()) / unit.size();
    auto r = compile_text(text, "limits.egress", false, uncapped);
    check_sane(*r);
    CHECK(r->has("E0101"));
    CHECK(r->result.diagnostics.error_count() == expected);
    CHECK(r->result.diagnostics.all().size() == Diagnostics::kMaxKept);
    CHECK(r->result.diagnostics.dropped() == expected - Diagnostics::kMaxKept);
  }
  SECTION("syntax errors: at most 100") {
    auto r = compile_text(big_file(megabytes, "@@@ this is not egress @@@\n"), "limits.egress", false, uncapped);
    check_sane(*r);
    CHECK(r->has("E0001"));
    CHECK(r->result.diagnostics.all().size() <= 101);
  }
  SECTION("params: one per line") {
    std::string text = example_text();
    const std::size_t target = megabytes << 20;
    for (std::size_t i = 0; text.size() < target; ++i) text += "param p" + std::to_string(i) + ": string = \"v\"\n";
    auto r = compile_text(std::move(text), "limits.egress", false, uncapped);
    check_sane(*r);
  }
}

}  // namespace

TEST_CASE("a 4 MB file, in every shape", "[limits]") { big_file_cases(4); }

TEST_CASE("a 100 MB file, in every shape", "[limits][.slow]") { big_file_cases(100); }

TEST_CASE("E0008: the source cap counts the main file and its imports, not the stdlib", "[limits]") {
  constexpr std::size_t cap = 1 << 20;
  const auto padded = [](std::size_t size) {
    std::string text = example_text();
    text.resize(size, '\n');
    return text;
  };
  SECTION("a file of exactly the cap compiles; one byte more is E0008 alone, before any parsing") {
    auto at = compile_text(padded(cap), "limits.egress", false, cap);
    INFO(at->rendered());
    CHECK(at->result.ok());
    auto over = compile_text(padded(cap + 1), "limits.egress", false, cap);
    check_sane(*over);
    REQUIRE(over->result.diagnostics.all().size() == 1);
    const auto& d = over->result.diagnostics.all()[0];
    CHECK(info(d.code).id == "E0008");
    CHECK(d.span.offset == 0);
    CHECK(d.message == "the program's source is larger than 1 MiB, the most egressc reads, with this file");
    CHECK(d.hint.find("--max-input-mib") != std::string::npos);
  }
  SECTION("an import that brings the total past the cap is reported in that file") {
    TempDir dir;
    spit(dir.path / "half.egress", "// padding\n" + std::string(cap / 2 + 16, '\n'));
    auto text = padded(cap / 2) + "\nimport \"half.egress\"\n";
    auto r = compile_text(text, (dir.path / "main.egress").string(), false, cap);
    check_sane(*r);
    REQUIRE(r->result.diagnostics.all().size() == 1);
    CHECK(info(r->result.diagnostics.all()[0].code).id == "E0008");
    CHECK(r->sources.path(r->result.diagnostics.all()[0].span.file) == (dir.path / "half.egress").string());
  }
  SECTION("a file over the cap is never read whole: at most the cap and one byte") {
    TempDir dir;
    const auto file = dir.path / "big.egress";
    spit(file, std::string(3 * cap, '\n'));
    const auto read = driver::read_file(file.string(), nullptr, cap);
    REQUIRE(read.has_value());
    CHECK(read->size() == cap + 1);
  }
  SECTION("egressc: 17 MB is refused at once, unless --max-input-mib raises the cap") {
    TempDir dir;
    const auto file = dir.path / "big.egress";
    spit(file, big_file(17, "// a comment line that says nothing at all\n"));
    const auto m = run_egressc({"check", file.string()}, dir.path);
    INFO(m.stderr_head);
    CHECK(m.exit_code == 1);
    CHECK(m.stderr_head.find("error[E0008]: the program's source is larger than 16 MiB") != std::string::npos);
    const auto raised = run_egressc({"check", file.string(), "--max-input-mib", "18"}, dir.path);
    INFO(raised.stderr_head);
    CHECK(raised.exit_code == 0);
    for (const char* bad : {"0", "-1", "4096", "lots", ""}) {
      INFO("--max-input-mib " << bad);
      CHECK(run_egressc({"check", file.string(), "--max-input-mib", bad}, dir.path).exit_code == 2);
    }
  }
}

TEST_CASE("a 100 MB file through egressc", "[limits][.slow]") {
  TempDir dir;
  const auto file = dir.path / "big.egress";
  spit(file, big_file(100, "frobnicate the widgets 42 times\n"));
  const auto capped = run_egressc({"check", file.string()}, dir.path);
  CHECK(capped.exit_code == 1);
  CHECK(capped.stderr_head.find("E0008") != std::string::npos);
  const auto m = run_egressc({"check", file.string(), "--max-input-mib", "128"}, dir.path);
  INFO(m.stderr_head);
  CHECK(m.exit_code == 1);
  CHECK(m.stderr_head.find("E0101") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------- many rules

TEST_CASE("10^4 rules compile", "[limits]") {
  auto r = compile_text(program_with_rules(10000));
  INFO(r->rendered());
  check_sane(*r);
  CHECK(r->result.ok());
}

TEST_CASE("a million rules through egressc check and build", "[limits][.slow]") {
  TempDir dir;
  const auto file = dir.path / "rules.egress";
  spit(file, program_with_rules(1000000));
  const auto mib = std::to_string(fs::file_size(file) / (1 << 20) + 1);
  const auto capped = run_egressc({"check", file.string()}, dir.path);
  CHECK(capped.exit_code == 1);
  CHECK(capped.stderr_head.find("E0008") != std::string::npos);
  const auto c = run_egressc({"check", file.string(), "--max-input-mib", mib}, dir.path);
  INFO(c.stderr_head);
  CHECK(c.exit_code == 0);  // W0212 only: far more source/destination pairs than Azure takes
  CHECK(c.stderr_head.find("W0212") != std::string::npos);
  const auto b =
      run_egressc({"build", file.string(), "--max-input-mib", mib, "-o", (dir.path / "out").string()}, dir.path);
  INFO(b.stderr_head);
  CHECK(b.exit_code == 0);
  std::uintmax_t written = 0;
  if (fs::exists(dir.path / "out"))
    for (const auto& e : fs::directory_iterator(dir.path / "out")) written += fs::file_size(e.path());
  CHECK(written > 0);
}

// ---------------------------------------------------------------------------------------------- suggestions

namespace {

/// `count` parameters and `count` references to parameters that do not exist, all names 40 characters
/// long and alike: every reference looks for a "did you mean" among every parameter.
std::string unresolved_references(int count) {
  std::string text = "group rg \"x\" in eastus\n";
  char name[48];
  for (int i = 0; i < count; ++i) {
    std::snprintf(name, sizeof name, "%038d", i);
    text += "param p" + std::string(name) + ": string = \"v\"\n";
  }
  for (int i = 0; i < count; ++i) {
    std::snprintf(name, sizeof name, "%038d", i);
    text += "vnet v" + std::to_string(i) + " \"${q" + name + "}\" 10." + std::to_string((i >> 8) & 255) + "." +
            std::to_string(i & 255) + ".0/24\n";
  }
  return text;
}

}  // namespace

TEST_CASE("did-you-mean suggestions stay cheap: 2000 unknown names against 2000 declarations", "[limits]") {
  // Found by this test: the edit distance of every unknown name against every declaration took 53 s of CPU
  // (ASan) for a 258 KB file; a 1 MB file would have taken a quarter of an hour.
  auto r = compile_text(unresolved_references(2000), "limits.egress", false);
  check_sane(*r);
  CHECK(r->has("E0104"));
  // Each suggestion walks every declaration of the kind, so only the first 100 unknown names get one.
  const auto& all = r->result.diagnostics.all();
  CHECK(std::count_if(all.begin(), all.end(), [](const Diagnostic& d) {
          return d.hint.rfind("did you mean", 0) == 0;
        }) == 100);
}

TEST_CASE("did-you-mean suggestions stay cheap: 20000 against 20000", "[limits][.slow]") {
  auto r = compile_text(unresolved_references(20000), "limits.egress", false);
  check_sane(*r);
  CHECK(r->has("E0104"));
}

// ---------------------------------------------------------------------------------------------- long lines

namespace {

void long_line_cases(std::size_t bytes) {
  SECTION("a long string default") {
    std::string text = example_text() + "param long: string = \"" + std::string(bytes, 'a') + "\"\n";
    auto r = compile_text(std::move(text));
    check_sane(*r);
  }
  SECTION("a long comment") {
    auto r = compile_text(example_text() + "// " + std::string(bytes, 'c') + "\n");
    check_sane(*r);
    CHECK(r->result.ok());
  }
  SECTION("a long word: an unknown statement, and its diagnostic stays short") {
    auto r = compile_text(example_text() + std::string(bytes, 'w') + "\n", "limits.egress", false);
    check_sane(*r);
    CHECK_FALSE(r->result.ok());
    std::size_t rendered = 0;
    for (const auto& d : r->result.diagnostics.all()) rendered += render(d, r->sources).size();
    CHECK(rendered < 64 * 1024);  // the source line is cut at 200 columns; the message must not quote it all
  }
  SECTION("a long line of garbage, then more garbage after it") {
    auto r = compile_text(example_text() + "vnet x " + std::string(bytes, '#') + "\n@\n", "limits.egress", false);
    check_sane(*r);
    CHECK(r->has("E0001"));
    std::size_t rendered = 0;
    for (const auto& d : r->result.diagnostics.all()) rendered += render(d, r->sources).size();
    CHECK(rendered < 64 * 1024);
  }
  SECTION("an unterminated string that runs for the whole line") {
    auto r = compile_text(example_text() + "param s: string = \"" + std::string(bytes, 's') + "\n", "limits.egress",
                          false);
    check_sane(*r);
    CHECK(r->has("E0002"));
  }
  SECTION("a long list of items on one line") {
    std::string text = example_text() + "vnet wide \"wide-vnet\" 10.0.0.0/8";
    while (text.size() < bytes) text += ", 10.0.0.0/8";
    auto r = compile_text(std::move(text) + "\n", "limits.egress", false);
    check_sane(*r);
  }
}

}  // namespace

TEST_CASE("1 MB lines", "[limits]") { long_line_cases(1 << 20); }

TEST_CASE("10 MB lines", "[limits][.slow]") { long_line_cases(10 << 20); }

// ---------------------------------------------------------------------------------------------- encodings

TEST_CASE("NUL bytes and invalid UTF-8: E0005 with the offset of the first bad byte", "[limits]") {
  const std::string good = "param a: string = \"x\"\n";
  struct Case {
    const char* name;
    std::string text;
  };
  const std::vector<Case> cases{
      {"NUL", good + std::string(1, '\0') + good},
      {"NUL in a string", "param a: string = \"x" + std::string(1, '\0') + "y\"\n"},
      {"lone continuation byte", good + "\x80\n"},
      {"truncated sequence at the end", good + "\xE2\x82"},
      {"overlong encoding", good + "\xC0\xAF\n"},
      {"surrogate", good + "\xED\xA0\x80\n"},
      {"above U+10FFFF", good + "\xF4\x90\x80\x80\n"},
      {"0xFF", "\xFF" + good},
      {"Latin-1 text", "param a: string = \"caf\xE9\"\n"},
      {"UTF-16 with a BOM", std::string("\xFF\xFEp\0a\0r\0a\0m\0", 12)},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      auto r = compile_text(c.text);
      INFO(r->rendered());
      check_sane(*r);
      CHECK(r->has("E0005"));
      // The renderer never copies raw control bytes to the terminal.
      for (const auto& d : r->result.diagnostics.all()) {
        const auto text = render(d, r->sources);
        CHECK(text.find('\0') == std::string::npos);
      }
    }
  }
}

TEST_CASE("CRLF line ends and a BOM give the same outputs as LF", "[limits]") {
  const std::string lf = example_text();
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const std::string bom = "\xEF\xBB\xBF";
  auto base = compile_text(lf, "main.egress");
  REQUIRE(base->result.ok());
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"CRLF", crlf}, {"BOM", bom + lf}, {"BOM and CRLF", bom + crlf}}) {
    DYNAMIC_SECTION(name) {
      auto r = compile_text(text, "main.egress");
      INFO(r->rendered());
      REQUIRE(r->result.ok());
      REQUIRE(r->result.outputs.size() == base->result.outputs.size());
      for (std::size_t i = 0; i < r->result.outputs.size(); ++i)
        CHECK(r->result.outputs[i].content == base->result.outputs[i].content);
    }
  }
  SECTION("a BOM in the middle of a file is an error, not a silent character") {
    auto r = compile_text(lf + bom + "param x: string = \"y\"\n");
    check_sane(*r);
    CHECK_FALSE(r->result.ok());
  }
  SECTION("a lone CR is not a line end") {
    auto r = compile_text("param a: string = \"x\"\rparam b: string = \"y\"\n");
    INFO(r->rendered());
    check_sane(*r);
    CHECK(r->has("E0001"));
  }
  SECTION("errors in a CRLF file point at the right line and column") {
    auto r = compile_text("param a: string = \"x\"\r\n\r\nvnet @\r\n");
    REQUIRE(r->has("E0001"));
    for (const auto& d : r->result.diagnostics.all()) {
      if (d.code != Code::E0001) continue;
      const auto lc = r->sources.line_col(0, d.span.offset);
      CHECK(lc.line == 3);
      CHECK(lc.column == 6);
    }
  }
}

TEST_CASE("an empty file, white space only, a comment only", "[limits]") {
  for (const char* text : {"", "\n\n\n", "   \t  ", "// just a comment", "\xEF\xBB\xBF", ";;;;"}) {
    auto r = compile_text(text);
    INFO(r->rendered());
    check_sane(*r);
    // There is nothing to deploy: the compiler says so (no resource group) rather than writing empty files.
    CHECK(r->has("E0113"));
  }
}

// ---------------------------------------------------------------------------------------------- imports

TEST_CASE("import cycles, directories and missing files", "[limits]") {
  TempDir dir;
  const std::string base = example_text();
  SECTION("two files importing each other: E0110") {
    spit(dir.path / "a.egress", "import \"b.egress\"\nparam pa: string = \"a\"\n");
    spit(dir.path / "b.egress", "import \"a.egress\"\nparam pb: string = \"b\"\n");
    auto r = compile_text(slurp(dir.path / "a.egress").value(), (dir.path / "a.egress").string());
    INFO(r->rendered());
    check_sane(*r);
    CHECK(r->has("E0110"));
    CHECK(r->rendered().find("import cycle") != std::string::npos);
  }
  SECTION("a file importing itself: E0110") {
    spit(dir.path / "self.egress", "import \"self.egress\"\n" + base);
    auto r = compile_text(slurp(dir.path / "self.egress").value(), (dir.path / "self.egress").string());
    check_sane(*r);
    CHECK(r->has("E0110"));
  }
  SECTION("a cycle of three through a sub-folder and `..`") {
    fs::create_directories(dir.path / "sub");
    spit(dir.path / "a.egress", "import \"sub/b.egress\"\n");
    spit(dir.path / "sub" / "b.egress", "import \"c.egress\"\n");
    spit(dir.path / "sub" / "c.egress", "import \"../a.egress\"\n");
    auto r = compile_text(slurp(dir.path / "a.egress").value(), (dir.path / "a.egress").string());
    INFO(r->rendered());
    check_sane(*r);
    // The same file reached by another spelling of its path is still a cycle; at worst the chain of imports
    // is cut at the depth limit, also E0110. Never a stack overflow.
    CHECK(r->has("E0110"));
  }
  SECTION("a directory: E0109") {
    fs::create_directories(dir.path / "adir.egress");
    auto r = compile_text("import \"adir.egress\"\n" + base, (dir.path / "main.egress").string());
    INFO(r->rendered());
    check_sane(*r);
    CHECK(r->has("E0109"));
  }
  SECTION("a missing file: E0109") {
    auto r = compile_text("import \"nope.egress\"\n" + base, (dir.path / "main.egress").string());
    check_sane(*r);
    CHECK(r->has("E0109"));
  }
  SECTION("a missing stdlib module: E0109") {
    auto r = compile_text("import nosuchmodule\n" + base);
    check_sane(*r);
    CHECK(r->has("E0109"));
  }
  SECTION("an import of a file that is not UTF-8: E0005 in that file") {
    spit(dir.path / "bin.egress", std::string("\x00\x01\x02\xFF", 4));
    auto r = compile_text("import \"bin.egress\"\n" + base, (dir.path / "main.egress").string());
    check_sane(*r);
    CHECK(r->has("E0005"));
  }
  SECTION("a chain of 200 imports: cut at the depth limit with E0110, no stack overflow") {
    for (int i = 0; i < 200; ++i)
      spit(dir.path / ("m" + std::to_string(i) + ".egress"),
           i + 1 < 200 ? "import \"m" + std::to_string(i + 1) + ".egress\"\n" : std::string("\n"));
    auto r = compile_text("import \"m0.egress\"\n" + base, (dir.path / "main.egress").string());
    check_sane(*r);
    CHECK(r->has("E0110"));
  }
  SECTION("through egressc: the cycle is reported with its code and exit 1") {
    spit(dir.path / "a.egress", "import \"b.egress\"\n" + base);
    spit(dir.path / "b.egress", "import \"a.egress\"\n");
    const auto m = run_egressc({"check", (dir.path / "a.egress").string()}, dir.path);
    CHECK(m.exit_code == 1);
    CHECK(m.stderr_head.find("E0110") != std::string::npos);
    const auto d = run_egressc({"check", (dir.path / "missing.egress").string()}, dir.path);
    CHECK(d.exit_code == 1);
    const auto e = run_egressc({"check", dir.path.string()}, dir.path);
    CHECK(e.exit_code == 1);
    CHECK(e.stderr_head.find("directory") != std::string::npos);
  }
}
