// Reading and analysing one input for explain and graph: see load.hpp.
#include "driver/load.hpp"

#include <fmt/format.h>

#include "base/suggest.hpp"
#include "driver/commands.hpp"
#include "driver/files.hpp"

namespace egress::driver {

std::string take_input_file(const std::string& arg, std::string& file) {
  if (!arg.empty() && arg[0] == '-') return fmt::format("unknown option '{}'", arg);
  if (!file.empty()) return fmt::format("one input file only (got '{}' and '{}')", file, arg);
  file = arg;
  return {};
}

std::unique_ptr<api::Analysis> load_usable_analysis(const std::string& file, SourceManager& sources,
                                                    const std::string& env, int& status) {
  status = 1;
  Options options;
  options.env = env;
  const std::size_t limit = options.max_source_bytes;  // the imports are held to the same cap as the file
  std::string error;
  auto text = read_file(file, &error, limit);
  if (!text) {
    fmt::print(stderr, "egressc: error: cannot read {}: {}\n", file, error);
    return nullptr;
  }
  const auto id = sources.add(file, std::move(*text));
  options.read_file = [limit](const std::string& path) { return read_file(path, nullptr, limit); };
  auto analysis = api::analyse(sources, id, options);
  if (analysis->unknown_env) {
    fmt::print(stderr, "egressc: {}\n(run `egressc --help` for usage)\n", unknown_env_message(env, analysis->envs));
    status = 2;
    return nullptr;
  }
  if (!analysis->usable) {
    print_diagnostics(analysis->diagnostics, sources);
    return nullptr;
  }
  status = 0;
  return analysis;
}

std::string unknown_env_message(const std::string& env, const std::vector<std::string>& envs) {
  if (envs.empty()) return fmt::format("--env {}: the program declares no env (`env NAME < PARAM VALUE >`)", env);
  std::string list;
  for (const auto& e : envs) list += (list.empty() ? "" : ", ") + e;
  if (const auto near = closest(env, envs); !near.empty())
    return fmt::format("unknown env '{}'; did you mean '{}'? (the program's envs: {})", env, near, list);
  return fmt::format("unknown env '{}' (the program's envs: {})", env, list);
}

bool take_env_option(const std::vector<std::string>& args, std::size_t& i, std::string& env, std::string& error) {
  const auto& a = args[i];
  if (a == "--env") {
    if (i + 1 < args.size()) env = args[++i];
  } else if (a.rfind("--env=", 0) == 0) {
    env = a.substr(6);
  } else {
    return false;
  }
  if (env.empty()) error = "--env needs the name of one of the program's envs";
  return true;
}

}  // namespace egress::driver
