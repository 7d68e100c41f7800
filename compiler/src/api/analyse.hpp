// The pipeline up to the checks, keeping the checked program: for tools that look at the model itself
// (`egressc explain`, `egressc graph`). Embedders use egress::check() and egress::compile().
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "egress/compiler.hpp"
#include "sema/catalog.hpp"
#include "sema/program.hpp"
#include "syntax/ast.hpp"

namespace egress::api {

/// The note on every diagnostic of a program checked with an env's values: "with the values of env `prod`".
/// check_every_env() recognises it by its prefix when it merges the envs' reports.
inline constexpr std::string_view kEnvNotePrefix = "with the values of env ";
inline std::string env_note_message(std::string_view env) { return std::string(kEnvNotePrefix) + "`" + std::string(env) + "`"; }

struct Analysis {
  Diagnostics diagnostics;  // everything egress::check() would report, sorted
  sema::Catalog catalog;
  sema::Program program;
  /// Parsed, elaborated and given its load-balancer IPs without errors: the network model can be built
  /// (the model checks may still have reported errors, which is what explain and graph help to see).
  bool usable = false;
  /// The names of the program's envs, in source order; Options::env names none of them (nothing was checked).
  std::vector<std::string> envs;
  bool unknown_env = false;
};

/// Loads `main_file` and its imports, elaborates, allocates and runs the model checks, like check(): with
/// Options::env, with that env's values (each diagnostic noted with the env, as check() does).
std::unique_ptr<Analysis> analyse(SourceManager& sources, std::uint32_t main_file, const Options& options);

/// What check() built, handed back instead of freed: for the language server, which needs the diagnostics,
/// the syntax trees and the checked program of every keystroke, and would otherwise parse and elaborate twice.
struct Checked {
  Result result;  // what check() returns
  /// Every file check() parsed, in the order it parsed them: the main file, then its imports depth first,
  /// then the prelude (the order their ids were given in, unless a file was too large to be parsed).
  std::vector<std::unique_ptr<syntax::File>> trees;
  std::vector<bool> parse_errors;  // by tree: its parse reported an error
  /// Elaborated, and given its load-balancer IPs when elaboration reported no error; false when an earlier
  /// error stopped check() first (then program and catalog are empty).
  bool elaborated = false;
  sema::Program program;
  sema::Catalog catalog;
};

/// check(), keeping what it built.
Checked check_keeping(SourceManager& sources, std::uint32_t main_file, const Options& options);

}  // namespace egress::api
