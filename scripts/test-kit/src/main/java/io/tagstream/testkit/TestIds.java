package io.tagstream.testkit;

import java.util.UUID;

/** Names for what a test creates on the shared stack (topics, groups, connectors, rows), so runs never meet. */
public final class TestIds {

    private TestIds() {
    }

    /** Eight random hex digits. */
    public static String next() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
