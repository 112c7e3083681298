package dev.redisfn.command;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.ReplyGuard;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;

/**
 * The Redis replies one call holds until its answer is written: their counted size (bytes, plus
 * {@link ReplyGuard#ELEMENT_COST} per element) must stay within {@code connector.limits.reply-size}
 * — a batch's replies together — and, past a small allowance, is reserved from the budget shared by
 * all calls ({@code connector.limits.reply-budget}), so that many calls with large replies at once
 * cannot exhaust the heap. Whoever made the account releases it once the answer is written.
 */
public final class ReplyAccount {

    /** What a call may hold without touching the shared budget: the usual call never does. */
    static final long ALLOWANCE = 16 * 1024;

    private final ReplyGuard.Budget budget;
    private final long limit;
    private long counted;
    private long reserved;
    private boolean released;

    public ReplyAccount(ReplyGuard.Budget budget, long limit) {
        this.budget = budget;
        this.limit = limit;
    }

    /** Counts a reply of the call: the reply itself, or a failure saying why the call may not hold it. */
    Future<Response> charge(Response reply) {
        ConnectorException refused = count(size(reply));
        return refused == null ? Future.succeededFuture(reply) : Future.failedFuture(refused);
    }

    /** Counts {@code bytes} more; null when they fit, else the error to answer. */
    synchronized ConnectorException count(long bytes) {
        counted += bytes;
        if (counted > limit) {
            return tooLarge(limit);
        }
        long over = counted - ALLOWANCE - reserved;
        if (over > 0 && !released) {
            if (!budget.tryReserve(over)) {
                return new ConnectorException(ErrorCode.OVERLOADED, "the function holds as many large replies as its"
                        + " memory allows; retry shortly", "connector.limits.reply-budget bounds the replies held at once");
            }
            reserved += over;
        }
        return null;
    }

    /** Gives back what the call reserved; later charges reserve nothing. */
    public synchronized void release() {
        released = true;
        budget.release(reserved);
        reserved = 0;
    }

    static ConnectorException tooLarge(long limit) {
        return new ConnectorException(ErrorCode.REPLY_TOO_LARGE, "the replies of this call are larger than "
                + limit + " bytes (connector.limits.reply-size)", dev.redisfn.connection.Failures.READ_IN_PARTS);
    }

    /** A reply's counted size: its bytes, and {@link ReplyGuard#ELEMENT_COST} for each element of an array. */
    static long size(Response reply) {
        if (reply == null) {
            return 8;
        }
        switch (reply.type()) {
            case BULK:
                return reply.toBuffer().length() + 16L;
            case MULTI:
            case PUSH:
            case ATTRIBUTE: {
                long size = 16;
                for (Response element : reply) {
                    size += ReplyGuard.ELEMENT_COST + size(element);
                }
                return size;
            }
            case SIMPLE:
            case ERROR:
                return reply.toString().length() + 16L;
            default:
                return 16;
        }
    }
}
