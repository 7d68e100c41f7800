#!/usr/bin/env bash
# Headless Vim test of editors/vim: filetype detection, ftplugin options, indentation, folding, and the
# syntax group at every column marked in tests/editors/fixtures/vim/syntax.egress.
# Prints one line per check and `vim: N passed, M failed`; exits non-zero on any failure.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

# shellcheck source-path=SCRIPTDIR source=support/ensure_package.sh
. "$here/support/ensure_package.sh"
ensure_package vim vim vim || exit 1
if ! vim --version | grep -q '+syntax'; then
  echo "vim_test: this vim has no +syntax (vim-tiny?); install the 'vim' package"
  echo "vim: 0 passed, 1 failed"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
vim -Nu NONE -i NONE -es \
  -c "let g:egress_root = '$root' | let g:egress_log = '$log'" \
  -S "$here/vim_test.vim" </dev/null >/dev/null 2>&1
rc=$?
if [ ! -s "$log" ]; then
  echo "vim_test: vim exited $rc without writing results"
  echo "vim: 0 passed, 1 failed"
  exit 1
fi
cat "$log"
exit $rc
