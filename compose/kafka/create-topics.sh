#!/bin/bash
# Creates the topics of io.tagstream.stack.TopicCatalog (ARCHITECTURE.md section 3) that do not exist
# yet; existing topics are left as they are. Kept in step with TopicCatalog by the tests of
# k8s/validation (same names, partitions and configs), plus the dead-letter topics the Streams apps'
# configs name (dlq.topic), whether or not the catalog lists them yet.
set -euo pipefail
bootstrap=${BOOTSTRAP_SERVERS:-kafka:9092}
rf=${REPLICATION_FACTOR:-1}
day=86400000
topics=/opt/kafka/bin/kafka-topics.sh

create() { # name partitions config...
  local name=$1 partitions=$2; shift 2
  local args=()
  for c in "$@"; do args+=(--config "$c"); done
  "$topics" --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$name" \
    --partitions "$partitions" --replication-factor "$rf" "${args[@]}"
}
telemetry() { # name retention-days
  create "$1" 6 cleanup.policy=delete retention.ms=$(( $2 * day )) compression.type=producer message.timestamp.type=CreateTime
}
delete_after() { # name partitions days
  create "$1" "$2" cleanup.policy=delete retention.ms=$(( $3 * day ))
}
compacted() { # name
  create "$1" 1 cleanup.policy=compact delete.retention.ms=$day min.compaction.lag.ms=0
}

telemetry telemetry.raw 7
telemetry telemetry.deadband 7
telemetry telemetry.clean 30
telemetry telemetry.agg.1m 90
telemetry telemetry.agg.1h 400
telemetry telemetry.late 14
delete_after dlq.deadband 1 14
delete_after dlq.imputation 1 14
delete_after alerts.events 3 400
delete_after dlq.http-source 1 14
delete_after dlq.sink 1 14
compacted ops.sites
compacted ops.devices
compacted ops.tags
compacted ops.thresholds
# dead-letter topics of the aggregation and alerts apps (their config's dlq.topic), for as long as
# TopicCatalog may not list them; same settings as the catalog's other dlq.* topics
delete_after dlq.aggregation 1 14
delete_after dlq.alerts 1 14

echo "topics ready:"
"$topics" --bootstrap-server "$bootstrap" --list
