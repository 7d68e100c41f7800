#!/usr/bin/env bash
# The main job: set up, build egressc, compile examples/aks-egress to every target into out/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
cmake --build build/release -j"$(nproc)" --target egressc egressc_manpage
build/release/compiler/egressc build examples/aks-egress/main.egress --target all -o out
