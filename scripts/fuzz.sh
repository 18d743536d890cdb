#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz/ and runs each for N seconds.
#   scripts/fuzz.sh [seconds] [target ...]     (default 60 s; all targets)
# New corpus entries go to build-fuzz/corpus/<target>/ (the checked-in seeds under
# tests/fuzz/corpus/ are only read); crashes land in build-fuzz/artifacts/.
set -euo pipefail

seconds=${1:-60}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BOX_FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_jsonstream fuzz_stdcopy fuzz_responseparser fuzz_boxspec fuzz_egresspolicy
    fuzz_coolifystatus fuzz_traefiklabels fuzz_dockerignore fuzz_dockerhost fuzz_logwindowmerge)

if ! command -v clang++ >/dev/null; then
    echo "fuzz.sh: clang++ not found; install it with: apt-get install -y clang libclang-rt-14-dev" >&2
    exit 1
fi

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBOX_BUILD_FUZZERS=ON -DBOX_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j2 --target "${targets[@]}"

status=0
for t in "${targets[@]}"; do
    mkdir -p "$build/corpus/$t" "$build/artifacts"
    echo "== $t for ${seconds}s"
    if ! "$build/fuzz/$t" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$t-" -rss_limit_mb=2048 \
        "$build/corpus/$t" "$root/tests/fuzz/corpus/$t" 2>"$build/$t.log"; then
        echo "$t: FAILED, see $build/$t.log and $build/artifacts/" >&2
        status=1
    fi
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+ *DONE' "$build/$t.log" || true
done
exit $status
