package dev.redisfn.command;

import java.util.function.Supplier;

import dev.redisfn.connection.Target;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.RedisErrors;
import dev.redisfn.transport.RedisSockets;
import dev.redisfn.transport.ReplyBudget;
import dev.redisfn.transport.ReplyGuard;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Response;

/**
 * The Redis replies one call holds until its answer is written, and that answer. Their counted size
 * (bytes, plus {@link ReplyGuard#ELEMENT_COST} per element) must stay within {@code
 * connector.limits.reply-size} — a batch's replies together. What they cost the heap is reserved
 * from the budget shared by all calls ({@code connector.limits.reply-budget}), so that calls with
 * large replies at once cannot exhaust it: {@value #COPIES} times the counted bytes (the reply as
 * the client parsed it and its text in the result) and, for the answer, as much again or the
 * answer's buffer once it grows past that (escapes, base64). A call that cannot have it fails as
 * it charges its reply, before it holds more. Small calls — the usual ones — stay within an
 * allowance and touch no shared state. Whoever made the account releases it once the answer is
 * written.
 */
public final class ReplyAccount implements Target.OnReply {

    /** Counted reply bytes a call may hold without touching the shared budget. */
    static final long ALLOWANCE = 8 * 1024;
    /** Answer bytes a call may write without touching the shared budget. */
    static final long ANSWER_ALLOWANCE = 16 * 1024;
    /** Heap bytes per counted reply byte held: the parsed reply, and its text in the result. */
    static final int COPIES = 2;

    private final ReplyBudget budget;
    private final long limit;
    private final long started;
    private volatile boolean abandoned;
    private volatile boolean callerGone;
    private Runnable undo; // what abandoning must cut off now; guarded by this
    private int awaited; // connections of the call's own asked for and not come; guarded by this
    private boolean mayHaveSent; // guarded by this
    private long counted;
    private long answer;
    private long reserved;
    private boolean released;
    /** Whether the guard refused a reply of this call as over the limit on its own. */
    private boolean refusedTooLarge;

    public ReplyAccount(ReplyBudget budget, long limit) {
        this(budget, limit, System.nanoTime());
    }

    /** @param startedNanos when the call began, by {@link System#nanoTime()} */
    public ReplyAccount(ReplyBudget budget, long limit, long startedNanos) {
        this.budget = budget;
        this.limit = limit;
        this.started = startedNanos;
    }

    /**
     * Nobody waits for the call's answer any more — its deadline passed and it was answered TIMEOUT,
     * or its caller went away: work still waiting for a connection of its own must not begin, and
     * work in flight that would take something (a blocking pop) is cut off.
     *
     * @return whether the call sent nothing: all it did was wait for a connection of its own
     */
    public boolean abandon() {
        Runnable now;
        boolean sentNothing;
        synchronized (this) {
            abandoned = true;
            now = undo;
            undo = null;
            sentNothing = awaited > 0 && !mayHaveSent;
        }
        if (now != null) {
            now.run();
        }
        return sentNothing;
    }

    /** The call's caller went away before its answer: the call is abandoned, and its failure is no Redis outcome. */
    public void callerGone() {
        callerGone = true;
        abandon();
    }

    /** Whether the caller went away before the call's answer. */
    public boolean isCallerGone() {
        return callerGone;
    }

    /** The call asks for a connection of its own; until it comes ({@link #connectionCame()}) it sends nothing there. */
    synchronized void awaitConnection() {
        awaited++;
    }

    /** The call sends on several paths (a batch): its deadline never says that nothing was sent. */
    synchronized void sendsElsewhere() {
        mayHaveSent = true;
    }

    /** A connection of the call's own came: false when the call was abandoned, and must send nothing on it. */
    synchronized boolean connectionCame() {
        if (abandoned) {
            return false;
        }
        awaited--;
        mayHaveSent = true;
        return true;
    }

    /** What {@link #abandon()} must do while the call's work is in flight (null once it is done). */
    private void whileInFlight(Runnable cutOff) {
        synchronized (this) {
            if (!abandoned || cutOff == null) {
                undo = cutOff;
                return;
            }
        }
        cutOff.run(); // abandoned meanwhile
    }

    /** {@link #onOwnConnection(String, RedisConnection, Runnable, Supplier)} with nothing more to do on a cut-off. */
    <T> Future<T> onOwnConnection(String what, RedisConnection conn, Supplier<Future<T>> work) {
        return onOwnConnection(what, conn, () -> {
        }, work);
    }

    /**
     * Runs {@code what}'s work on a connection of the call's own: none when the call was abandoned
     * before the connection came (it sends nothing), and the connection closed at once — a blocking
     * command on it cut off, so that Redis takes or hands out nothing for nobody — then {@code
     * alsoOnCutOff}, when the call is abandoned while the work runs.
     */
    <T> Future<T> onOwnConnection(String what, RedisConnection conn, Runnable alsoOnCutOff, Supplier<Future<T>> work) {
        if (!connectionCame()) {
            return Future.failedFuture(tooLate(what));
        }
        whileInFlight(() -> {
            RedisSockets.abort(conn);
            alsoOnCutOff.run();
        });
        Future<T> running;
        try {
            running = work.get();
        } catch (RuntimeException e) {
            running = Future.failedFuture(e);
        }
        return running.onComplete(done -> whileInFlight(null));
    }

    /** The failure of {@code what}, which got its connection only after the call was abandoned: it sent nothing. */
    static ConnectorException tooLate(String what) {
        return ConnectorException.timeout("no connection for " + what + " came free before the call's deadline;"
                + " nothing was sent", false);
    }

    /** The failure of a call whose deadline passed while it waited for a connection of its own. */
    static ConnectorException noConnection(long deadlineMs) {
        return new ConnectorException(ErrorCode.TIMEOUT, "the call waited " + deadlineMs + " ms for a connection of its"
                + " own and got none: nothing was sent", "connector.pool.max-size: the config's connections for blocking"
                + " calls and transactions were all busy (retry, or raise it), or the server was slow to accept one");
    }

    /** The failure of {@code what}, cut off because its caller went away (nobody reads it; metrics count it). */
    static ConnectorException cutOff(String what) {
        return ConnectorException.timeout("the caller went away before the answer; " + what + " was cut off", false);
    }

    /** Milliseconds since the call began (the account is made as it begins). */
    long elapsedMs() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public Future<Response> accept(Response reply) {
        return charge(reply);
    }

    /** A reply the guard refused as over the reply limit on its own: the call is over its limit too. */
    @Override
    public synchronized void refused(Throwable failure) {
        if (RedisErrors.is(failure, ReplyGuard.TOO_LARGE)) {
            refusedTooLarge = true;
        }
    }

    /** Counts a reply of the call: the reply itself, or a failure saying why the call may not hold it. */
    public Future<Response> charge(Response reply) {
        ConnectorException refused = count(size(reply));
        return refused == null ? Future.succeededFuture(reply) : Future.failedFuture(refused);
    }

    /** Counts {@code bytes} more; null when they fit, else the error to answer. */
    public synchronized ConnectorException count(long bytes) {
        counted += bytes;
        if (counted > limit) {
            budget.forgo(claimable(bytes)); // the reply is dropped: its reservation in transit with it
            return tooLarge(limit);
        }
        return reserveUpTo(bytes) ? null : overloaded();
    }

    /**
     * The answer's buffer grew to {@code bytes}; false when the budget cannot take it (the answer
     * is then refused with {@link #overloaded()}).
     */
    public synchronized boolean answerGrew(long bytes) {
        answer = bytes;
        return reserveUpTo(0);
    }

    /** The error to answer when the replies counted so far are over the call's limit; else null. */
    public synchronized ConnectorException overLimit() {
        return counted > limit || refusedTooLarge ? tooLarge(limit) : null;
    }

    /** The counted size of the replies so far: a first estimate of the answer's size. */
    public synchronized long counted() {
        return counted;
    }

    /**
     * Reserves what the call holds beyond its allowances, as far as not reserved yet; up to {@code
     * charged} bytes of it (a reply being charged) may be that reply's reservation from its guard.
     */
    private boolean reserveUpTo(long charged) {
        long replies = Math.max(0, counted - ALLOWANCE);
        long needed = COPIES * replies + Math.max(replies, answer - ANSWER_ALLOWANCE);
        long more = needed - reserved;
        if (more <= 0 || released) {
            budget.forgo(claimable(charged));
            return true;
        }
        if (!budget.tryReserveForCall(more, claimable(charged))) {
            return false;
        }
        reserved += more;
        return true;
    }

    /**
     * How much of a reply's reservation in transit (see {@link ReplyBudget#handOver}) its charge may
     * claim: a guard keeps no reservation for a smaller reply, and claiming for one would take the
     * reservation of another call's large reply still on its way.
     */
    private static long claimable(long bytes) {
        return bytes >= ReplyBudget.MIN_HANDED ? bytes : 0;
    }

    /** Gives back what the call reserved; later charges reserve nothing. */
    public synchronized void release() {
        released = true;
        budget.release(reserved);
        reserved = 0;
    }

    /** The function holds as many large replies as the budget allows. */
    public static ConnectorException overloaded() {
        return new ConnectorException(ErrorCode.OVERLOADED, "the function holds as many large replies as its memory"
                + " allows; retry shortly", "connector.limits.reply-budget bounds the replies held at once");
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
