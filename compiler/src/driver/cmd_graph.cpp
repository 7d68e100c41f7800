// egressc graph FILE [-o FILE] [--env NAME]: the network model as Graphviz DOT (see docs/network-model.md), of
// the network the program builds with every default or with the values of its `env NAME`.
//   exit 0: the picture was written (model errors are drawn, not fatal); 1: the program does not elaborate,
//   or the output cannot be written; 2: usage (also an env the program does not declare).
#include <fmt/format.h>

#include <fstream>
#include <string>
#include <vector>

#include "driver/files.hpp"
#include "driver/load.hpp"
#include "model/network.hpp"

namespace egress::driver {

namespace {

int usage(const std::string& message) {
  fmt::print(stderr, "egressc: {}\n(run `egressc --help` for usage)\n", message);
  return 2;
}

}  // namespace

int run_graph(const std::vector<std::string>& args) {
  std::string file, out, env;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    std::string env_error;
    if (take_env_option(args, i, env, env_error)) {
      if (!env_error.empty()) return usage(env_error);
    } else if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) return usage("-o needs a file");
      out = args[++i];
    } else if (auto error = take_input_file(a, file); !error.empty()) {
      return usage(error);
    }
  }
  if (file.empty()) return usage("graph needs an input file");
  SourceManager sources;
  int status = 0;
  const auto analysis = load_usable_analysis(file, sources, env, status);
  if (!analysis) return status;
  model::Network network(analysis->program, analysis->catalog);
  network.add_flows(model::cluster_flows(network));
  const std::string dot = model::to_dot(network);
  if (const auto errors = analysis->diagnostics.error_count(); errors > 0)
    fmt::print(stderr, "egressc graph: the program has {} error{} (see `egressc check {}{}`); blocked flows are drawn in red\n",
               errors, errors == 1 ? "" : "s", file, env.empty() ? "" : " --env " + env);
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
