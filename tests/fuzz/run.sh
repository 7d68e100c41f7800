#!/usr/bin/env bash
# Builds and runs a libFuzzer target on its corpus for a while.
#   tests/fuzz/run.sh parse|compile|format SECONDS [extra libFuzzer flags...]
#   tests/fuzz/run.sh all SECONDS                  (each target in turn, SECONDS each)
# Environment: EGRESS_FUZZ_BUILD  the build folder (default build/fuzz; configured here with clang,
#                                 -DEGRESS_FUZZ=ON -DEGRESS_SANITIZE=ON if it is not configured yet)
#              EGRESS_FUZZ_CORPUS where corpora live (default <build>/corpus/<target>, seeded by make_corpus.sh)
#              EGRESS_FUZZ_NO_BUILD=1  run the fuzzer as built, without bringing it up to date first
# A crash leaves its input in <build>/artifacts/<target>/ and the script exits 1: minimise it, copy it to
# tests/fuzz/regressions/<target>/<name> (robustness_test.cpp replays it in the normal build) and fix the bug.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${1:?usage: run.sh parse|compile|format|all SECONDS [libFuzzer flags]}"
seconds="${2:?usage: run.sh TARGET SECONDS}"
shift 2
build="${EGRESS_FUZZ_BUILD:-$root/build/fuzz}"

if [ "$target" = all ]; then
  status=0
  for t in parse compile format; do "$0" "$t" "$seconds" "$@" || status=1; done
  exit $status
fi
case "$target" in parse|compile|format) ;; *) echo "run.sh: unknown target '$target'" >&2; exit 2 ;; esac

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEGRESS_FUZZ=ON \
    -DEGRESS_SANITIZE=ON -DEGRESS_BUILD_TESTS=OFF -DEGRESS_BUILD_BENCH=OFF >/dev/null
fi
[ "${EGRESS_FUZZ_NO_BUILD:-0}" = 1 ] || cmake --build "$build" --target "fuzz_$target" -j"$(nproc)" >/dev/null

corpus="${EGRESS_FUZZ_CORPUS:-$build/corpus}/$target"
artifacts="$build/artifacts/$target"
mkdir -p "$corpus" "$artifacts"
"$here/make_corpus.sh" "$corpus" >/dev/null
stamp="$build/.fuzz_$target.started"; touch "$stamp"  # artifacts newer than this are from this run
log="$build/fuzz_$target.log"

# -max_len: programs of a few KiB reach every statement; longer inputs only slow each execution down.
# -timeout: one input may take 10 s under ASan (a hang is reported as a crash).
# -rss_limit_mb: a run that needs 2 GiB is a bug (the limits test measures what large inputs need).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
set +e
"$build/tests/fuzz/fuzz_$target" -dict="$here/egress.dict" -max_total_time="$seconds" -max_len=8192 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" "$corpus" >"$log" 2>&1
rc=$?
set -e

# One line of figures: total executions, executions per second, coverage (cov: edges, ft: features).
# Plain runs end with stat:: lines; -fork=N runs print "#N: cov: .. ft: .. exec/s N" per job instead.
last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
[ -n "$execs" ] || execs=$(echo "$last" | grep -o '^#[0-9]*' | tr -d '#' || true)
speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
[ -n "$speed" ] || speed=$(echo "$last" | grep -oE 'exec/s:? [0-9]+' | grep -o '[0-9]*$' || true)
cov=$(echo "$last" | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' || true)
ft=$(echo "$last" | grep -o 'ft: [0-9]*' | grep -o '[0-9]*' || true)
crashes=$(find "$artifacts" -type f -newer "$stamp" 2>/dev/null | wc -l)
units=$(find "$corpus" -type f | wc -l)
echo "fuzz_$target: ${seconds}s, ${execs:-?} executions, ${speed:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus $units files"
if [ $rc -ne 0 ] || [ "$crashes" -gt 0 ]; then
  echo "fuzz_$target: FAILED (exit $rc); log $log; inputs in $artifacts:" >&2
  ls "$artifacts" >&2 || true
  grep -m5 -E 'ERROR|invariant|runtime error|SUMMARY' "$log" >&2 || true
  exit 1
fi
