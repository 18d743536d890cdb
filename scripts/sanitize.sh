#!/usr/bin/env bash
# Builds core and its tests with AddressSanitizer + UndefinedBehaviorSanitizer in a build
# directory of its own (build-sanitize/, or $BOX_SANITIZE_BUILD_DIR) and runs under them the
# core tests that need no Docker engine, proxy or Prism, and the fuzz seed replays.
# A sanitizer report fails the test that triggered it, and so this script.
#   JOBS=2 scripts/sanitize.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BOX_SANITIZE_BUILD_DIR:-$here/build-sanitize}
jobs=${JOBS:-2}
# Tests that reach the engine, a proxy or Prism are the regular run's; here only what the
# sanitizers can see in this process. Labels come from each test's "// ctest:" line (the
# directory name is a label too, so tests/core/docker's pure tests are chosen by that line).
engine_labels='docker|dockerd-restart|boximage|proxy|contract|slow'

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
# -O0 -g1: the sanitizers see every access at -O0 (the optimiser can only remove checks),
# and -g1 keeps file and line in the reports. With ASan, -O0 compiles core in about 40 %
# less time than -O1 (dockerclient.cpp: 30 s against 50 s), which decides whether this
# tree is done by the time the engine tests are.
cmake -S "$here" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1 -DNDEBUG" -DBOX_TEST_COMPILE_OPTIONS=-O0 \
    -DBOX_SANITIZE=ON -DBOX_BUILD_TESTS=ON >/dev/null

tests=()
while IFS= read -r src; do
    meta=$(grep -m1 '^// ctest:' "$src" || true)
    if [[ "$meta" =~ labels=([^ ]+) ]] && [[ ";${BASH_REMATCH[1]};" =~ \;($engine_labels)\; ]]; then
        continue
    fi
    rel=${src#"$here/tests/"}
    dir=$(dirname "$rel")
    unit=$(basename "$rel" .cpp)
    tests+=("${dir//\//_}_${unit#tst_}")
done < <(find "$here/tests/core" -name 'tst_*.cpp' | sort)
mapfile -t -O "${#tests[@]}" tests < <(ctest --test-dir "$build" -N -R '^fuzz_replay_' |
                                       sed -n 's/^ *Test *#[0-9]*: *//p')
if [ ${#tests[@]} -eq 0 ]; then
    echo "sanitize: no tests selected" >&2
    exit 1
fi
targets=()
for t in "${tests[@]}"; do
    case "$t" in
        fuzz_replay_*) targets+=("replay_${t#fuzz_replay_}") ;;
        *) targets+=("tst_$t") ;;
    esac
done
echo "sanitize: building ${#targets[@]} targets with ASan+UBSan in $build"
cmake --build "$build" -j"$jobs" --target "${targets[@]}"

# Every ASan error (leaks included) and every UBSan finding fails the test.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
regex="^($(IFS='|'; echo "${tests[*]}"))\$"
ctest --test-dir "$build" -R "$regex" -j"$jobs" --output-on-failure --timeout 600
