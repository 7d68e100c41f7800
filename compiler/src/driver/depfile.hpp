// `egressc build --depfile FILE`: which files a build read, in the Makefile syntax that Ninja, Make and CMake's
// add_custom_command(DEPFILE) understand, so that a build system re-runs egressc exactly when the program or
// one of its imports changed (the stdlib is inside egressc: a new egressc is a dependency of its own).
#pragma once
#include <string>
#include <vector>

namespace egress::driver {

/// "OUT1 OUT2: IN1 IN2\n", each path absolute and escaped for Make (spaces, `#`, `$`).
std::string make_depfile(const std::vector<std::string>& outputs, const std::vector<std::string>& inputs);

/// Writes `content` to `path` all-or-nothing (write_outputs). Returns an error message, or "" on success.
std::string write_depfile(const std::string& path, const std::string& content);

}  // namespace egress::driver
