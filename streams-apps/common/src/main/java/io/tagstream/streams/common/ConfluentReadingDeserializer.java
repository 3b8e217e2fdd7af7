package io.tagstream.streams.common;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tagstream.schema.Reading;

/**
 * Reads Readings in Confluent wire format. For a content id whose schema (asked once from the registry)
 * is exactly the Reading schema compiled into this build, the Avro binary is decoded directly; any other
 * id, or bytes that are not in wire format, go through Apicurio's deserializer, which resolves the
 * writer's schema. Apicurio's deserializer builds a datum reader per record, which dominates the cost of
 * a deadband record otherwise.
 */
final class ConfluentReadingDeserializer implements Deserializer<Reading> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentReadingDeserializer.class);

    private final Deserializer<Reading> resolving;
    private final String registryUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ConcurrentHashMap<Integer, Boolean> compiledSchemaById = new ConcurrentHashMap<>();

    ConfluentReadingDeserializer(Deserializer<Reading> resolving, String registryUrl) {
        this.resolving = resolving;
        this.registryUrl = registryUrl;
    }

    @Override
    public Reading deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < 5 || bytes[0] != 0 || !isCompiledSchema(ReadingCodec.readInt(bytes, 1))) {
            return resolving.deserialize(topic, bytes);
        }
        try {
            BinaryDecoder decoder = ReadingCodec.decoder(bytes, 5, bytes.length - 5);
            Reading reading = ReadingCodec.read(decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("trailing bytes after a Reading on " + topic);
            }
            return reading;
        } catch (SerializationException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode a Reading on " + topic + ": " + e.getMessage(), e);
        }
    }

    private boolean isCompiledSchema(int contentId) {
        Boolean known = compiledSchemaById.get(contentId);
        if (known != null) {
            return known;
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(registryUrl + "/ids/contentIds/" + contentId)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return false; // unknown here; Apicurio's deserializer reports it properly
            }
            boolean same = Reading.getClassSchema().equals(new Schema.Parser().parse(response.body()));
            compiledSchemaById.put(contentId, same);
            return same;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("cannot look up content id {}: {}", contentId, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        resolving.close();
    }
}
