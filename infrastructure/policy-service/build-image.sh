#!/bin/sh
# Builds the policy service image (boxctl serve) offline: the boxctl built in this tree,
# the Qt and other libraries it loads (copied from this host, a Debian 12 like the base)
# and Qt's TLS and SQLite plugins, on the Debian base image that
# infrastructure/box-base/build-debian-base.sh makes. Nothing is pulled or downloaded.
#
# Usage: build-image.sh [BUILD_DIR] [IMAGE]   (defaults: build, box-console/policy-service:latest)
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
image="${2:-box-console/policy-service:latest}"
base="${BASE_IMAGE:-box-console/debian-base:bookworm}"
boxctl="$build/bin/boxctl"

[ -x "$boxctl" ] || { echo "no $boxctl: build the boxctl target first" >&2; exit 1; }
docker image inspect "$base" >/dev/null 2>&1 \
    || { echo "no $base: run infrastructure/box-base/build-debian-base.sh first" >&2; exit 1; }

plugins="$(qtpaths6 --query QT_INSTALL_PLUGINS 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/qt6/plugins)"
ctx="$(mktemp -d /tmp/box-policy-service.XXXXXX)"
trap 'rm -rf "$ctx"' EXIT INT TERM
mkdir -p "$ctx/rootfs/opt/box-console/bin" "$ctx/rootfs/opt/box-console/lib" \
         "$ctx/rootfs/opt/box-console/plugins/tls" "$ctx/rootfs/opt/box-console/plugins/sqldrivers"
cp "$boxctl" "$ctx/rootfs/opt/box-console/bin/boxctl"
for p in tls/libqopensslbackend.so sqldrivers/libqsqlite.so; do
    [ -f "$plugins/$p" ] && cp "$plugins/$p" "$ctx/rootfs/opt/box-console/plugins/$p"
done
# Every library boxctl and the plugins load, except the C library family the base has.
{ ldd "$boxctl"; for f in "$ctx"/rootfs/opt/box-console/plugins/*/*.so; do ldd "$f"; done; } \
    | awk '$3 ~ /^\// { print $3 }' | sort -u | while read -r lib; do
    case "$(basename "$lib")" in
    libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | libresolv.so.* | ld-linux*) ;;
    *) cp -L "$lib" "$ctx/rootfs/opt/box-console/lib/" ;;
    esac
done
cp "$here/Dockerfile" "$ctx/Dockerfile"
DOCKER_BUILDKIT=0 docker build --pull=false --network none --build-arg "BASE_IMAGE=$base" \
    -t "$image" "$ctx"
echo "built $image"
