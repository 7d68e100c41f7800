// Analysis of a document: check() for the diagnostics (for a program with envs, check_every_env(), as `egressc
// check` does), keeping the trees and the checked program it built for the index (api::check_keeping), which
// is built later, by the first request that reads it.
// Elaboration runs even when the file has errors, so hover and the outline keep working.
#include "lsp/analysis.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <string>

#include "api/analyse.hpp"
#include "lower/lower.hpp"
#include "parse/parse.hpp"
#include "sema/elaborate.hpp"

namespace egress::lsp {

namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

bool is_stdlib(const std::string& path) { return path.rfind("<stdlib>/", 0) == 0; }

/// The trees check() parsed, one per file id from the main file on; when a file was not parsed (over the size
/// cap), every file is parsed again here instead, errors and all.
void take_trees(Analysis& a, api::Checked& checked) {
  if (checked.trees.size() == a.sources.size() - a.main) {
    a.trees = std::move(checked.trees);
    a.main_parses = !checked.parse_errors.front();
    return;
  }
  for (std::uint32_t id = a.main; id < a.sources.size(); ++id) {
    Diagnostics parse_diags;
    a.trees.push_back(std::make_unique<syntax::File>(parse::parse(a.sources, id, parse_diags)));
    if (id == a.main) a.main_parses = !parse_diags.has_errors();
  }
}

/// The program check() elaborated; when an earlier error (a syntax error, an import) stopped check() before
/// elaboration, it is elaborated here anyway, so that hover and the outline keep working.
void take_program(Analysis& a, api::Checked& checked, const std::vector<const syntax::File*>& files) {
  if (checked.elaborated) {
    a.program = std::move(checked.program);
    a.catalog = std::move(checked.catalog);
    return;
  }
  Diagnostics scratch;
  try {
    a.program = sema::elaborate(files, a.sources, a.catalog, scratch);
    if (!scratch.has_errors()) lower::allocate_load_balancer_ips(a.program, scratch);
  } catch (const std::exception&) {
    a.program = sema::Program{};  // the index still has the syntax
  }
}

}  // namespace

const Index& Analysis::index() const {
  if (index_ == nullptr) {
    std::vector<const syntax::File*> files;
    for (const auto& t : trees) files.push_back(t.get());
    auto built = std::make_unique<Index>();
    built->build(files, program);
    index_ = std::move(built);
  }
  return *index_;
}

std::unique_ptr<Analysis> analyze(const std::string& uri, const std::string& path, std::string text,
                                  const FileReader& read_file) {
  const auto started = std::chrono::steady_clock::now();
  auto a = std::make_unique<Analysis>();
  a->uri = uri;
  a->path = path;
  a->main = a->sources.add(path, std::move(text));

  Options options;
  options.targets.clear();
  options.read_file = [&a, &read_file](const std::string& p) -> std::optional<std::string> {
    a->dependencies.push_back(p);
    return read_file ? read_file(p) : std::nullopt;
  };
  auto checked = api::check_keeping(a->sources, a->main, options);
  if (!checked.result.envs.empty()) {
    // A program with envs is checked as `egressc check` checks it: once per env, each diagnostic once with the
    // envs it arises in (a parameter that only the envs give a value is no error). The runs load the files again,
    // into a scratch manager: the analysis keeps one copy of each file, and spans are moved to it by path.
    SourceManager each;
    const auto id = each.add(path, std::string(a->sources.text(a->main)));
    Options quiet = options;
    quiet.read_file = read_file;
    check_every_env(checked.result, each, id, quiet);
    std::map<std::string, std::uint32_t> ids;
    for (std::uint32_t f = 0; f < a->sources.size(); ++f) ids.emplace(a->sources.path(f), f);
    const auto move = [&](Span& s) {
      const auto it = ids.find(each.path(s.file));
      s.file = it != ids.end() ? it->second : a->main;
    };
    Diagnostics moved;
    for (auto d : checked.result.diagnostics.all()) {
      move(d.span);
      for (auto& n : d.notes) move(n.span);
      for (auto& f : d.fixits) move(f.span);
      auto& added = moved.report(d.code, d.span, d.message, d.hint);
      added.notes = std::move(d.notes);
      added.fixits = std::move(d.fixits);
    }
    moved.sort_and_dedupe();
    checked.result.diagnostics = std::move(moved);
  }
  a->diagnostics = std::move(checked.result.diagnostics);
  take_trees(*a, checked);
  std::vector<const syntax::File*> files;
  for (const auto& t : a->trees) files.push_back(t.get());
  take_program(*a, checked, files);

  for (std::uint32_t id = 0; id < a->sources.size(); ++id) {
    a->lines.emplace_back(a->sources.text(id));
    const auto& p = a->sources.path(id);
    a->file_uris.push_back(id == a->main ? uri : is_stdlib(p) ? std::string() : path_to_uri(p));
  }

  // Which import of the main file brought in each other file: loading is depth first, so the files an
  // import loads are the ids from its own file up to the next import's.
  std::vector<std::pair<std::uint32_t, Span>> starts;
  for (const auto& s : a->main_tree().statements) {
    if (s.head.text != "import" || s.items.size() != 1) continue;
    const auto& item = s.items[0];
    std::string target;
    if (item.kind == syntax::ItemKind::word) {
      target = "<stdlib>/" + std::string(item.text) + ".egress";
    } else if (item.kind == syntax::ItemKind::string && item.parts().size() == 1 && !item.parts()[0].interpolation) {
      const std::string rel(item.parts()[0].text);
      target = !rel.empty() && rel.front() == '/' ? rel : directory_of(path) + rel;
    } else {
      continue;
    }
    for (std::uint32_t id = a->main + 1; id < a->sources.size(); ++id)
      if (a->sources.path(id) == target) {
        starts.emplace_back(id, item.span);
        break;
      }
  }
  std::sort(starts.begin(), starts.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (std::uint32_t id = a->main + 1; id < a->sources.size(); ++id) {
    const std::pair<std::uint32_t, Span>* owner = nullptr;
    for (const auto& s : starts)
      if (s.first <= id) owner = &s;
    if (owner == nullptr) continue;
    // The prelude is loaded last, by no import (unless one names it).
    const auto& file = a->sources.path(id);
    if ((file == "<stdlib>/azure.egress" || file == "<stdlib>/registries.egress") && owner->first != id) continue;
    a->imported_by[id] = owner->second;
  }
  a->milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return a;
}

}  // namespace egress::lsp
