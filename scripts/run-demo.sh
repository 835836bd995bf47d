#!/usr/bin/env bash
# Installs what is missing, builds StateScope and opens the desktop inspector on the bundled demo pair.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/toolchain.sh
"$STATESCOPE_CMAKE" --preset dev
"$STATESCOPE_CMAKE" --build --preset dev -j "$(nproc)" --target statescope
exec build/bin/statescope --demo
