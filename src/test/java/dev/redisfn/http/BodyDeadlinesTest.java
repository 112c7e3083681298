package dev.redisfn.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

/** The sweep's verdicts at given instants: a pause is bytes standing still between ticks, the total runs from the start. */
class BodyDeadlinesTest {

    private static final long MS = 1_000_000L;

    private final Vertx vertx = Vertx.vertx();
    /** Its own timer ticks once an hour, so that only the test's sweeps, at the test's instants, run. */
    private final BodyDeadlines deadlines = new BodyDeadlines(5_000, 20_000, 3_600_000, vertx);

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A body whose bytes the test sets, remembering why it timed out. */
    private static final class Body extends BodyDeadlines.Watched {
        long received;
        String timedOut;

        Body(long startedNanos) {
            super(startedNanos);
        }

        @Override
        long received() {
            return received;
        }

        @Override
        void timedOut(String why) {
            timedOut = why;
        }
    }

    private Body watched(long startedNanos) {
        Body body = new Body(startedNanos);
        deadlines.watch(body);
        return body;
    }

    @Test
    void aBodyThatKeepsArrivingIsNotIdleAndOneThatStopsIs() {
        long start = 1_000_000 * MS;
        Body body = watched(start);
        for (long ms = 1_000; ms <= 12_000; ms += 1_000) { // a byte before every tick: never idle
            body.received++;
            deadlines.sweepHere(start + ms * MS);
        }
        assertNull(body.timedOut);
        // then nothing: seen standing still from the tick at 12 s on, idle once that is more than 5 s ago
        deadlines.sweepHere(start + 17_000 * MS);
        assertNull(body.timedOut, "5 s since the last tick that saw bytes: not more than the limit yet");
        deadlines.sweepHere(start + 18_000 * MS);
        assertEquals("no part of the request body arrived for 5000 ms", body.timedOut);
    }

    @Test
    void aBodyThatNeverSendsIsIdleFromItsStartAndTheTotalCountsFromThereToo() {
        long start = 2_000_000 * MS;
        Body silent = watched(start);
        Body dribbling = watched(start);
        for (long ms = 1_000; ms <= 21_000; ms += 1_000) {
            dribbling.received++;
            deadlines.sweepHere(start + ms * MS);
            if (ms == 5_000) {
                assertNull(silent.timedOut, "exactly the limit is no pause over it");
            }
        }
        assertEquals("no part of the request body arrived for 5000 ms", silent.timedOut);
        assertEquals("the request body did not arrive within 20000 ms", dribbling.timedOut);
    }

    @Test
    void aBodyForgottenOnceCompleteIsNotSweptAgain() {
        long start = 3_000_000 * MS;
        Body done = watched(start);
        Body open = watched(start);
        deadlines.forget(done);
        deadlines.sweepHere(start + 30_000 * MS);
        assertNull(done.timedOut);
        assertEquals("the request body did not arrive within 20000 ms", open.timedOut);
    }
}
