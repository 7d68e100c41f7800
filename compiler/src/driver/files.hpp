// File I/O of the CLI: reading sources and writing outputs all-or-nothing.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "egress/compiler.hpp"

namespace egress::driver {

/// Reads a regular file; nullopt (with `error` set) when it is missing, a directory or unreadable.
/// Reads at most `limit` + 1 bytes: enough for the compiler to see that a file is over its source cap
/// (E0008) without ever holding a 10 GB file in memory.
std::optional<std::string> read_file(const std::string& path, std::string* error = nullptr,
                                     std::size_t limit = kDefaultMaxSourceBytes);

/// Reads standard input, at most `limit` + 1 bytes.
std::optional<std::string> read_standard_input(std::size_t limit = kDefaultMaxSourceBytes);

/// The outputs of one build, written into `dir` as compile() makes them (Options::sink), all-or-nothing: each file goes
/// to a temporary file beside its final name; commit() makes every file durable, then renames them all into place;
/// if a rename fails, the files already replaced are restored from hard-link backups, so a failure leaves the
/// previous outputs untouched. Without commit() (an error in the program, a failed write) the destructor removes
/// the temporary files and nothing is changed. `dir` is created at the first file.
class OutputFiles final : public OutputSink {
 public:
  explicit OutputFiles(std::string dir) : dir_(std::move(dir)) {}
  ~OutputFiles() override;
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;

  void begin(Target target, const std::string& filename) override;
  void append(std::string_view bytes) override;
  void end() override;

  /// Puts every file written into place; an error message (nothing changed), or "" on success.
  std::string commit();

 private:
  struct File {
    std::string name;  // the final name, in dir_
    std::string temp;  // the temporary file's path
    int fd = -1;       // open until commit() has synced it
    bool script = false;
  };
  void fail(const std::string& filename, const std::string& why);
  void abandon();

  std::string dir_;
  std::vector<File> files_;
  std::string error_;  // the first failure: every later call does nothing
};

/// Writes every output into `dir` through temporary files that are renamed into place only after all of
/// them were written; if a rename fails, the files already replaced are restored from hard-link backups,
/// so a failure leaves the previous outputs untouched. Returns an error message, or "" on success.
std::string write_outputs(const std::string& dir, const std::vector<Output>& outputs);

}  // namespace egress::driver
