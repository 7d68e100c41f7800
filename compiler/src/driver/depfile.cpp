// Depfiles for build systems: see depfile.hpp.
#include "driver/depfile.hpp"

#include <filesystem>

#include "driver/files.hpp"

namespace egress::driver {
namespace {

std::string escaped(const std::string& path) {
  std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
  std::string out;
  for (const char c : absolute) {
    if (c == ' ' || c == '#' || c == '\\') out += '\\';
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

}  // namespace

std::string make_depfile(const std::vector<std::string>& outputs, const std::vector<std::string>& inputs) {
  std::string text;
  for (const auto& o : outputs) text += (text.empty() ? "" : " ") + escaped(o);
  text += ":";
  for (const auto& i : inputs) text += " \\\n  " + escaped(i);
  return text + "\n";
}

std::string write_depfile(const std::string& path, const std::string& content) {
  const std::filesystem::path p(path);
  const std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  return write_outputs(dir, {Output{Target::arm, p.filename().string(), content}});
}

}  // namespace egress::driver
