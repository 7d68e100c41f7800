// Command lines of the generated script: see command.hpp.
#include "emit/azcli/command.hpp"

namespace egress::emit::bash {

namespace {
constexpr std::size_t kWrap = 100;
constexpr const char* kContinuation = " \\\n    ";
}  // namespace

std::string fixed_token(const std::string& token) {
  return sh::is_bare(token) ? token : sh::single_quote(token);
}

Command& Command::opt(std::string flag, sh::Word value) {
  // A literal value that begins with '-' would be read by az as an option: bind it with '='.
  if (value.is_literal() && value.starts_with_dash()) {
    args_.push_back({std::move(flag) + "=" + value.render(), {}});
    return *this;
  }
  args_.push_back({std::move(flag), {value.render()}});
  return *this;
}

Command& Command::opts(std::string flag, const std::vector<sh::Word>& values) {
  if (values.empty()) return *this;
  if (values.size() == 1) return opt(std::move(flag), values.front());
  Arg a{std::move(flag), {}};
  for (const auto& v : values) a.values.push_back(v.render());
  args_.push_back(std::move(a));
  return *this;
}

Command& Command::opt_fixed(std::string flag, std::string token) {
  args_.push_back({std::move(flag), {fixed_token(token)}});
  return *this;
}

Command& Command::flag(std::string flag) {
  args_.push_back({std::move(flag), {}});
  return *this;
}

std::string Command::render(const std::string& capture) const {
  std::string out = capture.empty() ? head_ : capture + "=$(" + head_;
  // Width of the current physical line; a value holding a newline restarts it.
  auto line_width = [&out] {
    auto nl = out.rfind('\n');
    return nl == std::string::npos ? out.size() : out.size() - nl - 1;
  };
  for (const auto& a : args_) {
    std::string unit = a.flag;
    for (const auto& v : a.values) unit += " " + v;
    if (line_width() + 1 + unit.size() > kWrap)
      out += kContinuation;
    else
      out += " ";
    out += unit;
  }
  if (!capture.empty()) out += ")";
  return out;
}

}  // namespace egress::emit::bash
