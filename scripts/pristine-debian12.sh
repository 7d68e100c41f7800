#!/usr/bin/env bash
# Runs the README's two commands as a newcomer would, in a pristine Debian 12: a `debootstrap --variant=minbase
# bookworm` chroot holding a fresh clone of this project with a read-only copy of ../shared beside it (the way
# CI lays it out), then `bash scripts/build-example.sh` and `bash scripts/test.sh` inside it, one after the
# other, each timed. Prints a summary; exits 0 only when both commands passed.
#   sudo scripts/pristine-debian12.sh            (root: debootstrap, mount and chroot need it)
# With PRISTINE_DEB=FILE.deb it checks the package instead (issue 13): in the same fresh root, `apt-get install
# ./FILE.deb` must pull in every library egressc needs, the installed egressc must build the article to the
# bytes of examples/aks-egress/expected, its man page and editor files must be where the package says, and
# `apt-get purge` must leave nothing of it behind. Make the package with `cpack --config BUILD/CPackConfig.cmake`.
# Environment:
#   PRISTINE_CACHE=/var/tmp/egress-pristine   where the debootstrapped base system (made once, then copied for
#                                              each run), the .deb cache, the run's root and its logs are kept
#   PRISTINE_MIRROR=http://deb.debian.org/debian
#   PRISTINE_REF=HEAD                          the commit of this repository to clone (committed work only)
#   PRISTINE_SHARED=<repo>/../shared           the folder copied read-only beside the clone
#   PRISTINE_KEEP=1                            keep the run's root after a passing run (a failing run's is kept)
#   PRISTINE_HOST_CA=0                         do not copy the host's own CA certificates into the chroot (see below)
#   EGRESS_SKIP_SANITIZE=1                     passed on to scripts/test.sh (skips the sanitizer pass)
#   PRISTINE_DEB=FILE.deb                      check this package in the fresh root instead of the two commands
# The run's root is $PRISTINE_CACHE/run/root; its logs are in $PRISTINE_CACHE/logs/<date>/. Downloaded .deb
# files are kept in $PRISTINE_CACHE/apt-archives between runs (apt still installs every package afresh); nothing
# else carries over: no npm cache, no build folder, no package beyond debootstrap's minbase.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${PRISTINE_CACHE:-/var/tmp/egress-pristine}
mirror=${PRISTINE_MIRROR:-http://deb.debian.org/debian}
ref=${PRISTINE_REF:-HEAD}
shared=${PRISTINE_SHARED:-$repo/../shared}

if [ "$(id -u)" != 0 ]; then
  echo "pristine-debian12.sh: run it as root (debootstrap, mount and chroot need it)" >&2
  exit 2
fi
[ -d "$shared" ] || { echo "pristine-debian12.sh: $shared not found (set PRISTINE_SHARED)" >&2; exit 2; }
shared=$(cd "$shared" && pwd)
commit=$(git -C "$repo" rev-parse --verify "$ref^{commit}")
branch=$(git -C "$repo" symbolic-ref -q --short HEAD || echo pristine)
[ "$ref" = HEAD ] || branch=pristine
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no)" ]; then
  echo "== note: $repo has uncommitted changes; the chroot gets commit ${commit:0:12} only" >&2
fi

stamp() { echo "== [$(date -u +%H:%M:%S)] $*"; }

# ---- debootstrap (from Debian) and the cached base system
if ! command -v debootstrap >/dev/null 2>&1; then
  stamp "installing debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq debootstrap >/dev/null
fi
mkdir -p "$cache"
base="$cache/bookworm-minbase"
if [ ! -f "$base/.complete" ]; then
  stamp "debootstrap --variant=minbase bookworm $base ($mirror)"
  rm -rf --one-file-system "$base.partial"
  t0=$(date +%s)
  debootstrap --variant=minbase bookworm "$base.partial" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -30 "$cache/debootstrap.log"; echo "pristine-debian12.sh: debootstrap failed" >&2; exit 1; }
  date -u +%FT%TZ >"$base.partial/.complete"
  rm -rf --one-file-system "$base"
  mv "$base.partial" "$base"
  stamp "debootstrap took $(($(date +%s) - t0)) s"
else
  stamp "base system: $base (debootstrapped $(cat "$base/.complete"))"
fi

# ---- a fresh root for this run
run="$cache/run"
root="$run/root"
logs="$cache/logs/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs" "$cache/apt-archives/partial"
mounts=()
unmount_all() {
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount -R "${mounts[$i]}" 2>/dev/null || umount -R -l "${mounts[$i]}" 2>/dev/null || true
  done
  mounts=()
}
trap unmount_all EXIT
trap 'exit 130' INT TERM
if [ -d "$root" ]; then
  # A previous run's root: make sure nothing is still mounted in it before deleting it.
  grep -q " $root/" /proc/mounts && { awk -v r="$root/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r |
    while read -r m; do umount -R -l "$m" || true; done; }
  grep -q " $root/" /proc/mounts && { echo "pristine-debian12.sh: $root still has mounts" >&2; exit 1; }
  rm -rf --one-file-system "$root"
fi
mkdir -p "$run"
stamp "copying the base system to $root"
cp -a "$base" "$root"
rm -f "$root/.complete"

# apt as a fresh Debian 12 installation has it: the release, its updates and the security archive.
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
EOF
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
[ -f /etc/hosts ] && cp -L /etc/hosts "$root/etc/hosts"
# The network this machine is on, not the project: when the host trusts certificate authorities of its own
# (Debian's place for them is /usr/local/share/ca-certificates; a TLS-inspecting proxy needs one to reach the npm
# registry), the chroot trusts them too. ca-certificates, once apt installs it, adds them to /etc/ssl/certs.
host_cas=0
if [ "${PRISTINE_HOST_CA:-1}" = 1 ]; then
  for crt in /usr/local/share/ca-certificates/*.crt /usr/local/share/ca-certificates/*/*.crt; do
    [ -f "$crt" ] || continue
    dest="$root/usr/local/share/ca-certificates/${crt#/usr/local/share/ca-certificates/}"
    mkdir -p "$(dirname "$dest")"
    cp -L "$crt" "$dest"
    host_cas=$((host_cas + 1))
  done
fi

# ---- the project: a fresh clone, ../shared beside it read-only
stamp "cloning $repo at ${commit:0:12} into /ci/egress, $shared into /ci/shared (read-only)"
mkdir -p "$root/ci"
git clone -q --no-checkout "$repo" "$root/ci/egress"
git -C "$root/ci/egress" checkout -q -B "$branch" "$commit"
cp -a "$shared" "$root/ci/shared"
chmod -R a-w "$root/ci/shared"

mount_into() { # mount_into KIND SRC TARGET: bind (recursive, slave) or proc
  mkdir -p "$3"
  case "$1" in
    proc) mount -t proc proc "$3" ;;
    rbind) mount --rbind "$2" "$3" && mount --make-rslave "$3" ;;
    bind) mount --bind "$2" "$3" ;;
  esac
  mounts+=("$3")
}
mount_into proc proc "$root/proc"
mount_into rbind /sys "$root/sys"
mount_into rbind /dev "$root/dev"
mount_into bind "$cache/apt-archives" "$root/var/cache/apt/archives"
# Root ignores write bits: a read-only bind mount makes the copy of shared/ really read-only.
mount_into bind "$root/ci/shared" "$root/ci/shared"
mount -o remount,bind,ro "$root/ci/shared"

in_chroot() { # in_chroot COMMAND: runs bash -c COMMAND in /ci/egress with a clean login-like environment
  local extra=()
  [ -n "${EGRESS_SKIP_SANITIZE:-}" ] && extra+=("EGRESS_SKIP_SANITIZE=$EGRESS_SKIP_SANITIZE")
  chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${extra[@]}" \
    /bin/bash -c "cd /ci/egress && $1"
}

# ---- PRISTINE_DEB: the package, installed with apt into the fresh root
if [ -n "${PRISTINE_DEB:-}" ]; then
  deb=$(cd "$(dirname "$PRISTINE_DEB")" && pwd)/$(basename "$PRISTINE_DEB")
  [ -f "$deb" ] || { echo "pristine-debian12.sh: $PRISTINE_DEB not found" >&2; exit 2; }
  cp "$deb" "$root/tmp/egress.deb"
  mkdir -p "$root/ci/article"
  cp "$repo/examples/aks-egress/main.egress" "$root/ci/article/"
  cp -a "$repo/examples/aks-egress/expected" "$root/ci/article/expected"
  stamp "chroot: apt-get install /tmp/egress.deb, then the installed egressc (log: $logs/deb.log)"
  set +e
  # shellcheck disable=SC2016  # expanded inside the chroot's bash
  in_chroot '
    set -eu
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq /tmp/egress.deb >/dev/null
    echo "installed: $(dpkg-query -W -f="\${Package} \${Version} (depends: \${Depends})" egress)"
    egressc --version
    for f in /usr/bin/egressc /usr/share/man/man1/egressc.1.gz /usr/share/vim/vimfiles/syntax/egress.vim \
             /usr/share/egress/editors/vscode/package.json /usr/lib/cmake/egress/egressConfig.cmake; do
      [ -f "$f" ] || [ -f "${f%.gz}" ] || { echo "FAIL: the package has no $f"; exit 1; }
    done
    cd /ci/article
    egressc build main.egress -o out
    for f in main.json main.bicep main.sh main.yaml; do
      cmp -s "out/$f" "expected/$f" || { echo "FAIL: out/$f differs from examples/aks-egress/expected/$f"; exit 1; }
    done
    echo "the installed egressc builds the article to the expected bytes"
    dpkg -L egress | while read -r f; do [ -d "$f" ] || echo "$f"; done >/tmp/egress-files
    apt-get purge -y -qq egress >/dev/null
    left=$(while read -r f; do [ ! -e "$f" ] || echo "$f"; done </tmp/egress-files)
    [ -z "$left" ] || { echo "FAIL: apt-get purge left: $left"; exit 1; }
    echo "apt-get purge removed all $(wc -l </tmp/egress-files) files of the package"
  ' </dev/null 2>&1 | tee "$logs/deb.log"
  rc=${PIPESTATUS[0]}
  set -e
  stamp "package check: exit $rc (debian $(cat "$root/etc/debian_version"), load $(cut -d' ' -f1-3 /proc/loadavg))"
  unmount_all
  [ "$rc" = 0 ] && { [ "${PRISTINE_KEEP:-0}" = 1 ] || rm -rf --one-file-system "$root"; }
  exit "$rc"
fi

# ---- the README's two commands
names=("bash scripts/build-example.sh" "bash scripts/test.sh")
files=(build-example test)
rcs=()
secs=()
for i in 0 1; do
  stamp "chroot: ${names[$i]}${EGRESS_SKIP_SANITIZE:+ (EGRESS_SKIP_SANITIZE=$EGRESS_SKIP_SANITIZE)} (log: $logs/${files[$i]}.log)"
  t0=$(date +%s)
  set +e
  in_chroot "${names[$i]}" </dev/null 2>&1 | tee "$logs/${files[$i]}.log"
  rc=${PIPESTATUS[0]}
  set -e
  rcs+=("$rc")
  secs+=("$(($(date +%s) - t0))")
  stamp "${names[$i]}: exit $rc after ${secs[$i]} s"
done

# ---- summary
debian=$(cat "$root/etc/debian_version")
node=$(in_chroot 'command -v node >/dev/null && node --version || echo none' 2>/dev/null || echo none)
npm=$(in_chroot 'command -v npm >/dev/null && npm --version || echo none' 2>/dev/null || echo none)
nodepkg=$(in_chroot "dpkg-query -W -f='\${Version}' nodejs 2>/dev/null || echo none" 2>/dev/null || echo none)
{
  echo "== pristine Debian 12 run, $(date -u +%FT%TZ)"
  echo "   commit      ${commit:0:12} of $repo"
  echo "   debian      $debian (debootstrap --variant=minbase bookworm, $mirror)"
  echo "   node        $node (nodejs $nodepkg), npm $npm"
  echo "   cores       $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "   host CAs    $host_cas certificate(s) from /usr/local/share/ca-certificates copied in"
  for i in 0 1; do
    if [ "${rcs[$i]}" = 0 ]; then result=passed; else result="FAILED (exit ${rcs[$i]})"; fi
    printf '   %-30s %6d s  %s\n' "${names[$i]}" "${secs[$i]}" "$result"
  done
  grep -h -E '^[0-9]+% tests passed|^The following tests FAILED|^[[:space:]]+[0-9]+ - .* \((Failed|Timeout|Not Run|SEGFAULT|Subprocess aborted)\)|sanitize.sh: all passed' \
    "$logs/test.log" | sed 's/^/   /'
  # ctest prints the editors' own count only when that test fails: no line is no error.
  grep -h -E '^[0-9]+ passed, [0-9]+ failed$' "$logs/test.log" | sed 's/^/   editors: /' || true
} | tee "$logs/summary.txt"
echo "== logs: $logs"

unmount_all
if [ "${rcs[0]}" = 0 ] && [ "${rcs[1]}" = 0 ]; then
  [ "${PRISTINE_KEEP:-0}" = 1 ] || rm -rf --one-file-system "$root"
  exit 0
fi
echo "== the run's root is kept for inspection: $root" >&2
exit 1
