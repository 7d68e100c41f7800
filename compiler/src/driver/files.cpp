// Reading and writing files; the only place in egress that touches the disk.
#include "driver/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace egress::driver {

namespace {

// Reads until end of file or until `limit` + 1 bytes are in: past the limit the content is refused anyway.
bool read_bounded(std::istream& in, std::size_t limit, std::string& out) {
  const std::size_t want = limit == SIZE_MAX ? limit : limit + 1;
  char chunk[1 << 16];
  while (out.size() < want && in) {
    in.read(chunk, static_cast<std::streamsize>(std::min(sizeof chunk, want - out.size())));
    out.append(chunk, static_cast<std::size_t>(in.gcount()));
  }
  return !in.bad();
}

}  // namespace

std::optional<std::string> read_file(const std::string& path, std::string* error, std::size_t limit) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (error) *error = std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    if (error) *error = S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = std::strerror(errno);
    return std::nullopt;
  }
  std::string text;
  text.reserve(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), limit) + 1);
  if (!read_bounded(in, limit, text)) {
    if (error) *error = "read error";
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> read_standard_input(std::size_t limit) {
  std::string text;
  if (!read_bounded(std::cin, limit, text)) return std::nullopt;
  return text;
}

namespace {

// Writes all of `content` (one write() call for the whole text unless the kernel takes less), then asks the kernel
// to start writing it to the disk now, without waiting: write_outputs() fsyncs every file only once all are
// written, and by then most of the data is on its way. fsync right after each write instead waited for each file's
// data and a journal commit in turn, while nothing else ran (W(10^5), all four targets: five fsyncs of 11-38 ms each;
// docs/performance.md, "emitpath").
std::string write_all(int fd, const std::string& content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    done += static_cast<std::size_t>(n);
  }
#ifdef __linux__
  ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);  // a hint: fsync() below reports any failure
#endif
  return {};
}

// Makes the renames durable: without it a power cut right after egressc exits can bring back the old names.
// Best effort: the outputs are already in place, and some filesystems cannot sync a folder (EINVAL).
void sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string write_outputs(const std::string& dir, const std::vector<Output>& outputs) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT || ::mkdir(dir.c_str(), 0777) != 0)
      return "cannot create output folder " + dir + ": " + std::strerror(errno);
  } else if (!S_ISDIR(st.st_mode)) {
    return "output folder " + dir + " is not a folder";
  }
  std::vector<std::string> temps;
  std::vector<int> fds;  // open until fsynced, all together after the last write (write_all says why)
  auto cleanup = [&] {
    for (int fd : fds) ::close(fd);
    for (const auto& t : temps) ::unlink(t.c_str());
  };
  for (const auto& out : outputs) {
    std::string tmpl = dir + "/." + out.filename + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) {
      const std::string why = std::strerror(errno);
      cleanup();
      return "cannot write " + dir + "/" + out.filename + ": " + why;
    }
    temps.push_back(tmpl);
    fds.push_back(fd);
    std::string err = write_all(fd, out.content);
    // The script is run; the az target's templates (<stem>.az.*.json) are read, like every other file.
    const bool script = out.target == Target::az && out.filename.size() > 3 &&
                        out.filename.compare(out.filename.size() - 3, 3, ".sh") == 0;
    if (err.empty() && ::fchmod(fd, script ? 0755 : 0644) != 0) err = std::strerror(errno);
    if (!err.empty()) {
      cleanup();
      return "cannot write " + dir + "/" + out.filename + ": " + err;
    }
  }
  // Every file's data on the disk before any is renamed into place: a crash then leaves the old outputs or the
  // complete new ones, never a renamed file that is empty or cut short.
  for (std::size_t i = 0; i < fds.size(); ++i) {
    std::string err;
    if (::fsync(fds[i]) != 0) err = std::strerror(errno);
    if (::close(fds[i]) != 0 && err.empty()) err = std::strerror(errno);
    fds[i] = -1;
    if (!err.empty()) {
      for (std::size_t j = i + 1; j < fds.size(); ++j) ::close(fds[j]);
      fds.clear();
      cleanup();
      return "cannot write " + dir + "/" + outputs[i].filename + ": " + err;
    }
  }
  fds.clear();
  // Keep the previous outputs reachable (hard links) until every rename has succeeded.
  std::vector<std::string> backups(outputs.size());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const std::string final_path = dir + "/" + outputs[i].filename;
    const std::string backup = dir + "/." + outputs[i].filename + ".previous";
    ::unlink(backup.c_str());
    if (::link(final_path.c_str(), backup.c_str()) == 0) backups[i] = backup;
  }
  auto drop_backups = [&] {
    for (const auto& b : backups)
      if (!b.empty()) ::unlink(b.c_str());
  };
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const std::string final_path = dir + "/" + outputs[i].filename;
    if (::rename(temps[i].c_str(), final_path.c_str()) != 0) {
      const std::string why = std::strerror(errno);
      for (std::size_t j = i; j < temps.size(); ++j) ::unlink(temps[j].c_str());
      for (std::size_t j = 0; j < i; ++j) {
        const std::string done = dir + "/" + outputs[j].filename;
        if (!backups[j].empty()) ::rename(backups[j].c_str(), done.c_str());
        else ::unlink(done.c_str());
        backups[j].clear();
      }
      drop_backups();
      return "cannot replace " + final_path + ": " + why;
    }
  }
  sync_directory(dir);
  drop_backups();
  return {};
}

}  // namespace egress::driver
