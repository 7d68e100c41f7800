#!/usr/bin/env bash
# The editor-support tests, in one run:
#   0. the lock files pin only packages that declare they run on Debian 12's Node.js (18.19; support/check-engines.mjs)
#   1. TextMate grammar tests (vscode-tmgrammar-test) over tests/editors/fixtures/*.egress, one test per assertion
#   2. node:test suites: grammar.test.mjs (reference program, snippets, language configuration) and
#      extension.test.mjs (the language client against a fake `egressc lsp`)
#   3. the headless Vim test (vim_test.sh), one test per check
#   4. `vsce package` of editors/vscode into a temporary folder, what the .vsix holds, and the packaged
#      extension (unpacked) under extension.test.mjs again
#   5. the highlight preview generator (tests/editors/preview.mjs) into a temporary file
# Installs what is missing first: the npm packages (npm ci, in tests/editors and editors/vscode) and, as root,
# vim (apt-get). Ends with `N passed, M failed`; exits non-zero when anything failed.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
ext="$root/editors/vscode"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

passed=0
failed=0
pass() { passed=$((passed + ${2:-1})); [ -n "$1" ] && echo "PASS $1"; }
fail() { failed=$((failed + ${2:-1})); echo "FAIL $1"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- dependencies
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "node and npm are needed (install nodejs and npm)"
  echo "$passed passed, $failed failed"
  exit 1
fi
npm_ready() { # node_modules installed from the current lock file?
  [ -f "$1/node_modules/.package-lock.json" ] && [ ! "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]
}
deps_ok=1
for dir in "$here" "$ext"; do
  if ! npm_ready "$dir"; then
    echo "== npm ci in ${dir#"$root"/}"
    if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >"$tmp/npm.log" 2>&1); then
      cat "$tmp/npm.log"
      fail "npm ci in ${dir#"$root"/}"
      deps_ok=0
    fi
  fi
done
if [ "$deps_ok" = 0 ]; then
  echo "$passed passed, $failed failed"
  exit 1
fi

# ---- 0. the lock files suit Debian 12's Node.js
# Debian 12 ships nodejs 18 (18.19.0, 18.20.4 in its security updates), and scripts/setup.sh installs that one:
# a package that asks for a newer Node.js (undici 7 under vsce 3, shiki 4) breaks the tests on a fresh Debian 12
# even when they pass on a machine that has Node.js 20.
echo "== lock files: engines.node admits Node.js 18.19 (running $(node --version))"
if node "$here/support/check-engines.mjs" "$ext/node_modules" 18.19.0 "$here/package-lock.json" "$ext/package-lock.json" "$root/tests/sarif/package-lock.json" \
  >"$tmp/engines.log" 2>&1; then
  pass "$(sed 's/^ok //' "$tmp/engines.log")"
else
  cat "$tmp/engines.log"
  fail "lock files pin packages that need a newer Node.js than Debian 12's"
fi

# ---- 1. TextMate grammar tests
echo "== TextMate grammar tests (vscode-tmgrammar-test)"
(cd "$here" && node_modules/.bin/vscode-tmgrammar-test -c -g "$ext/syntaxes/egress.tmLanguage.json" "fixtures/*.egress") \
  >"$tmp/tm.log" 2>&1
tm_rc=$?
for f in "$here"/fixtures/*.egress; do
  name="fixtures/$(basename "$f")"
  total=$(grep -cE '^//[[:space:]]*(\^|<[~]*-)' "$f")
  bad=$(grep -c "^ERROR $name" "$tmp/tm.log")
  if grep -q "can't parse testcase: $name" "$tmp/tm.log"; then bad=$total; fi
  pass "" $((total - bad))
  if [ "$bad" -gt 0 ]; then fail "$name: $bad of $total assertions" "$bad"; else echo "PASS $name: $total assertions"; fi
done
if [ "$tm_rc" != 0 ]; then
  grep -E "ERROR|✖|Error" "$tmp/tm.log" | head -40
  if ! grep -q '^ERROR' "$tmp/tm.log"; then fail "vscode-tmgrammar-test exited $tm_rc"; fi
fi

# ---- 2. node:test suites
for suite in grammar.test.mjs extension.test.mjs; do
  echo "== node --test $suite"
  (cd "$here" && node --test --test-reporter=tap "$suite") >"$tmp/node.log" 2>&1
  rc=$?
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tmp/node.log" | tail -1)
  f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tmp/node.log" | tail -1)
  grep -E '^(not )?ok ' "$tmp/node.log" | sed 's/^ok [0-9]* - /PASS /; s/^not ok [0-9]* - /FAIL /'
  pass "" "${p:-0}"
  if [ "${f:-0}" -gt 0 ] || [ "$rc" != 0 ] || [ -z "$p" ]; then
    sed -n '/^not ok/,/^  \.\.\./p' "$tmp/node.log" | head -60
    if [ "${f:-0}" -gt 0 ]; then fail "$suite: $f failed" "$f"; else fail "$suite exited $rc"; fi
  fi
done

# ---- 3. Vim
echo "== Vim (vim_test.sh)"
"$here/vim_test.sh" >"$tmp/vim.log" 2>&1
vim_rc=$?
grep -E '^(FAIL|vim_test)' "$tmp/vim.log"
line=$(grep -E '^vim: [0-9]+ passed, [0-9]+ failed$' "$tmp/vim.log" | tail -1)
if [ -n "$line" ]; then
  p=$(echo "$line" | sed 's/^vim: \([0-9]*\) passed.*/\1/')
  f=$(echo "$line" | sed 's/.* \([0-9]*\) failed$/\1/')
  pass "vim: $p checks" "$p"
  [ "$f" -gt 0 ] && fail "vim: $f checks" "$f"
  [ "$vim_rc" != 0 ] && [ "$f" = 0 ] && fail "vim_test.sh exited $vim_rc"
else
  cat "$tmp/vim.log"
  fail "vim_test.sh gave no result (exit $vim_rc)"
fi

# ---- 4. vsce package
echo "== vsce package"
if (cd "$ext" && node_modules/.bin/vsce package --out "$tmp/egress.vsix" </dev/null) >"$tmp/vsce.log" 2>&1 \
  && [ -s "$tmp/egress.vsix" ]; then
  pass "vsce package ($(grep -o 'Packaged: .*' "$tmp/vsce.log" | sed "s|$tmp/||"))"
  if node "$here/support/check-vsix.mjs" "$tmp/egress.vsix" "$tmp/vsix" >"$tmp/vsix.log" 2>&1; then
    pass "$(sed 's/^ok //' "$tmp/vsix.log")"
    # The packaged extension, with only the dependencies the .vsix carries, starts and stops the server too.
    (cd "$here" && EGRESS_EXTENSION_DIR="$tmp/vsix/extension" node --test --test-reporter=tap extension.test.mjs) \
      >"$tmp/node.log" 2>&1
    f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tmp/node.log" | tail -1)
    p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tmp/node.log" | tail -1)
    if [ "${f:-1}" = 0 ] && [ -n "$p" ]; then
      pass "the packaged extension passes extension.test.mjs ($p tests)"
    else
      sed -n '/^not ok/,/^  \.\.\./p' "$tmp/node.log" | head -40
      fail "the packaged extension fails extension.test.mjs"
    fi
  else
    cat "$tmp/vsix.log"
    fail "the .vsix contents"
  fi
else
  cat "$tmp/vsce.log"
  fail "vsce package"
fi

# ---- 5. highlight preview
echo "== highlight preview (preview.mjs)"
if (cd "$here" && node preview.mjs "$tmp/preview.html") >"$tmp/preview.log" 2>&1 && grep -q 'class="shiki' "$tmp/preview.html"; then
  pass "preview.mjs renders examples/aks-egress/main.egress"
  if ! cmp -s "$tmp/preview.html" "$root/docs/highlight-preview.html"; then
    echo "NOTE docs/highlight-preview.html is out of date: run 'node tests/editors/preview.mjs' and commit it"
  fi
else
  cat "$tmp/preview.log"
  fail "preview.mjs"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
