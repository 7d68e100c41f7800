#!/usr/bin/env bash
# The CI recipes of docs/ci.md as far as they run offline (issue 13, part 3):
#   - docs/ci/github-actions.yml, docs/ci/azure-pipelines.yml and .pre-commit-hooks.yaml pass yamllint and
#     have the shape their tools read (python3-yaml);
#   - every step of the two pipelines except "Install egress" (which needs the network) runs, as written, in
#     bash -e against the examples without a warning (the article's and the NAT gateway's examples warn on
#     purpose, W0230: the article leaves out the rules AKS only recommends), with the built egressc on PATH,
#     and writes what the next steps publish (egress.sarif, the templates);
#   - the install step's CMake options exist; each pre-commit hook's entry passes on those examples and the
#     fmt hook fails on an unformatted file.
# Usage: run.sh EGRESSC
set -euo pipefail
egressc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir "$work/bin" && ln -s "$egressc" "$work/bin/egressc"
export PATH="$work/bin:$PATH"
recipes=("$root/docs/ci/github-actions.yml" "$root/docs/ci/azure-pipelines.yml" "$root/.pre-commit-hooks.yaml")

yamllint -d '{extends: default, rules: {line-length: {max: 130}, document-start: disable, truthy: {check-keys: false}}}' \
  "${recipes[@]}" || fail "yamllint"

# The steps, as JSON lines {"name": ..., "run": ...}, from each pipeline's structure.
python3 - "${recipes[@]}" >"$work/steps.jsonl" <<'PY'
import json, sys, yaml
gh, az, hooks = (yaml.safe_load(open(p)) for p in sys.argv[1:4])
assert isinstance(gh.get('jobs'), dict) and gh.get(True if True in gh else 'on') is not None, 'github: jobs and on'
for job in gh['jobs'].values():
    assert 'runs-on' in job and isinstance(job['steps'], list), 'github: runs-on and steps'
    for s in job['steps']:
        assert ('uses' in s) != ('run' in s), f'github: a step has uses or run: {s}'
        if 'run' in s: print(json.dumps({'pipeline': 'github', 'name': s['name'], 'run': s['run']}))
assert isinstance(az.get('steps'), list) and 'pool' in az, 'azure: pool and steps'
for s in az['steps']:
    assert len({'checkout', 'script', 'task'} & s.keys()) == 1, f'azure: one kind of step: {s}'
    if 'script' in s: print(json.dumps({'pipeline': 'azure', 'name': s['displayName'], 'run': s['script']}))
assert isinstance(hooks, list) and all({'id', 'name', 'entry', 'language', 'files'} <= h.keys() for h in hooks), 'hooks'
PY
[ "$(grep -c . "$work/steps.jsonl")" -ge 8 ] || fail "too few steps found: $(cat "$work/steps.jsonl")"

# The install step's options are the project's.
for option in EGRESS_BUILD_TESTS EGRESS_BUILD_BENCH; do
  grep -q "option($option " "$root/CMakeLists.txt" || fail "the install step sets $option, which CMakeLists.txt lacks"
done

ran=0
for example in basic-sku firewall-policy private-cluster; do
  program="$root/examples/$example/main.egress"
  while IFS= read -r step; do
    name=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["name"])' "$step")
    pipeline=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["pipeline"])' "$step")
    [ "$name" = "Install egress" ] && continue
    dir="$work/run-$pipeline-$example"
    mkdir -p "$dir/staging"
    python3 -c 'import json,sys; print(json.loads(sys.argv[1])["run"])' "$step" >"$dir/step.sh"
    (cd "$dir" && EGRESS_PROGRAM="$program" BUILD_ARTIFACTSTAGINGDIRECTORY="$dir/staging" bash -e step.sh >"$dir/log" 2>&1) \
      || { cat "$dir/log"; fail "$pipeline step '$name' failed on examples/$example"; }
    ran=$((ran + 1))
  done <"$work/steps.jsonl"
  python3 -m json.tool "$work/run-github-$example/egress.sarif" >/dev/null || fail "github: egress.sarif is not JSON"
  python3 -m json.tool "$work/run-azure-$example/staging/CodeAnalysisLogs/egress.sarif" >/dev/null || fail "azure: no SARIF"
  [ -s "$work/run-github-$example/out/main.json" ] || fail "github: no templates in out/"
  [ -s "$work/run-azure-$example/staging/templates/main.bicep" ] || fail "azure: no templates"
done

# pre-commit: each hook's entry with the files it matches, as pre-commit passes them.
python3 - "$root/.pre-commit-hooks.yaml" >"$work/hooks.tsv" <<'PY'
import sys, yaml
for h in yaml.safe_load(open(sys.argv[1])): print(f"{h['id']}\t{h['files']}\t{h['entry']}")
PY
files=("$root/examples/basic-sku/main.egress" "$root/examples/firewall-policy/main.egress" "$root/examples/private-cluster/main.egress")
while IFS=$'\t' read -r id pattern entry; do
  matched=()
  for f in "${files[@]}"; do python3 -c 'import re,sys; sys.exit(0 if re.search(sys.argv[1], sys.argv[2]) else 1)' "$pattern" "$f" && matched+=("$f"); done
  [ "${#matched[@]}" -eq 3 ] || fail "hook $id matches ${#matched[@]} of the examples"
  bash -c "$entry \"\$@\"" -- "${matched[@]}" >/dev/null 2>&1 || fail "hook $id fails on the examples"
  ran=$((ran + 1))
done <"$work/hooks.tsv"
printf 'firewall fw <   sku standard >\n' >"$work/unformatted.egress"
entry=$(awk -F'\t' '$1 == "egress-fmt" { print $3 }' "$work/hooks.tsv")
! bash -c "$entry \"\$@\"" -- "$work/unformatted.egress" >/dev/null 2>&1 || fail "the fmt hook accepts an unformatted file"
echo "ci recipes: yamllint clean; $ran pipeline steps and hooks ran on the examples and passed"
