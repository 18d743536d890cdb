#!/usr/bin/env bash
# THE test command: sets up a fresh Debian 12 machine (packages, Docker engine, offline
# test images), builds everything and runs every test. Binaries end up in build/bin.
#   BOX_BUILD_DIR  build directory (default: build)
#   CTEST_ARGS     extra ctest arguments, e.g. "-L docker" or "-R core_docker"
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${BOX_BUILD_DIR:-build}
jobs=${BOX_JOBS:-2}
label=box-console.test=1
start=$SECONDS
step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - start)); }

step "set-up"
bash scripts/setup.sh test
bash scripts/docker-up.sh
bash scripts/test-images.sh

step "layering check"
# The same rule as tests/core/tst_nogui, checked before spending minutes on a build.
if grep -rnE '^\s*#\s*include\s*[<"](QtWidgets|QtGui|QtSvg|QWidget|QApplication|QGuiApplication|QMainWindow|QPainter|QPixmap|QIcon|QColor|QImage|QFont|QAction|QPalette|QDialog)\b' core; then
    echo "layering: core/ must not include Qt GUI or Widgets headers (above)" >&2
    exit 1
fi
if grep -rnE '\bQJson[A-Za-z]*' core; then
    echo "layering: core/ reads and writes JSON with core/util/json*.h, not Qt's JSON classes (above)" >&2
    exit 1
fi

step "configure + build"
# BOX_WERROR: a new warning (or a shadowed name) fails the run instead of scrolling past.
# Split DWARF: the debug info stays in .dwo files beside the objects instead of being
# copied into each of the ~130 test programs (up to 160 MB each otherwise), which the
# linker spent minutes of the 2 cores on. -g1 (line tables: backtraces and addr2line, no
# local variables) and the tests' own code at -O0 take about a third off the build; the
# code under test is still built -O2 as users run it.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBOX_WERROR=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -gsplit-dwarf -DNDEBUG" \
    -DBOX_TEST_COMPILE_OPTIONS=-O0 >/dev/null
# -k 0: one broken target must not hide the results of every test that did build; the
# run still fails below.
build_status=0
cmake --build "$build" -j"$jobs" -- -k 0 || build_status=1

leftovers() {
    {
        docker ps -aq --filter "label=$label"
        docker volume ls -q --filter "label=$label"
        docker network ls -q --filter "label=$label"
        docker images -aq --filter "label=$label"
    } 2>/dev/null | sed '/^$/d'
}
remove_leftovers() {
    docker ps -aq --filter "label=$label" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
    docker network ls -q --filter "label=$label" | xargs -r docker network rm >/dev/null 2>&1 || true
    docker volume ls -q --filter "label=$label" | xargs -r docker volume rm -f >/dev/null 2>&1 || true
    docker images -aq --filter "label=$label" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
}
# What an aborted earlier run left must not be blamed on this one.
remove_leftovers

# Objects without the test label that appear during the run are leaks too (a failed build
# step's intermediate container, a shared network a test forgot).
snapshot() {
    # Custom networks only: dockerd gives its default bridge a new id on every restart.
    { docker ps -aq --no-trunc; docker volume ls -q
      docker network ls -q --no-trunc --filter type=custom; } 2>/dev/null | sort
}
before_run=$(snapshot)

log=$(mktemp)
trap 'rm -f "$log"; [ -z "${sanitize_pid:-}" ] || kill -- -"$sanitize_pid" 2>/dev/null || true' EXIT
status=$build_status
# ctest keeps every test's whole output (passed ones too) in LastTest.log, rewritten by
# each ctest run; the skip check reads them all, kept together in AllTests.log.
testlog="$build/Testing/Temporary/AllTests.log"
mkdir -p "$(dirname "$testlog")"
: >"$testlog"
keep_test_output() {
    cat "$build/Testing/Temporary/LastTest.log" >>"$testlog" 2>/dev/null || true
}
# Core and its pure tests again with ASan + UBSan, in a build tree of its own. It is mostly
# compiling while the engine tests below mostly wait on containers, so it runs beside them
# at a lower priority; its result joins the summary at the end.
sanitize_log="$(realpath -m "$build")-sanitize.log"
sanitize_pid=
if [ -z "${CTEST_ARGS:-}" ] && [ "${BOX_SANITIZE:-1}" != 0 ]; then
    step "sanitizer build and tests started in the background (log: $sanitize_log)"
    JOBS="$jobs" BOX_SANITIZE_BUILD_DIR="$(realpath -m "$build")-sanitize" \
        setsid nice -n 15 bash scripts/sanitize.sh >"$sanitize_log" 2>&1 &
    sanitize_pid=$!
fi
# The fresh debootstrap root of both README commands takes about 12 minutes of its own (a
# second full build, package downloads): run it with BOX_FRESHROOT=1 or alone (README).
# (one -LE: ctest 3.25 keeps only the last of several)
skip_labels='dockerd-restart|freshroot'
[ "${BOX_FRESHROOT:-0}" = 1 ] && skip_labels='dockerd-restart'

step "tests"
rm -f "$build/Testing/Temporary/LastTest.log"
# shellcheck disable=SC2086
ctest --test-dir "$build" --output-on-failure -j"$jobs" -LE "$skip_labels" \
    ${CTEST_ARGS:-} | tee -a "$log" || status=1
keep_test_output
# Restarting dockerd kills every other engine test's connections: these run alone, last.
step "tests that restart dockerd"
rm -f "$build/Testing/Temporary/LastTest.log"
# shellcheck disable=SC2086
ctest --test-dir "$build" --output-on-failure -L dockerd-restart --no-tests=ignore ${CTEST_ARGS:-} \
    | tee -a "$log" || status=1
keep_test_output
# A restart test that failed half-way may leave the engine down.
bash scripts/docker-up.sh || status=1

# The fuzz targets are built with clang and sanitizers in their own tree; a short run on
# the seed corpora proves they build and that the decoders survive them.
fuzz_passed=0 fuzz_failed=0
# Off by default: it needs a second, clang+sanitizer build of the tree (minutes on 2
# cores). ctest's fuzz_replay_* tests already run every target over its seeds.
fuzz_seconds=${BOX_FUZZ_SECONDS:-0}
if [ "$fuzz_seconds" -gt 0 ] && [ -x scripts/fuzz.sh ] && [ -z "${CTEST_ARGS:-}" ]; then
    step "fuzz targets (${fuzz_seconds}s each)"
    fuzz_log=$(mktemp)
    if BOX_FUZZ_BUILD_DIR=${BOX_FUZZ_BUILD_DIR:-$(realpath -m "$build")-fuzz} \
        bash scripts/fuzz.sh "$fuzz_seconds" 2>&1 | tee "$fuzz_log" | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; }; then
        fuzz_passed=$(grep -c '^== ' "$fuzz_log" || true)
    else
        status=1
        fuzz_failed=$(grep -c ': FAILED' "$fuzz_log" || true)
        [ "$fuzz_failed" -gt 0 ] || fuzz_failed=1
        fuzz_passed=$(( $(grep -c '^== ' "$fuzz_log" || true) - fuzz_failed ))
        [ "$fuzz_passed" -ge 0 ] || fuzz_passed=0
    fi
    rm -f "$fuzz_log"
fi

if [ -n "$sanitize_pid" ]; then
    step "sanitizer build and tests (waiting for the background run)"
    if wait "$sanitize_pid"; then
        fuzz_passed=$((fuzz_passed + 1))
        tail -n 3 "$sanitize_log"
    else
        fuzz_failed=$((fuzz_failed + 1))
        echo "sanitizers: FAILED (last lines of $sanitize_log):" >&2
        tail -n 60 "$sanitize_log" >&2
    fi
fi

step "leak check"
new_objects=$(comm -13 <(printf '%s\n' "$before_run") <(snapshot) | sed '/^$/d')
if [ -n "$new_objects" ]; then
    echo "leak check: the run left unlabelled Docker objects:" >&2
    for id in $new_objects; do
        docker inspect --format '  {{.Name}}{{if .Config}} (image {{.Config.Image}}){{end}}' "$id" >&2 2>/dev/null \
            || echo "  $id" >&2
    done
    for id in $new_objects; do
        docker rm -f -v "$id" >/dev/null 2>&1 || docker network rm "$id" >/dev/null 2>&1 \
            || docker volume rm -f "$id" >/dev/null 2>&1 || true
    done
    status=1
fi
left=$(leftovers)
if [ -n "$left" ]; then
    echo "leak check: tests left Docker objects labelled $label:" >&2
    # shellcheck disable=SC2086 # one id per line
    printf '  id %s\n' $left >&2
    docker ps -a --filter "label=$label" --format '  container {{.Names}} ({{.Image}})' >&2 || true
    docker volume ls --filter "label=$label" --format '  volume {{.Name}}' >&2 || true
    docker network ls --filter "label=$label" --format '  network {{.Name}}' >&2 || true
    docker images --filter "label=$label" --format '  image {{.Repository}}:{{.Tag}} {{.ID}}' >&2 || true
    remove_leftovers
    status=1
else
    echo "leak check: nothing left behind"
fi

step "done"
[ "$build_status" -eq 0 ] || echo "the build failed (see above): tests of the broken targets did not run" >&2
# Passed, skipped and failed tests by name, then the closing line "N passed, N failed, N
# skipped"; fails on any failed test, any skip tests/skip-allowlist.txt does not allow, and
# when no test ran.
bash scripts/test-summary.sh "$log" "$testlog" "$fuzz_passed" "$fuzz_failed" || status=1
exit $status
