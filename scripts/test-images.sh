#!/usr/bin/env bash
# Builds the offline test images from tests/images/<name>/ (FROM scratch + Debian's static
# busybox; no registry). An image is rebuilt only when its context changed: the hash of
# the context and of the busybox binary is stored in a label.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
busybox=${BOX_BUSYBOX:-/bin/busybox}
export DOCKER_BUILDKIT=0   # the classic builder needs no buildx plugin and never pulls FROM scratch

if [ ! -x "$busybox" ] || ! "$busybox" --list >/dev/null 2>&1; then
    echo "test-images: $busybox missing; install busybox-static (scripts/setup.sh test)" >&2
    exit 1
fi
# A dynamic busybox would not run on an empty root (ldd fails only on static binaries).
if ldd "$busybox" >/dev/null 2>&1; then
    echo "test-images: $busybox is not statically linked; install busybox-static" >&2
    exit 1
fi

build() {
    local tag=$2 ctx="$root/tests/images/$1"
    local hash
    hash=$( (cd "$ctx" && find . -type f ! -name busybox -print0 | LC_ALL=C sort -z \
                | xargs -0 sha256sum; sha256sum < "$busybox") | sha256sum | cut -c1-16)
    local have
    have=$(docker image inspect -f '{{index .Config.Labels "box-console.context-hash"}}' "$tag" 2>/dev/null || true)
    if [ "$have" = "$hash" ]; then
        echo "test-images: $tag is up to date"
        return
    fi
    local tmp
    tmp=$(mktemp -d)
    # Build from a copy: the binary is not committed and the source tree stays clean.
    cp -a "$ctx/." "$tmp/"
    cp "$busybox" "$tmp/busybox"
    echo "test-images: building $tag"
    if ! docker build -q --pull=false --label box-console.test-image=1 \
            --label "box-console.context-hash=$hash" -t "$tag" "$tmp" >"$tmp.log" 2>&1; then
        echo "test-images: building $tag failed:" >&2
        cat "$tmp.log" >&2
        rm -rf "$tmp" "$tmp.log"
        exit 1
    fi
    rm -rf "$tmp" "$tmp.log"
}

build busybox bctest/busybox:latest
build box bctest/box:latest
# Dangling layers of earlier builds are ours: drop them so the engine does not fill up.
docker image prune -f --filter label=box-console.test-image=1 >/dev/null 2>&1 || true
