#!/bin/sh
# box-agent: the box's own health endpoint. socat runs this once per connection with the
# request on stdin (see entrypoint.sh).
#   GET /health    200 {"status":"ok","lastActivity":<unix seconds>}
#   POST /activity 204, and the agent counts as active now (an agent's hook, a terminal)
# lastActivity is the time of the activity marker on the box's tmpfs; the HEALTHCHECK
# prints this body, so the engine keeps it in State.Health.Log and the policy service
# reads it from one inspect, without reaching into a box that has no route from the host.
# The HEALTHCHECK probes this, not the egress proxy (a proxy answering 403 says nothing
# about the box). Plain sh and socat: nothing to install in a minbase image.
marker=${BOX_ACTIVITY_MARKER:-/tmp/.box-activity}
IFS=' ' read -r method path _ || exit 0
# Drain the request headers up to the empty line.
while IFS= read -r line; do
    line=$(printf '%s' "$line" | tr -d '\r')
    [ -z "$line" ] && break
done
last_activity() {
    t=$(stat -c %Y "$marker" 2>/dev/null) || t=0
    printf '%s' "${t:-0}"
}
case "$method $path" in
"GET /health" | "GET /health?"* | "HEAD /health")
    status='200 OK'
    body="{\"status\":\"ok\",\"lastActivity\":$(last_activity)}"
    ;;
"POST /activity" | "GET /activity")
    touch "$marker" 2>/dev/null
    status='200 OK'
    body="{\"lastActivity\":$(last_activity)}"
    ;;
*)
    status='404 Not Found'
    body='{"error":"not found"}'
    ;;
esac
printf 'HTTP/1.0 %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n' \
    "$status" "${#body}"
[ "$method" = HEAD ] || printf '%s' "$body"
