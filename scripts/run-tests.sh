#!/usr/bin/env bash
# Installs what is missing, builds StateScope and runs the whole test suite with ctest: every suite that
# compares with real torch runs once per oracle (Debian's python3-torch and the .venv's torch 2.13).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/toolchain.sh
"$STATESCOPE_CMAKE" --preset dev
"$STATESCOPE_CMAKE" --build --preset dev -j "$(nproc)"
"$STATESCOPE_CTEST" --preset dev -j "$(nproc)"
