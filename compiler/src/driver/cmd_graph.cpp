// egressc graph FILE [-o FILE]: the network model as Graphviz DOT (see docs/network-model.md).
//   exit 0: the picture was written (model errors are drawn, not fatal); 1: the program does not elaborate,
//   or the output cannot be written; 2: usage.
#include <fmt/format.h>

#include <fstream>
#include <string>
#include <vector>

#include "api/analyse.hpp"
#include "driver/commands.hpp"
#include "driver/files.hpp"
#include "model/network.hpp"

namespace egress::driver {

int run_graph(const std::vector<std::string>& args) {
  std::string file, out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) {
        fmt::print(stderr, "egressc: -o needs a file\n(run `egressc --help` for usage)\n");
        return 2;
      }
      out = args[++i];
    } else if (!a.empty() && a[0] == '-') {
      fmt::print(stderr, "egressc: unknown option '{}'\n(run `egressc --help` for usage)\n", a);
      return 2;
    } else if (file.empty()) {
      file = a;
    } else {
      fmt::print(stderr, "egressc: one input file only (got '{}' and '{}')\n(run `egressc --help` for usage)\n", file, a);
      return 2;
    }
  }
  if (file.empty()) {
    fmt::print(stderr, "egressc: graph needs an input file\n(run `egressc --help` for usage)\n");
    return 2;
  }
  std::string error;
  auto text = read_file(file, &error);
  if (!text) {
    fmt::print(stderr, "egressc: error: cannot read {}: {}\n", file, error);
    return 1;
  }
  SourceManager sources;
  const auto id = sources.add(file, std::move(*text));
  Options options;
  options.read_file = [](const std::string& path) { return read_file(path); };
  const auto analysis = api::analyse(sources, id, options);
  if (!analysis->usable) {
    print_diagnostics(analysis->diagnostics, sources);
    return 1;
  }
  model::Network network(analysis->program, analysis->catalog);
  network.add_flows(model::cluster_flows(network));
  const std::string dot = model::to_dot(network);
  if (const auto errors = analysis->diagnostics.error_count(); errors > 0)
    fmt::print(stderr, "egressc graph: the program has {} error{} (see `egressc check {}`); blocked flows are drawn in red\n",
               errors, errors == 1 ? "" : "s", file);
  if (out.empty()) {
    fmt::print("{}", dot);
    return 0;
  }
  const auto slash = out.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : out.substr(0, slash);
  const std::string name = slash == std::string::npos ? out : out.substr(slash + 1);
  if (auto err = write_outputs(dir, {{Target::arm, name, dot}}); !err.empty()) {
    fmt::print(stderr, "egressc: error[{}]: {}\n", info(Code::E0301).id, err);
    return 1;
  }
  fmt::print("wrote {}\n", out);
  return 0;
}

}  // namespace egress::driver
