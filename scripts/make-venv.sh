#!/usr/bin/env bash
# Makes the project's Python environment .venv/ for tests, fixtures and benchmarks: Python 3.11 (the wheel
# of torch 2.13.0 on this kind of machine is for 3.11) with tests/requirements.txt. Idempotent: a .venv whose
# recorded requirements equal the file's is left alone, without touching the network.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv
requirements=tests/requirements.txt
stamp=$venv/statescope-requirements.txt

if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$stamp"; then
  exit 0
fi

# A Python 3.11 with venv: STATESCOPE_PYTHON311, else the first python3.11 that can make a venv (pyenv's on
# this kind of machine, Debian 12's /usr/bin/python3.11 with python3-venv).
candidates=()
[ -n "${STATESCOPE_PYTHON311:-}" ] && candidates+=("$STATESCOPE_PYTHON311")
command -v python3.11 >/dev/null 2>&1 && candidates+=("$(command -v python3.11)")
for p in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.11*/bin/python3.11 /usr/local/bin/python3.11 /usr/bin/python3.11; do
  [ -x "$p" ] && candidates+=("$p")
done
python=""
for p in "${candidates[@]}"; do
  if "$p" -c 'import sys, venv, ensurepip; assert sys.version_info[:2] == (3, 11)' >/dev/null 2>&1; then
    python=$p
    break
  fi
done
if [ -z "$python" ]; then
  echo "make-venv: no Python 3.11 with venv and ensurepip found (tried: ${candidates[*]:-none});" \
       "set STATESCOPE_PYTHON311, or STATESCOPE_NO_VENV=1 to test against Debian's torch only" >&2
  exit 1
fi

echo "make-venv: $venv from $python with $requirements" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
pip_args=(--quiet --disable-pip-version-check)
# The machine's wheels of torch (CPU build) lie here; PIP_FIND_LINKS names them too, but CI's environment may
# not carry it.
[ -d /opt/wheels ] && pip_args+=(--find-links /opt/wheels)
"$venv/bin/python" -m pip install "${pip_args[@]}" -r "$requirements"
"$venv/bin/python" -c 'import torch; print("make-venv: torch", torch.__version__)' >&2
cp "$requirements" "$stamp"
