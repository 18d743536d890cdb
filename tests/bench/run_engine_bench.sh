#!/usr/bin/env bash
# Runs the engine benchmark: 100 idle labelled busybox containers, boxctl vs the docker CLI.
#   tests/bench/run_engine_bench.sh [BUILD_DIR] [bench_engine options...]
# BUILD_DIR defaults to ./build; boxctl and bench_engine are built there if missing.
# The containers carry box-console.bench=engine and are removed at the end, on Ctrl-C,
# and by the trap below even if the benchmark itself dies.
set -euo pipefail

here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$here/build}"
[ $# -gt 0 ] && shift

cleanup() {
    local ids
    ids="$(docker ps -aq --filter label=box-console.bench=engine 2>/dev/null || true)"
    if [ -n "$ids" ]; then
        # shellcheck disable=SC2086
        docker rm -f $ids >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

if ! docker image inspect bctest/busybox:latest >/dev/null 2>&1; then
    # Offline test image: Debian's static busybox, FROM scratch; never a registry pull.
    ctx="$(mktemp -d)"
    cp /bin/busybox "$ctx/busybox"
    printf 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox","--install","-s","/bin"]\nLABEL box-console.test-image=1\n' >"$ctx/Dockerfile"
    DOCKER_BUILDKIT=0 docker build -q -t bctest/busybox:latest "$ctx" >/dev/null
    rm -rf "$ctx"
fi

if [ ! -x "$build/bin/boxctl" ] || [ ! -x "$build/bench/bench_engine" ]; then
    cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" --target boxctl bench_engine -j2
fi

"$build/bench/bench_engine" --boxctl "$build/bin/boxctl" "$@"
