// Bash variable names for the generated script (names.cpp).
#pragma once
#include <set>
#include <string>

#include "lower/ir.hpp"

namespace egress::emit::bash {

/// True for names bash or the tools the script runs read (PATH, KUBECONFIG, AZURE_*, ...).
bool reserved_name(const std::string& n);
/// "aks-subnet" -> "AKS_SUBNET": upper case, runs of other characters as one '_', no '_' at either end.
std::string upper_stem(const std::string& s);
/// upper_stem, cut to at most `max` characters at a '_' where possible.
std::string short_stem(const std::string& s, std::size_t max = 24);
/// The literal parts of a name ("${prefix}-fwrn" -> "FWRN"), or `fallback` when they hold no letters.
std::string stem_of(const ir::Text& t, const std::string& fallback);
std::string lower(std::string s);

class Names {
 public:
  /// A fresh variable name close to `want` (made valid, kept off bash's and the tools' own variables).
  std::string claim(std::string want);

 private:
  std::set<std::string> taken_;
};

}  // namespace egress::emit::bash
