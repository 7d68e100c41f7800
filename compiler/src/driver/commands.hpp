// Subcommands beyond build and check, each in a file of its own (fmt, lsp, graph, explain ...).
#pragma once
#include <string>
#include <vector>

#include "egress/diagnostic.hpp"

namespace egress::driver {

struct Command {
  const char* name;
  int (*run)(const std::vector<std::string>& args);
};

/// The registered extra commands. Add a command by adding its entry in commands.cpp.
const std::vector<Command>& extra_commands();

/// Prints diagnostics and the "N errors, M warnings" summary to stderr.
void print_diagnostics(const Diagnostics& diags, const SourceManager& sources);

}  // namespace egress::driver
