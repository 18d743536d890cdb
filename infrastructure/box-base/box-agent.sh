#!/bin/sh
# box-agent: the box's own health endpoint. socat runs this once per connection with the
# request on stdin (see entrypoint.sh); it answers GET /health with 200 {"status":"ok"}.
# The HEALTHCHECK probes this, not the egress proxy (a proxy answering 403 says nothing
# about the box). Plain sh and socat: nothing to install in a minbase image.
IFS=' ' read -r method path _ || exit 0
# Drain the request headers up to the empty line.
while IFS= read -r line; do
    line=$(printf '%s' "$line" | tr -d '\r')
    [ -z "$line" ] && break
done
case "$method $path" in
"GET /health" | "GET /health?"* | "HEAD /health")
    status='200 OK'
    body='{"status":"ok"}'
    ;;
*)
    status='404 Not Found'
    body='{"error":"not found"}'
    ;;
esac
printf 'HTTP/1.0 %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n' \
    "$status" "${#body}"
[ "$method" = HEAD ] || printf '%s' "$body"
