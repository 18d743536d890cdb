#!/bin/sh
# Contract check of the Coolify client and the fake against Coolify's own OpenAPI spec,
# through `prism proxy` (npm @stoplight/prism-cli, installed by `npm install` here).
#
#   prism_check.sh [BUILD_DIR]   run tst_core_coolify_coolifycontract (it starts the fake and
#                                prism itself) and print the sl-violations summary
#   prism_check.sh --serve       start the fake and prism, print how to point boxctl at
#                                them, wait for Ctrl-C
#
# Spec: $COOLIFY_OPENAPI, else <repo>/third_party/coolify/openapi.yaml. Exits 0 with "SKIP"
# when prism or the spec is missing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
export BOX_SOURCE_DIR="${BOX_SOURCE_DIR:-$repo}"
spec="${COOLIFY_OPENAPI:-$BOX_SOURCE_DIR/third_party/coolify/openapi.yaml}"

prism="${PRISM:-}"
if [ -z "$prism" ] && [ -x "$here/node_modules/.bin/prism" ]; then prism="$here/node_modules/.bin/prism"; fi
if [ -z "$prism" ]; then prism=$(command -v prism || true); fi
if [ -z "$prism" ]; then
    echo "SKIP: prism not found (cd $here && npm install, or npm install -g @stoplight/prism-cli)"
    exit 0
fi
if [ ! -f "$spec" ]; then
    echo "SKIP: Coolify spec not found at $spec (set COOLIFY_OPENAPI)"
    exit 0
fi
export PRISM="$prism" COOLIFY_OPENAPI="$spec"

if [ "${1:-}" != "--serve" ]; then
    build="${1:-$repo/build}"
    test_bin="$build/tests/tst_core_coolify_coolifycontract"
    if [ ! -x "$test_bin" ]; then
        echo "build the test first: cmake --build $build --target tst_core_coolify_coolifycontract" >&2
        exit 2
    fi
    exec "$test_bin" -v1
fi

fake_out=$(mktemp)
python3 "$here/fake_coolify.py" --port 0 >"$fake_out" &
fake_pid=$!
prism_pid=""
cleanup() {
    [ -n "$prism_pid" ] && kill "$prism_pid" 2>/dev/null || true
    kill "$fake_pid" 2>/dev/null || true
    rm -f "$fake_out"
}
trap cleanup EXIT INT TERM
i=0
while [ ! -s "$fake_out" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
fake_port=$(head -n1 "$fake_out")
prism_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$prism" proxy "$spec" "http://127.0.0.1:$fake_port/api/v1" --errors=false -h 127.0.0.1 -p "$prism_port" &
prism_pid=$!
i=0
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $prism_port), 0.5)" 2>/dev/null; do
    sleep 0.5; i=$((i + 1))
    if [ $i -gt 120 ]; then echo "prism did not start" >&2; exit 1; fi
done
cat <<MSG
fake Coolify: http://127.0.0.1:$fake_port/api/v1   prism proxy: http://127.0.0.1:$prism_port
  COOLIFY_URL=http://127.0.0.1:$prism_port COOLIFY_API_PATH= COOLIFY_TOKEN='1|root' boxctl coolify servers
  curl -si -H 'Authorization: Bearer 1|root' http://127.0.0.1:$prism_port/servers | grep -i sl-violations
Ctrl-C stops both.
MSG
wait "$prism_pid"
