#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock: installs docker.io when it
# is missing, starts dockerd (as root) when it is not running, and waits for /_ping.
# It never pulls an image: no registry is reachable from the test machines.
set -euo pipefail

sock=${BOX_DOCKER_SOCK:-/var/run/docker.sock}
pidfile=/var/run/docker.pid
log=${BOX_DOCKERD_LOG:-/tmp/box-console-dockerd.log}
timeout_s=${BOX_DOCKERD_TIMEOUT:-60}

ping() { curl -sf --max-time 3 --unix-socket "$sock" http://localhost/_ping 2>/dev/null | grep -qx OK; }

ping && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "docker-up: no Docker engine answers on $sock and starting one needs root" >&2
    exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
    echo "docker-up: installing docker.io"
    export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends docker.io >/dev/null
    # The package's postinst may have started the service already.
    for _ in 1 2 3 4 5; do ping && exit 0; sleep 1; done
fi

running=
if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile" 2>/dev/null || true)
    # A dead daemon that nobody reaped is a zombie that still has a /proc entry.
    if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] \
        && ! sed -E 's/.*\) (.).*/\1/' "/proc/$pid/stat" 2>/dev/null | grep -q Z; then
        running=$pid
    else
        echo "docker-up: removing stale $pidfile"
        rm -f "$pidfile"
    fi
fi

if [ -z "$running" ]; then
    # A socket left by a dead daemon makes the new one fail to listen.
    [ -S "$sock" ] && rm -f "$sock"
    echo "docker-up: starting dockerd (log: $log)"
    # setsid + all three fds redirected: the daemon must outlive this script and must not
    # hold the pipes of whoever called it (ctest waits for those to close).
    setsid dockerd >>"$log" 2>&1 </dev/null &
else
    echo "docker-up: dockerd (pid $running) is starting; waiting for it"
fi

deadline=$((SECONDS + timeout_s))
until ping; do
    if [ $SECONDS -ge $deadline ]; then
        echo "docker-up: dockerd did not answer /_ping on $sock within ${timeout_s}s; last log lines:" >&2
        tail -n 20 "$log" >&2 2>/dev/null || true
        exit 1
    fi
    sleep 0.5
done
echo "docker-up: engine ready"
