package dev.redisfn.command;

import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.Mode;
import dev.redisfn.connection.ClientCache;
import dev.redisfn.connection.Failures;
import dev.redisfn.connection.Outcome;
import dev.redisfn.connection.Route;
import dev.redisfn.connection.Slots;
import dev.redisfn.connection.Target;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.response.OperationResult;
import dev.redisfn.transport.EventLoops;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Runs operations against the cached target of a config: one call, or a batch ({@link Batches},
 * {@link Transactions}). Every call is bounded by the config's command timeout; a target whose
 * connection failed is dropped from the cache so the next call rebuilds it; every reply is counted
 * in the call's {@link ReplyAccount}.
 */
@Singleton
public class Dispatcher {

    private static final String HOST_PORT = "host/port:";

    private final ClientCache clients;
    private final Vertx vertx;
    private final Batches batches;
    private final Transactions transactions;

    public Dispatcher(ClientCache clients, Vertx vertx) {
        this.clients = clients;
        this.vertx = vertx;
        this.batches = new Batches(this);
        this.transactions = new Transactions(this);
    }

    /**
     * One operation; fails with a {@link ConnectorException}. The most common call, one command on
     * a target already built, takes no composition step before it is sent.
     */
    public Future<JsonNode> run(ConnectionConfig config, Call call, int waitReplicas, ReplyAccount replies) {
        long deadline = config.commandTimeoutMs() + requestedWait(call);
        boolean writes = call.operation().access() == Access.WRITE;
        boolean replicated = waitReplicas > 0 && writes;
        Target cached = clients.cached(config);
        Future<JsonNode> result;
        if (cached != null && !replicated && isOneCommand(config, call)) {
            result = sendOne(config, call, cached, replies);
        } else {
            result = clients.target(config, cached).compose(target -> {
                Future<JsonNode> ran;
                try {
                    ran = replicated ? replicated(config, call, target, waitReplicas, replies)
                            : invoke(config, call, target, replies);
                } catch (RuntimeException e) {
                    ran = Future.failedFuture(e);
                }
                return ran.recover(failure -> Future.failedFuture(failed(target, failure)));
            });
        }
        return bounded(config, deadline, writes, result, replies, call);
    }

    /** A batch; one result per call in order, a failing call does not hide the others. */
    public Future<List<OperationResult>> batch(ConnectionConfig config, List<Call> calls, boolean atomic,
            Watch watch, int waitReplicas, ReplyAccount replies) {
        Future<List<OperationResult>> results = clients.target(config).compose(target -> {
            Future<List<OperationResult>> ran;
            try {
                ran = atomic ? transactions.run(config, calls, watch, waitReplicas, target, replies)
                        : batches.run(config, calls, waitReplicas, target, replies);
            } catch (RuntimeException e) {
                ran = Future.failedFuture(e);
            }
            return ran.recover(failure -> Future.failedFuture(failed(target, failure)));
        });
        boolean writes = calls.stream().anyMatch(call -> !call.isInvalid() && call.operation().access() == Access.WRITE);
        // the items of several round trips run side by side: the batch waits as long as its longest one asks to
        long waits = calls.stream().mapToLong(Dispatcher::requestedWait).max().orElse(0);
        return bounded(config, config.commandTimeoutMs() + waits, writes, results, replies, null);
    }

    /**
     * How long past {@code commandTimeoutMs} a call asked to wait: SUBSCRIBE's {@code waitMs},
     * STREAM.CONSUME's {@code blockMs}. Both are runners, so a plain command looks up nothing.
     */
    private static long requestedWait(Call call) {
        if (call.isInvalid() || call.operation().isSingleCommand()) {
            return 0;
        }
        return Helpers.waitOf(call.args()) + StreamConsumer.waitOf(call.args());
    }

    /** One command, unsplit, on a built target: what {@link #invoke} does for it, on the fewest steps. */
    private Future<JsonNode> sendOne(ConnectionConfig config, Call call, Target target, ReplyAccount replies) {
        Future<Response> reply;
        try {
            reply = target.send(call.operation().request(call.args()), route(config, call));
        } catch (RuntimeException e) {
            return Future.failedFuture(failed(target, e));
        }
        return reply.transform(sent -> {
            try {
                if (sent.failed()) {
                    return Future.failedFuture(failed(target, sent.cause()));
                }
                ConnectorException refused = replies.count(ReplyAccount.size(sent.result()));
                return refused != null ? Future.failedFuture(refused)
                        : Future.succeededFuture(call.operation().map(sent.result(), call.args()));
            } catch (RuntimeException e) {
                return Future.failedFuture(failed(target, e));
            }
        });
    }

    /** Whether a call is one command on one node here (not split per slot nor sent to every master of a cluster). */
    boolean isOneCommand(ConnectionConfig config, Call call) {
        Operation operation = call.operation();
        return !operation.runsSteps(call.args())
                && (config.mode() != Mode.CLUSTER || !operation.isSplit() && !operation.onEveryMaster());
    }

    /** Where a call's command goes: the slot of its keys in cluster mode (one slot, where it must be), read or write. */
    static Route route(ConnectionConfig config, Call call) {
        boolean read = call.operation().access() == Access.READ;
        if (config.mode() != Mode.CLUSTER) {
            return read ? Route.ANY_READ : Route.MASTER;
        }
        List<String> keys = call.args().slotKeys();
        if (call.operation().needsOneSlot()) {
            return Route.of(ClusterSplit.requireOneSlot(keys, call.operation().name()), read);
        }
        return Route.of(keys.isEmpty() ? -1 : Slots.of(keys.get(0)), read);
    }

    /** Any call: one command, split per slot, on every master, or a runner of several round trips. */
    Future<JsonNode> invoke(ConnectionConfig config, Call call, Target target, ReplyAccount replies) {
        Operation operation = call.operation();
        if (operation.runsSteps(call.args())) {
            return operation.run(call.args(), target, replies);
        }
        if (config.mode() == Mode.CLUSTER && operation.isSplit() && call.args().slotKeys().size() > 1) {
            return ClusterSplit.run(operation, call.args(), target, replies);
        }
        if (config.mode() == Mode.CLUSTER && operation.onEveryMaster()) {
            return onEveryMaster(call, target, replies);
        }
        Request request = operation.request(call.args());
        return target.send(request, route(config, call)).compose(replies::charge)
                .map(reply -> operation.map(reply, call.args()));
    }

    /** DBSIZE (summed), FLUSHDB, FLUSHALL, SCRIPT.FLUSH (true when every master did it) on each master of a cluster. */
    private Future<JsonNode> onEveryMaster(Call call, Target target, ReplyAccount replies) {
        Operation operation = call.operation();
        return target.masters().compose(masters -> {
            List<Future<Response>> each = new java.util.ArrayList<>(masters.size());
            masters.forEach(master -> each.add(master.send(operation.request(call.args()), Route.MASTER)
                    .compose(replies::charge)));
            return Future.all(each);
        }).map(all -> {
            if (operation.traits().cluster() == Operation.ClusterRule.EVERY_MASTER_SUM) {
                long total = 0;
                for (int i = 0; i < all.size(); i++) {
                    total += all.<Response>resultAt(i).toLong();
                }
                return Results.JSON.numberNode(total);
            }
            return operation.map(all.resultAt(0), call.args());
        });
    }

    /** A write followed, on the same connection, by WAIT: answered only once enough replicas have it. */
    private Future<JsonNode> replicated(ConnectionConfig config, Call call, Target target, int replicas,
            ReplyAccount accounted) {
        if (call.operation().runsSteps(call.args())) {
            throw ConnectorException.invalidRequest("waitReplicas: " + call.operation().name()
                    + " takes several round trips; use it without waitReplicas");
        }
        Route route = route(config, call);
        Request write = call.operation().request(call.args());
        return target.pipeline(List.of(write, waitRequest(config, replicas)), List.of(route, route), accounted::charge)
                .compose(outcomes -> {
            if (outcomes.get(0).failure() != null) {
                return Future.failedFuture(outcomes.get(0).failure());
            }
            Outcome wait = outcomes.get(1);
            if (wait.failure() != null) {
                return Future.failedFuture(wait.failure());
            }
            requireAcknowledged(wait.response(), replicas, config);
            return Future.succeededFuture(call.operation().map(outcomes.get(0).response(), call.args()));
        });
    }

    /** WAIT on the connection the writes went on: it counts the replicas that acknowledged that connection's writes. */
    static Request waitRequest(ConnectionConfig config, int replicas) {
        long timeoutMs = Math.max(1, config.commandTimeoutMs() - 100);
        return Request.cmd(Command.WAIT).arg(Long.toString(replicas)).arg(Long.toString(timeoutMs));
    }

    static void requireAcknowledged(Response acknowledged, int replicas, ConnectionConfig config) {
        long count = acknowledged.toLong();
        if (count < replicas) {
            throw ConnectorException.notReplicated("written, but only " + count + " of " + replicas
                    + " replicas acknowledged within " + config.commandTimeoutMs() + " ms");
        }
    }

    /**
     * The call's outcome, failed with a {@link ConnectorException}, and with TIMEOUT once
     * {@code deadlineMs} pass (a task of the calling event loop, see {@link EventLoops#schedule}) —
     * REPLY_TOO_LARGE instead when the replies that came are over the call's limit already;
     * the call is then abandoned, so that its work that has not begun never does, and its target
     * is told (see {@link Target#unanswered}) where the call went: {@code sent}'s route, or the master
     * for a batch (null).
     */
    private <T> Future<T> bounded(ConnectionConfig config, long deadlineMs, boolean writes, Future<T> call,
            ReplyAccount replies, Call sent) {
        Promise<T> result = Promise.promise();
        EventLoops.Timer timer = EventLoops.schedule(vertx, deadlineMs, () -> {
            if (replies.abandon()) { // it was still waiting for a connection of its own: retryable, whatever it is
                result.tryFail(ReplyAccount.noConnection(deadlineMs));
                return;
            }
            // replies past the limit were still arriving: the limit, not Redis' speed, is what the caller must act
            // on, and a retry would run into it again
            ConnectorException tooLarge = replies.overLimit();
            if (tooLarge != null) {
                result.tryFail(tooLarge);
                return;
            }
            Target target = clients.cached(config);
            ConnectorException waiting = target == null ? null : target.stillWaiting(deadlineMs);
            String node = target == null ? null : unanswered(target, config, sent);
            result.tryFail(waiting != null ? failed(target, waiting) : timeout(config, deadlineMs, writes, node));
        });
        call.onComplete(outcome -> {
            timer.cancel();
            if (outcome.succeeded()) {
                result.tryComplete(outcome.result());
            } else {
                ConnectorException failure = Failures.classify(outcome.cause());
                boolean ranAnyway = writes && sent != null && failure.code() == ErrorCode.REPLY_TOO_LARGE;
                result.tryFail(ranAnyway ? ranAnyway(failure) : failure);
            }
        });
        return result.future();
    }

    /**
     * A write whose reply was too large ran all the same: a pop, GETDEL or GETSET removed or replaced
     * what its reply would have carried. The caller must know that the data is gone, not just the reply.
     */
    private static ConnectorException ranAnyway(ConnectorException tooLarge) {
        boolean generic = Failures.READ_IN_PARTS.equals(tooLarge.hint()); // an operation's own way past it stays
        return new ConnectorException(ErrorCode.REPLY_TOO_LARGE, tooLarge.getMessage() + "; the command ran in Redis"
                + " all the same (what a pop, GETDEL or GETSET read is removed or replaced), only its reply was dropped",
                generic ? "count: pop fewer at a time; a large value is read with GETRANGE before it is deleted"
                        : tooLarge.hint());
    }

    /** Tells the target where the call went; the node it names, or null. */
    private static String unanswered(Target target, ConnectionConfig config, Call sent) {
        Route suspect = Route.MASTER;
        try {
            suspect = sent == null ? Route.MASTER : route(config, sent);
        } catch (RuntimeException invalid) {
            // a call whose keys name no one slot was refused before it was sent
        }
        return target.unanswered(suspect);
    }

    private static ConnectorException timeout(ConnectionConfig config, long deadlineMs, boolean writes, String node) {
        return ConnectorException.timeout("no answer from " + (node == null ? "Redis" : node) + " within " + deadlineMs
                + " ms (commandTimeoutMs " + config.commandTimeoutMs() + ")", writes);
    }

    /** Classifies a failure of a call on {@code target}; a broken connection drops that target, so the next call builds a fresh one. */
    ConnectorException failed(Target target, Throwable failure) {
        ConnectorException mapped = Failures.classify(failure);
        if (mapped.code() == ErrorCode.CONNECTION_FAILED) {
            clients.drop(target);
        }
        // a node of a sentinel or cluster config is one of its nodes, or one they announce: there is no host/port to fix
        if (target.config().mode() != Mode.STANDALONE && mapped.hint() != null && mapped.hint().startsWith(HOST_PORT)) {
            return mapped.withHint("nodes:" + mapped.hint().substring(HOST_PORT.length()));
        }
        return Failures.ofCredentials(target.config(), mapped);
    }
}
