#!/bin/sh
# Registers every connector of connectors/config (mounted at /etc/tagstream/connectors): the *.json files
# plus sinks/$SINK_IMPLEMENTATION/*.json, with PUT /connectors/<name>/config (create or update, so
# running it again is harmless). {{placeholders}} are filled in for this deployment like
# io.tagstream.stack.ConnectorConfigs does for the local stack; Connect's own ${file:...} / ${env:...}
# references pass through untouched, so no secret is ever sent here. Needs only sh, awk and curl.
set -eu
dir=${CONNECTORS_DIR:-/etc/tagstream/connectors}
connect=${CONNECT_URL:?CONNECT_URL is not set}
sinks=${SINK_IMPLEMENTATION:-copy}
[ -d "$dir/sinks/$sinks" ] || { echo "no sink implementation $sinks in $dir/sinks" >&2; exit 2; }

# render FILE DBHOST: prints "name<TAB>config JSON" on one line
render() {
  PH_KAFKA_BOOTSTRAP="$KAFKA_BOOTSTRAP" \
  PH_REGISTRY_URL="$REGISTRY_URL" \
  PH_POSTGRES_HOST="$2" \
  awk -v csv="$dir/address-map.csv" -v source="$1" '
    BEGIN {
      v["kafka.bootstrap"] = ENVIRON["PH_KAFKA_BOOTSTRAP"]
      v["registry.url"] = ENVIRON["PH_REGISTRY_URL"]
      v["registry.api.url"] = ENVIRON["PH_REGISTRY_URL"] "/apis/registry/v2"
      v["registry.ccompat.url"] = ENVIRON["PH_REGISTRY_URL"] "/apis/ccompat/v7"
      v["postgres.host"] = ENVIRON["PH_POSTGRES_HOST"]
      v["postgres.port"] = ENVIRON["DB_PORT"]
      v["postgres.database"] = ENVIRON["DB_NAME"]
      v["home"] = ENVIRON["TAGSTREAM_HOME"]
      v["database.secrets.file"] = ENVIRON["DATABASE_SECRETS_FILE"]
      v["repo"] = "/etc/tagstream"
      map = ""
      while ((getline line < csv) > 0) {
        gsub(/\\/, "\\\\", line); gsub(/"/, "\\\"", line); sub(/\r$/, "", line)
        map = map line "\\n"
      }
      v["demo.address.map"] = map
    }
    { text = text $0 "\n" }
    END {
      out = ""
      while (match(text, /\{\{[a-z0-9.]+\}\}/)) {
        key = substr(text, RSTART + 2, RLENGTH - 4)
        if (!(key in v)) { print source ": unknown placeholder {{" key "}}" > "/dev/stderr"; exit 3 }
        out = out substr(text, 1, RSTART - 1) v[key]
        text = substr(text, RSTART + RLENGTH)
      }
      text = out text
      if (!match(text, /"name"[ \t]*:[ \t]*"[^"]+"/)) { print source ": no name" > "/dev/stderr"; exit 3 }
      name = substr(text, RSTART, RLENGTH); sub(/^"name"[ \t]*:[ \t]*"/, "", name); sub(/"$/, "", name)
      if (!match(text, /"config"[ \t]*:[ \t]*\{/)) { print source ": no config object" > "/dev/stderr"; exit 3 }
      config = substr(text, RSTART + RLENGTH - 1)
      sub(/[ \t\r\n]*\}[ \t\r\n]*$/, "", config)   # the root object closes last
      gsub(/\n/, " ", config)
      print name "\t" config
    }' "$1"
}

status=0
for file in "$dir"/*.json "$dir/sinks/$sinks"/*.json; do
  case "$(basename "$file")" in
    cdc-ops.json) host=$OPS_DB_HOST ;;   # Debezium captures the operational database
    *) host=$TELEMETRY_DB_HOST ;;       # sinks write the telemetry database
  esac
  line=$(render "$file" "$host")
  name=$(printf '%s' "$line" | cut -f1)
  body=$(printf '%s' "$line" | cut -f2-)
  code=$(printf '%s' "$body" | curl -sS -o /tmp/response -w '%{http_code}' -X PUT \
    -H 'Content-Type: application/json' --data-binary @- "$connect/connectors/$name/config")
  case "$code" in
    2*) echo "registered $name ($file)" ;;
    *) echo "registering $name from $file failed: HTTP $code $(cat /tmp/response)" >&2; status=1 ;;
  esac
done
exit $status
