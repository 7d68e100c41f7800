#!/usr/bin/env bash
# Seeds a libFuzzer corpus folder with every .egress file of the repository: examples/, tests/**, stdlib/.
#   tests/fuzz/make_corpus.sh OUT_DIR
# Files already there (what earlier runs found) are kept; seeds are named by content hash, so re-running
# adds nothing twice.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:?usage: make_corpus.sh OUT_DIR}"
mkdir -p "$out"
n=0
while IFS= read -r -d '' f; do
  sum=$(sha1sum "$f" | cut -c1-40)
  [ -e "$out/seed-$sum" ] || cp "$f" "$out/seed-$sum"
  n=$((n + 1))
done < <(find "$root/examples" "$root/stdlib" "$root/tests" -name node_modules -prune -o -name '*.egress' -type f -print0)
# The crashing inputs found so far are good seeds too.
if [ -d "$root/tests/fuzz/regressions" ]; then
  while IFS= read -r -d '' f; do
    sum=$(sha1sum "$f" | cut -c1-40)
    [ -e "$out/seed-$sum" ] || cp "$f" "$out/seed-$sum"
    n=$((n + 1))
  done < <(find "$root/tests/fuzz/regressions" -type f ! -name '*.md' -print0)
fi
echo "make_corpus: $n seeds in $out"
