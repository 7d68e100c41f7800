#!/usr/bin/env bash
# Set up, build and run every test through ctest (unit, golden, diagnostics, validators, editors), then the
# same suite again under ASan + UBSan with -Werror and each fuzzer for a short while (scripts/sanitize.sh).
#   EGRESS_SKIP_SANITIZE=1 scripts/test.sh     the release build's tests only (a quick local run)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# ccache, when setup.sh found it: paths relative to this clone and no working directory in the hash, so another
# clone of the same commit (a CI checkout in a new folder) reuses the objects.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
scripts/setup.sh --tests
cmake --build build/release -j"$(nproc)"
ctest --test-dir build/release --output-on-failure -j"$(nproc)"
if [ "${EGRESS_SKIP_SANITIZE:-0}" != 1 ]; then
  scripts/sanitize.sh
fi
