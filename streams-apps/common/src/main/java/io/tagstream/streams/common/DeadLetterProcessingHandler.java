package io.tagstream.streams.common;

import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A record a processor throws on goes to the dead-letter topic as its original input bytes; the app
 * continues with the next record.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        return Response.resume(List.of(deadLetters.record(DeadLetters.Reason.PROCESSING, context,
                context.sourceRawKey(), context.sourceRawValue(), context.headers(), exception)));
    }
}
