// One command line of the generated script (`az ...`, `kubectl ...`), built from fixed tokens and
// sh::Words, rendered with every IR-derived value quoted and long lines continued with ` \`.
#pragma once
#include <string>
#include <vector>

#include "emit/shell_quote.hpp"

namespace egress::emit::bash {

class Command {
 public:
  /// `head`: the fixed words that start the line, e.g. "az network vnet create".
  explicit Command(std::string head) : head_(std::move(head)) {}

  /// `flag value` with a value from the IR (always quoted).
  Command& opt(std::string flag, sh::Word value);
  /// `flag v1 v2 ...` (nargs='+'); nothing when `values` is empty.
  Command& opts(std::string flag, const std::vector<sh::Word>& values);
  /// `flag token` with a token fixed by the emitter (a number, `true`, a JMESPath query).
  Command& opt_fixed(std::string flag, std::string token);
  /// A flag with no value, e.g. `--generate-ssh-keys`.
  Command& flag(std::string flag);

  /// The command as bash text. `capture`: `VAR=$(command)`. Lines wrap before a flag near 100 columns.
  [[nodiscard]] std::string render(const std::string& capture = {}) const;

 private:
  struct Arg {
    std::string flag;
    std::vector<std::string> values;  // already rendered
  };
  std::string head_;
  std::vector<Arg> args_;
};

/// A fixed token: bare when it needs no quoting, else single-quoted.
std::string fixed_token(const std::string& token);

}  // namespace egress::emit::bash
