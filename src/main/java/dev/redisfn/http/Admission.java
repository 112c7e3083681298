package dev.redisfn.http;

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
        calls.decrementAndGet();
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
