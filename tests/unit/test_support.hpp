// Helpers shared by the tests: compile a file from disk, read and write files, render diagnostics.
#pragma once
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "egress/compiler.hpp"

namespace egress::testing {

inline std::string source_dir() { return EGRESS_SOURCE_DIR; }

inline std::optional<std::string> slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << text;
}

/// Set EGRESS_UPDATE_GOLDEN=1 (tests/update-golden.sh does) to rewrite expectations instead of comparing.
inline bool updating_golden() {
  const char* v = std::getenv("EGRESS_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

struct Compiled {
  SourceManager sources;
  Result result;
  std::string rendered;  // every diagnostic, rendered, with paths relative to the source dir
};

/// Compiles `path` (relative to the source dir) as egressc would; `display` is the name shown in output.
inline Compiled compile_file(const std::string& path, bool emit = true, bool strict = false) {
  Compiled c;
  const auto text = slurp(source_dir() + "/" + path).value_or("");
  const auto id = c.sources.add(path, text);
  Options o;
  o.strict = strict;
  std::string stem = path.substr(path.find_last_of('/') + 1);
  stem = stem.substr(0, stem.rfind('.'));
  o.stem = stem;
  const std::string base = source_dir() + "/";
  o.read_file = [base](const std::string& p) { return slurp(p.rfind('/', 0) == 0 ? p : base + p); };
  c.result = emit ? compile(c.sources, id, o) : check(c.sources, id, o);
  for (const auto& d : c.result.diagnostics.all()) c.rendered += render(d, c.sources);
  return c;
}

}  // namespace egress::testing
