#!/usr/bin/env bash
# Installs what egress needs on a Debian machine, only what is missing, and configures the build.
#   scripts/setup.sh            build dependencies (compiler, CMake, PEGTL, fmt, nlohmann_json, Boost.Graph, Catch2)
#   scripts/setup.sh --tests    also the output validators (azure-cli, shellcheck, yamllint, node) into build/validators,
#                               clang with its sanitizer and libFuzzer runtimes (scripts/sanitize.sh), strace, and
#                               ccache (the builds use it when it is installed)
#   scripts/setup.sh --bench    also what the whole-process benchmark and its profiles use (docs/performance.md):
#                               jsonnet (the peer; its ctest is skipped without it), perf, valgrind, heaptrack
#   (--tests and --bench can be given together)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

with_tests=0
with_bench=0
for arg in "$@"; do
  case "$arg" in
    --tests) with_tests=1 ;;
    --bench) with_bench=1 ;;
    *) echo "usage: scripts/setup.sh [--tests] [--bench]" >&2; exit 2 ;;
  esac
done

packages=(g++ cmake make tao-pegtl-dev libfmt-dev nlohmann-json3-dev libboost-graph-dev catch2 libbenchmark-dev)
[ "$with_tests" = 1 ] && packages+=(azure-cli shellcheck yamllint nodejs npm python3-yaml vim-nox neovim clang libclang-rt-dev strace ninja-build ccache)
[ "$with_bench" = 1 ] && packages+=(jsonnet linux-perf valgrind heaptrack)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The editor tests' lock files pin npm packages that run on Debian 12's nodejs (18.19 and later; checked by
# tests/editors/run.sh): a node older than that is as good as none.
node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 19) ? 0 : 1)'
}
# node and npm may come from elsewhere than Debian (they do on some images): only ask apt for them when absent.
if [ ${#missing[@]} -gt 0 ]; then
  filtered=()
  for p in "${missing[@]}"; do
    case "$p" in
      npm) command -v npm >/dev/null 2>&1 || filtered+=("$p") ;;
      nodejs) node_ok || filtered+=("$p") ;;
      *) filtered+=("$p") ;;
    esac
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing: ${missing[*]}"
  SUDO=()
  [ "$(id -u)" = 0 ] || SUDO=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$with_tests" = 1 ]; then
  node_ok || echo "== warning: no node 18.19 or later on PATH (found: $(command -v node || echo none)" \
    "$(node --version 2>/dev/null)): the editor tests need Debian 12's nodejs or a later one" >&2
  if [ -d ../shared/validators ]; then
    ../shared/validators/setup.sh "$PWD/build/validators" >/dev/null
    # The shared copy stores the shim's tool stubs as files holding the text "_stub" (flattened symlinks),
    # so the real kubectl would run under az_check.sh; make them the links they were meant to be.
    for stub in build/validators/az/shim/*; do
      [ "$(basename "$stub")" = _stub ] && continue
      if [ ! -L "$stub" ] && [ "$(head -c 16 "$stub")" = "_stub" ]; then ln -sf _stub "$stub"; fi
    done
    # az_check.sh starts one Python per az command with PYTHONDONTWRITEBYTECODE=1, so the azure-firewall
    # extension's 521 sources (Debian's azure-cli comes compiled) were compiled again by every `az network ...`
    # command: 1.73 -> 1.23 s of CPU for `az network firewall create`, 1.68 -> 1.55 s for `az network vnet
    # create`. The bytecode goes into this copy, beside the sources; Python checks each file's size and mtime
    # against its source and compiles afresh when they differ, so the az that judges the scripts is unchanged.
    /usr/bin/python3 -m compileall -q build/validators/az/ext >/dev/null
    echo "== validators ready in build/validators"
  else
    echo "== ../shared/validators not found: the validator tests will be skipped" >&2
  fi
fi

# With ccache installed (setup.sh --tests installs it), every build goes through it: a second run of the test
# suite on the same machine, or after a small change, recompiles only what changed. A first run costs the same.
launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release "${launcher[@]+"${launcher[@]}"}" >/dev/null
