// Transcripts in the docs cannot drift from the compiler (issue 13, part 5). A fenced block preceded by
//
//   <!-- transcript: FILE :: OLD => NEW ;; OLD2 => NEW2 -->
//
// shows what egressc prints for FILE (relative to the repository) with each OLD (a literal piece of one line,
// found exactly once) replaced by NEW. The block's lines starting with "$ " are commands, run in order in one
// bash in a folder holding the edited file as main.egress; without any, the command is
// `egressc check main.egress` and the block is its output alone. Diagnostics with the code named by an
// optional `omit CODE` after the edits (`... ;; omit W0230`) are left out of the comparison, as the text
// around such a block says. EGRESS_UPDATE_DOCS=1 rewrites the blocks from what egressc prints (review the
// diff), like tests/update-golden.sh does for golden files.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace egress::testing;
using harness::run_command;
using harness::TempDir;

namespace {

struct Transcript {
  std::size_t marker_line = 0;         // 1-based, for messages
  std::size_t body_begin = 0, body_end = 0;  // byte range of the block's content in the doc
  std::string file;
  std::vector<std::pair<std::string, std::string>> edits;
  std::string omit;
  std::string body;
};

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(' ');
  const auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t p = 0;
  for (auto q = s.find(sep); q != std::string::npos; q = s.find(sep, p)) {
    out.push_back(s.substr(p, q - p));
    p = q + sep.size();
  }
  out.push_back(s.substr(p));
  return out;
}

std::vector<Transcript> transcripts(const std::string& doc) {
  std::vector<Transcript> out;
  const std::string open = "<!-- transcript: ";
  for (auto at = doc.find(open); at != std::string::npos; at = doc.find(open, at + 1)) {
    Transcript t;
    t.marker_line = static_cast<std::size_t>(std::count(doc.begin(), doc.begin() + static_cast<long>(at), '\n')) + 1;
    const auto close = doc.find("-->", at);
    REQUIRE(close != std::string::npos);
    const auto spec = doc.substr(at + open.size(), close - at - open.size());
    const auto parts = split(spec, " :: ");
    REQUIRE(parts.size() == 2);
    t.file = trim(parts[0]);
    for (const auto& e : split(parts[1], " ;; ")) {
      if (trim(e).empty()) continue;  // `FILE :: ` shows the file as it is
      if (trim(e).rfind("omit ", 0) == 0) {
        t.omit = trim(trim(e).substr(5));
        continue;
      }
      const auto arrow = split(e, " => ");
      REQUIRE(arrow.size() == 2);
      t.edits.emplace_back(arrow[0].substr(arrow[0].find_first_not_of(' ')), arrow[1].substr(0, arrow[1].find_last_not_of(' ') + 1));
    }
    const auto fence = doc.find("```", close);
    REQUIRE(fence != std::string::npos);
    t.body_begin = doc.find('\n', fence) + 1;
    t.body_end = doc.find("\n```", t.body_begin) + 1;
    t.body = doc.substr(t.body_begin, t.body_end - t.body_begin);
    out.push_back(std::move(t));
  }
  return out;
}

/// Drops the diagnostics whose header names `code` (the header line and every line up to the next header
/// or summary line).
std::string without(const std::string& output, const std::string& code) {
  if (code.empty()) return output;
  static const std::regex header(R"(^\S+:\d+:\d+: (error|warning)\[[EW]\d{4}\]: .*|^\d+ errors?, \d+ warnings?$|^\$ .*)");
  std::istringstream in(output);
  std::string out;
  bool dropping = false;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, header)) dropping = line.find("[" + code + "]") != std::string::npos;
    if (!dropping) out += line + "\n";
  }
  return out;
}

/// What egressc prints for the transcript, in the block's shape.
std::string actual(const Transcript& t) {
  std::string text = slurp(source_dir() + "/" + t.file).value();
  for (const auto& [from, to] : t.edits) {
    const auto at = text.find(from);
    INFO("edit `" << from << "` of " << t.file);
    REQUIRE(at != std::string::npos);
    REQUIRE(text.find(from, at + 1) == std::string::npos);
    text.replace(at, from.size(), to);
  }
  TempDir dir;
  spit(dir.path / "main.egress", text);
  fs::create_directories(dir.path / "bin");
  fs::create_symlink(egress::testing::egress_binary(), dir.path / "bin/egressc");
  std::vector<std::string> commands;
  std::istringstream in(t.body);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("$ ", 0) == 0) commands.push_back(line.substr(2));
  const bool shown = !commands.empty();
  if (!shown) commands.push_back("egressc check main.egress");
  // Each command sees the previous one's exit status in $? (`echo $?` in a transcript), not the echo's.
  std::string script = "status=0\n";
  for (const auto& c : commands) {
    std::string quoted;
    for (const char ch : c) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    if (shown) script += "echo '$ " + quoted + "'\n";
    script += "(exit $status); " + c + " 2>&1; status=$?\n";
  }
  spit(dir.path / "transcript.sh", script);
  const auto r = run_command("cd '" + dir.path.string() + "' && PATH='" + (dir.path / "bin").string() +
                             ":'\"$PATH\" NO_COLOR=1 bash transcript.sh");
  return without(r.out, t.omit);
}

}  // namespace

TEST_CASE("docs: every transcript in the docs is what egressc prints", "[docs]") {
  const bool update = std::getenv("EGRESS_UPDATE_DOCS") != nullptr;
  std::size_t checked = 0;
  for (const std::string name : {"docs/tutorial.md", "docs/cli.md", "README.md", "docs/network-model.md", "docs/examples/hub-spoke.md"}) {
    const auto path = source_dir() + "/" + name;
    std::string doc = slurp(path).value();
    auto list = transcripts(doc);
    // Rewrites go from the end so that earlier offsets stay valid.
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      DYNAMIC_SECTION(name << ":" << it->marker_line) {
        const auto got = actual(*it);
        if (update) doc.replace(it->body_begin, it->body_end - it->body_begin, got);
        else CHECK(without(it->body, it->omit) == got);
      }
      ++checked;
    }
    if (update) spit(path, doc);
  }
  CHECK(checked >= 6);
}
