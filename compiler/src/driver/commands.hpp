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

/// `--diagnostics-format`: text (people; colour on a terminal unless NO_COLOR is set), gcc (problem
/// matchers), json and sarif (programs, on stdout).
enum class DiagnosticsFormat { text, gcc, json, sarif };

/// Prints diagnostics: text and gcc to stderr with the "N errors, M warnings" summary, json and sarif as one
/// document on stdout (also when there is no diagnostic).
void print_diagnostics(const Diagnostics& diags, const SourceManager& sources,
                       DiagnosticsFormat format = DiagnosticsFormat::text);

}  // namespace egress::driver
