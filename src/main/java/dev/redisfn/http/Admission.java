package dev.redisfn.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import dev.redisfn.config.Limits;

/**
 * What the function lets in at once: calls ({@code connector.limits.max-concurrent-calls}) and bytes
 * of request bodies ({@code connector.limits.body-budget}), counted across every connection. A
 * request that does not fit is refused at once, before its body is buffered, so that many large or
 * slow bodies together can never exhaust the heap.
 */
@Singleton
public class Admission {

    private final long bodyBudget;
    private final int maxCalls;
    private final AtomicLong bodyBytes = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();
    /** Set once the function stops: completed when the last call in flight has left. */
    private volatile CompletableFuture<Void> drained;

    public Admission(Limits limits) {
        this.bodyBudget = limits.bodyBudget();
        this.maxCalls = limits.maxConcurrentCalls();
    }

    /** Counts a call in, unless the function already serves its maximum. */
    boolean enterCall() {
        if (calls.incrementAndGet() > maxCalls) {
            calls.decrementAndGet();
            return false;
        }
        return true;
    }

    void leaveCall() {
        if (calls.decrementAndGet() == 0) {
            CompletableFuture<Void> stopping = drained;
            if (stopping != null) {
                stopping.complete(null);
            }
        }
    }

    /**
     * Waits until no call is in flight, or {@code timeout} has passed: on the shutdown thread, while the
     * event loops still serve the calls. Whether every call was answered.
     */
    boolean drain(Duration timeout) throws InterruptedException {
        CompletableFuture<Void> stopping = new CompletableFuture<>();
        drained = stopping;
        if (calls.get() == 0) {
            return true;
        }
        try {
            stopping.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        }
    }

    /** Reserves body bytes, unless the bodies in flight would exceed the budget. */
    boolean reserveBody(long bytes) {
        long now = bodyBytes.addAndGet(bytes);
        if (now > bodyBudget) {
            bodyBytes.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    long bodyBudget() {
        return bodyBudget;
    }

    void releaseBody(long bytes) {
        if (bytes > 0) {
            bodyBytes.addAndGet(-bytes);
        }
    }

    /** Calls being served now, which the refusal of one more names. */
    int callsInFlight() {
        return calls.get();
    }
}
