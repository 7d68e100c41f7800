#!/usr/bin/env bash
# Rewrites every golden expectation (examples/*/expected, tests/golden/*/expected, tests/diagnostics/*.expected,
# the transcripts in docs/tutorial.md, docs/cli.md, docs/network-model.md and README.md)
# from the current compiler. Review `git diff` before committing: that diff is the change in behaviour.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cmake --build build/release -j"$(nproc)" --target egress_tests
EGRESS_UPDATE_GOLDEN=1 build/release/tests/egress_tests "[golden]"
EGRESS_UPDATE_GOLDEN=1 build/release/tests/egress_tests "[diagnostics]"
# The transcripts in the docs (tests/unit/docs_transcripts_test.cpp): what egressc prints for each.
EGRESS_UPDATE_DOCS=1 build/release/tests/egress_tests "[docs]"
git status --short -- examples tests docs README.md
