// check_every_env() (egress/compiler.hpp): a program with envs checked once per env, each diagnostic once.
// Shared by `egressc check` without --env and the language server, so that both report the same thing.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "api/analyse.hpp"
#include "egress/compiler.hpp"

namespace egress {

// A diagnostic found in several envs is kept once, with a note naming each env (the notes context the library
// adds); they are compared by file path, position, code and message, since every run loads the imports again
// under new file ids.
void check_every_env(Result& result, SourceManager& sources, std::uint32_t main_file, Options options) {
  using Key = std::tuple<std::string, std::uint32_t, std::uint32_t, Code, std::string>;
  const auto key = [&](const Diagnostic& d) {
    return Key{sources.path(d.span.file), d.span.offset, d.span.length, d.code, d.message};
  };
  std::vector<Diagnostic> merged;
  std::map<Key, std::size_t> at;
  const bool strict = options.strict;
  options.strict = false;  // promoted once, below, so that every report() counts a diagnostic at its own severity
  for (const auto& env : result.envs) {
    options.env = env;
    const auto r = check(sources, main_file, options);
    for (const auto& d : r.diagnostics.all()) {
      auto [it, fresh] = at.try_emplace(key(d), merged.size());
      if (fresh) {
        merged.push_back(d);
        continue;
      }
      // The other notes are the first run's again (under other file ids for the imports): only the env's is new.
      for (const auto& n : d.notes)
        if (n.message.rfind(api::kEnvNotePrefix, 0) == 0) merged[it->second].notes.push_back(n);
    }
  }
  Diagnostics all;
  for (const auto& d : merged) {
    auto& added = all.report(d.code, d.span, d.message, d.hint);
    added.notes = d.notes;
    added.fixits = d.fixits;
  }
  if (strict) all.promote_warnings();
  all.sort_and_dedupe();
  result.diagnostics = std::move(all);
}

}  // namespace egress
