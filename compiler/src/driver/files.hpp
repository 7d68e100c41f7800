// File I/O of the CLI: reading sources and writing outputs all-or-nothing.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "egress/compiler.hpp"

namespace egress::driver {

/// Reads a regular file; nullopt (with `error` set) when it is missing, a directory or unreadable.
std::optional<std::string> read_file(const std::string& path, std::string* error = nullptr);

/// Reads all of standard input.
std::optional<std::string> read_standard_input();

/// Writes every output into `dir` through temporary files that are renamed into place only after all of
/// them were written; if a rename fails, the files already replaced are restored from hard-link backups,
/// so a failure leaves the previous outputs untouched. Returns an error message, or "" on success.
std::string write_outputs(const std::string& dir, const std::vector<Output>& outputs);

}  // namespace egress::driver
