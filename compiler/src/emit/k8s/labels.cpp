// App labels: see labels.hpp.
#include "emit/k8s/labels.hpp"

#include <algorithm>
#include <set>

namespace egress::emit::kube {

namespace {

constexpr std::size_t kLabelMax = 63;

bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// A label value: at most 63 of [A-Za-z0-9_.-], beginning and ending with an alphanumeric character.
std::string trim_to_label(std::string s, std::size_t max) {
  if (s.size() > max) s.resize(max);
  while (!s.empty() && !alnum(s.back())) s.pop_back();
  auto first = std::find_if(s.begin(), s.end(), alnum);
  s.erase(s.begin(), first);
  return s;
}

std::string sanitize(const std::string& symbol) {
  std::string s;
  for (char c : symbol) s += (alnum(c) || c == '_' || c == '.' || c == '-') ? c : '-';
  s = trim_to_label(s, kLabelMax);
  return s.empty() ? "app" : s;
}

}  // namespace

std::vector<std::string> app_label_values(const ir::Deployment& d) {
  std::vector<std::string> out;
  std::set<std::string> taken;
  for (const auto& app : d.apps) {
    std::string base = sanitize(app.symbol);
    std::string v = base;
    for (int n = 2; taken.count(v) != 0; ++n) {
      std::string suffix = "-" + std::to_string(n);
      v = trim_to_label(base, kLabelMax - suffix.size()) + suffix;
    }
    taken.insert(v);
    out.push_back(v);
  }
  return out;
}

}  // namespace egress::emit::kube
