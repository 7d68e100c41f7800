#!/usr/bin/env bash
# What a user gets from `cmake --install` and from the .deb (issue 13, part 1), checked end to end:
#   1. `cmake --install BUILD --prefix P` puts egressc, its man page, the Vim files, the VS Code extension's
#      sources and the CMake package in the GNUInstallDirs places, and P/bin/egressc works from another folder
#      (it compiles the article to the same bytes as the golden files);
#   2. a CMake project finds the package and compiles a program with egress_compile(), with the Unix Makefiles
#      and the Ninja generators: the first build runs egressc, a second build runs nothing, and touching an
#      imported file runs egressc again (the depfile written by `egressc build --depfile`);
#   3. `cpack -G DEB` makes a package whose contents, control fields and extracted egressc are right.
# Usage: tests/install/run.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- 1. cmake --install
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/egressc share/man/man1/egressc.1 share/vim/vimfiles/syntax/egress.vim \
         share/vim/vimfiles/ftdetect/egress.vim share/egress/editors/vscode/package.json \
         share/egress/editors/vscode/syntaxes/egress.tmLanguage.json share/doc/egress/LICENSE \
         lib/cmake/egress/egressConfig.cmake lib/cmake/egress/egressConfigVersion.cmake \
         lib/cmake/egress/egressCompile.cmake; do
  [ -f "$prefix/$f" ] || fail "cmake --install did not install $f"
done
[ -x "$prefix/bin/egressc" ] || fail "the installed egressc is not executable"
[ ! -e "$prefix/share/egress/editors/vscode/node_modules" ] || fail "node_modules was installed"
"$prefix/bin/egressc" --version | grep -Eq '^egressc [0-9]+\.[0-9]+\.[0-9]+ \(git [^)]+\)$' \
  || fail "--version does not print the version and the git revision: $("$prefix/bin/egressc" --version)"
grep -q '^\.SH SYNOPSIS' "$prefix/share/man/man1/egressc.1" || fail "the man page has no SYNOPSIS"
# Every usage line of --help is in the man page (hyphens are escaped there).
"$prefix/bin/egressc" --help | sed -n 's/^  \(egressc .*\)/\1/p' | while IFS= read -r line; do
  grep -qF -- "$(printf '%s' "$line" | sed 's/-/\\-/g')" "$prefix/share/man/man1/egressc.1" \
    || fail "the man page lacks the usage line: $line"
done
mkdir "$work/elsewhere"
(cd "$work/elsewhere" && "$prefix/bin/egressc" build "$source_dir/examples/aks-egress/main.egress" -o out >/dev/null 2>&1) \
  || fail "the installed egressc cannot build the article"
for f in main.json main.bicep main.sh main.yaml; do
  cmp -s "$work/elsewhere/out/$f" "$source_dir/examples/aks-egress/expected/$f" \
    || fail "the installed egressc wrote a different $f"
done
echo "install: $(cd "$prefix" && find . -type f | wc -l) files; the installed egressc builds the article byte for byte"

# --- 2. find_package(egress) and egress_compile(), both generators
program="$work/program"
mkdir -p "$program"
{ echo 'import "params.egress"'; grep -v '^param ' "$source_dir/examples/aks-egress/main.egress"; } > "$program/main.egress"
grep '^param ' "$source_dir/examples/aks-egress/main.egress" > "$program/params.egress"
for generator in "Unix Makefiles" Ninja; do
  consumer="$work/consumer-${generator// /-}"
  cmake -S "$source_dir/tests/install/consumer" -B "$consumer" -G "$generator" -DCMAKE_PREFIX_PATH="$prefix" \
    -DEGRESS_PROGRAM="$program/main.egress" >/dev/null || fail "$generator: find_package(egress) failed"
  first=$(cmake --build "$consumer" 2>&1) || fail "$generator: the first build failed: $first"
  grep -q 'egressc build main' <<<"$first" || fail "$generator: the first build did not run egressc"
  for f in main.json main.bicep main.sh main.yaml; do
    [ -s "$consumer/out/$f" ] || fail "$generator: egress_compile did not write out/$f"
  done
  again=$(cmake --build "$consumer" 2>&1) || fail "$generator: the second build failed"
  ! grep -q 'egressc build main' <<<"$again" || fail "$generator: a build with nothing changed ran egressc again"
  sleep 1  # a new mtime, also on filesystems with one-second timestamps
  touch "$program/params.egress"
  third=$(cmake --build "$consumer" 2>&1) || fail "$generator: the build after touching the import failed"
  grep -q 'egressc build main' <<<"$third" || fail "$generator: touching an imported file did not re-run egressc"
  echo "egress_compile ($generator): built, not rebuilt when nothing changed, rebuilt when an import changed"
done

# --- 3. the Debian package
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/pkg" >/dev/null) || fail "cpack -G DEB failed"
deb=$(ls "$work"/pkg/*.deb)
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/egressc ./usr/share/man/man1/egressc.1 ./usr/share/vim/vimfiles/syntax/egress.vim; do
  grep -qF " $f" <<<"$contents" || fail "the package lacks $f"
done
grep -q 'cmake/egress/egressConfig.cmake' <<<"$contents" || fail "the package lacks the CMake package config"
[ "$(dpkg-deb -f "$deb" Package)" = egress ] || fail "Package field"
dpkg-deb -f "$deb" Depends | grep -q 'libfmt9' || fail "Depends lacks libfmt9: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -x "$deb" "$work/root"
(cd "$work/elsewhere" && "$work/root/usr/bin/egressc" check "$source_dir/examples/aks-egress/main.egress" >/dev/null 2>&1) \
  || fail "the packaged egressc does not run"
echo "deb: $(basename "$deb"), $(grep -c . <<<"$contents") entries, Depends: $(dpkg-deb -f "$deb" Depends)"
