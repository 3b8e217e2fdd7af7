#!/bin/bash
# Container health of a Streams app: GET /ready on 127.0.0.1:$TAGSTREAM_HTTP_PORT must answer 200
# (/ready is 200 only while Kafka Streams is RUNNING). With "health" as first argument, /health instead
# (process alive), which Kubernetes uses as the liveness probe. No curl needed: bash's /dev/tcp.
set -u
path=/ready
[ "${1:-}" = health ] && path=/health
port=${TAGSTREAM_HTTP_PORT:?TAGSTREAM_HTTP_PORT is not set}
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
read -r -t 5 status_line <&3 || exit 1
case "$status_line" in
  *" 200 "*) exit 0 ;;
  *) echo "$path: $status_line" >&2; exit 1 ;;
esac
