#!/usr/bin/env bash
# Installs everything StateScope needs to build, test and run, on Debian 12 or 13:
#  1. Debian's packages (Qt 6, LibTorch, minizip, QCustomPlot, python3-torch as the first oracle, ...);
#  2. the project's Python environment .venv/ (Python 3.11, torch 2.13 as the second oracle, pinned in
#     tests/requirements.txt). Only tests, fixtures and benchmarks use it.
# Idempotent: when everything is present it changes nothing and does not touch the network.
# Set STATESCOPE_NO_VENV=1 to skip step 2 (the torch 2.x half of the tests then skips, saying so).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

# Package names that are the same on Debian 12 (bookworm) and 13 (trixie): libqcustomplot-dev brings the
# Qt 6 build of the library under whichever name the release gives it; python3-torch is 1.13 on Debian 12.
packages=(
  build-essential cmake ninja-build pkg-config ccache
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev libgl-dev
  libqcustomplot-dev
  libtorch-dev libminizip-dev zlib1g-dev
  clang libclang-rt-dev
  python3-torch python3-numpy
  xvfb xauth time
  librsvg2-bin desktop-file-utils appstream shared-mime-info dpkg-dev
)
case "$(debian_release)" in
  12|13) ;;
  *) echo "install-deps: Debian 12 or 13 expected, found $(cat /etc/debian_version 2>/dev/null || echo none);" \
          "trying the same package names" >&2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [ "${STATESCOPE_NO_VENV:-0}" != 1 ]; then
  bash scripts/make-venv.sh
fi
