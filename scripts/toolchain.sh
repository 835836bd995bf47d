# Sourced by the scripts: which Debian release this is, and the CMake they use.
#
# The CMake first on PATH may be a pip-installed 4.x (this kind of machine ships one); the build uses
# Debian's own /usr/bin/cmake on purpose: it is the version Debian's Qt 6 and LibTorch CMake packages are
# built and tested with, on either release. STATESCOPE_CMAKE overrides it (its ctest is taken beside it).

debian_release() {
  local v
  v=$(cut -d. -f1 /etc/debian_version 2>/dev/null || true)
  case "$v" in
    ''|*[!0-9]*) . /etc/os-release 2>/dev/null; case "${VERSION_CODENAME:-}" in
                   bookworm) echo 12 ;; trixie) echo 13 ;; *) echo unknown ;; esac ;;
    *) echo "$v" ;;
  esac
}

STATESCOPE_CMAKE=${STATESCOPE_CMAKE:-/usr/bin/cmake}
STATESCOPE_CTEST=${STATESCOPE_CTEST:-$(dirname "$STATESCOPE_CMAKE")/ctest}
