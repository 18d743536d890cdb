#!/bin/sh
# Takes the README screenshots under Xvfb against the local Docker engine:
#   scripts/screenshots.sh [build-dir]   (default: build)
# BOX_SCREENSHOT_OUT names another folder for the pictures (tests/scripts/tst_screenshots.sh
# writes them to a temporary one and checks them); SCREENSHOT_DISPLAY another X display.
# Starts a few labelled test boxes (removed again afterwards), opens the console, the
# detail tabs, the alert history, the charts, the data views, the deploy dialog with a
# validation error and a running build, and writes docs/*.png with ImageMagick's `import`.
# BOX_SCREENSHOT_NO_BUILD=1 skips the build step (when the caller built it already).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
display=${SCREENSHOT_DISPLAY:-:99}
if [ -z "${BOX_SCREENSHOT_NO_BUILD:-}" ]; then
    cmake --build "$build" --target tst_ui_screenshots tst_ui_deploydialog_coolify -j2
fi
started=""
if ! xdpyinfo -display "$display" >/dev/null 2>&1; then
    Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
    started=$!
    trap 'kill "$started" 2>/dev/null || true' EXIT
    sleep 1
fi
out=${BOX_SCREENSHOT_OUT:-$src/docs}
mkdir -p "$out"
DISPLAY=$display QT_QPA_PLATFORM=xcb BOX_SCREENSHOT_DIR="$out" BOX_SOURCE_DIR="$src" \
    "$build/tests/tst_ui_screenshots"
# The Coolify deploy dialog and settings page, against the fake Coolify (its test saves them).
state=$(mktemp -d)
DISPLAY=$display QT_QPA_PLATFORM=xcb BOX_SCREENSHOT_DIR="$out" BOX_SOURCE_DIR="$src" \
    BOX_ACTIVITY_DB="$state/activity.sqlite" XDG_CONFIG_HOME="$state" \
    "$build/tests/tst_ui_deploydialog_coolify" >/dev/null || { rm -rf "$state"; exit 1; }
rm -rf "$state"
ls -l "$out"/*.png
