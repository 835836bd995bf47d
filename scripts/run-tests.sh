#!/usr/bin/env bash
# Usage: scripts/run-tests.sh [TEST_PRESET]
# Installs what is missing, builds StateScope and runs the whole test suite with ctest: every suite that
# compares with real torch runs once per oracle (Debian's python3-torch and the .venv's torch 2.13).
# TEST_PRESET (CMakePresets.json) defaults to dev; `real` runs the optional real-checkpoint set instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/toolchain.sh
"$STATESCOPE_CMAKE" --preset dev
"$STATESCOPE_CMAKE" --build --preset dev -j "$(nproc)"
"$STATESCOPE_CTEST" --preset "${1:-dev}" -j "$(nproc)"
