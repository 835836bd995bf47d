#!/usr/bin/env bash
# Renders the README's pictures of the main window with the app itself (offscreen, no display needed):
#   docs/demo.png      the demo pair as opened: every mismatch, torch's error, the selected key's details
#   docs/repaired.png  the same pair with `statescope suggest`'s rules applied: mapped rows, rules panel
#   docs/values.png    repaired, values compared: the relative change of every tensor in model order
# Usage: scripts/screenshots.sh [BUILD_DIR]   (default build; builds the statescope target if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
source scripts/toolchain.sh
"$STATESCOPE_CMAKE" --build "$build" --target statescope >/dev/null
bin=$build/bin/statescope
demo=resources/demo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A fresh settings folder: no remembered geometry, docks or filters leak into the pictures.
export XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache QT_QPA_PLATFORM=offscreen
size=(-qwindowgeometry 1800x1000)

"$bin" suggest "$demo/demo_source.pt" "$demo/demo_target.pt" > "$work/rules.json"
"$bin" "${size[@]}" --demo --select head.weight --screenshot docs/demo.png
"$bin" "${size[@]}" "$demo/demo_source.pt" "$demo/demo_target.pt" --rules "$work/rules.json" \
    --select body.0.weight --screenshot docs/repaired.png
"$bin" "${size[@]}" "$demo/demo_source.pt" "$demo/demo_target.pt" --rules "$work/rules.json" \
    --compare-values --select head.weight --screenshot docs/values.png
ls -l docs/demo.png docs/repaired.png docs/values.png
