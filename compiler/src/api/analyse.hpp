// The pipeline up to the checks, keeping the checked program: for tools that look at the model itself
// (`egressc explain`, `egressc graph`). Embedders use egress::check() and egress::compile().
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "egress/compiler.hpp"
#include "sema/catalog.hpp"
#include "sema/program.hpp"

namespace egress::api {

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

}  // namespace egress::api
