#!/bin/sh
# Box entrypoint. Runs as uid 1000 on a read-only root; writable: /tmp and the home
# volumes. Starts the egress forwarders, the box-agent and code-server (if installed),
# then runs the command (default: wait on the children).
set -eu

EGRESS_DIR="${BOX_EGRESS_DIR:-/run/egress}"

# One loopback forwarder per upstream of the egress policy. A deploy with spec.egress
# passes them as BOX_EGRESS_FORWARDERS="<localPort>:<upstream> ..." (validated by
# box-console: digits and [a-z0-9-] only); otherwise the list baked into the image is used
# (regenerate with `boxctl box-egress-env --policy FILE`). The box's own directory of the
# host proxy's sockets (one per upstream it was granted) is mounted at $EGRESS_DIR; without
# it there is no egress at all.
if [ -d "$EGRESS_DIR" ] && [ -n "${BOX_EGRESS_FORWARDERS:-}" ]; then
    for pair in $BOX_EGRESS_FORWARDERS; do
        port="${pair%%:*}"
        upstream="${pair#*:}"
        case "$port" in '' | *[!0-9]*) echo "entrypoint: bad forwarder '$pair'" >&2; continue ;; esac
        case "$upstream" in '' | *[!a-z0-9-]*) echo "entrypoint: bad forwarder '$pair'" >&2; continue ;; esac
        socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$EGRESS_DIR/$upstream.sock" &
    done
elif [ -d "$EGRESS_DIR" ]; then
    . /usr/local/lib/box/egress-forwarders.sh
else
    echo "entrypoint: $EGRESS_DIR not mounted: no egress" >&2
fi

# The box's own switches. A routed box is reachable from Traefik's network, so there none
# of them may lower the defaults, whatever the image or the environment says: box-console
# sets BOX_ISOLATION=routed for it (a spec cannot set BOX_* variables).
code_server_auth="${BOX_CODE_SERVER_AUTH:-password}"
agent_bind="${BOX_AGENT_BIND:-127.0.0.1}"
dev_ssh="${BOX_DEV_SSH:-0}"
if [ "${BOX_ISOLATION:-}" = routed ]; then
    if [ "$code_server_auth" != password ]; then
        echo "entrypoint: BOX_CODE_SERVER_AUTH refused in a routed box: code-server keeps its password" >&2
        code_server_auth=password
    fi
    if [ "$agent_bind" != 127.0.0.1 ]; then
        echo "entrypoint: BOX_AGENT_BIND refused in a routed box: the box-agent stays on 127.0.0.1" >&2
        agent_bind=127.0.0.1
    fi
    if [ "$dev_ssh" != 0 ]; then
        echo "entrypoint: BOX_DEV_SSH refused in a routed box: no sshd" >&2
        dev_ssh=0
    fi
fi

# box-agent on 127.0.0.1:9999 (BOX_AGENT_BIND=0.0.0.0 when a dev port is published).
socat "TCP-LISTEN:${BOX_AGENT_PORT:-9999},bind=$agent_bind,fork,reuseaddr" \
    SYSTEM:"sh /usr/local/lib/box/box-agent.sh" &

# code-server's password: the box secret CODE_SERVER_PASSWORD (a read-only file, never in
# the container's environment) when the spec lists it; otherwise code-server makes one.
if [ -n "${CODE_SERVER_PASSWORD_FILE:-}" ] && [ -r "$CODE_SERVER_PASSWORD_FILE" ]; then
    PASSWORD="$(cat "$CODE_SERVER_PASSWORD_FILE")"
    export PASSWORD
fi

if command -v code-server >/dev/null 2>&1 && [ "${BOX_CODE_SERVER:-1}" = 1 ]; then
    # Listens on all interfaces of the box: in routed mode Traefik reaches it over the
    # box's internal network; in isolated mode there is no interface but lo.
    code-server --bind-addr "0.0.0.0:${BOX_CODE_SERVER_PORT:-8080}" \
        --auth "$code_server_auth" --disable-telemetry \
        --user-data-dir /home/coder/.config/code-server/data \
        --extensions-dir /home/coder/.config/code-server/extensions \
        /home/coder/workspace &
fi

# Dev boxes only (docker-compose.dev.yml): an unprivileged sshd on 2222 with a host key in
# /tmp and the keys in ~/.ssh/authorized_keys. Production boxes run no sshd (CIS 5.7).
if [ "$dev_ssh" = 1 ] && [ -x /usr/sbin/sshd ]; then
    ssh-keygen -q -t ed25519 -N '' -f /tmp/ssh_host_ed25519_key
    /usr/sbin/sshd -p 2222 -h /tmp/ssh_host_ed25519_key -o PidFile=/tmp/sshd.pid \
        -o PasswordAuthentication=no -o UsePAM=no &
fi

if [ "$#" -gt 0 ]; then
    exec "$@"
fi
wait
