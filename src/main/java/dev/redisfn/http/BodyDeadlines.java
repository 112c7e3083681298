package dev.redisfn.http;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.redisfn.config.Limits;

import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Vertx;

/**
 * Times out request bodies that arrive too slowly: no data for {@code connector.limits.body-idle-timeout},
 * or not complete within {@code connector.limits.body-timeout}. Every body being read is linked into
 * a list of its own event loop (no lock, no allocation: the reader is the list node), which one timer
 * per event loop sweeps each second, instead of one timer per request.
 */
@Singleton
public class BodyDeadlines {

    private static final long TICK_MS = 1_000;

    /**
     * A body being read; its callbacks and the sweep run on its request's event loop. The sweep tells
     * a pause by the bytes received standing still between its ticks, so that reading a part of a body
     * needs no clock: a pause is noticed within a tick or two of its limit.
     */
    abstract static class Watched {
        private Watched previous;
        private Watched next;
        private Loop loop;
        private final long startedNanos;
        private long seenBytes;
        private long seenNanos;

        /** @param startedNanos when the request began, by {@link System#nanoTime()} */
        Watched(long startedNanos) {
            this.startedNanos = startedNanos;
            this.seenNanos = startedNanos;
        }

        /** Bytes of the body received so far. */
        abstract long received();

        /** Answers 408 and closes the connection. */
        abstract void timedOut(String why);
    }

    /** The bodies being read on one event loop. */
    private static final class Loop {
        Watched head;
    }

    /** Netty's thread-local: on an event loop, an index into the thread's own array. */
    private final FastThreadLocal<Loop> loops = new FastThreadLocal<>();
    private final long idleNanos;
    private final long totalNanos;
    private final long tickMs;
    private final Vertx vertx;

    @Inject
    public BodyDeadlines(Limits limits, Vertx vertx) {
        this(limits.bodyIdleTimeoutMs(), limits.bodyTimeoutMs(), TICK_MS, vertx);
    }

    BodyDeadlines(long idleMs, long totalMs, long tickMs, Vertx vertx) {
        this.idleNanos = idleMs * 1_000_000L;
        this.totalNanos = totalMs * 1_000_000L;
        this.tickMs = tickMs;
        this.vertx = vertx;
    }

    /** Links a body in; called on its request's event loop. */
    void watch(Watched body) {
        Loop loop = loops.get();
        if (loop == null) {
            loop = new Loop();
            loops.set(loop);
            Loop swept = loop;
            // created on this event loop, so the sweep runs on it too
            vertx.setPeriodic(tickMs, ignored -> sweep(swept, System.nanoTime()));
        }
        body.loop = loop;
        body.next = loop.head;
        if (loop.head != null) {
            loop.head.previous = body;
        }
        loop.head = body;
    }

    /** Unlinks a body once it is complete (or refused); a body never linked is left alone. */
    void forget(Watched body) {
        Loop loop = body.loop;
        if (loop == null) {
            return;
        }
        if (body.previous != null) {
            body.previous.next = body.next;
        } else {
            loop.head = body.next;
        }
        if (body.next != null) {
            body.next.previous = body.previous;
        }
        body.previous = null;
        body.next = null;
        body.loop = null;
    }

    /** What the timer of the calling thread's event loop does each tick, at {@code now} ({@link System#nanoTime()}). */
    void sweepHere(long now) {
        Loop loop = loops.get();
        if (loop != null) {
            sweep(loop, now);
        }
    }

    private void sweep(Loop loop, long now) {
        Watched body = loop.head;
        while (body != null) {
            Watched next = body.next;
            long received = body.received();
            if (received != body.seenBytes) {
                body.seenBytes = received;
                body.seenNanos = now;
            }
            if (now - body.startedNanos > totalNanos) {
                forget(body);
                body.timedOut("the request body did not arrive within " + totalNanos / 1_000_000 + " ms");
            } else if (now - body.seenNanos > idleNanos) {
                forget(body);
                body.timedOut("no part of the request body arrived for " + idleNanos / 1_000_000 + " ms");
            }
            body = next;
        }
    }
}
