package dev.redisfn.http;

import dev.redisfn.command.ReplyAccount;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.pipeline.ExecutePipeline;
import dev.redisfn.request.TreeAllowance;
import dev.redisfn.security.KeyScope;

/**
 * One HTTP call as the front door tracks it: its share of the {@link Admission} — it was counted in as
 * a call and may hold body bytes, which {@link #finish()} gives back exactly once, however the call
 * ends (answered, refused, or its connection gone) — and what its answer needs to know.
 */
final class Exchange implements TreeAllowance {

    private final Admission admission;
    private final long startedNanos = System.nanoTime();
    private long bodyBytes;
    private boolean entered;
    private boolean finished;
    /** The function the call is for, as metrics tag it: execute, test-connection, operations, or none. */
    private String function = "none";
    /** The methods the path accepts, for a 405's Allow header. */
    private String allow;
    /** The Redis replies the call holds until its answer is written; made for an execute call only. */
    private ReplyAccount replies;
    /** What the caller's API key lets it do. */
    private KeyScope scope = KeyScope.ALL;
    /** Whether the call came as a CloudEvent, whose failure status tells a broker whether to deliver it again. */
    private boolean cloudEvent;

    Exchange(Admission admission) {
        this.admission = admission;
    }

    /** Counts the call in, unless the function serves its maximum of calls already. */
    boolean enter() {
        entered = admission.enterCall();
        return entered;
    }

    /** Reserves {@code more} body bytes for this call; false when the budget cannot take them. */
    boolean reserveBody(long more) {
        if (!admission.reserveBody(more)) {
            return false;
        }
        bodyBytes += more;
        return true;
    }

    /**
     * Reserves {@code bytes} more of the body budget for the JSON tree of this call's body, given back
     * with its body: 413 when the body and its tree would take more than all of the budget, so that
     * no retry could fit, 503 OVERLOADED while other bodies hold it.
     */
    @Override
    public synchronized void reserve(long bytes, long weight) {
        if (bodyBytes + bytes > admission.bodyBudget()) {
            throw new ConnectorException(ErrorCode.PAYLOAD_TOO_LARGE, "the request's JSON holds too many values: with"
                    + " its tree (" + weight + " bytes so far) it would take more than the " + admission.bodyBudget()
                    + " bytes that all request bodies together may (connector.limits.body-budget)", "send a large JSON"
                    + " document as a string (encoding utf8), or in parts (hash fields, list elements)");
        }
        if (finished || !admission.reserveBody(bytes)) {
            throw BodyReader.busy();
        }
        bodyBytes += bytes;
    }

    long bodyBytes() {
        return bodyBytes;
    }

    long startedNanos() {
        return startedNanos;
    }

    String function() {
        return function;
    }

    void function(String name) {
        this.function = name;
    }

    String allow() {
        return allow;
    }

    void allow(String methods) {
        this.allow = methods;
    }

    boolean cloudEvent() {
        return cloudEvent;
    }

    void cloudEvent(boolean delivered) {
        this.cloudEvent = delivered;
    }

    KeyScope scope() {
        return scope;
    }

    void scope(KeyScope granted) {
        this.scope = granted;
    }

    /** The call's account of Redis replies, released with the call (see {@link #finish()}). */
    ReplyAccount replies(ExecutePipeline pipeline) {
        if (replies == null) {
            replies = pipeline.newAccount(startedNanos);
        }
        return replies;
    }

    /** The call's account if it has one (execute calls), for its answer to reserve what it writes. */
    ReplyAccount account() {
        return replies;
    }

    synchronized void finish() {
        if (!finished) {
            finished = true;
            if (replies != null) {
                replies.release();
            }
            admission.releaseBody(bodyBytes);
            bodyBytes = 0;
            if (entered) {
                admission.leaveCall();
            }
        }
    }
}
