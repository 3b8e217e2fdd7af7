# One Kafka Connect plugin as an OCI image for Strimzi's `plugins` (image volumes): the content of one
# directory of connectors/plugin-path/target/plugin-path at the image root. Build context: the
# repository root, after the Maven build; k8s/bin/build-images builds one per plugin.
#   docker build -f k8s/images/connect-plugin.Dockerfile --build-arg PLUGIN=tagstream-modbus-source \
#     -t tagstream/connect-plugin-tagstream-modbus-source:0.1.0 .
FROM scratch
ARG PLUGIN
COPY connectors/plugin-path/target/plugin-path/${PLUGIN}/ /
