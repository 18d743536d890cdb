#!/bin/bash
# ctest: labels=scripts timeout=120
# scripts/docker-up.sh against sockets and daemons made here, never the real engine: the
# socket, pidfile and daemon program are pointed at a temporary directory, and the
# "dockerd" it may start is a fake that records its start and answers /_ping.
# - a live listener that is no Docker engine keeps its socket and no daemon starts;
# - an engine is seen without curl or the docker CLI on PATH;
# - a stale socket (nobody listens) is replaced by a started daemon;
# - while a daemon process runs, no second one is started, whatever its pidfile.
set -uo pipefail

src=${BOX_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
script="$src/scripts/docker-up.sh"
tmp=$(mktemp -d /tmp/bctest-dockerup.XXXXXX)
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    # Fakes started by docker-up.sh itself wrote their pid.
    if [ -f "$tmp/fake-pids" ]; then
        while read -r p; do kill "$p" 2>/dev/null; done <"$tmp/fake-pids"
    fi
    sleep 0.2
    rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for tool in socat perl; do
    command -v "$tool" >/dev/null || { echo "FAIL!  : $tool is not installed (scripts/setup.sh test installs it)"; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "FAIL!  : must run as root (docker-up.sh starts daemons only as root)"; exit 1; }

# One /_ping answer per connection, after reading the request: a reply sent before the
# client has written makes its write fail.
respond="$tmp/respond-ping"
cat >"$respond" <<'EOF'
#!/bin/bash
while IFS= read -r line; do [ -z "${line%$'\r'}" ] && break; done
printf 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nOK'
EOF
chmod +x "$respond"
# The fake daemon: records how it was started, then serves /_ping on the socket given with
# -H unix://PATH. It stays the parent of socat so that its own name is what /proc shows.
fake="$tmp/fake-dockerd"
cat >"$fake" <<'EOF'
#!/bin/bash
dir=$(dirname "$0")
echo $$ >>"$dir/fake-pids"
if [ -n "${FAKE_IDLE:-}" ]; then
    sleep 300 >/dev/null 2>&1 </dev/null &
    trap 'kill $! 2>/dev/null' EXIT TERM
    wait
    exit 0
fi
echo "$*" >>"$dir/started"
sock=
while [ $# -gt 0 ]; do
    case "$1" in -H) sock=${2#unix://}; shift ;; esac
    shift
done
socat "UNIX-LISTEN:$sock,fork" "EXEC:$dir/respond-ping" 2>/dev/null &
trap 'kill $! 2>/dev/null' EXIT TERM
wait
EOF
chmod +x "$fake"

export BOX_DOCKERD="$fake" BOX_DOCKERD_TIMEOUT=3 BOX_DOCKERD_LOG="$tmp/dockerd.log"
export BOX_DOCKER_PIDFILE="$tmp/docker.pid"

starts() { [ -f "$tmp/started" ] && wc -l <"$tmp/started" || echo 0; }
listens() { # does a process accept connections on $1?
    perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $ARGV[0]) or exit 1' "$1"
}
wait_listening() {
    for _ in $(seq 1 50); do listens "$1" && return 0; sleep 0.1; done
    return 1
}

# 1. A live listener that does not speak Docker (another program, or an engine of some
#    other kind): its socket must stay, and no daemon may start.
sock="$tmp/live.sock"
socat "UNIX-LISTEN:$sock,fork" SYSTEM:'echo not-a-docker-engine' >/dev/null 2>&1 </dev/null &
pids+=($!)
wait_listening "$sock"
out=$(BOX_DOCKER_SOCK=$sock bash "$script" 2>&1)
rc=$?
check "live foreign listener: docker-up.sh fails" [ "$rc" -ne 0 ]
check "live foreign listener: socket kept" test -S "$sock"
check "live foreign listener: still accepting" listens "$sock"
check "live foreign listener: no daemon started" [ "$(starts)" -eq 0 ]
check "live foreign listener: says why" grep -q "not removing it" <<<"$out"
out=$(BOX_DOCKER_SOCK=$sock bash "$script" --check 2>&1)
rc=$?
check "--check on a foreign listener fails" [ "$rc" -ne 0 ]

# 2. An engine that answers, seen with only what a minimal Debian root has: no curl,
#    no docker CLI on PATH.
mini="$tmp/minbin"
mkdir -p "$mini"
for t in bash sh perl cat sed tr basename dirname id sleep rm setsid tail env mktemp; do
    ln -s "$(command -v "$t")" "$mini/$t"
done
sock="$tmp/engine.sock"
socat "UNIX-LISTEN:$sock,fork" "EXEC:$respond" >/dev/null 2>&1 </dev/null &
pids+=($!)
wait_listening "$sock"
out=$(PATH="$mini" BOX_DOCKER_SOCK=$sock "$mini/bash" "$script" 2>&1)
rc=$?
check "engine without curl/docker CLI: seen ($out)" [ "$rc" -eq 0 ]
check "engine without curl/docker CLI: no daemon started" [ "$(starts)" -eq 0 ]
out=$(PATH="$mini" BOX_DOCKER_SOCK=$sock "$mini/bash" "$script" --check 2>&1)
check "engine without curl/docker CLI: --check succeeds" [ $? -eq 0 ]
# The same through curl, when perl is not there.
nop="$tmp/noperl"
mkdir -p "$nop"
for t in bash cat sed tr basename id sleep rm setsid tail curl; do
    ln -s "$(command -v "$t")" "$nop/$t"
done
out=$(PATH="$nop" BOX_DOCKER_SOCK=$sock "$nop/bash" "$script" --check 2>&1)
check "engine seen through curl without perl ($out)" [ $? -eq 0 ]

# 3. A stale socket (its daemon died without removing it; nobody listens): removed, and
#    the daemon is started on it.
sock="$tmp/stale.sock"
perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0], Listen => 1) or die' "$sock"
check "stale socket: set-up left a socket file" test -S "$sock"
check "stale socket: nobody listens" bash -c "! perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => \$ARGV[0]) or exit 1' '$sock'"
out=$(BOX_DOCKER_SOCK=$sock bash "$script" 2>&1)
rc=$?
check "stale socket: daemon started and answers ($out)" [ "$rc" -eq 0 ]
check "stale socket: exactly one daemon started" [ "$(starts)" -eq 1 ]
check "stale socket: daemon told the socket" grep -q -- "-H unix://$sock" "$tmp/started"
check "stale socket: daemon told the pidfile" grep -q -- "--pidfile $tmp/docker.pid" "$tmp/started"
# Now an engine answers: a second call starts nothing.
out=$(BOX_DOCKER_SOCK=$sock bash "$script" 2>&1)
check "answering engine: second call succeeds" [ $? -eq 0 ]
check "answering engine: still one daemon" [ "$(starts)" -eq 1 ]
while read -r p; do kill "$p" 2>/dev/null; done <"$tmp/fake-pids"
: >"$tmp/fake-pids"
sleep 0.3

# 4. A daemon process runs (with a pidfile elsewhere, or still starting) but nothing
#    answers on the socket: no second daemon, the socket is left alone.
FAKE_IDLE=1 "$fake" >/dev/null 2>&1 </dev/null &
pids+=($!)
sleep 0.3
sock="$tmp/other.sock"
perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0], Listen => 1) or die' "$sock"
out=$(BOX_DOCKER_SOCK=$sock bash "$script" 2>&1)
rc=$?
check "running daemon elsewhere: docker-up.sh fails" [ "$rc" -ne 0 ]
check "running daemon elsewhere: no second daemon" [ "$(starts)" -eq 1 ]
check "running daemon elsewhere: socket file untouched" test -S "$sock"
check "running daemon elsewhere: says so" grep -q "not starting a second" <<<"$out"

totals
