#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock: installs docker.io when it
# is missing, starts dockerd (as root) when none runs, and waits for /_ping.
# It never pulls an image: no registry is reachable from the test machines.
#   docker-up.sh           make an engine answer (exit 0) or say why not (exit 1)
#   docker-up.sh --check   only ask: exit 0 when an engine answers, 1 otherwise
# It never removes a socket that a live process holds and never starts a dockerd while
# another dockerd process runs, whatever pidfile that one uses.
#   BOX_DOCKER_SOCK     socket to check (default /var/run/docker.sock)
#   BOX_DOCKER_PIDFILE  pidfile of the daemon this script starts (default /var/run/docker.pid)
#   BOX_DOCKERD         the daemon program (default dockerd)
set -euo pipefail

sock=${BOX_DOCKER_SOCK:-/var/run/docker.sock}
pidfile=${BOX_DOCKER_PIDFILE:-/var/run/docker.pid}
dockerd=${BOX_DOCKERD:-dockerd}
log=${BOX_DOCKERD_LOG:-/tmp/box-console-dockerd.log}
timeout_s=${BOX_DOCKERD_TIMEOUT:-60}

# 0: a Docker engine answers /_ping; 1: something listens but is no (ready) engine;
# 2: nothing listens on the socket. perl-base is Essential on Debian, so this works on a
# minimal root where neither curl nor the docker CLI is installed.
probe() {
    if command -v perl >/dev/null 2>&1; then
        local rc=0
        perl -MIO::Socket::UNIX -e '
            # Only "no such file" and "refused" mean nobody listens; anything else (a
            # permission, say) leaves the socket to whoever holds it.
            my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0])
                or exit(($!{ENOENT} || $!{ECONNREFUSED}) ? 2 : 1);
            $SIG{ALRM} = sub { exit 1 };
            alarm 5;
            print $s "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n";
            local $/;
            my $r = <$s> // "";
            exit($r =~ m{\AHTTP/1\.[01] 200 .*\r\n\r\nOK\s*\z}s ? 0 : 1);' "$sock" 2>/dev/null \
            || rc=$?
        return "$rc"
    fi
    if command -v curl >/dev/null 2>&1; then
        local out rc=0
        out=$(curl -s --max-time 5 --unix-socket "$sock" http://docker/_ping 2>/dev/null) || rc=$?
        [ "$rc" -eq 0 ] && [ "$out" = OK ] && return 0
        # curl's 7: could not connect, i.e. no listener.
        [ "$rc" -eq 7 ] && return 2
        return 1
    fi
    if command -v docker >/dev/null 2>&1; then
        docker -H "unix://$sock" version --format '{{.Server.Version}}' >/dev/null 2>&1 && return 0
    fi
    # Without a way to connect, an existing socket counts as held: never remove it.
    [ -S "$sock" ] && return 1
    return 2
}
ping() { probe; }

# Pids of running daemons named like $dockerd (zombies excluded), from /proc: pgrep is
# not on a minimal root.
daemon_pids() {
    local name p comm state
    name=$(basename "$dockerd")
    # /proc/PID/comm holds at most 15 characters.
    name=${name:0:15}
    for p in /proc/[0-9]*; do
        comm=$(cat "$p/comm" 2>/dev/null) || continue
        [ "$comm" = "$name" ] || continue
        state=$(sed -E 's/.*\) (.).*/\1/' "$p/stat" 2>/dev/null) || continue
        [ "$state" = Z ] && continue
        echo "${p#/proc/}"
    done
}

rc=0
probe || rc=$?
[ "$rc" -eq 0 ] && exit 0
if [ "${1:-}" = --check ]; then
    exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "docker-up: no Docker engine answers on $sock and starting one needs root" >&2
    exit 1
fi

if ! command -v "$dockerd" >/dev/null 2>&1; then
    echo "docker-up: installing docker.io"
    export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends docker.io >/dev/null
    # The package's postinst may have started the service already.
    for _ in 1 2 3 4 5; do ping && exit 0; sleep 1; done
fi

wait_for_engine() {
    local deadline=$((SECONDS + timeout_s))
    until ping; do
        if [ $SECONDS -ge $deadline ]; then
            echo "docker-up: no Docker engine answered /_ping on $sock within ${timeout_s}s$1" >&2
            [ -n "$2" ] && tail -n 20 "$2" >&2 2>/dev/null
            return 1
        fi
        sleep 0.5
    done
}

running=$(daemon_pids | tr '\n' ' ')
if [ -n "$running" ]; then
    # Starting, or serving another socket: either way a second daemon would fight it over
    # /var/lib/docker.
    echo "docker-up: $dockerd already runs (pid ${running% }); waiting for it to answer on $sock"
    wait_for_engine "; not starting a second $dockerd beside pid ${running% }" "" || exit 1
    echo "docker-up: engine ready"
    exit 0
fi

if [ "$rc" -eq 1 ]; then
    echo "docker-up: something listens on $sock but does not answer as a Docker engine;" \
        "not removing it and not starting $dockerd" >&2
    exit 1
fi

if [ -f "$pidfile" ]; then
    echo "docker-up: removing stale $pidfile"
    rm -f "$pidfile"
fi
# No process accepts connections on it (probe said so): a dead daemon's leftover, which
# would make the new daemon fail to listen.
if [ -S "$sock" ]; then
    echo "docker-up: removing stale socket $sock"
    rm -f "$sock"
fi
echo "docker-up: starting $dockerd (log: $log)"
args=()
[ "$sock" != /var/run/docker.sock ] && args+=(-H "unix://$sock")
[ "$pidfile" != /var/run/docker.pid ] && args+=(--pidfile "$pidfile")
# setsid + all three fds redirected: the daemon must outlive this script and must not
# hold the pipes of whoever called it (ctest waits for those to close).
setsid "$dockerd" "${args[@]}" >>"$log" 2>&1 </dev/null &
wait_for_engine "; last log lines:" "$log" || exit 1
echo "docker-up: engine ready"
