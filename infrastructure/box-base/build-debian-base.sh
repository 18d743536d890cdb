#!/bin/sh
# Builds the Debian base image of the box image from a debootstrap rootfs, offline from
# any registry: debootstrap fetches .debs from the Debian mirror (as apt does), the rootfs
# is imported with `docker import`. Takes about 35 s; skipped when the image exists.
#
# Everything the box needs at run time is included here, because box image builds must
# not need a network: socat (egress forwarders, box-agent), python3-minimal, curl
# (HEALTHCHECK), tini,
# ca-certificates, git, procps.
#
# Usage: build-debian-base.sh [--force] [IMAGE]   (default box-console/debian-base:bookworm)
set -eu

FORCE=0
if [ "${1:-}" = "--force" ]; then FORCE=1; shift; fi
IMAGE="${1:-box-console/debian-base:bookworm}"
SUITE="${DEBIAN_SUITE:-bookworm}"
# The mirror apt already uses on this machine (deb822 sources or the classic list).
apt_mirror() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' "$f"
    done | head -n 1
    grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk '$2 !~ /security/ { print $2; exit }'
}
MIRROR="${DEBIAN_MIRROR:-$(apt_mirror | head -n 1)}"
[ -n "$MIRROR" ] || { echo "no Debian mirror configured for apt; set DEBIAN_MIRROR" >&2; exit 1; }
INCLUDE="socat,python3-minimal,curl,ca-certificates,git,procps,tini"

if [ "$FORCE" = 0 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
    echo "$IMAGE exists; not rebuilding (use --force)"
    exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "debootstrap needs root" >&2; exit 1; }

ROOT="$(mktemp -d /tmp/box-debian-base.XXXXXX)"
trap 'rm -rf "$ROOT"' EXIT INT TERM
debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$ROOT" "$MIRROR"
# Smaller image, and no stale apt lists that would suggest the image can update itself.
chroot "$ROOT" apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/tmp/* "$ROOT"/var/log/*.log
tar -C "$ROOT" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    --message "debootstrap --variant=minbase $SUITE + $INCLUDE" \
    - "$IMAGE"
echo "built $IMAGE"
