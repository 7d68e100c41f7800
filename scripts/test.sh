#!/usr/bin/env bash
# Set up, build and run every test through ctest (unit, golden, diagnostics, validators, editors).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh --tests
cmake --build build/release -j"$(nproc)"
ctest --test-dir build/release --output-on-failure -j"$(nproc)"
