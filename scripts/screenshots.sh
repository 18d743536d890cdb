#!/bin/sh
# Takes the README screenshots under Xvfb against the local Docker engine:
#   scripts/screenshots.sh [build-dir]   (default: build)
# Starts a few labelled test boxes (removed again afterwards), opens the console, the
# detail tabs, the deploy dialog with a validation error and a running build, and writes
# docs/*.png with ImageMagick's `import`.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
display=${SCREENSHOT_DISPLAY:-:99}
cmake --build "$build" --target tst_ui_screenshots -j2
started=""
if ! xdpyinfo -display "$display" >/dev/null 2>&1; then
    Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
    started=$!
    trap 'kill "$started" 2>/dev/null || true' EXIT
    sleep 1
fi
mkdir -p "$src/docs"
DISPLAY=$display QT_QPA_PLATFORM=xcb BOX_SCREENSHOT_DIR="$src/docs" BOX_SOURCE_DIR="$src" \
    "$build/tests/tst_ui_screenshots"
ls -l "$src"/docs/*.png
