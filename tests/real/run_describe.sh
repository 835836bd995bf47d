#!/bin/sh
# Usage: run_describe.sh PYTHON CACHE OUTDIR
# Runs describe_real.py with the oracle's Python; without that Python writes OUTDIR/UNAVAILABLE and succeeds,
# so that tst_real_checkpoints of that oracle skips with the reason.
python=$1
cache=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
if [ ! -x "$python" ] || ! "$python" -c 'import torch' >/dev/null 2>&1; then
  echo "$python has no torch" >"$out/UNAVAILABLE"
  echo "oracle unavailable: $(cat "$out/UNAVAILABLE")"
  exit 0
fi
exec "$python" "$(dirname "$0")/describe_real.py" "$cache" "$out"
