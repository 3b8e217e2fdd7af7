#!/bin/bash
# Writes the worker configuration (the same settings as the local stack's io.tagstream.stack.ConnectWorker)
# and the database secrets file the connector configs reference with ${file:...}, both on tmpfs, then
# runs the distributed worker.
set -euo pipefail
run=/run/tagstream
umask 077
cat > "$run/database.properties" <<PROPS
ingest.user=ingest
ingest.password=${TAGSTREAM_DB_INGEST_PASSWORD:?TAGSTREAM_DB_INGEST_PASSWORD is not set}
replicator.user=replicator
replicator.password=${TAGSTREAM_DB_REPLICATOR_PASSWORD:?TAGSTREAM_DB_REPLICATOR_PASSWORD is not set}
PROPS
cat > "$run/connect-distributed.properties" <<PROPS
bootstrap.servers=${CONNECT_BOOTSTRAP_SERVERS:-kafka:9092}
group.id=${CONNECT_GROUP_ID:-tagstream-connect}
listeners=http://0.0.0.0:8083
rest.advertised.host.name=${CONNECT_REST_ADVERTISED_HOST_NAME:-connect}
rest.advertised.port=8083
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
value.converter.schemas.enable=false
config.storage.topic=_connect-configs
offset.storage.topic=_connect-offsets
status.storage.topic=_connect-status
config.storage.replication.factor=${CONNECT_REPLICATION_FACTOR:-1}
offset.storage.replication.factor=${CONNECT_REPLICATION_FACTOR:-1}
status.storage.replication.factor=${CONNECT_REPLICATION_FACTOR:-1}
offset.storage.partitions=5
status.storage.partitions=1
offset.flush.interval.ms=5000
exactly.once.source.support=enabled
plugin.path=/opt/tagstream/plugins
plugin.discovery=service_load
config.providers=file,env
config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider
connector.client.config.override.policy=All
PROPS
exec /opt/kafka/bin/connect-distributed.sh "$run/connect-distributed.properties"
