#!/usr/bin/env bash
# THE run command: installs what the console needs, makes sure a local Docker engine
# answers when we may start one, builds the two programs and starts box-console.
# Arguments go to box-console (e.g. --deploy-mode docker).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${BOX_BUILD_DIR:-build}

bash scripts/setup.sh run
# The console also works with remote engines and Coolify only, so a missing local engine
# is a warning, not an error. docker-up.sh asks the socket itself (no curl needed) and
# never starts a second daemon or removes a live socket.
if ! bash scripts/docker-up.sh --check; then
    if [ "$(id -u)" -eq 0 ]; then
        bash scripts/docker-up.sh || echo "run: warning: no local Docker engine" >&2
    else
        echo "run: warning: no Docker engine answers on ${BOX_DOCKER_SOCK:-/var/run/docker.sock} (start dockerd as root, or use a remote host)" >&2
    fi
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"${BOX_JOBS:-2}" --target box-console boxctl
exec "$build/bin/box-console" "$@"
