#!/usr/bin/env bash
# `egressc --diagnostics-format sarif` against the SARIF 2.1.0 JSON schema (validate.mjs, ajv): the SARIF of
# every negative diagnostics test file (errors, warnings, notes in imports and the stdlib, fix-its) and of
# every example (no result). Installs the pinned npm packages first (npm ci). Usage: run.sh EGRESSC
set -euo pipefail
egressc=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0
cd "$root/tests/diagnostics"
for f in [EW][0-9][0-9][0-9][0-9]-*.egress; do
  case "$f" in *.ok.egress) continue ;; esac
  "$egressc" check "$f" --diagnostics-format sarif >"$out/${f%.egress}.sarif" 2>/dev/null || true
  n=$((n + 1))
done
cd "$root"
for main in examples/*/main.egress; do
  name=$(basename "$(dirname "$main")")
  "$egressc" check "$main" --diagnostics-format sarif >"$out/example-$name.sarif"
  n=$((n + 1))
done
node "$here/validate.mjs" "$out"/*.sarif >"$out/report.txt" || { grep -A20 INVALID "$out/report.txt"; exit 1; }
results=$(sed -n 's/.*(\([0-9]*\) results)$/\1/p' "$out/report.txt" | awk '{ s += $1 } END { print s + 0 }')
echo "sarif: $n logs valid against the SARIF 2.1.0 schema, $results results in all"
[ "$results" -gt "$n" ] || { echo "too few results: the negative files must report something"; exit 1; }
