package io.tagstream.stack;

/** A problem the person running the stack can act on; printed without a stack trace. */
public final class StackException extends Exception {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
