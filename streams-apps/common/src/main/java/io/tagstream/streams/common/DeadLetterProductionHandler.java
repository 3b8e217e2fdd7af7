package io.tagstream.streams.common;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;

/**
 * An output record that cannot be serialized or that the broker refuses (too large, invalid) sends the
 * input record it came from, as its original bytes, to the dead-letter topic; the app continues.
 * Retriable send errors are retried rather than dead-lettered: they say nothing about the record.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        byte[] key = context.sourceRawKey() != null ? context.sourceRawKey() : record.key();
        byte[] value = context.sourceRawValue() != null ? context.sourceRawValue() : record.value();
        return Response.resume(List.of(deadLetters.record(DeadLetters.Reason.PRODUCTION, context, key, value,
                context.headers(), exception)));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        return Response.resume(List.of(deadLetters.record(DeadLetters.Reason.SERIALIZATION, context,
                context.sourceRawKey(), context.sourceRawValue(), context.headers(), exception)));
    }
}
