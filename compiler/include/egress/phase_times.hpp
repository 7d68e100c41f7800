// Where the time of one run goes, phase by phase: what `egressc --time-phases` prints. The phases are timed
// in one place each (the driver: read, write; api/compile.cpp: parse, elaborate, model checks, lower, each
// emitter) so that a profile of the whole process can be read against them.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace egress {

class PhaseTimes {
 public:
  struct Phase {
    std::string name;
    double seconds = 0;  // wall time, summed over every entry (parse runs once per file)
    int runs = 0;        // how many entries were summed (a program with envs is elaborated once per env)
  };

  /// Times one phase from construction to destruction. A null PhaseTimes times nothing, so callers need
  /// no branch when --time-phases is off.
  class Scope {
   public:
    Scope(PhaseTimes* times, std::string_view name)
        : times_(times), name_(name), start_(times ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{}) {}
    ~Scope() {
      if (times_) times_->add(name_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    PhaseTimes* times_;
    std::string_view name_;
    std::chrono::steady_clock::time_point start_;
  };

  /// Adds `seconds` to the phase `name`, which is appended the first time it is seen: the phases are listed
  /// in the order they ran. A handful of phases: a linear search is the simplest and fast enough.
  void add(std::string_view name, double seconds) {
    for (auto& p : phases_)
      if (p.name == name) {
        p.seconds += seconds;
        ++p.runs;
        return;
      }
    phases_.push_back({std::string(name), seconds, 1});
  }

  [[nodiscard]] const std::vector<Phase>& phases() const { return phases_; }

 private:
  std::vector<Phase> phases_;
};

/// Runs `f` as the phase `name` of `times` (null: just runs it) and returns what `f` returns.
template <class F>
decltype(auto) timed(PhaseTimes* times, std::string_view name, F&& f) {
  PhaseTimes::Scope scope(times, name);
  return std::forward<F>(f)();
}

}  // namespace egress
