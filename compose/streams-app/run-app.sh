#!/bin/bash
# Starts the Streams app named by TAGSTREAM_APP with its config file; TAGSTREAM_<OPTION> environment
# variables (bootstrap servers, registry, HTTP port, state dir, address map) override the file.
# Kafka client settings that have no option of their own (security: SASL/TLS in Kubernetes' prod
# overlay) come as TAGSTREAM_CLIENT_<NAME> variables, e.g. TAGSTREAM_CLIENT_SECURITY_PROTOCOL=SASL_SSL,
# and are passed to Kafka Streams as streams.<name> (security.protocol) in a copy of the file on /tmp.
set -euo pipefail
case "${TAGSTREAM_APP:?TAGSTREAM_APP is not set}" in
  deadband)    main=io.tagstream.deadband.DeadbandApp ;;
  imputation)  main=io.tagstream.imputation.ImputationApp ;;
  aggregation) main=io.tagstream.aggregation.AggregationApp ;;
  alerts)      main=io.tagstream.alerts.AlertsApp ;;
  *) echo "unknown app: $TAGSTREAM_APP" >&2; exit 2 ;;
esac
config=${TAGSTREAM_CONFIG_FILE:-/etc/tagstream/app.properties}
client_vars=$(compgen -e | grep '^TAGSTREAM_CLIENT_' || true)
if [ -n "$client_vars" ]; then
  umask 077
  effective=$(mktemp /tmp/tagstream-app.XXXXXX.properties)
  cat "$config" > "$effective"
  printf '\n# Kafka client settings from TAGSTREAM_CLIENT_* (run-app.sh)\n' >> "$effective"
  for var in $client_vars; do
    name=${var#TAGSTREAM_CLIENT_}
    name=$(printf '%s' "$name" | tr 'A-Z_' 'a-z.')
    printf 'streams.%s=%s\n' "$name" "${!var}" >> "$effective"
  done
  config=$effective
fi
exec java ${JAVA_OPTS:-} -cp "/opt/tagstream/tagstream-${TAGSTREAM_APP}.jar:/opt/tagstream/lib/*" "$main" "$config" "$@"
