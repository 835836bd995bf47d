#!/usr/bin/env bash
# Usage: run_smoke.sh SOURCE_DIR FUZZ_BUILD_DIR FIXTURE_DIR SECONDS [CMAKE]
# Configures and builds the libFuzzer targets with clang (the fuzz preset's settings), makes the seed corpus
# from the fixtures, replays tests/fuzz/regressions, then fuzzes each target for SECONDS. Any crash, leak,
# timeout, out-of-memory or sanitizer report fails the test, and the input that caused it is printed in base64.
set -uo pipefail

source_dir=$1
build_dir=$2
fixture_dir=$3
seconds=$4
cmake=${5:-cmake} # the CMake that configured the main build (not whichever is first on PATH)
fuzzers=(fuzz_pickle fuzz_safetensors fuzz_checkpoint)

fail() { echo "fuzz_smoke: $*" >&2; exit 1; }

# The seeds come from the default oracle's fixtures; without that oracle there is nothing to seed from.
if [ -f "$fixture_dir/UNAVAILABLE" ]; then
  echo "fuzz_smoke: skipped, the fixtures' oracle is unavailable: $(cat "$fixture_dir/UNAVAILABLE")"
  exit 77
fi

command -v clang++ >/dev/null || fail "clang++ not found (scripts/install-deps.sh installs clang and libclang-rt-dev)"

mkdir -p "$build_dir"
"$cmake" -S "$source_dir" -B "$build_dir" -G Ninja \
  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
  -DSTATESCOPE_BUILD_FUZZERS=ON -DSTATESCOPE_BUILD_TESTS=OFF -DSTATESCOPE_WITH_TORCH=OFF >"$build_dir/configure.log" 2>&1 ||
  { tail -n 60 "$build_dir/configure.log" >&2; fail "configuring the fuzz build failed"; }
# Two jobs: the machines this runs on are shared, and the fuzz build is incremental after the first run.
ninja -C "$build_dir" -j2 fuzzers >"$build_dir/build.log" 2>&1 ||
  { tail -n 60 "$build_dir/build.log" >&2; fail "building the fuzzers failed"; }

work=$build_dir/smoke
rm -rf "$work"
mkdir -p "$work"
python3 "$source_dir/tests/fuzz/make_seed_corpus.py" "$fixture_dir" "$work/seeds" || fail "making the seed corpus failed"

# Exit codes and reports of libFuzzer and the sanitizers that mean a finding, whatever the exit status says.
finding='ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer)|runtime error:|^SUMMARY: |==[0-9]+== ?ERROR'

report() {
  local name=$1 log=$2
  echo "----- $name: last lines of $log" >&2
  tail -n 80 "$log" >&2
  for artifact in "$work/$name"-*; do
    [ -f "$artifact" ] || continue
    echo "----- $name: input $(basename "$artifact") ($(stat -c %s "$artifact") bytes), base64:" >&2
    base64 -w 76 "$artifact" >&2
  done
}

status=0
for name in "${fuzzers[@]}"; do
  binary=$build_dir/bin/$name
  corpus=${name#fuzz_}
  # Inputs that once crashed a reader: replayed first, so a fixed bug stays fixed.
  regressions=$source_dir/tests/fuzz/regressions/$corpus
  if compgen -G "$regressions/*" >/dev/null; then
    log=$work/$name.regressions.log
    if ! "$binary" -rss_limit_mb=1024 -timeout=10 -artifact_prefix="$work/$name-" "$regressions"/* >"$log" 2>&1 ||
       grep -Eq "$finding" "$log"; then
      report "$name" "$log"
      echo "fuzz_smoke: $name fails on a saved regression input in $regressions" >&2
      status=1
      continue
    fi
  fi
  mkdir -p "$work/$corpus"
  log=$work/$name.log
  # -timeout=10: one input may take that long on a loaded 2-core machine under ASan before it counts as a hang.
  "$binary" -max_total_time="$seconds" -rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/$name-" "$work/$corpus" "$work/seeds/$corpus" >"$log" 2>&1
  rc=$?
  if [ $rc -ne 0 ] || grep -Eq "$finding" "$log"; then
    report "$name" "$log"
    echo "fuzz_smoke: $name found a problem (exit status $rc)" >&2
    status=1
    continue
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  echo "fuzz_smoke: $name: ${runs:-?} inputs in ${seconds}s (${rate:-?}/s), no crash, leak or timeout"
done
exit $status
