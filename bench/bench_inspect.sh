#!/usr/bin/env bash
# Benchmark of issue 2: `statescope inspect --json` against the Python peer (torch.load + list keys).
#
#   bench/bench_inspect.sh [OUTDIR]            (default /tmp/statescope-bench; checkpoints are reused)
#
# Environment: STATESCOPE=path to the binary (default build-bench/bin/statescope, built if missing),
#              RUNS=runs per tool and file, the first one a discarded warm-up (default 6, at least 3).
# Exit status: 0 = same tensors and every target met; 1 = the tools disagree about the tensors or a tool
# failed; 2 = setup error; 3 = same tensors but a target missed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
outdir=${1:-/tmp/statescope-bench}
runs=${RUNS:-6}
statescope=${STATESCOPE:-$root/build-bench/bin/statescope}
torch_python=/usr/bin/python3     # the only interpreter with real torch on this machine

die() { echo "bench_inspect: $*" >&2; exit 2; }
[ "$runs" -ge 3 ] 2>/dev/null || die "RUNS must be a number >= 3 (one warm-up + at least two timed runs)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: install the Debian package 'time' (apt-get install time)"
"$torch_python" -c 'import torch' 2>/dev/null || die "$torch_python cannot import torch (python3-torch)"

if [ ! -x "$statescope" ]; then
  [ -z "${STATESCOPE:-}" ] || die "STATESCOPE=$statescope is not an executable"
  echo "bench_inspect: building $statescope" >&2
  cmake -S "$root" -B "$root/build-bench" -G Ninja -DSTATESCOPE_WITH_TORCH=OFF >/dev/null
  ninja -C "$root/build-bench" -j2 statescope >/dev/null
fi

"$torch_python" "$here/make_checkpoints.py" "$outdir"
big=$outdir/llama_2g.pt
small=$outdir/llama_30m.pt
many=$outdir/blocks_100k.pt

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Page cache warm for both tools: every run reads the file from memory, not from the disk.
cat "$big" "$small" "$many" >/dev/null

tool_cmd() {  # tool file -> the command line
  case $1 in
    statescope) echo "$statescope inspect $2 --json" ;;
    peer) echo "$torch_python $here/peer_inspect.py $2" ;;
  esac
}

# One run of one tool on one file. Run 0 is the warm-up: its output is kept for the correctness check and
# its figures are dropped. Later runs append "wall_ms rss_kb cpu_s minor_faults time_e_s" to
# $tmp/<tag>.runs (minor faults count the pages a run touched, page cache included).
# Wall time comes from a nanosecond clock around /usr/bin/time (its %e has only 10 ms resolution, too
# coarse for statescope's runs); %e is kept in the .runs file as a cross-check. cpu = user + sys, which
# the other jobs on a shared machine disturb less than wall time.
run_once() {
  local tool=$1 file=$2 tag=$3 i=$4 t0 t1 out=/dev/null e m u s
  local cmd f; cmd=$(tool_cmd "$tool" "$file")
  [ "$i" -eq 0 ] && out=$tmp/$tag.json && : >"$tmp/$tag.runs"
  t0=$(date +%s%N)
  # shellcheck disable=SC2086  # cmd is word-split on purpose (paths have no spaces: checked below)
  if ! /usr/bin/time -f "%e %M %U %S %R" -o "$tmp/$tag.time" $cmd >"$out" 2>"$tmp/$tag.err"; then
    echo "bench_inspect: '$cmd' failed:" >&2; cat "$tmp/$tag.err" >&2; exit 1
  fi
  t1=$(date +%s%N)
  [ "$i" -eq 0 ] && return 0
  read -r e m u s f <"$tmp/$tag.time"
  echo "$(( (t1 - t0) / 1000000 )) $m $(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') $f $e" >>"$tmp/$tag.runs"
}

# Runs statescope and the peer alternately on one file, so both see the same load from other jobs.
measure() {
  local file=$1 name i
  name=$(basename "$file" .pt)
  for ((i = 0; i < runs; i++)); do
    run_once statescope "$file" "$name.statescope" "$i"
    run_once peer "$file" "$name.peer" "$i"
  done
}

median() {  # column of $tmp/<tag>.runs -> median (mean of the middle two for an even count)
  sort -n <(cut -d' ' -f"$2" "$tmp/$1.runs") | awk '{v[NR]=$1} END {
    if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2] + v[NR/2+1]) / 2 }'
}
minimum() { sort -n <(cut -d' ' -f"$2" "$tmp/$1.runs") | head -1; }

case "$outdir$here$statescope" in *" "*) die "paths with spaces are not supported: $outdir" ;; esac

fmt() { awk -v v="$1" -v d="$2" -v f="$3" 'BEGIN {printf f, v / d}'; }   # value divisor printf-format
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1fx", a / b; else print "n/a"}'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

status=0
echo "StateScope inspect benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
     "$(awk '/MemTotal/ {printf "%.0f GB RAM", $2/1048576}' /proc/meminfo)," \
     "torch $("$torch_python" -c 'import torch; print(torch.__version__)')," \
     "statescope $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')"
echo "$((runs - 1)) timed runs per tool and file after 1 warm-up, tools alternating; load average at start: $(loadavg)"
echo

for f in "$big" "$many" "$small"; do
  name=$(basename "$f" .pt)
  echo "bench_inspect: statescope and peer on $(basename "$f") ..." >&2
  measure "$f"
  if ! python3 "$here/compare_keys.py" "$tmp/$name.statescope.json" "$tmp/$name.peer.json" \
       >"$tmp/$name.cmp"; then
    status=1
  fi
  echo "correctness $(basename "$f"): $(cat "$tmp/$name.cmp")"
done

# Open time against tensor bytes: statescope alone, alternating between the 2.0 GB file and the file with
# the same keys at 1/64 of the bytes, more runs since each takes milliseconds.
open_runs=$(( runs < 11 ? 21 : 2 * runs - 1 ))
echo "bench_inspect: statescope on llama_2g.pt and llama_30m.pt, $((open_runs - 1)) runs each ..." >&2
for ((i = 0; i < open_runs; i++)); do
  run_once statescope "$big" open.big "$i"
  run_once statescope "$small" open.small "$i"
done
echo

declare -A wall rss   # median wall ms and peak RSS kB by "<file>.<tool>", for the targets below
printf '%-12s %8s  %-10s %7s %7s %9s   %-23s %s\n' file size tool "wall s" "cpu s" "RSS MB" \
       "peer/statescope time" "statescope/peer memory"
printf '%-12s %8s  %-10s %7s %7s %9s   %-23s %s\n' "" "" "" median median peak "wall (cpu)" "peak RSS"
for f in "$big" "$many" "$small"; do
  name=$(basename "$f" .pt)
  sw=$(median "$name.statescope" 1); sm=$(median "$name.statescope" 2); sc=$(median "$name.statescope" 3)
  pw=$(median "$name.peer" 1); pm=$(median "$name.peer" 2); pc=$(median "$name.peer" 3)
  printf '%-12s %5s MB  %-10s %7.3f %7.2f %9.1f   %-23s %s\n' "$name" "$(du -m --apparent-size "$f" | cut -f1)" \
         statescope "$(fmt "$sw" 1000 %.3f)" "$sc" "$(fmt "$sm" 1024 %.1f)" "$(ratio "$pw" "$sw") ($(ratio "$pc" "$sc"))" \
         "1/$(fmt "$pm" "$sm" %.0f) ($(fmt "$sm" "$pm" %.3f))"
  printf '%-12s %8s  %-10s %7.3f %7.2f %9.1f\n' "" "" peer "$(fmt "$pw" 1000 %.3f)" "$pc" "$(fmt "$pm" 1024 %.1f)"
  wall[$name.statescope]=$sw; wall[$name.peer]=$pw; rss[$name.statescope]=$sm; rss[$name.peer]=$pm
done
# Open time: the median shows what a user waits; the minimum is the cost without interference from other
# jobs, the fair figure for "does it grow with the bytes" on a shared machine. Page faults count the pages
# each run touched: equal counts mean the tensor bytes were never read.
bw=$(median open.big 1); bmin=$(minimum open.big 1); bf=$(median open.big 4)
sw30=$(median open.small 1); smin=$(minimum open.small 1); sf=$(median open.small 4)
echo
echo "open time vs tensor bytes (statescope only, $((open_runs - 1)) alternating runs each):"
printf '  %-20s median wall %.3f s, fastest %.3f s, cpu %.2f s, minor page faults %s\n' \
       "llama_2g (2.0 GB)" "$(fmt "$bw" 1000 %.3f)" "$(fmt "$bmin" 1000 %.3f)" "$(median open.big 3)" "$bf" \
       "llama_30m (31 MB)" "$(fmt "$sw30" 1000 %.3f)" "$(fmt "$smin" 1000 %.3f)" "$(median open.small 3)" "$sf"
echo
echo "per-run figures (wall ms, peak RSS kB, cpu s, minor page faults, /usr/bin/time %e s):"
for tag in llama_2g.statescope llama_2g.peer blocks_100k.statescope blocks_100k.peer llama_30m.statescope \
           llama_30m.peer open.big open.small; do
  printf '  %-23s %s\n' "$tag" "$(paste -sd';' "$tmp/$tag.runs" | sed 's/;/; /g')"
done
echo "load average at end: $(loadavg)"
echo

# check NAME CONDITION(awk expression) DESCRIPTION
check() {
  if awk "BEGIN {exit !($2)}"; then echo "  met     $1: $3"
  else echo "  MISSED  $1: $3"; [ "$status" -ne 0 ] || status=3; fi
}
echo "targets:"
check "2 GB file, time" "${wall[llama_2g.peer]} >= 5 * ${wall[llama_2g.statescope]}" \
      "statescope $(ratio "${wall[llama_2g.peer]}" "${wall[llama_2g.statescope]}") faster than the peer (>= 5x)"
check "2 GB file, memory" "${rss[llama_2g.statescope]} * 8 <= ${rss[llama_2g.peer]}" \
      "statescope peak RSS 1/$(fmt "${rss[llama_2g.peer]}" "${rss[llama_2g.statescope]}" %.0f) of the peer's (<= 1/8)"
check "100k tensors, time" "${wall[blocks_100k.peer]} >= 3 * ${wall[blocks_100k.statescope]}" \
      "statescope $(ratio "${wall[blocks_100k.peer]}" "${wall[blocks_100k.statescope]}") faster than the peer (>= 3x)"
# Opening reads the zip directory and the pickle, never tensor bytes: 64x the bytes with the same keys
# should cost the same. "About equal" = fastest runs within 25 % or 10 ms (process start jitter).
check "open time vs bytes" "$bmin - $smin <= 10 || $bmin <= 1.25 * $smin" \
      "statescope fastest $(fmt "$bmin" 1000 %.3f) s (median $(fmt "$bw" 1000 %.3f) s) on 2.0 GB vs $(fmt "$smin" 1000 %.3f) s (median $(fmt "$sw30" 1000 %.3f) s) on the same keys at 1/64 of the bytes"
check "correctness" "$status != 1" "statescope's (key, dtype, shape) list equals torch.load's on every file"
exit "$status"
