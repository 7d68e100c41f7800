#!/usr/bin/env bash
# Set up, build and run every test through ctest (unit, golden, diagnostics, validators, editors), then the
# same suite again under ASan + UBSan with -Werror and each fuzzer for a short while (scripts/sanitize.sh).
#   EGRESS_SKIP_SANITIZE=1 scripts/test.sh     the release build's tests only (a quick local run)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# ccache, when setup.sh found it: paths relative to this clone and no working directory in the hash, so another
# clone of the same commit (a CI checkout in a new folder) reuses the objects.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
# The test executable uses a precompiled header (tests/CMakeLists.txt): ccache caches it and the files that use it
# only with these (its manual's "Precompiled headers"; here, not in the user's ccache.conf).
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:+$CCACHE_SLOPPINESS,}pch_defines,time_macros,include_file_mtime,include_file_ctime"
scripts/setup.sh --tests
cmake --build build/release -j"$(nproc)"
ctest --test-dir build/release --output-on-failure -j"$(nproc)"
if [ "${EGRESS_SKIP_SANITIZE:-0}" != 1 ]; then
  scripts/sanitize.sh
fi
