// One program run as a child process, timed from outside (fork, exec, wait4): wall time, CPU time (user +
// system) and peak resident memory. Shared by bench/process_bench.cpp and bench/workload_bench.cpp.
#pragma once
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace egress::bench {

struct Sample {
  double wall_s = 0;
  double cpu_s = 0;
  double peak_mb = 0;
  int exit_code = -1;
};

/// One run of `program` with `args`, its standard output and error thrown away. The peak is the child's
/// ru_maxrss, which counts from the fork: the calling process is kept small (the inputs are files written
/// beforehand), so it is the program's.
inline Sample run_once(const std::string& program, const std::vector<std::string>& args) {
  std::fflush(stdout);  // else the child's freopen would write this process's buffered lines a second time
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (std::freopen("/dev/null", "w", stdout) == nullptr || std::freopen("/dev/null", "w", stderr) == nullptr) ::_exit(126);
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  Sample s;
  s.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  s.cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  s.peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  s.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return s;
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace egress::bench
