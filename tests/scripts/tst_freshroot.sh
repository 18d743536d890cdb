#!/bin/bash
# ctest: labels=freshroot;slow timeout=3600
# The README's two commands on a fresh Debian 12: a debootstrap root (minbase) holding a
# `git clone` of this repository, with /proc, /sys, /dev and the host's Docker socket
# bound in, so the engine already runs and answers on the socket.
# (a) `bash scripts/run.sh` must install its packages, see that engine (it must neither
#     start a dockerd of its own nor touch the socket), build, and start the console
#     (QT_QPA_PLATFORM=offscreen); the console must stay up, hold a connection to the
#     engine's socket, and exit 0 on SIGTERM.
# (c) the .deb (cpack -G DEB of this build) installs with `apt-get install ./box-console_….deb`
#     on the bare root, pulling only its declared dependencies; boxctl and box-console from
#     the package run (boxctl lists the engine's boxes, the console connects and exits 0 on
#     SIGTERM). It runs first, before (a) installs build packages that would hide a missing
#     dependency.
# (b) the set-up half of `bash scripts/test.sh`: `scripts/setup.sh test` (packages, npm,
#     Prism) and `scripts/docker-up.sh --check` must succeed. The suite itself is not run
#     in the root: a second full build and run would take far longer than a CI job allows.
# Needs root, debootstrap and the network to the machine's Debian mirror (and npm's
# registry for Prism). The clone holds the last commit: uncommitted changes are not tested.
#   tst_freshroot.sh [deb] [run] [setup]   only those parts; all without arguments
#   BOX_FRESHROOT_MIRROR   Debian mirror (default: the first one in /etc/apt/sources.list*)
#   BOX_FRESHROOT_CACHE    where the debootstrapped root is kept as a tarball per day
#                          (default /var/cache/box-console-test)
#   BOX_FRESHROOT_TIMEOUT  seconds run.sh may take to build and start the console (2400)
set -uo pipefail

src=${BOX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
cache=${BOX_FRESHROOT_CACHE:-/var/cache/box-console-test}
start_timeout=${BOX_FRESHROOT_TIMEOUT:-2400}
parts=" ${*:-deb run setup} "
for part in $parts; do
    case "$part" in deb|run|setup) ;; *) echo "usage: $0 [deb] [run] [setup]" >&2; exit 2 ;; esac
done
host_sock=/var/run/docker.sock
logdir=${BOX_BUILD_DIR:-/tmp}/tests
mkdir -p "$logdir"
runlog=$logdir/freshroot-run.log
setuplog=$logdir/freshroot-setup.log
t0=$(date +%s)

say() { echo "freshroot: [$(($(date +%s) - t0))s] $*"; }
fail() {
    echo "freshroot: FAIL: $*" >&2
    exit 1
}

[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null || fail "debootstrap is missing (scripts/setup.sh test installs it)"
command -v ss >/dev/null || fail "ss is missing (iproute2)"
[ -S "$host_sock" ] || fail "no Docker socket at $host_sock"

ping_host_engine() {
    curl -s --max-time 5 --unix-socket "$host_sock" http://docker/_ping 2>/dev/null | grep -qx OK
}
ping_host_engine || fail "the host's engine does not answer on $host_sock"

mirror=${BOX_FRESHROOT_MIRROR:-}
if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
        /etc/apt/sources.list.d/*.sources 2>/dev/null |
        grep -E '^[[:space:]]*(deb[[:space:]]|URIs:)' | grep -oE '(https?|file)://[^[:space:]]+' |
        grep -m1 -E '/debian/?$' || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

root=$(mktemp -d /var/tmp/bctest-freshroot.XXXXXX)
mounts=()

# Processes whose root directory is the chroot: everything started in it.
chroot_pids() {
    local d
    for d in /proc/[0-9]*; do
        [ "$(readlink "$d/root" 2>/dev/null)" = "$root" ] && echo "${d#/proc/}"
    done
}

still_mounted() {
    awk -v r="$root" '$5 == r || index($5, r "/") == 1 { found = 1 } END { exit !found }' \
        /proc/self/mountinfo
}

cleanup() {
    local p i
    for p in $(chroot_pids); do kill -TERM "$p" 2>/dev/null; done
    sleep 1
    for p in $(chroot_pids); do kill -KILL "$p" 2>/dev/null; done
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
        umount -R "${mounts[i]}" 2>/dev/null || umount -R -l "${mounts[i]}" 2>/dev/null
    done
    # Never recurse into a bound /dev, /proc, /sys or the socket.
    if still_mounted; then
        echo "freshroot: something is still mounted under $root; it is left in place" >&2
        grep -F " $root" /proc/self/mountinfo >&2
    else
        rm -rf --one-file-system "$root"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bind() { # source, target inside the root, [mount options...]
    local target=$root$2
    mount "${@:3}" "$1" "$target" || fail "could not mount $1 on $target"
    mounts+=("$target")
}

# --- the root ---------------------------------------------------------------------------
mkdir -p "$cache"
tarball=$cache/debian12-minbase-$(date -u +%Y%m%d).tar
if [ -f "$tarball" ]; then
    say "unpacking $tarball"
    tar -C "$root" --numeric-owner -xpf "$tarball" || fail "could not unpack $tarball"
else
    say "debootstrap --variant=minbase bookworm from $mirror"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$logdir/freshroot-debootstrap.log" 2>&1 ||
        fail "debootstrap failed (see $logdir/freshroot-debootstrap.log)"
    rm -f "$cache"/debian12-minbase-*.tar
    tar -C "$root" --numeric-owner -cpf "$tarball.part" . && mv "$tarball.part" "$tarball"
fi
[ -x "$root/usr/bin/apt-get" ] || fail "the root has no apt-get"
# mktemp's 0700 would keep every user but root (apt's _apt, say) out of the whole root.
chmod 755 "$root"
# The machine's network set-up, not the project's: its resolver, and the local CAs it may
# need to reach the mirror and npm's registry (ca-certificates, installed by the set-up,
# adds them to the root's trust store).
cp /etc/resolv.conf "$root/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
# As in every chroot: packages must not start services (docker.io's postinst would start a
# second dockerd beside the host's).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

say "cloning $src ($(git -C "$src" rev-parse --short HEAD))"
git clone -q --no-hardlinks "$src" "$root/src/box-console" || fail "git clone failed"
[ -z "$(git -C "$src" status --porcelain --untracked-files=no 2>/dev/null)" ] ||
    say "note: uncommitted changes in $src are not part of the clone"

bind proc /proc -t proc
bind /sys /sys --rbind
mount --make-rslave "$root/sys"
bind /dev /dev --rbind
mount --make-rslave "$root/dev"
# The root's /var/run is a link to /run.
touch "$root/run/docker.sock"
bind "$host_sock" /run/docker.sock --bind
inode_before=$(stat -L -c %i "$host_sock")

in_root=(chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)

# The console's sockets connected to the engine's listening socket: ss lists the engine's
# end of each connection under the socket's path, with the console's end as its peer.
engine_connections() {
    local inodes="" fd target
    for fd in /proc/"$pid"/fd/*; do
        target=$(readlink "$fd" 2>/dev/null) || continue
        case "$target" in socket:\[*) inodes+="${target//[^0-9]/}"$'\n' ;; esac
    done
    [ -n "$inodes" ] || return 1
    # Either end may list its peer as 0, so both directions are looked at.
    ss -xan 2>/dev/null | awk -v list="$inodes" '
        BEGIN { n = split(list, a, "\n"); for (i = 1; i <= n; i++) if (a[i] != "") mine[a[i]] = 1 }
        $5 ~ /\/docker\.sock$/ { engine[$6] = 1; if ($8 in mine) c++ }
        ($6 in mine) { peer[$8] = 1 }
        END { for (p in peer) if (p in engine) c++; exit !(c > 0) }'
}

# The console started as $pid (directly, or at the end of an exec chain): it must become
# box-console within the timeout, stay up 10 s holding a connection to the engine's socket,
# and exit 0 on SIGTERM.
console_runs_and_quits() { # log, timeout seconds
    local log=$1 deadline=$(($(date +%s) + $2)) connected=no status
    while :; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 40 "$log" >&2
            wait "$pid"
            fail "ended (status $?) before the console started"
        fi
        case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in */box-console) break ;; esac
        if [ "$(date +%s)" -ge "$deadline" ]; then
            tail -n 40 "$log" >&2
            fail "the console did not start within ${2}s"
        fi
        sleep 2
    done
    say "the console runs (pid $pid)"
    for _ in $(seq 1 10); do
        sleep 1
        kill -0 "$pid" 2>/dev/null || break
        engine_connections && connected=yes
    done
    if ! kill -0 "$pid" 2>/dev/null; then
        tail -n 40 "$log" >&2
        fail "the console died within 10 s of starting"
    fi
    if [ "$connected" != yes ]; then
        tail -n 40 "$log" >&2
        fail "the console held no connection to the engine's socket"
    fi
    kill -TERM "$pid"
    wait "$pid"
    status=$?
    if [ "$status" -ne 0 ]; then
        tail -n 40 "$log" >&2
        fail "the console exited with $status on SIGTERM"
    fi
}

# --- (c) the .deb on the bare root -------------------------------------------------------
deb_install() {
    local deblog=$logdir/freshroot-deb.log build=${BOX_BUILD_DIR:-$src/build} debdir
    debdir=$(mktemp -d "$root/tmp/deb.XXXXXX")
    say "(c) cpack -G DEB of $build; apt-get install in the root (log: $deblog)"
    (cd "$build" && cpack -G DEB -B "$debdir") >"$deblog" 2>&1 || fail "cpack failed (see $deblog)"
    local deb
    deb=$(ls "$debdir"/*.deb | head -1)
    [ -n "$deb" ] || fail "cpack made no .deb"
    chmod 755 "$debdir"
    chmod 644 "$deb"
    if ! "${in_root[@]}" bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends /tmp/${debdir##*/}/${deb##*/}" \
            >>"$deblog" 2>&1; then
        tail -n 30 "$deblog" >&2
        fail "the .deb did not install on a bare Debian 12"
    fi
    "${in_root[@]}" boxctl --version >>"$deblog" 2>&1 || fail "the installed boxctl does not run"
    "${in_root[@]}" boxctl ls --json --no-stats >"$logdir/freshroot-deb-ls.json" 2>>"$deblog" ||
        fail "the installed boxctl could not list the engine's boxes (see $deblog)"
    grep -q '"boxes"' "$logdir/freshroot-deb-ls.json" || fail "boxctl ls printed no box list"
    [ -f "$root/usr/share/man/man1/boxctl.1.gz" ] || fail "no man page installed"
    [ -f "$root/usr/share/bash-completion/completions/boxctl" ] || fail "no bash completion"
    "${in_root[@]}" QT_QPA_PLATFORM=offscreen box-console >>"$deblog" 2>&1 &
    pid=$!
    console_runs_and_quits "$deblog" 60
    say "(c) passed: $(basename "$deb") installed with its dependencies; boxctl and box-console run"
}

# --- (a) the run command ------------------------------------------------------------------
run_command() {
    say "(a) bash scripts/run.sh (log: $runlog)"
    "${in_root[@]}" QT_QPA_PLATFORM=offscreen \
        bash -c 'cd /src/box-console && exec bash scripts/run.sh' >"$runlog" 2>&1 &
    pid=$!

    # chroot, env and bash exec each other and run.sh ends in `exec build/bin/box-console`,
    # so the process started here becomes the console once the build is done.
    console_runs_and_quits "$runlog" "$start_timeout"
    if grep -q 'no local Docker engine\|no Docker engine answers' "$runlog"; then
        fail "run.sh did not see the running engine: $(grep 'Docker engine' "$runlog")"
    fi
    say "(a) passed: installed, built, listed through the socket, exit 0 on SIGTERM"
}

# --- (b) the test command's set-up --------------------------------------------------------
test_setup() {
    say "(b) bash scripts/setup.sh test; bash scripts/docker-up.sh --check (log: $setuplog)"
    if ! "${in_root[@]}" bash -c 'cd /src/box-console && bash scripts/setup.sh test &&
            bash scripts/docker-up.sh --check' >"$setuplog" 2>&1; then
        tail -n 40 "$setuplog" >&2
        fail "the test set-up failed in the fresh root"
    fi
    [ -x "$root/src/box-console/tests/support/coolify/node_modules/.bin/prism" ] ||
        fail "setup.sh test left no Prism"
    say "(b) passed"
}

[[ $parts == *" deb "* ]] && deb_install
[[ $parts == *" run "* ]] && run_command
[[ $parts == *" setup "* ]] && test_setup

# --- nothing else was started or touched --------------------------------------------------
left=$(for p in $(chroot_pids); do cat "/proc/$p/comm" 2>/dev/null; done | tr '\n' ' ')
[ -z "$left" ] || fail "processes left running in the root: $left"
if [ ! -S "$host_sock" ] || [ "$(stat -L -c %i "$host_sock")" != "$inode_before" ]; then
    fail "the host's Docker socket was replaced"
fi
ping_host_engine || fail "the host's engine no longer answers"
say "passed in $(($(date +%s) - t0)) s"
exit 0
