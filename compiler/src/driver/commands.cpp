// The registry of extra subcommands.
#include "driver/commands.hpp"

namespace egress::driver {

const std::vector<Command>& extra_commands() {
  static const std::vector<Command> commands = {};
  return commands;
}

}  // namespace egress::driver
