package io.tagstream.connect.registry;

import io.apicurio.registry.utils.converter.AvroConverter;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * The Apicurio {@link AvroConverter} (same options, same wire format) whose transient registry failures
 * are thrown as {@link RetriableException}: Connect's error handler retries only those, with backoff up
 * to {@code errors.retry.delay.max.ms} until {@code errors.retry.timeout}. Permanent failures (an
 * incompatible schema, bad data) are rethrown unchanged, so they fail the task or go to the DLQ as before.
 */
public class RetryingAvroConverter<T> extends AvroConverter<T> {

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        return classified(topic, () -> super.fromConnectData(topic, schema, value));
    }

    @Override
    public byte[] fromConnectData(String topic, Headers headers, Schema schema, Object value) {
        return classified(topic, () -> super.fromConnectData(topic, headers, schema, value));
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        return classified(topic, () -> super.toConnectData(topic, value));
    }

    @Override
    public SchemaAndValue toConnectData(String topic, Headers headers, byte[] value) {
        return classified(topic, () -> super.toConnectData(topic, headers, value));
    }

    private static <R> R classified(String topic, Supplier<R> conversion) {
        try {
            return conversion.get();
        } catch (RetriableException e) {
            throw e;
        } catch (RuntimeException e) {
            if (RegistryFailure.isTransient(e)) {
                throw new RetriableException("schema registry unavailable converting a record of topic "
                        + topic + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
