#!/usr/bin/env bash
# CI: the whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer, then every fuzzer for a
# short while on its corpus, then the example built by both builds must be byte-identical.
#   scripts/sanitize.sh                 (FUZZ_SECONDS=20 of one core per fuzzer; FUZZ_SECONDS=0 skips fuzzing)
# Builds in build/asan with -DEGRESS_WERROR=ON -DEGRESS_SANITIZE=ON, with clang when it is there (then the
# same build also holds the libFuzzer targets, -DEGRESS_FUZZ=ON), else with gcc (no fuzzers).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
build=build/asan
fuzz_seconds="${FUZZ_SECONDS:-20}"
jobs="$(nproc)"
start=$(date +%s)
stamp() { echo "== [$(($(date +%s) - start)) s] $*"; }

# ccache, when setup.sh found it: paths relative to this clone and no working directory in the hash, so another
# clone of the same commit (a CI checkout in a new folder) reuses the objects.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
# The test executable uses a precompiled header (tests/CMakeLists.txt): ccache caches it and the files that use it
# only with these (its manual's "Precompiled headers"; here, not in the user's ccache.conf).
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:+$CCACHE_SLOPPINESS,}pch_defines,time_macros,include_file_mtime,include_file_ctime"
scripts/setup.sh >/dev/null

fuzz=OFF
compilers=()
if command -v clang++ >/dev/null 2>&1 && ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  compilers=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++)
  fuzz=ON
else
  echo "== clang with libFuzzer not found (apt-get install clang libclang-rt-14-dev): no fuzzers" >&2
fi

stamp "configure $build (EGRESS_WERROR=ON EGRESS_SANITIZE=ON EGRESS_FUZZ=$fuzz)"
# -O1 with line tables only: what the sanitizers' authors recommend for reports with file:line, and about a
# quarter less compile time than -O2 -g (the whole build is timed on a busy 2-core machine by CI).
debug_info=-gline-tables-only
[ "${#compilers[@]}" -eq 0 ] && debug_info=-g1
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build" "${compilers[@]}" "${launcher[@]+"${launcher[@]}"}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 $debug_info -DNDEBUG" -DEGRESS_WERROR=ON -DEGRESS_SANITIZE=ON \
  -DEGRESS_FUZZ="$fuzz" -DEGRESS_BUILD_BENCH=OFF >/dev/null
stamp "build"
cmake --build "$build" -j"$jobs"

# Leaks are errors; any report stops the process with a non-zero status and a stack trace.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
stamp "ctest under ASan + UBSan"
# Every unit test runs again here. The end-to-end tests whose time goes to third-party tools — the validators
# (the az CLI, shellcheck, node's ARM and Kubernetes checkers), the editor tests (node, Vim) and the language
# server over a pipe — ran in the release pass of scripts/test.sh; the egressc they drive is the same code
# these unit tests cover, and the last step below compares the two builds' outputs byte for byte.
end_to_end='^(editors(:.*)?|install: .*|sarif: .*|ci: .*|validators: .*|arm_check --strict still rejects.*|azcli: shellcheck and the az argument checker.*|k8s: k8s_check\.sh accepts.*|ARM: .*passes the ARM checker.*|egressc lsp .*)$'
ctest --test-dir "$build" --output-on-failure -j"$jobs" -E "$end_to_end"

if [ "$fuzz" = ON ] && [ "$fuzz_seconds" != 0 ]; then
  # The three fuzzers at once, for FUZZ_SECONDS x 3 / cores each (libFuzzer's limit is wall time): each gets
  # the CPU time it had when they ran one after the other on one core, and no core sits idle (30 s instead
  # of 60 on 2 cores). They were built above; run.sh must not run three builds of one folder at once.
  targets=(parse compile format)
  wall=$(( (fuzz_seconds * ${#targets[@]} + jobs - 1) / jobs ))
  [ "$wall" -lt "$fuzz_seconds" ] && wall=$fuzz_seconds
  stamp "fuzz_parse, fuzz_compile and fuzz_format at once for $wall s each"
  pids=()
  for t in "${targets[@]}"; do
    EGRESS_FUZZ_NO_BUILD=1 EGRESS_FUZZ_BUILD="$root/$build" tests/fuzz/run.sh "$t" "$wall" >"$build/fuzz_$t.summary" 2>&1 &
    pids+=($!)
  done
  failed=0
  for i in "${!targets[@]}"; do
    wait "${pids[$i]}" || failed=1
    cat "$build/fuzz_${targets[$i]}.summary"
  done
  [ "$failed" = 0 ] || { echo "== a fuzzer failed (above)" >&2; exit 1; }
fi

# The same input gives the same bytes in two different builds: this one and the release build of
# scripts/test.sh (built here if it is missing).
if [ -x build/release/compiler/egressc ] || { cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release >/dev/null &&
                                             cmake --build build/release -j"$jobs" --target egressc >/dev/null; }; then
  stamp "release and sanitizer builds write the same bytes"
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  "$build/compiler/egressc" build examples/aks-egress/main.egress -o "$out/asan" >/dev/null
  build/release/compiler/egressc build examples/aks-egress/main.egress -o "$out/release" >/dev/null
  diff -r "$out/asan" "$out/release"
fi
stamp "sanitize.sh: all passed"
