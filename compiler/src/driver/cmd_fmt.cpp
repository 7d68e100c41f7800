// `egressc fmt [FILE...|-] [--check | -w]`: the canonical layout (format/format.hpp).
//   no flag: prints the formatted file to stdout (one file, or stdin for `-` or no file);
//   --check: prints the name of every file that is not formatted, and exits 1 if there is one;
//   -w, --write: rewrites the files that are not formatted, each atomically (temporary file + rename).
// A file with syntax errors is never formatted: its diagnostics go to stderr and the exit status is 1.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "driver/commands.hpp"
#include "driver/files.hpp"
#include "format/format.hpp"

namespace egress::driver {

namespace {

std::string read_stdin() {
  std::ios::sync_with_stdio(false);
  std::cin >> std::noskipws;
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

/// Replaces `path` with `content` through a temporary file in the same folder, keeping the file's mode.
/// A symbolic link is followed, so the file it points to is rewritten. Returns an error message or "".
std::string write_atomically(const std::string& path, const std::string& content) {
  std::string target = path;
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    target = real;
    std::free(real);
  }
  struct stat st {};
  const mode_t mode = ::stat(target.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
  const auto slash = target.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : target.substr(0, slash);
  const std::string base = slash == std::string::npos ? target : target.substr(slash + 1);
  std::string tmp = dir + "/." + base + ".fmt-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return std::strerror(errno);
  std::string err;
  std::size_t done = 0;
  while (done < content.size() && err.empty()) {
    const auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno != EINTR) err = std::strerror(errno);
      continue;
    }
    done += static_cast<std::size_t>(n);
  }
  if (err.empty() && ::fsync(fd) != 0) err = std::strerror(errno);
  if (err.empty() && ::fchmod(fd, mode) != 0) err = std::strerror(errno);
  if (::close(fd) != 0 && err.empty()) err = std::strerror(errno);
  if (err.empty() && ::rename(tmp.c_str(), target.c_str()) != 0) err = std::strerror(errno);
  if (!err.empty()) ::unlink(tmp.c_str());
  return err;
}

int usage(const std::string& message) {
  fmt::print(stderr, "egressc fmt: {}\nusage: egressc fmt [FILE...|-] [--check | -w]\n", message);
  return 2;
}

}  // namespace

int run_fmt(const std::vector<std::string>& args) {
  bool check = false, write = false;
  std::vector<std::string> files;
  for (const auto& a : args) {
    if (a == "--check") check = true;
    else if (a == "-w" || a == "--write") write = true;
    else if (a == "-h" || a == "--help") {
      fmt::print("usage: egressc fmt [FILE...|-] [--check | -w]\n"
                 "  prints FILE (or stdin) in the canonical layout; --check lists files that are not formatted\n"
                 "  (exit 1 if any); -w rewrites them in place\n");
      return 0;
    } else if (a.size() > 1 && a[0] == '-') return usage(fmt::format("unknown option '{}'", a));
    else files.push_back(a);
  }
  if (check && write) return usage("--check and --write exclude each other");
  if (files.empty()) files.push_back("-");
  if (files.size() > 1 && !check && !write) return usage("several files need --check or --write");
  int status = 0;
  for (const auto& file : files) {
    const bool is_stdin = file == "-";
    if (is_stdin && write) return usage("--write needs a file, not stdin");
    std::string text;
    if (is_stdin) {
      text = read_stdin();
    } else {
      std::string error;
      auto content = read_file(file, &error);
      if (!content) {
        fmt::print(stderr, "egressc: error: cannot read {}: {}\n", file, error);
        status = 1;
        continue;
      }
      text = std::move(*content);
    }
    SourceManager sources;
    const std::string display = is_stdin ? "<stdin>" : file;
    const auto id = sources.add(display, text);
    Diagnostics diags;
    auto formatted = format::format_file(sources, id, diags);
    if (!formatted) {
      print_diagnostics(diags, sources);
      status = 1;
      continue;
    }
    if (check) {
      if (*formatted != text) {
        fmt::print("{}\n", display);
        status = 1;
      }
    } else if (write) {
      if (*formatted == text) continue;
      if (auto err = write_atomically(file, *formatted); !err.empty()) {
        fmt::print(stderr, "egressc: error: cannot write {}: {}\n", file, err);
        status = 1;
      }
    } else {
      std::fwrite(formatted->data(), 1, formatted->size(), stdout);
    }
  }
  std::fflush(stdout);
  return status;
}

}  // namespace egress::driver
