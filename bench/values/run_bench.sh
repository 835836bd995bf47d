#!/bin/sh
# Value diff of two ~2.2 GB fp16 checkpoints (20 tensors changed): StateScope's engine against the Python peer,
# both from a warm page cache. Usage: bench/values/run_bench.sh BUILD_DIR [DATA_DIR]
# BUILD_DIR must hold bin/value_diff_tool and lib/statescope/libstatescope_torch.so (STATESCOPE_WITH_TORCH=ON).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$1" && pwd)
data=${2:-/tmp/statescope-bench-values}
runs=${RUNS:-3}

[ -f "$data/b.pt" ] || /usr/bin/python3 "$here/make_checkpoints.py" "$data"
size=$(( $(stat -c %s "$data/a.pt") + $(stat -c %s "$data/b.pt") ))

# The read limit: both files from the page cache (first cat warms it, the timed one reads it).
cat "$data/a.pt" "$data/b.pt" > /dev/null
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$data/cat.time" sh -c "cat '$data/a.pt' '$data/b.pt' > /dev/null"
  echo "cat        $(cat "$data/cat.time")"
done
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$data/ours.time" "$build/bin/value_diff_tool" "$data/a.pt" "$data/b.pt" > "$data/ours.json"
  echo "statescope $(cat "$data/ours.time")"
done
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$data/peer.time" /usr/bin/python3 "$here/python_peer.py" "$data/a.pt" "$data/b.pt" > "$data/peer.json"
  echo "python     $(cat "$data/peer.time")"
done

/usr/bin/python3 - "$data" "$size" <<'PY'
import json, sys
data, size = sys.argv[1], int(sys.argv[2])
want = json.load(open(f"{data}/changed.json"))
ours = sorted(json.load(open(f"{data}/ours.json"))["changed"])
peer = sorted(json.load(open(f"{data}/peer.json"))["changed"])
print(f"bytes compared: {size / 1e9:.2f} GB")
print("statescope names exactly the 20 changed tensors:", ours == want)
print("python peer names exactly the 20 changed tensors:", peer == want)
PY
