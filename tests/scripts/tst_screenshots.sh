#!/bin/bash
# ctest: labels=docker;gui;screenshots timeout=420
# The README screenshot tool as a user runs it (scripts/screenshots.sh under its own Xvfb,
# against the local engine), writing to a temporary folder: every picture of docs/ is
# made again, at the window's size, and shows a real window (many colours, not a blank or
# black frame). Its boxes are labelled and removed again.
set -uo pipefail

src=${BOX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
build=${BOX_BUILD_DIR:-$src/build}
tmp=$(mktemp -d /tmp/bctest-screenshots.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A display of its own: nothing else on this machine may be drawn into the pictures.
display=":$((200 + $$ % 500))"
log="$tmp/run.log"
BOX_SCREENSHOT_NO_BUILD=1 BOX_SCREENSHOT_OUT="$tmp/out" SCREENSHOT_DISPLAY="$display" \
    sh "$src/scripts/screenshots.sh" "$build" >"$log" 2>&1
status=$?
check "scripts/screenshots.sh succeeds (status $status)" [ "$status" -eq 0 ]
[ "$status" -eq 0 ] || tail -n 40 "$log"

for expected in "$src"/docs/*.png; do
    name=$(basename "$expected")
    made="$tmp/out/$name"
    check "$name made again" test -s "$made"
    [ -s "$made" ] || continue
    read -r width height colours < <(identify -format '%w %h %k\n' "$made" 2>/dev/null | head -n 1)
    check "$name is a picture of a window (${width:-?}x${height:-?})" \
        [ "${width:-0}" -ge 300 ] && [ "${height:-0}" -ge 200 ]
    check "$name shows something ($colours colours)" [ "${colours:-0}" -ge 64 ]
done
check "no labelled test object left" \
    [ -z "$(docker ps -aq --filter label=box-console.test=1)" ]
totals
