// The outputs streamed as they are written (emit/stream.hpp, Options::sink, driver::OutputFiles) are the bytes of
// the whole-text forms: the emitters hand on their text in pieces after closed objects, compile() passes the pieces
// to the caller's sink file by file, and egressc writes them to temporary files renamed into place at the end.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "../../bench/workload.hpp"
#include "driver/files.hpp"
#include "emit/emit.hpp"
#include "lower/lower.hpp"
#include "support/analysed.hpp"
#include "test_support.hpp"

using namespace egress;
using namespace egress::testing;
using harness::run_command;
using harness::TempDir;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> programs() {
  std::vector<std::string> out;
  for (const char* dir : {"examples", "tests/designs", "tests/golden"})
    for (const auto& e : fs::directory_iterator(fs::path(source_dir()) / dir))
      if (fs::exists(e.path() / "main.egress")) out.push_back(std::string(dir) + "/" + e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

/// Keeps the pieces an emitter hands on.
struct Pieces final : emit::TextSink {
  std::vector<std::string> pieces;
  void append(std::string_view text) override { pieces.emplace_back(text); }
  [[nodiscard]] std::string joined() const {
    std::string out;
    for (const auto& p : pieces) out += p;
    return out;
  }
};

/// Records what compile() gives an OutputSink, and in which order.
struct RecordingSink final : OutputSink {
  std::vector<Output> files;
  std::vector<std::string> calls;  // "begin", "append", "end": the protocol
  void begin(Target target, const std::string& filename) override {
    files.push_back({target, filename, {}});
    calls.emplace_back("begin");
  }
  void append(std::string_view bytes) override {
    files.back().content += bytes;
    calls.emplace_back("append");
  }
  void end() override { calls.emplace_back("end"); }
};

/// main.json, "new text", in two pieces.
void write_json(OutputSink& files) {
  files.begin(Target::arm, "main.json");
  files.append("new ");
  files.append("text");
  files.end();
}

Result compile_text(const std::string& text, OutputSink* sink, std::size_t az_bulk_threshold = kAzBulkThreshold) {
  SourceManager sources;
  const auto id = sources.add("main.egress", text);
  Options o;
  o.sink = sink;
  o.az_bulk_threshold = az_bulk_threshold;
  return compile(sources, id, o);
}

}  // namespace

TEST_CASE("the streaming emitters hand on exactly the whole text, in pieces, for every program", "[emit][stream]") {
  const auto cases = programs();
  REQUIRE(cases.size() > 20);
  std::size_t modules = 0, templates = 0;
  for (const auto& c : cases) {
    INFO(c);
    auto a = analyse_text(c + "/main.egress", slurp(source_dir() + "/" + c + "/main.egress").value(), Expect::usable);
    Diagnostics diags;
    const auto d = lower::lower(a->analysis->program, diags);
    REQUIRE_FALSE(diags.has_errors());
    emit::EmitOptions o;
    o.chunk = 1;  // hand on after every closed object: every piece boundary the writers have is exercised

    Pieces arm;
    emit::arm(d, o, arm);
    CHECK(arm.joined() == emit::arm(d, o));
    CHECK(arm.pieces.size() > 10);  // not vacuous: the text really went out in pieces
    Pieces bicep;
    emit::bicep(d, o, bicep);
    CHECK(bicep.joined() == emit::bicep(d, o));
    CHECK(bicep.pieces.size() > 10);

    // Bicep modules and the az script's templates have no whole-text form of their own in compile(): they are
    // checked against compile()'s outputs (a program of the repository is far below one default chunk).
    auto compiled = compile_file(c + "/main.egress", true, false, {}, /*az_bulk_threshold=*/0);
    REQUIRE(compiled.result.ok());
    const auto output = [&](const std::string& name) -> const std::string& {
      const auto& outs = compiled.result.outputs;
      const auto it = std::find_if(outs.begin(), outs.end(), [&](const Output& x) { return x.filename == name; });
      REQUIRE(it != outs.end());
      return it->content;
    };
    o.stem = "main";
    o.version = std::string(version());  // as compile() names it in each file's header
    const auto module_files = emit::bicep_module_files(d, o);
    for (std::size_t u = 0; u < module_files.size(); ++u) {
      Pieces m;
      emit::bicep_module(d, o, u, m);
      CHECK(m.joined() == output(module_files[u]));
      ++modules;
    }
    for (const auto& t : emit::azcli_outputs(d, o, 0).templates) {
      Pieces p;
      emit::arm_resource_template(d, o, t.resource, p);
      CHECK(p.joined() == output(t.filename));
      CHECK(p.joined() == emit::arm_resource_template(d, o, t.resource));
      ++templates;
    }
  }
  CHECK(modules > 3);
  CHECK(templates > 20);
}

TEST_CASE("compile() with an OutputSink streams every file, in order, with the bytes Result::outputs holds without", "[stream]") {
  // Large enough that the ARM template and the az script's template of the firewall span several default chunks.
  const std::string program = bench::workload_egress(6000);
  const auto whole = compile_text(program, nullptr);
  REQUIRE(whole.ok());
  RecordingSink sink;
  const auto streamed = compile_text(program, &sink);
  REQUIRE(streamed.ok());
  REQUIRE(sink.files.size() == whole.outputs.size());
  REQUIRE(streamed.outputs.size() == whole.outputs.size());
  std::size_t largest = 0;
  for (std::size_t i = 0; i < whole.outputs.size(); ++i) {
    INFO(whole.outputs[i].filename);
    CHECK(sink.files[i].filename == whole.outputs[i].filename);
    CHECK(sink.files[i].target == whole.outputs[i].target);
    CHECK(sink.files[i].content == whole.outputs[i].content);
    CHECK(streamed.outputs[i].filename == whole.outputs[i].filename);
    CHECK(streamed.outputs[i].content.empty());  // the sink had it
    largest = std::max(largest, whole.outputs[i].content.size());
  }
  CHECK(largest > 2 * emit::Stream::kChunk);
  // One file at a time: begin, its pieces, end.
  std::size_t open = 0, appends = 0;
  for (const auto& call : sink.calls) {
    if (call == "begin") CHECK(open++ == 0);
    if (call == "end") CHECK(--open == 0);
    if (call == "append") {
      CHECK(open == 1);
      ++appends;
    }
  }
  CHECK(open == 0);
  CHECK(appends > sink.files.size() + 4);  // the large files came in several pieces
}

TEST_CASE("compile() gives an OutputSink nothing for a program with an error", "[stream]") {
  RecordingSink sink;
  const auto r = compile_text("group rg \"x\" in eastus\nvnet v 10.0.0.0/33\n", &sink);
  CHECK_FALSE(r.ok());
  CHECK(sink.calls.empty());
  CHECK(r.outputs.empty());
}

TEST_CASE("OutputFiles changes nothing until commit(), and leaves no temporary file either way", "[driver][stream]") {
  TempDir dir;
  spit(dir.path / "main.json", "old");
  const auto entries = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir.path)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  {
    driver::OutputFiles files(dir.path.string());
    write_json(files);
    files.begin(Target::az, "main.sh");
    // A temporary file for each, beside the final names, while they are written.
    CHECK(entries().size() == 3);
    CHECK(slurp(dir.path / "main.json") == std::optional<std::string>("old"));
    // Dropped without commit(), as egressc does when the program has an error.
  }
  CHECK(entries() == std::vector<std::string>{"main.json"});
  CHECK(slurp(dir.path / "main.json") == std::optional<std::string>("old"));

  driver::OutputFiles files(dir.path.string());
  write_json(files);
  files.begin(Target::az, "main.sh");
  files.append("#!/bin/bash\n");
  files.end();
  REQUIRE(files.commit().empty());
  CHECK(slurp(dir.path / "main.json") == std::optional<std::string>("new text"));
  CHECK(entries() == std::vector<std::string>{"main.json", "main.sh"});
}

TEST_CASE("OutputFiles creates the output folder only for a first file, and reports a folder it cannot make", "[driver][stream]") {
  TempDir dir;
  { driver::OutputFiles unused((dir.path / "never").string()); }
  CHECK_FALSE(fs::exists(dir.path / "never"));
  spit(dir.path / "file", "x");
  driver::OutputFiles files((dir.path / "file").string());
  files.begin(Target::arm, "main.json");
  files.append("text");
  files.end();
  const auto err = files.commit();
  CHECK(err.find("is not a folder") != std::string::npos);
  CHECK(slurp(dir.path / "file") == std::optional<std::string>("x"));
}

TEST_CASE("egressc writes, file by file, the bytes compile() gives, for every program and for a large one", "[driver][stream]") {
  TempDir out;
  // W(6000): the largest outputs span several of the chunks egressc writes them in.
  spit(out.path / "w6000.egress", bench::workload_egress(6000));
  std::vector<std::pair<std::string, std::string>> cases;  // (source path, stem)
  for (const auto& c : programs()) cases.emplace_back(source_dir() + "/" + c + "/main.egress", "main");
  cases.emplace_back((out.path / "w6000.egress").string(), "w6000");
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const auto& [path, stem] = cases[k];
    INFO(path);
    const fs::path dest = out.path / std::to_string(k);
    const auto run = run_command(std::string(egress_binary()) + " build " + path + " --az-bulk-threshold 0 -o " + dest.string());
    REQUIRE(run.status == 0);
    SourceManager sources;
    const auto id = sources.add(path, slurp(path).value());
    Options o;
    o.stem = stem;
    o.az_bulk_threshold = 0;
    o.read_file = [](const std::string& file) { return slurp(file); };
    const auto r = compile(sources, id, o);
    REQUIRE(r.ok());
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dest)) {
      ++files;
      CHECK(e.path().filename().string().front() != '.');  // no temporary file left
    }
    CHECK(files == r.outputs.size());
    for (const auto& f : r.outputs) {
      INFO(f.filename);
      CHECK(slurp(dest / f.filename) == std::optional<std::string>(f.content));
    }
  }
}
