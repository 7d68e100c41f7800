// What the commands that look at the model itself (explain, graph) share: taking the one input file from
// the command line, and reading and analysing it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "api/analyse.hpp"

namespace egress::driver {

/// Takes `arg`, which is no option the command knows, as the input file. Returns the usage error to report
/// (an unknown option, or a second input file), or "" when `arg` became `file`.
std::string take_input_file(const std::string& arg, std::string& file);

/// Reads `file` into `sources` and analyses it as `egressc check` would, under the default source cap, with the
/// values of `env` (the program's `env NAME`; empty: every default). When the file cannot be read or the
/// network model cannot be built from it, prints why (the error, or the diagnostics), sets `status` to 1 and
/// returns nullptr; when `env` names no env of the program, prints the usage error and sets `status` to 2.
/// The analysis refers into `sources`.
std::unique_ptr<api::Analysis> load_usable_analysis(const std::string& file, SourceManager& sources,
                                                    const std::string& env, int& status);

/// The usage error for `--env NAME` naming no env of the program: the program's envs, and the closest one.
std::string unknown_env_message(const std::string& env, const std::vector<std::string>& envs);

/// Takes `--env NAME` or `--env=NAME` at args[i] (advancing i past the value). Returns false when args[i] is
/// not that option; sets `error` when it is but has no name.
bool take_env_option(const std::vector<std::string>& args, std::size_t& i, std::string& env, std::string& error);

}  // namespace egress::driver
