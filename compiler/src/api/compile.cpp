// The pipeline behind egress::compile(): parse the main file and its imports, elaborate, check, lower, emit.
#include <fmt/format.h>

#include <filesystem>

#include <algorithm>
#include <map>
#include <optional>
#include <memory>
#include <vector>

#include "api/analyse.hpp"
#include "api/stdlib.hpp"
#include "egress/compiler.hpp"
#include "emit/emit.hpp"
#include "lower/lower.hpp"
#include "model/check.hpp"
#include "parse/parse.hpp"
#include "sema/elaborate.hpp"

#ifndef EGRESS_VERSION
#define EGRESS_VERSION "0.0.0"
#endif

namespace egress {

std::string_view version() { return EGRESS_VERSION; }

std::optional<Target> parse_target(std::string_view name) {
  if (name == "arm") return Target::arm;
  if (name == "bicep") return Target::bicep;
  if (name == "az") return Target::az;
  if (name == "k8s") return Target::k8s;
  return std::nullopt;
}

std::string_view target_name(Target t) {
  switch (t) {
    case Target::arm: return "arm";
    case Target::bicep: return "bicep";
    case Target::az: return "az";
    case Target::k8s: return "k8s";
  }
  return "?";
}

std::string_view target_extension(Target t) {
  switch (t) {
    case Target::arm: return ".json";
    case Target::bicep: return ".bicep";
    case Target::az: return ".sh";
    case Target::k8s: return ".yaml";
  }
  return "";
}

namespace {

constexpr std::size_t kMaxImportDepth = 64;

std::string mebibytes(std::size_t bytes) {
  return bytes % (1 << 20) == 0 ? fmt::format("{} MiB", bytes >> 20)
                                : fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
}

std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

/// Parses a file and, depth first, everything it imports. Modules are keyed by "stdlib:<name>" or by
/// path, parsed once; `stack` holds the chain being loaded, to report cycles.
class Loader {
 public:
  Loader(SourceManager& sources, const Options& options, Diagnostics& diags)
      : sources_(sources), options_(options), diags_(diags) {}

  void load(std::uint32_t file, const std::string& key) {
    loaded_[key] = true;
    if (!within_size_limit(file, key)) return;
    stack_.push_back(key);
    const std::size_t errors_before = diags_.error_count();
    // The stdlib apart: it is parsed on every run, the same text each time.
    auto tree = timed(options_.phase_times, key.rfind("stdlib:", 0) == 0 ? "parse stdlib" : "parse",
                      [&] { return std::make_unique<syntax::File>(parse::parse(sources_, file, diags_)); });
    const syntax::File* raw = tree.get();
    files_.push_back(std::move(tree));
    parse_errors_.push_back(diags_.error_count() > errors_before);
    for (const auto& s : raw->statements)
      if (s.head.text == "import") import(s, file);
    stack_.pop_back();
  }

  // The prelude: the stdlib modules every program gets without an import. azure: regions and tags;
  // registries: the hosts image pulls contact and what FQDN tags cover.
  void load_prelude() {
    const auto& modules = stdlib_modules();
    for (std::string_view name : {"azure", "registries"}) {
      const std::string key = "stdlib:" + std::string(name);
      if (auto it = modules.find(name); it != modules.end() && !loaded_.count(key)) {
        const auto id = sources_.add("<stdlib>/" + std::string(name) + ".egress", it->second);
        load(id, key);
      }
    }
  }

  [[nodiscard]] std::vector<const syntax::File*> files() const {
    std::vector<const syntax::File*> out;
    for (const auto& f : files_) out.push_back(f.get());
    return out;
  }

  /// Frees the trees once the program is elaborated: nothing after elaboration refers to them (the program owns its
  /// text; spans point into `sources`). Their memory goes to what comes next — the model checks' tables, the IR —
  /// instead of adding to the process's peak (a tenth of a large build's peak; docs/performance.md). Cheap: a tree
  /// is a few arena chunks (syntax/arena.hpp).
  void drop_trees() { files_.clear(); }

  /// Hands the trees over to `kept` (check_keeping()); the loader has none left.
  void hand_over(api::Checked& kept) {
    kept.trees = std::move(files_);
    kept.parse_errors = std::move(parse_errors_);
  }

 private:
  void import(const syntax::Statement& s, std::uint32_t from) {
    if (s.items.size() != 1 || (s.items[0].kind != syntax::ItemKind::word && s.items[0].kind != syntax::ItemKind::string) ||
        s.has_block) {
      diags_.report(Code::E0102, s.span, "`import`: expected one module name or one path",
                    "the form is: import MODULE | import \"path/to/file.egress\"");
      return;
    }
    const auto& item = s.items[0];
    std::string key, path, text;
    if (item.kind == syntax::ItemKind::word) {
      key = "stdlib:" + std::string(item.text);
      path = "<stdlib>/" + std::string(item.text) + ".egress";
      const auto& modules = stdlib_modules();
      auto it = modules.find(item.text);
      if (it == modules.end()) {
        std::string names;
        for (const auto& [name, _] : modules) names += (names.empty() ? "" : ", ") + name;
        diags_.report(Code::E0109, item.span, fmt::format("there is no stdlib module `{}`", item.text),
                      fmt::format("stdlib modules: {}; import a file of your own with a string path", names));
        return;
      }
      text = it->second;
    } else {
      if (item.has_interpolation() || item.parts().size() > 1) {
        diags_.report(Code::E0102, item.span, "an import path cannot interpolate parameters");
        return;
      }
      const std::string rel(item.parts().empty() ? std::string_view() : item.parts().front().text);
      // Lexical normalisation only (no disk access): `./a.egress` and `x/../a.egress` are one module.
      path = std::filesystem::path(!rel.empty() && rel.front() == '/' ? rel : directory_of(sources_.path(from)) + rel)
                 .lexically_normal()
                 .string();
      key = "file:" + path;
    }
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i] != key) continue;
      std::string chain;
      for (std::size_t j = i; j < stack_.size(); ++j) chain += stack_[j].substr(stack_[j].find(':') + 1) + " -> ";
      chain += path;
      diags_.report(Code::E0110, item.span, fmt::format("import cycle: {}", chain),
                    "move what both modules need into a third one");
      return;
    }
    if (loaded_.count(key)) return;
    if (stack_.size() >= kMaxImportDepth) {
      diags_.report(Code::E0110, item.span, "imports are nested too deeply", "flatten the chain of imports");
      return;
    }
    if (item.kind == syntax::ItemKind::string) {
      std::optional<std::string> content = options_.read_file ? options_.read_file(path) : std::nullopt;
      if (!content) {
        diags_.report(Code::E0109, item.span, fmt::format("cannot read module \"{}\"", path),
                      "the path is relative to the importing file; it must name a readable .egress file");
        return;
      }
      text = std::move(*content);
    }
    load(sources_.add(path, std::move(text)), key);
  }

  // Counts the user's source (not the stdlib) against Options::max_source_bytes before parsing it.
  bool within_size_limit(std::uint32_t file, const std::string& key) {
    if (key.rfind("stdlib:", 0) == 0) return true;
    source_bytes_ += sources_.text(file).size();
    if (source_bytes_ <= options_.max_source_bytes) return true;
    diags_.report(Code::E0008, Span{file, 0, 0},
                  fmt::format("the program's source is larger than {}, the most egressc reads, with this file",
                              mebibytes(options_.max_source_bytes)),
                  "Azure takes at most 20,000 source/destination pairs per firewall, a few MB of egress: is this file "
                  "generated by mistake? If not, raise the cap: `egressc build FILE --max-input-mib N` (or `check`), N in MiB up to 4095");
    return false;
  }

  SourceManager& sources_;
  const Options& options_;
  Diagnostics& diags_;
  std::size_t source_bytes_ = 0;
  std::map<std::string, bool> loaded_;
  std::vector<std::string> stack_;
  std::vector<std::unique_ptr<syntax::File>> files_;
  std::vector<bool> parse_errors_;  // by file in files_: its parse reported an error
};

/// The envs as written (each name once, with where it is first declared), read before elaboration: the CLI needs
/// their names to check each or to suggest one, and the selected env's name is noted on every diagnostic.
std::vector<std::pair<std::string, Span>> declared_envs(const std::vector<const syntax::File*>& files) {
  std::vector<std::pair<std::string, Span>> out;
  for (const auto* file : files)
    for (const auto& s : file->statements)
      if (s.head.text == "env" && !s.items.empty() && s.items[0].kind == syntax::ItemKind::word &&
          std::none_of(out.begin(), out.end(), [&](const auto& e) { return e.first == s.items[0].text; }))
        out.emplace_back(s.items[0].text, s.items[0].span);
  return out;
}

// The phase names of --time-phases for the emitters (literals: PhaseTimes::Scope keeps a view).
std::string_view emit_phase(Target t) {
  switch (t) {
    case Target::arm: return "emit arm";
    case Target::bicep: return "emit bicep";
    case Target::az: return "emit az";
    case Target::k8s: return "emit k8s";
  }
  return "emit";
}

/// Puts each emitted file in Result::outputs whole, or streams it to Options::sink as it is written (the entry in
/// Result::outputs then only names it).
class OutputWriter final : public emit::TextSink {
 public:
  OutputWriter(Result& result, OutputSink* sink) : result_(result), sink_(sink) {}

  /// A file whose text `write` hands to a TextSink.
  template <class Write>
  void file(Target target, std::string filename, Write write) {
    result_.outputs.push_back({target, std::move(filename), {}});
    if (sink_ != nullptr) sink_->begin(target, result_.outputs.back().filename);
    write(static_cast<emit::TextSink&>(*this));
    if (sink_ != nullptr) sink_->end();
  }
  void text_file(Target target, std::string filename, std::string_view text) {
    file(target, std::move(filename), [&](emit::TextSink& out) { out.append(text); });
  }

  void append(std::string_view text) override {
    if (sink_ != nullptr) sink_->append(text);
    else result_.outputs.back().content += text;
  }

 private:
  Result& result_;
  OutputSink* sink_;
};

/// Every target asked for, in order, each file written as its emitter walks the IR; then the env's parameter files.
void emit_targets(Result& result, const ir::Deployment& ir, const Options& options) {
  const emit::EmitOptions eo{options.stem, std::string(version())};
  OutputWriter out(result, options.sink);
  for (auto target : options.targets) {
    PhaseTimes::Scope timed_emit(options.phase_times, emit_phase(target));
    const std::string main_file = options.stem + std::string(target_extension(target));
    switch (target) {
      case Target::arm: out.file(target, main_file, [&](emit::TextSink& s) { emit::arm(ir, eo, s); }); break;
      case Target::bicep: {
        out.file(target, main_file, [&](emit::TextSink& s) { emit::bicep(ir, eo, s); });
        // Several resource groups: the Bicep modules, each a file of its own beside the main one.
        const auto modules = emit::bicep_module_files(ir, eo);
        for (std::size_t u = 0; u < modules.size(); ++u)
          out.file(target, modules[u], [&](emit::TextSink& s) { emit::bicep_module(ir, eo, u, s); });
        break;
      }
      case Target::az: {
        // The script, then the templates it deploys large rule sets from (emit/azcli/plan_bulk.cpp): each the ARM
        // emitter's walk of its resource, written out as it goes like the ARM template.
        const auto az = emit::azcli_outputs(ir, eo, options.az_bulk_threshold);
        out.text_file(target, main_file, az.script);
        for (const auto& t : az.templates)
          out.file(target, t.filename, [&](emit::TextSink& s) { emit::arm_resource_template(ir, eo, t.resource, s); });
        break;
      }
      case Target::k8s:
        // One manifest per cluster when there are several (emit::k8s_manifests), else `<stem>.yaml`.
        for (const auto& m : emit::k8s_manifests(ir, eo)) out.text_file(target, m.filename, m.content);
        break;
    }
  }
  if (options.env.empty()) return;
  // The parameter files of the selected env, beside the template they feed (`az deployment group create
  // --parameters`, `bicep build-params`): only for the targets asked for.
  const auto asked = [&](Target t) { return std::find(options.targets.begin(), options.targets.end(), t) != options.targets.end(); };
  const std::string base = options.stem + "." + options.env;
  if (asked(Target::arm)) out.text_file(Target::arm, base + ".parameters.json", emit::arm_parameters(ir, eo));
  if (asked(Target::bicep)) out.text_file(Target::bicep, base + ".bicepparam", emit::bicep_parameters(ir, eo));
}

/// Options::free_memory off: moves `object` to the heap and keeps it there until the process exits instead of
/// letting it be destroyed at the end of run() (the moved-from husk left behind is empty and cheap to destroy).
/// clang's driver does the same with -disable-free. The list is reachable from a static, so leak checkers
/// (LeakSanitizer, valgrind) see the objects as still in use, not leaked.
template <class T>
void keep_until_exit(T& object) {
  static auto* const kept = new std::vector<const void*>;
  kept->push_back(new T(std::move(object)));
}

/// The pipeline. `kept` (check_keeping()): where the trees and the checked program go instead of being freed.
Result run(SourceManager& sources, std::uint32_t main_file, const Options& options, bool emit_outputs,
           api::Checked* kept = nullptr) {
  Result result;
  Diagnostics& diags = result.diagnostics;
  Loader loader(sources, options, diags);
  loader.load(main_file, "file:" + std::filesystem::path(sources.path(main_file)).lexically_normal().string());
  loader.load_prelude();
  const auto envs = declared_envs(loader.files());
  for (const auto& e : envs) result.envs.push_back(e.first);
  const auto selected = std::find_if(envs.begin(), envs.end(), [&](const auto& e) { return e.first == options.env; });
  if (!options.env.empty() && selected == envs.end()) {
    result.unknown_env = true;
    if (kept != nullptr) loader.hand_over(*kept);
    return result;
  }
  // `egressc check` of a program with envs: each env's values, never the defaults (elaborating them too would
  // cost one more whole check, to be thrown away).
  if (options.every_env && options.env.empty() && !envs.empty() && !emit_outputs && kept == nullptr && !diags.has_errors()) {
    Options each = options;
    each.every_env = false;
    check_every_env(result, sources, main_file, each);
    return result;
  }
  // Every diagnostic of a program checked with an env's values says so (`egressc check` checks every env).
  std::optional<ContextScope> env_note;
  if (!options.env.empty()) env_note.emplace(diags, Note{selected->second, api::env_note_message(options.env)});
  PhaseTimes* const times = options.phase_times;
  if (!diags.has_errors()) {
    sema::Catalog catalog;
    auto program = timed(times, "elaborate", [&] { return sema::elaborate(loader.files(), sources, catalog, diags, options.env); });
    if (kept == nullptr) loader.drop_trees();
    if (!diags.has_errors()) {
      PhaseTimes::Scope timed_checks(times, "model checks");
      lower::allocate_load_balancer_ips(program, diags);
      if (!diags.has_errors()) model::check(program, catalog, diags);
      // What the script cannot express: only when it is built (ARM and Bicep alone deploy such a design).
      const bool az = std::find(options.targets.begin(), options.targets.end(), Target::az) != options.targets.end();
      if (!diags.has_errors() && az) model::check_az_target(program, diags);
    }
    if (!diags.has_errors() && !emit_outputs) {
      // check() writes nothing: of lowering it needs only the creation order, the one step that reports an
      // error (E0114). Building the IR would cost as much as elaborating again (docs/performance.md).
      PhaseTimes::Scope timed_order(times, "lower");
      lower::check_creation_order(program, diags);
    } else if (!diags.has_errors()) {
      auto ir = timed(times, "lower", [&] { return lower::lower(program, diags); });
      if (options.strict) diags.promote_warnings();
      if (!diags.has_errors() && emit_outputs) emit_targets(result, ir, options);
      if (!options.free_memory) keep_until_exit(ir);
    }
    if (kept != nullptr) {
      kept->elaborated = true;
      kept->program = std::move(program);
      kept->catalog = std::move(catalog);
    }
    if (!options.free_memory) keep_until_exit(program);
  }
  env_note.reset();
  if (kept != nullptr) loader.hand_over(*kept);
  if (!options.free_memory) keep_until_exit(loader);
  if (options.strict) diags.promote_warnings();
  diags.sort_and_dedupe();
  if (diags.has_errors()) result.outputs.clear();
  return result;
}

}  // namespace

Result compile(SourceManager& sources, std::uint32_t main_file, const Options& options) {
  return run(sources, main_file, options, true);
}

Result check(SourceManager& sources, std::uint32_t main_file, const Options& options) {
  return run(sources, main_file, options, false);
}

// ---- api/analyse.hpp: the same pipeline up to the checks, keeping the program for explain and graph.
namespace api {

std::unique_ptr<Analysis> analyse(SourceManager& sources, std::uint32_t main_file, const Options& options) {
  auto a = std::make_unique<Analysis>();
  Loader loader(sources, options, a->diagnostics);
  loader.load(main_file, "file:" + std::filesystem::path(sources.path(main_file)).lexically_normal().string());
  loader.load_prelude();
  const auto envs = declared_envs(loader.files());
  for (const auto& e : envs) a->envs.push_back(e.first);
  const auto selected = std::find_if(envs.begin(), envs.end(), [&](const auto& e) { return e.first == options.env; });
  if (!options.env.empty() && selected == envs.end()) {
    a->unknown_env = true;
    return a;
  }
  std::optional<ContextScope> env_note;
  if (!options.env.empty())
    env_note.emplace(a->diagnostics, Note{selected->second, env_note_message(options.env)});
  if (!a->diagnostics.has_errors()) a->program = sema::elaborate(loader.files(), sources, a->catalog, a->diagnostics, options.env);
  if (!a->diagnostics.has_errors()) lower::allocate_load_balancer_ips(a->program, a->diagnostics);
  if (!a->diagnostics.has_errors()) {
    a->usable = true;
    model::check(a->program, a->catalog, a->diagnostics);
  }
  env_note.reset();
  a->diagnostics.sort_and_dedupe();
  return a;
}

Checked check_keeping(SourceManager& sources, std::uint32_t main_file, const Options& options) {
  Checked kept;
  kept.result = run(sources, main_file, options, false, &kept);
  return kept;
}

}  // namespace api

}  // namespace egress
