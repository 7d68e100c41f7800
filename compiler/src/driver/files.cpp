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

// Writes all of `bytes`, in as few write() calls as the kernel takes.
std::string write_all(int fd, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    done += static_cast<std::size_t>(n);
  }
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

std::string make_directory(const std::string& dir) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT || ::mkdir(dir.c_str(), 0777) != 0) return "cannot create output folder " + dir + ": " + std::strerror(errno);
  } else if (!S_ISDIR(st.st_mode)) {
    return "output folder " + dir + " is not a folder";
  }
  return {};
}

}  // namespace

OutputFiles::~OutputFiles() { abandon(); }

void OutputFiles::fail(const std::string& filename, const std::string& why) {
  if (error_.empty()) error_ = "cannot write " + dir_ + "/" + filename + ": " + why;
  abandon();
}

void OutputFiles::abandon() {
  for (auto& f : files_) {
    if (f.fd >= 0) ::close(f.fd);
    f.fd = -1;
    if (!f.temp.empty()) ::unlink(f.temp.c_str());
    f.temp.clear();
  }
}

void OutputFiles::begin(Target target, const std::string& filename) {
  if (!error_.empty()) return;
  if (files_.empty()) {
    error_ = make_directory(dir_);
    if (!error_.empty()) return;
  }
  std::string temp = dir_ + "/." + filename + ".tmp-XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return fail(filename, std::strerror(errno));
  // The script is run; the az target's templates (<stem>.az.*.json) are read, like every other file.
  const bool script = target == Target::az && filename.size() > 3 && filename.compare(filename.size() - 3, 3, ".sh") == 0;
  files_.push_back({filename, std::move(temp), fd, script});
}

void OutputFiles::append(std::string_view bytes) {
  if (!error_.empty() || files_.empty()) return;
  if (auto err = write_all(files_.back().fd, bytes); !err.empty()) fail(files_.back().name, err);
}

// The file is complete: ask the kernel to start writing it to the disk now, without waiting. commit() fsyncs every
// file only once all are written, and by then most of the data is on its way; an fsync right after each file
// instead waited for each file's data and a journal commit in turn, while nothing else ran (W(10^5), all four
// targets: five fsyncs of 11-38 ms each; docs/performance.md, "emitpath").
void OutputFiles::end() {
  if (!error_.empty() || files_.empty()) return;
  const auto& f = files_.back();
  if (::fchmod(f.fd, f.script ? 0755 : 0644) != 0) return fail(f.name, std::strerror(errno));
#ifdef __linux__
  ::sync_file_range(f.fd, 0, 0, SYNC_FILE_RANGE_WRITE);  // a hint: fsync() in commit() reports any failure
#endif
}

std::string OutputFiles::commit() {
  if (!error_.empty()) return error_;
  // Every file's data on the disk before any is renamed into place: a crash then leaves the old outputs or the
  // complete new ones, never a renamed file that is empty or cut short.
  for (auto& f : files_) {
    std::string err;
    if (::fsync(f.fd) != 0) err = std::strerror(errno);
    if (::close(f.fd) != 0 && err.empty()) err = std::strerror(errno);
    f.fd = -1;
    if (!err.empty()) {
      fail(f.name, err);
      return error_;
    }
  }
  // Keep the previous outputs reachable (hard links) until every rename has succeeded.
  std::vector<std::string> backups(files_.size());
  for (std::size_t i = 0; i < files_.size(); ++i) {
    const std::string final_path = dir_ + "/" + files_[i].name;
    const std::string backup = dir_ + "/." + files_[i].name + ".previous";
    ::unlink(backup.c_str());
    if (::link(final_path.c_str(), backup.c_str()) == 0) backups[i] = backup;
  }
  auto drop_backups = [&] {
    for (const auto& b : backups)
      if (!b.empty()) ::unlink(b.c_str());
  };
  for (std::size_t i = 0; i < files_.size(); ++i) {
    const std::string final_path = dir_ + "/" + files_[i].name;
    if (::rename(files_[i].temp.c_str(), final_path.c_str()) != 0) {
      error_ = "cannot replace " + final_path + ": " + std::strerror(errno);
      for (std::size_t j = 0; j < i; ++j) {
        const std::string done = dir_ + "/" + files_[j].name;
        if (!backups[j].empty()) ::rename(backups[j].c_str(), done.c_str());
        else ::unlink(done.c_str());
        backups[j].clear();
        files_[j].temp.clear();  // renamed: nothing left to remove
      }
      drop_backups();
      abandon();
      return error_;
    }
  }
  for (auto& f : files_) f.temp.clear();
  sync_directory(dir_);
  drop_backups();
  return {};
}

std::string write_outputs(const std::string& dir, const std::vector<Output>& outputs) {
  OutputFiles files(dir);
  for (const auto& out : outputs) {
    files.begin(out.target, out.filename);
    files.append(out.content);
    files.end();
  }
  return files.commit();
}

}  // namespace egress::driver
