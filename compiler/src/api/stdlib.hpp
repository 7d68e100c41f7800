// The stdlib modules, embedded at build time from stdlib/*.egress (cmake/embed_stdlib.cmake).
#pragma once
#include <map>
#include <string>

namespace egress {

/// Module name ("aks") -> source text.
const std::map<std::string, std::string, std::less<>>& stdlib_modules();

}  // namespace egress
