#!/usr/bin/env bash
# Benchmark of issue 4: `statescope fix` on a ~2 GB checkpoint against `cp` of the same file and the Python
# peer (torch.load + strip "module." + torch.save). Targets: fix time <= 3x cp time, fix peak RSS <= 600 MB.
#
#   bench/fix/bench_fix.sh [OUTDIR]        (default /tmp/statescope-bench; checkpoints are reused)
#
# Environment: STATESCOPE=binary (default build/bin/statescope), RUNS=timed runs per tool (default 3).
# Exit status: 0 = output correct and targets met; 1 = wrong output or a tool failed; 2 = setup error;
# 3 = output correct but a target missed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
outdir=${1:-/tmp/statescope-bench}
runs=${RUNS:-3}
statescope=${STATESCOPE:-$root/build/bin/statescope}
py=/usr/bin/python3     # the only interpreter with real torch on this machine

die() { echo "bench_fix: $*" >&2; exit 2; }
[ -x "$statescope" ] || die "$statescope is not an executable (set STATESCOPE)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: apt-get install time"
[ "$runs" -ge 1 ] 2>/dev/null || die "RUNS must be a number >= 1"
case "$outdir$here$statescope" in *" "*) die "paths with spaces are not supported" ;; esac

source=$("$py" "$here/make_pair.py" "$outdir")   # writes llama_2g.pt (via make_checkpoints.py) if missing
target=$outdir/llama_2g.pt
work=$(mktemp -d "$outdir/benchfix.XXXXXX")      # same file system as the inputs: cp and fix write alike
trap 'rm -rf "$work"' EXIT
rules=$work/rules.json

# Page cache warm: every tool reads its input from memory; what differs is how it writes.
cat "$source" "$target" >/dev/null

"$statescope" suggest "$source" "$target" >"$rules" || die "statescope suggest failed"
"$py" - "$rules" <<'PY' || die "suggest did not produce [strip_prefix module.] on source_dict state_dict"
import json, sys
r = json.load(open(sys.argv[1]))
ops = [(x["op"], x.get("prefix")) for x in r["rules"]]
sys.exit(0 if r.get("source_dict") == "state_dict" and ops == [("strip_prefix", "module.")] else 1)
PY

# Samples VmHWM, RssAnon and RssFile (kB) of the child of /usr/bin/time ($1) every 50 ms into $2, so a
# missed memory target shows whether the peak is heap (RssAnon) or mapped/page-cache pages (RssFile).
sample_mem() {
  local tpid=$1 log=$2 pid=""
  while kill -0 "$tpid" 2>/dev/null; do
    [ -n "$pid" ] || pid=$(pgrep -P "$tpid" | head -1 || true)
    [ -n "$pid" ] && awk '/^(VmHWM|RssAnon|RssFile):/ {printf "%s %s ", $1, $2} END {print ""}' \
      "/proc/$pid/status" >>"$log" 2>/dev/null || true
    sleep 0.05
  done
}

status=0
# run TAG OUTFILE CMD... : times CMD, appends "wall_s rss_kb" to $work/TAG.runs, the memory peaks to .mem
run() {
  local tag=$1 out=$2; shift 2
  local t0 t1 tpid e m
  t0=$(date +%s%N)
  /usr/bin/time -f "%e %M" -o "$work/$tag.time" "$@" >"$work/$tag.out" 2>"$work/$tag.err" &
  tpid=$!
  sample_mem "$tpid" "$work/$tag.sample" &
  if ! wait "$tpid"; then echo "bench_fix: $tag failed:" >&2; cat "$work/$tag.err" >&2; exit 1; fi
  t1=$(date +%s%N)
  wait
  read -r e m <"$work/$tag.time"
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", (b - a) / 1e9}') $m" >>"$work/$tag.runs"
  awk '{for (i = 1; i < NF; i += 2) if ($(i+1) > p[$i]) p[$i] = $(i+1)}
       END {printf "VmHWM %d RssAnon %d RssFile %d\n", p["VmHWM:"], p["RssAnon:"], p["RssFile:"]}' \
      "$work/$tag.sample" >>"$work/$tag.mem"
  rm -f "$work/$tag.sample"
  [ -e "$out" ] || { echo "bench_fix: $tag wrote no $out" >&2; exit 1; }
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
echo "StateScope fix benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
     "$(awk '/MemTotal/ {printf "%.0f GB RAM", $2/1048576}' /proc/meminfo)," \
     "torch $("$py" -c 'import torch; print(torch.__version__)')," \
     "statescope $(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')"
echo "source $(basename "$source") $(du -m --apparent-size "$source" | cut -f1) MB -> target layout $(basename "$target");" \
     "$runs runs per tool, tools alternating, page cache warm; load average at start: $(loadavg)"

for ((i = 1; i <= runs; i++)); do
  echo "bench_fix: run $i/$runs ..." >&2
  run fix "$work/fix.pt" "$statescope" fix "$source" --target "$target" --rules "$rules" -o "$work/fix.pt"
  if [ "$i" -eq 1 ]; then
    if ! "$statescope" diff "$work/fix.pt" "$target" >"$work/diff.out" 2>&1; then
      echo "correctness: statescope diff OUT TARGET exits non-zero:"; cat "$work/diff.out"; status=1
    else echo "correctness: statescope diff OUT TARGET exits 0"; fi
    verdict=$("$py" "$here/verify_fix.py" "$work/fix.pt" "$source" "$target" 2>&1) || status=1
    echo "correctness (fix output, real torch): $verdict"
  fi
  rm -f "$work/fix.pt"; sync
  run cp "$work/cp.pt" cp "$source" "$work/cp.pt"
  rm -f "$work/cp.pt"; sync
  run peer "$work/peer.pt" "$py" "$here/peer_fix.py" "$source" "$work/peer.pt"
  rm -f "$work/peer.pt"; sync
done

median() {  # tag column -> median
  cut -d' ' -f"$2" "$work/$1.runs" | sort -n | awk '{v[NR]=$1} END {
    if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2] + v[NR/2+1]) / 2 }'
}
echo
printf '%-12s %10s %12s   %s\n' tool "wall s" "peak RSS MB" "per run (wall s, peak RSS kB) | sampled max VmHWM/RssAnon/RssFile kB"
for t in fix cp peer; do
  printf '%-12s %10.2f %12.0f   %s | %s\n' "$t" "$(median "$t" 1)" "$(awk -v k="$(median "$t" 2)" 'BEGIN {print k / 1024}')" \
         "$(paste -sd';' "$work/$t.runs")" "$(tail -1 "$work/$t.mem")"
done
fw=$(median fix 1); cw=$(median cp 1); pw=$(median peer 1); fm=$(median fix 2); pm=$(median peer 2)
echo "load average at end: $(loadavg)"
echo
check() {  # name awk-condition description
  if awk "BEGIN {exit !($2)}"; then echo "  met     $1: $3"
  else echo "  MISSED  $1: $3"; [ "$status" -ne 0 ] || status=3; fi
}
echo "targets:"
check "fix time" "$fw <= 3 * $cw" "fix $(awk -v a="$fw" -v b="$cw" 'BEGIN {printf "%.2fx", a / b}') the time of cp (<= 3x); peer $(awk -v a="$pw" -v b="$cw" 'BEGIN {printf "%.2fx", a / b}')"
check "fix memory" "$fm <= 600 * 1024" "fix peak RSS $(awk -v k="$fm" 'BEGIN {printf "%.0f", k / 1024}') MB (<= 600 MB); peer $(awk -v k="$pm" 'BEGIN {printf "%.0f", k / 1024}') MB"
check "correctness" "$status != 1" "diff exits 0, keys equal the target's, tensors equal the source's"
exit "$status"
