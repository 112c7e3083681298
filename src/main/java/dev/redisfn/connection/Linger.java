package dev.redisfn.connection;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Counts the calls running on a target, so that closing it (evicted from the cache, dropped after a
 * broken connection) never fails a call that took it from the cache a moment before: the target is
 * released {@link #LINGER_MS} after {@link #close} if idle then, otherwise when its last call ends —
 * and at the latest once every call has had its connect and command time.
 */
final class Linger {

    /** How long a closed target stays usable for calls that took it from the cache just before. */
    static final long LINGER_MS = 1_000;
    /** Value of {@link #calls} once the target is released for good. */
    private static final int RELEASED = Integer.MIN_VALUE;

    private final AtomicInteger calls = new AtomicInteger();
    private final Runnable release;
    /** Set {@link #LINGER_MS} after {@link #close}: from then on the last call to end releases the target. */
    private volatile boolean lingered;

    Linger(Runnable release) {
        this.release = release;
    }

    /** Counts a call in, unless the target is released for good. */
    boolean enter() {
        while (true) {
            int running = calls.get();
            if (running == RELEASED) {
                return false;
            }
            if (calls.compareAndSet(running, running + 1)) {
                return true;
            }
        }
    }

    /** Counts the call out once {@code call} completes. */
    <T> Future<T> leaveWhenDone(Future<T> call) {
        return call.andThen(ignored -> {
            int running = calls.updateAndGet(n -> n == RELEASED ? RELEASED : n - 1);
            if (running == 0 && lingered && calls.compareAndSet(0, RELEASED)) {
                release.run();
            }
        });
    }

    /** Whether the call now sending is the only one running: a lone call's writes need not wait to be merged. */
    boolean alone() {
        return calls.get() <= 1;
    }

    void close(Vertx vertx, long graceMs) {
        try {
            vertx.setTimer(LINGER_MS, ignored -> {
                lingered = true;
                if (calls.compareAndSet(0, RELEASED)) {
                    release.run();
                }
            });
            vertx.setTimer(LINGER_MS + graceMs, ignored -> releaseNow());
        } catch (RejectedExecutionException | IllegalStateException shuttingDown) {
            releaseNow();
        }
    }

    private void releaseNow() {
        if (calls.getAndSet(RELEASED) != RELEASED) {
            release.run();
        }
    }

    /** A call that reached a target after it was closed (evicted or dropped while idle): the caller may retry. */
    static ConnectorException closedFailure() {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED,
                "the client of this connection was closed (evicted or dropped) before the call was sent; retry it",
                "host/port: a call just before it could not reach Redis, so its client was dropped (a restart or"
                        + " failover under way?) — retry; POST /test-connection says what is wrong, if anything");
    }
}
