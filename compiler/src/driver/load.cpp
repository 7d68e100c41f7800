// Reading and analysing one input for explain and graph: see load.hpp.
#include "driver/load.hpp"

#include <fmt/format.h>

#include "driver/commands.hpp"
#include "driver/files.hpp"

namespace egress::driver {

std::string take_input_file(const std::string& arg, std::string& file) {
  if (!arg.empty() && arg[0] == '-') return fmt::format("unknown option '{}'", arg);
  if (!file.empty()) return fmt::format("one input file only (got '{}' and '{}')", file, arg);
  file = arg;
  return {};
}

std::unique_ptr<api::Analysis> load_usable_analysis(const std::string& file, SourceManager& sources) {
  Options options;
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
  if (!analysis->usable) {
    print_diagnostics(analysis->diagnostics, sources);
    return nullptr;
  }
  return analysis;
}

}  // namespace egress::driver
