#!/bin/sh
# Usage: run_with_oracle.sh FIXTURE_DIR COMMAND [ARGS...]
# Runs one test suite against the fixtures (and the torch) of one oracle, saying which torch that is; exits 77
# (ctest: skipped) with the reason when that torch is not available (tests/fixtures/make_oracle_fixtures.sh).
fixtures=$1
shift
if [ -f "$fixtures/UNAVAILABLE" ]; then
  echo "SKIPPED: the oracle is not available: $(cat "$fixtures/UNAVAILABLE")"
  exit 77
fi
if [ ! -f "$fixtures/ORACLE" ]; then
  echo "no fixtures in $fixtures (run make_fixtures.* first)"
  exit 1
fi
echo "compared with $(cat "$fixtures/ORACLE")"
exec "$@"
