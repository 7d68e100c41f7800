// Bash variable names for the generated script: made from egress names, kept off the variables bash and the
// tools read, unique within one script.
#include "emit/azcli/names.hpp"

#include <algorithm>
#include <vector>

namespace egress::emit::bash {

bool reserved_name(const std::string& n) {
  static const std::set<std::string> kExact = {
      "CDPATH", "COLUMNS", "DIRSTACK", "DISPLAY", "EDITOR", "ENV", "EPOCHREALTIME", "EPOCHSECONDS", "EUID",
      "FCEDIT", "FUNCNAME", "GLOBIGNORE", "GROUPS", "HOME", "HOSTNAME", "HOSTTYPE", "IFS", "IGNOREEOF",
      "INPUTRC", "KUBECONFIG", "LANG", "LANGUAGE", "LINENO", "LINES", "LOGNAME", "MACHTYPE", "MAIL", "MAILPATH",
      "OLDPWD", "OPTARG", "OPTERR", "OPTIND", "OSTYPE", "PAGER", "PATH", "PIPESTATUS", "PPID", "PROMPT_COMMAND",
      "PS1", "PS2", "PS3", "PS4", "PWD", "RANDOM", "REPLY", "SCRIPT_DIR", "SECONDS", "SHELL", "SHELLOPTS",
      "SHLVL", "SRANDOM", "TERM", "TIMEFORMAT", "TMPDIR", "TZ", "UID", "USER", "_"};
  static const std::vector<std::string> kPrefixes = {"BASH", "LC_", "AZURE_", "AZ_", "COMP_", "READLINE_", "HIST",
                                                     "KUBE", "PYTHON", "REQUESTS_", "SSL_", "HTTP", "NO_PROXY"};
  if (kExact.count(n) != 0) return true;
  return std::any_of(kPrefixes.begin(), kPrefixes.end(), [&](const std::string& p) { return n.rfind(p, 0) == 0; });
}

// "aks-subnet" -> "AKS_SUBNET": upper case, runs of other characters as one '_', no '_' at either end.
std::string upper_stem(const std::string& s) {
  std::string out;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += static_cast<char>((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

// upper_stem, cut to at most `max` characters at a '_' where possible, so odd names still give short variables.
std::string short_stem(const std::string& s, std::size_t max) {
  auto out = upper_stem(s);
  if (out.size() <= max) return out;
  auto cut = out.rfind('_', max);
  out.resize(cut != std::string::npos && cut > 0 ? cut : max);
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

/// A fresh variable name close to `want` (made valid, kept off bash's and the tools' own variables).
std::string Names::claim(std::string want) {
  // Off the names bash and the tools read (PATH, KUBECONFIG, AZURE_*, ...): a prefix, as no suffix helps
  // against a reserved prefix.
  if (want.empty() || (want.front() >= '0' && want.front() <= '9') || reserved_name(want)) want = "EGRESS_" + want;
  std::string name = want;
  for (int n = 2; taken_.count(name) != 0 || reserved_name(name); ++n) name = want + "_" + std::to_string(n);
  taken_.insert(name);
  return name;
}

// The literal parts of a name ("${prefix}-fwrn" -> "FWRN"), or `fallback` when they hold no letters.
std::string stem_of(const ir::Text& t, const std::string& fallback) {
  std::string lit;
  for (const auto& p : t.parts)
    if (!p.param) lit += p.text + "-";
  auto s = short_stem(lit);
  return s.empty() ? fallback : s;
}

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace egress::emit::bash
