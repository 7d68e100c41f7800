// The public entry points of libegress. The CLI, the tests and the language server all call these.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "egress/diagnostic.hpp"
#include "egress/phase_times.hpp"
#include "egress/source.hpp"

namespace egress {

enum class Target { arm, bicep, az, k8s };

/// "arm" -> Target::arm ...; nullopt for anything else.
std::optional<Target> parse_target(std::string_view name);
std::string_view target_name(Target t);
/// The output file's extension: ".json", ".bicep", ".sh", ".yaml".
std::string_view target_extension(Target t);

/// Reads a file for `import`; nullopt when it does not exist or is not a regular file.
/// Supplied by the caller so that the library itself does no file I/O.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

/// The most source one program may have: the main file and its imports together (the stdlib is not
/// counted). Real programs stay far below it — a firewall takes at most 20,000 source/destination pairs,
/// a few MB of egress — and the cap bounds memory (about 40 bytes per source byte) and time on hostile input.
inline constexpr std::size_t kDefaultMaxSourceBytes = std::size_t{16} << 20;

/// The az script's rule sets: a firewall with more classic rules than this, or a rule collection group with more
/// rules, is deployed from a template beside the script by one `az deployment group create`, instead of one az
/// command per rule, each of which rewrites the whole firewall or group (docs/reference.md, "How the az script
/// deploys large rule sets"). Up to it, the script adds rule by rule, as the article does.
inline constexpr std::size_t kAzBulkThreshold = 50;

/// Where compile() can put its outputs as it makes them, instead of Result::outputs holding each file whole: a large
/// build then never holds its outputs in memory (W(10^6): 1.25 GB of text; docs/performance.md). compile() writes one
/// file at a time — begin(), append() any number of times, end() — in the order of Result::outputs, whose entries
/// then name the files and have empty contents. It writes only a program with no error, after every check; still,
/// the caller makes the files visible only once compile() has returned a Result without error (egressc: temporary
/// files renamed into place together, driver/files.cpp).
class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual void begin(Target target, const std::string& filename) = 0;
  virtual void append(std::string_view bytes) = 0;
  virtual void end() = 0;
};

struct Options {
  std::vector<Target> targets{Target::arm, Target::bicep, Target::az, Target::k8s};
  bool strict = false;          // warnings count as errors
  std::string stem = "main";    // output file names: <stem>.json, <stem>.sh, ...
  FileReader read_file;         // for imports; null: imports fail with E0109
  std::size_t max_source_bytes = kDefaultMaxSourceBytes;  // more is E0008 (egressc --max-input-mib)
  /// `egressc build --env NAME`: the program's `env NAME < ... >` whose parameter values it is checked with;
  /// the outputs then add `<stem>.<env>.parameters.json` (ARM) and `<stem>.<env>.bicepparam` (Bicep), and the
  /// az script takes the env's values as its defaults. Empty: every parameter at its default.
  std::string env;
  std::size_t az_bulk_threshold = kAzBulkThreshold;  // egressc build --az-bulk-threshold N
  /// check() only, with no env given: a program that declares envs is checked once per env, as by
  /// check_every_env(), and never with its defaults, which no deployment uses (`egressc check`). Off: the
  /// defaults are checked, and Result::envs names the envs for the caller.
  bool every_env = false;
  PhaseTimes* phase_times = nullptr;  // when set, each phase adds its wall time here (egressc --time-phases)
  /// false: the syntax trees, the checked program and the IR are left for the process's exit to reclaim
  /// instead of being freed node by node when compile() returns (egressc, which exits right after; a fifth
  /// of a large build went into freeing them: docs/performance.md). Embedders that go on running keep true.
  bool free_memory = true;
  /// compile() only: where the outputs go as they are written (OutputSink); null: each whole in Result::outputs.
  OutputSink* sink = nullptr;
};

struct Output {
  Target target;
  std::string filename;  // "<stem><extension>", or "<stem>.<env>.parameters.json" / ".bicepparam" for the target
  std::string content;  // empty when Options::sink received it
};

struct Result {
  Diagnostics diagnostics;
  std::vector<Output> outputs;  // empty whenever diagnostics has an error
  /// The names of the program's envs, in source order (whatever Options::env is).
  std::vector<std::string> envs;
  /// Options::env names no env of the program: nothing was checked (the CLI's usage error, with envs to suggest).
  bool unknown_env = false;
  [[nodiscard]] bool ok() const { return !diagnostics.has_errors() && !unknown_env; }
};

/// Parses, checks and lowers `main_file`; emits every requested target only when there is no error.
Result compile(SourceManager& sources, std::uint32_t main_file, const Options& options);

/// Like compile() with no targets: diagnostics only.
Result check(SourceManager& sources, std::uint32_t main_file, const Options& options);

/// What `egressc check` without --env reports for a program with envs (`result`, from check() with an empty
/// Options::env, names them): the program checked once per env, each with its values, since what is deployed
/// is always an env's. Replaces result.diagnostics with every env's, a diagnostic found in several envs once
/// with a note per env ("with the values of env `prod`"). The defaults alone are what `build` without --env
/// checks. Each run loads the imports again into `sources` (under new file ids; spans refer to them).
void check_every_env(Result& result, SourceManager& sources, std::uint32_t main_file, Options options);

/// The version printed by `egressc --version`.
std::string_view version();

}  // namespace egress
