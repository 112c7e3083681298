package dev.redisfn.observe;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The per-call timers. {@code connector.operation} times every execute call by {@code operation}
 * (the catalogue's name, {@code BATCH} for a batch, {@code NONE} for an event that could not be
 * decoded), {@code mode} and {@code outcome} ({@code OK}, an error code, or {@code PARTIAL} for a
 * batch some of whose items failed); {@code connector.test_connection} times test-connection by
 * mode and verdict. Tags hold only those closed sets of names — never a host or anything of an event.
 */
@Singleton
public class ConnectorMetrics {

    public static final String OPERATION = "connector.operation";
    public static final String TEST_CONNECTION = "connector.test_connection";
    public static final String REJECTED = "connector.rejected";
    public static final String UNANSWERED = "connector.unanswered";
    /** The function names, as the connector.rejected counter tags them. */
    public static final String EXECUTE = "execute";
    public static final String BATCH = "BATCH";
    public static final String UNDECODED = "NONE";
    public static final String OK = "OK";
    public static final String PARTIAL = "PARTIAL";
    /** The outcome of a call whose caller went away before its answer (its own failure is not Redis'). */
    public static final String CALLER_GONE = "CALLER_GONE";

    private record Key(String name, String operation, String mode, String outcome) {
    }

    private final MeterRegistry registry;
    /** Timers by their tags: Micrometer's builder and registry lookup are too slow for every call. */
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rejections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> unanswered = new ConcurrentHashMap<>();

    public ConnectorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void operation(String operation, String mode, String outcome, long startedNanos) {
        operationTook(operation, mode, outcome, System.nanoTime() - startedNanos);
    }

    /** An execute call that took {@code elapsedNanos}, for a caller that has read the clock already. */
    public void operationTook(String operation, String mode, String outcome, long elapsedNanos) {
        record(new Key(OPERATION, operation, mode, outcome), elapsedNanos);
    }

    public void testConnection(String mode, String outcome, long startedNanos) {
        record(new Key(TEST_CONNECTION, null, mode, outcome), System.nanoTime() - startedNanos);
    }

    /**
     * A request refused before any function ran (a bad CloudEvent, a body over a limit, the admission
     * budget, a wrong API key ...), by the function it was for ({@code none} when unknown) and the code.
     */
    public void rejected(String function, String code) {
        rejections.computeIfAbsent(function + ' ' + code, key -> Counter.builder(REJECTED).tag("function", function)
                .tag("code", code).description("requests refused before a function ran").register(registry)).increment();
    }

    /**
     * A call whose result could not be written as its answer (too large as JSON, or no memory left
     * to write it): timed by its outcome already, answered with {@code code} instead.
     */
    public void unanswered(String function, String code) {
        unanswered.computeIfAbsent(function + ' ' + code, key -> Counter.builder(UNANSWERED).tag("function", function)
                .tag("code", code).description("results answered with an error because they could not be written")
                .register(registry)).increment();
    }

    private void record(Key key, long elapsedNanos) {
        timers.computeIfAbsent(key, this::timer).record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Key key) {
        Timer.Builder builder = Timer.builder(key.name()).tag("mode", key.mode()).tag("outcome", key.outcome());
        if (key.operation() != null) {
            builder.tag("operation", key.operation()).description("execute calls by operation, mode and outcome");
        } else {
            builder.description("test-connection calls by mode and verdict");
        }
        return builder.register(registry);
    }
}
