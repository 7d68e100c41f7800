// File I/O of the CLI: reading sources and writing outputs all-or-nothing.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "egress/compiler.hpp"

namespace egress::driver {

/// Reads a regular file; nullopt (with `error` set) when it is missing, a directory or unreadable.
/// Reads at most `limit` + 1 bytes: enough for the compiler to see that a file is over its source cap
/// (E0008) without ever holding a 10 GB file in memory.
std::optional<std::string> read_file(const std::string& path, std::string* error = nullptr,
                                     std::size_t limit = kDefaultMaxSourceBytes);

/// Reads standard input, at most `limit` + 1 bytes.
std::optional<std::string> read_standard_input(std::size_t limit = kDefaultMaxSourceBytes);

/// Writes every output into `dir` through temporary files that are renamed into place only after all of
/// them were written; if a rename fails, the files already replaced are restored from hard-link backups,
/// so a failure leaves the previous outputs untouched. Returns an error message, or "" on success.
std::string write_outputs(const std::string& dir, const std::vector<Output>& outputs);

}  // namespace egress::driver
