# Sourced by the headless editor tests. ensure_package COMMAND PACKAGE LABEL: makes COMMAND available,
# installing the Debian PACKAGE with apt-get when running as root; otherwise prints the failure line the
# test's summary expects (`LABEL: 0 passed, 1 failed`) and returns 1.
ensure_package() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "$3_test: $1 is missing; installing $2 with apt-get"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null) && return 0
    echo "$3_test: apt-get install $2 failed"
  else
    echo "$3_test: $1 is missing (install it: apt-get install $2)"
  fi
  echo "$3: 0 passed, 1 failed"
  return 1
}
