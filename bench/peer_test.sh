#!/usr/bin/env bash
# The benchmark's peer does the same work as egressc: for small N, jsonnet's firewall resource from W(N)'s
# rules as JSON equals the firewall resource in egressc's ARM template of W(N), as JSON values; and a peer
# output with one rule changed is told apart (so the comparison can fail). Exit 77 (skipped) without jsonnet,
# which the tests' default setup does not install (scripts/setup.sh --bench does).
#   usage: peer_test.sh GEN_WORKLOAD EGRESSC
set -euo pipefail
gen=$1 egressc=$2
if ! command -v jsonnet >/dev/null 2>&1; then
  echo "jsonnet is not installed (apt-get install jsonnet, or scripts/setup.sh --bench): skipped"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# 1: one collection of one rule; 300: three collections, both protocols, destinations past 198.18.0.255.
for n in 1 300; do
  "$gen" "$n" "$dir"
  "$egressc" build "$dir/w$n.egress" --target arm -o "$dir/out" >/dev/null
  jsonnet --tla-code-file "workload=$dir/w$n.rules.json" "$dir/firewall.jsonnet" -o "$dir/peer$n.json"
  "$gen" --same-firewall "$dir/out/w$n.json" "$dir/peer$n.json"
  echo "N = $n: the same firewall resource"
done
sed 's/"r299"/"r298"/' "$dir/peer300.json" >"$dir/changed.json"
if "$gen" --same-firewall "$dir/out/w300.json" "$dir/changed.json" 2>/dev/null; then
  echo "a peer output with a renamed rule was taken as equal" >&2
  exit 1
fi
