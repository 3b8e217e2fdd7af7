package io.tagstream.stack;

import java.util.List;

/**
 * One process of the local stack. Adding a component (a Streams app, a simulator) means writing one
 * of these and adding it to {@link StackComponents#ALL}; {@code up}, {@code status}, {@code down} and
 * the test harness pick it up from there.
 */
public interface Component {

    /** Short name: log file, pid file and data directory are named after it. */
    String name();

    /** What it is, for people reading {@code status}. */
    String description();

    /** Names of the port options ({@link StackConfig}) this component binds. */
    List<String> ports();

    /**
     * INFRASTRUCTURE components run in every stack, the test harness's too; PLATFORM components (our apps,
     * simulators, registered connectors) run only in the full local platform ({@code profile=platform}).
     */
    enum Tier { INFRASTRUCTURE, PLATFORM }

    default Tier tier() {
        return Tier.INFRASTRUCTURE;
    }

    /** Components that must be ready before this one starts. */
    default List<String> dependsOn() {
        return List.of();
    }

    /** Directories, configuration files, one-time initialisation. Runs before every start. */
    void prepare(Stack stack) throws Exception;

    ProcessSpec process(Stack stack) throws Exception;

    /** A quick check that the component serves requests; also what {@code status} prints. */
    Health probe(Stack stack);

    /** Whether the component is ready to serve; by default the same as {@link #probe}. */
    default Health readiness(Stack stack) {
        return probe(stack);
    }

    /** Idempotent work once the component is ready (topics, databases, connector registration). */
    default void onReady(Stack stack) throws Exception {
    }
}
