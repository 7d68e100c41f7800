// What the commands that look at the model itself (explain, graph) share: taking the one input file from
// the command line, and reading and analysing it.
#pragma once
#include <memory>
#include <string>

#include "api/analyse.hpp"

namespace egress::driver {

/// Takes `arg`, which is no option the command knows, as the input file. Returns the usage error to report
/// (an unknown option, or a second input file), or "" when `arg` became `file`.
std::string take_input_file(const std::string& arg, std::string& file);

/// Reads `file` into `sources` and analyses it as `egressc check` would, under the default source cap.
/// When the file cannot be read or the network model cannot be built from it, prints why (the error, or
/// the diagnostics) and returns nullptr: the command exits 1. The analysis refers into `sources`.
std::unique_ptr<api::Analysis> load_usable_analysis(const std::string& file, SourceManager& sources);

}  // namespace egress::driver
