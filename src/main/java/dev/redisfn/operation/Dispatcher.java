package dev.redisfn.operation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.connection.ClientCache;
import dev.redisfn.connection.ConnectionConfig;
import dev.redisfn.connection.Futures;
import dev.redisfn.connection.Mode;
import dev.redisfn.connection.Outcome;
import dev.redisfn.connection.RedisTarget;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.ErrorCode;
import dev.redisfn.result.Failures;
import dev.redisfn.result.OperationResult;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Runs operations against the cached client of a config: one call, or a batch pipelined in one
 * round trip (MULTI/EXEC when atomic). Every call is bounded by the config's command timeout;
 * a client whose connection failed is dropped from the cache so the next call rebuilds it.
 */
@Singleton
public class Dispatcher {

    private final ClientCache clients;
    private final Vertx vertx;

    public Dispatcher(ClientCache clients, Vertx vertx) {
        this.clients = clients;
        this.vertx = vertx;
    }

    /**
     * One operation; fails with a {@link ConnectorException}. The most common call, one command on
     * a client already built, is sent with Vert.x futures alone; every other takes Mutiny's operators.
     */
    public Future<JsonNode> run(ConnectionConfig config, Call call, int waitReplicas) {
        long deadline = config.commandTimeoutMs() + Helpers.waitOf(call.args());
        boolean writes = call.operation().access() == Access.WRITE;
        boolean replicated = waitReplicas > 0 && writes;
        RedisTarget cached = clients.cached(config);
        Future<JsonNode> result;
        if (cached != null && !replicated && isOneCommand(config, call.operation())) {
            result = sendOne(config, call, cached);
        } else {
            result = Futures.future(clients.target(config, cached).flatMap(built ->
                    (replicated ? replicated(config, call, built, waitReplicas) : invoke(config, call, built))
                            .onFailure().transform(failure -> failed(built, failure))));
        }
        return bounded(config, deadline, writes, result);
    }

    /** One command, unsplit, on a built client: what {@link #invoke} does for it, on Vert.x futures alone. */
    private Future<JsonNode> sendOne(ConnectionConfig config, Call call, RedisTarget target) {
        Future<Response> reply;
        try {
            requireOneSlot(config, call);
            reply = target.call(call.operation().request(call.args()));
        } catch (RuntimeException e) {
            return Future.failedFuture(failed(target, e));
        }
        return reply.transform(sent -> {
            try {
                return sent.failed() ? Future.failedFuture(failed(target, sent.cause()))
                        : Future.succeededFuture(call.operation().map(sent.result(), call.args()));
            } catch (RuntimeException e) {
                return Future.failedFuture(failed(target, e));
            }
        });
    }

    private static boolean isOneCommand(ConnectionConfig config, Operation operation) {
        return operation.isSingleCommand() && (operation.split() == null || config.mode() != Mode.CLUSTER);
    }

    /** A batch; one result per call in order, a failing call does not hide the others. */
    public Future<List<OperationResult>> batch(ConnectionConfig config, List<Call> calls, boolean atomic, int waitReplicas) {
        Uni<List<OperationResult>> results = clients.target(config).flatMap(target -> {
            Uni<List<OperationResult>> ran = atomic ? transaction(config, calls, target) : pipeline(config, calls, target);
            return (waitReplicas == 0 ? ran : ran.flatMap(done -> target.pipeline(List.of(waitRequest(config, waitReplicas)))
                    .map(outcomes -> {
                        requireAcknowledged(outcomes.get(0), waitReplicas, config);
                        return done;
                    }))).onFailure().transform(failure -> failed(target, failure));
        });
        boolean writes = calls.stream().anyMatch(call -> !call.isInvalid() && call.operation().access() == Access.WRITE);
        return bounded(config, config.commandTimeoutMs(), writes, Futures.future(results));
    }

    /** A write followed, on the same connection, by WAIT: answered only once enough replicas have it. */
    private Uni<JsonNode> replicated(ConnectionConfig config, Call call, RedisTarget target, int replicas) {
        requireOneSlot(config, call);
        if (!call.operation().isSingleCommand()) {
            throw ConnectorException.invalidRequest("waitReplicas: " + call.operation().name()
                    + " takes several round trips; use it without waitReplicas");
        }
        Request write = call.operation().request(call.args());
        return target.pipeline(List.of(write, waitRequest(config, replicas))).map(outcomes -> {
            if (outcomes.get(0).failure() != null) {
                throw failed(target, outcomes.get(0).failure());
            }
            requireAcknowledged(outcomes.get(1), replicas, config);
            return call.operation().map(outcomes.get(0).response(), call.args());
        });
    }

    private static Request waitRequest(ConnectionConfig config, int replicas) {
        return Request.cmd(io.vertx.redis.client.Command.WAIT).arg(replicas).arg(Math.max(1, config.commandTimeoutMs() - 100));
    }

    private static void requireAcknowledged(Outcome wait, int replicas, ConnectionConfig config) {
        if (wait.failure() != null) {
            throw Failures.classify(wait.failure());
        }
        long acknowledged = wait.response().toLong();
        if (acknowledged < replicas) {
            throw ConnectorException.notReplicated("written, but only " + acknowledged + " of " + replicas
                    + " replicas acknowledged within " + config.commandTimeoutMs() + " ms");
        }
    }

    private Uni<JsonNode> invoke(ConnectionConfig config, Call call, RedisTarget target) {
        return Uni.createFrom().deferred(() -> {
            requireOneSlot(config, call);
            return send(config, call, target);
        });
    }

    private Uni<JsonNode> send(ConnectionConfig config, Call call, RedisTarget target) {
        Operation operation = call.operation();
        if (operation.split() != null && config.mode() == Mode.CLUSTER) {
            return ClusterSplit.run(operation, call.args().keyList(), target)
                    .map(reply -> operation.map(reply, call.args()));
        }
        return operation.run(call.args(), target);
    }

    private Uni<List<OperationResult>> pipeline(ConnectionConfig config, List<Call> calls, RedisTarget target) {
        List<Request> requests = new ArrayList<>();
        List<Uni<OperationResult>> separate = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            if (call.isInvalid()) {
                separate.add(Uni.createFrom().item(OperationResult.failure(null, call.error().toBody())));
            } else if (pipelinable(config, call)) {
                Request request;
                try {
                    requireOneSlot(config, call);
                    request = call.operation().request(call.args());
                } catch (ConnectorException e) {
                    separate.add(Uni.createFrom().item(OperationResult.failure(null, e.toBody())));
                    continue;
                }
                requests.add(request);
                separate.add(null);
            } else {
                separate.add(invoke(config, call, target)
                        .map(result -> OperationResult.success(null, result, null))
                        .onFailure().recoverWithItem(failure -> itemFailure(target, failure)));
            }
        }
        Uni<List<Outcome>> sent = requests.isEmpty() ? Uni.createFrom().item(List.of()) : target.pipeline(requests);
        return sent.flatMap(outcomes -> {
            List<Uni<OperationResult>> all = new ArrayList<>(calls.size());
            for (int i = 0, p = 0; i < calls.size(); i++) {
                if (separate.get(i) != null) {
                    all.add(separate.get(i));
                } else {
                    all.add(Uni.createFrom().item(mapOutcome(target, calls.get(i), outcomes.get(p++))));
                }
            }
            return Uni.join().all(all).andCollectFailures();
        });
    }

    private Uni<List<OperationResult>> transaction(ConnectionConfig config, List<Call> calls, RedisTarget target) {
        List<Request> requests = new ArrayList<>(calls.size());
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            if (call.isInvalid()) {
                // the item's own code (UNKNOWN_OPERATION, COMMAND_NOT_ALLOWED ...) answers for the whole transaction
                ConnectorException error = call.error();
                throw new ConnectorException(error.code(), "batch[" + i + "]: " + error.getMessage(), error.hint());
            }
            if (!call.operation().isSingleCommand()) {
                throw ConnectorException.invalidRequest("batch[" + i + "]: " + call.operation().name()
                        + " takes several round trips and cannot run inside an atomic batch");
            }
            keys.addAll(call.args().slotKeys());
            requests.add(call.operation().request(call.args()));
        }
        if (config.mode() == Mode.CLUSTER) {
            ClusterSplit.requireOneSlot(keys, "an atomic batch");
        }
        int slot = keys.isEmpty() ? -1 : ClusterSplit.slot(keys.get(0));
        return target.transaction(requests, slot).map(outcomes -> {
            List<OperationResult> results = new ArrayList<>(calls.size());
            for (int i = 0; i < calls.size(); i++) {
                results.add(mapOutcome(target, calls.get(i), outcomes.get(i)));
            }
            return results;
        });
    }

    /** Cluster mode refuses, before sending, a one-slot operation whose keys span slots (CROSS_SLOT). */
    private static void requireOneSlot(ConnectionConfig config, Call call) {
        if (config.mode() == Mode.CLUSTER && call.operation().needsOneSlot()) {
            ClusterSplit.requireOneSlot(call.args().slotKeys(), call.operation().name());
        }
    }

    private boolean pipelinable(ConnectionConfig config, Call call) {
        Operation operation = call.operation();
        if (!operation.isSingleCommand()) {
            return false;
        }
        return operation.split() == null || config.mode() != Mode.CLUSTER || call.args().slotKeys().size() <= 1;
    }

    private OperationResult mapOutcome(RedisTarget target, Call call, Outcome outcome) {
        if (outcome.failure() != null) {
            return itemFailure(target, outcome.failure());
        }
        try {
            return OperationResult.success(null, call.operation().map(outcome.response(), call.args()), null);
        } catch (RuntimeException e) {
            return itemFailure(target, e);
        }
    }

    private OperationResult itemFailure(RedisTarget target, Throwable failure) {
        return OperationResult.failure(null, failed(target, failure).toBody());
    }

    /**
     * The call's outcome, failed with a {@link ConnectorException}, and with TIMEOUT once
     * {@code deadlineMs} pass: a task on the calling context's Netty event loop (one per call is on
     * the hot path), not Mutiny's scheduler thread and not a Vert.x timer, which also registers
     * itself as a close hook of the context.
     */
    private <T> Future<T> bounded(ConnectionConfig config, long deadlineMs, boolean writes, Future<T> call) {
        Promise<T> result = Promise.promise();
        Cancellable timer = schedule(deadlineMs, () -> result.tryFail(timeout(config, deadlineMs, writes)));
        call.onComplete(outcome -> {
            timer.cancel();
            if (outcome.succeeded()) {
                result.tryComplete(outcome.result());
            } else {
                result.tryFail(Failures.classify(outcome.cause()));
            }
        });
        return result.future();
    }

    private static ConnectorException timeout(ConnectionConfig config, long deadlineMs, boolean writes) {
        return ConnectorException.timeout("no answer from Redis within " + deadlineMs + " ms (commandTimeoutMs "
                + config.commandTimeoutMs() + ")", writes);
    }

    private Cancellable schedule(long delayMs, Runnable task) {
        if (Vertx.currentContext() instanceof ContextInternal context) {
            ScheduledFuture<?> scheduled = context.nettyEventLoop().schedule(task, delayMs, TimeUnit.MILLISECONDS);
            return () -> scheduled.cancel(false);
        }
        long id = vertx.setTimer(delayMs, ignored -> task.run());
        return () -> vertx.cancelTimer(id);
    }

    private interface Cancellable {
        void cancel();
    }

    /** Classifies a failure of a call on {@code target}; a broken connection drops that client, so the next call builds a fresh one. */
    private ConnectorException failed(RedisTarget target, Throwable failure) {
        ConnectorException mapped = Failures.classify(failure);
        if (mapped.code() == ErrorCode.CONNECTION_FAILED) {
            clients.drop(target);
        }
        return mapped;
    }
}
