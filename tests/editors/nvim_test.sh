#!/usr/bin/env bash
# Headless Neovim test of the setup docs/editors.md gives for Neovim 0.7 to 0.10: the Lua block after the
# `<!-- nvim-test -->` marker is read from the page, editors/vim is put on the runtimepath, and Neovim opens a
# copy of the article with an error in it. nvim_test.lua checks the filetype, the diagnostics the server
# publishes, hover, definition and formatting. Prints one line per check and `nvim: N passed, M failed`.
# Usage: nvim_test.sh EGRESSC   (the egressc to put on PATH)
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
egressc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

# shellcheck source-path=SCRIPTDIR source=support/ensure_package.sh
. "$here/support/ensure_package.sh"
ensure_package nvim neovim nvim || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The documented setup, exactly as the page shows it.
awk '/^<!-- nvim-test -->$/ {armed = 1; next} armed && /^```lua$/ {on = 1; next} on && /^```$/ {exit} on {print}' \
  "$root/docs/editors.md" >"$tmp/setup.lua"
if [ ! -s "$tmp/setup.lua" ]; then
  echo "nvim_test: docs/editors.md has no Lua block after <!-- nvim-test -->"
  echo "nvim: 0 passed, 1 failed"
  exit 1
fi
mkdir -p "$tmp/bin" "$tmp/project"
ln -s "$egressc" "$tmp/bin/egressc"
# The article with a subnet outside its VNet (E0201), and badly laid out (for formatting).
{ cat "$root/examples/aks-egress/main.egress"; printf 'vnet vnet <\n      subnet stray 10.99.0.0/24\n>\n'; } >"$tmp/project/main.egress"

cd "$tmp/project" || exit 1
PATH="$tmp/bin:$PATH" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state" \
  timeout 120 nvim --headless -u NONE -i NONE \
  --cmd "set runtimepath^=$root/editors/vim" --cmd "filetype plugin indent on" --cmd "syntax on" \
  --cmd "luafile $tmp/setup.lua" \
  -c "lua vim.g.egress_log = '$tmp/log'" -c "luafile $here/nvim_test.lua" main.egress </dev/null >"$tmp/out" 2>&1
rc=$?
if [ ! -s "$tmp/log" ]; then
  echo "nvim_test: nvim exited $rc without writing results"
  cat "$tmp/out"
  echo "nvim: 0 passed, 1 failed"
  exit 1
fi
cat "$tmp/log"
grep -q '^nvim: [0-9]* passed, 0 failed$' "$tmp/log"
