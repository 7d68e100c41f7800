// The registry of extra subcommands.
#include "driver/commands.hpp"

namespace egress::driver {

int run_graph(const std::vector<std::string>& args);    // cmd_graph.cpp
int run_explain(const std::vector<std::string>& args);  // cmd_explain.cpp
int run_fmt(const std::vector<std::string>& args);      // cmd_fmt.cpp
int run_lsp(const std::vector<std::string>& args);      // cmd_lsp.cpp

const std::vector<Command>& extra_commands() {
  static const std::vector<Command> commands = {
      {"graph", run_graph},
      {"explain", run_explain},
      {"fmt", run_fmt},
      {"lsp", run_lsp},
  };
  return commands;
}

}  // namespace egress::driver
