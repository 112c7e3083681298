package dev.redisfn.operation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.connection.ClientCache;
import dev.redisfn.connection.ConnectionConfig;
import dev.redisfn.connection.Mode;
import dev.redisfn.connection.Outcome;
import dev.redisfn.connection.RedisTarget;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.ErrorCode;
import dev.redisfn.result.Failures;
import dev.redisfn.result.OperationResult;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Request;

/**
 * Runs operations against the cached client of a config: one call, or a batch pipelined in one
 * round trip (MULTI/EXEC when atomic). Every call is bounded by the config's command timeout;
 * a client whose connection failed is dropped from the cache so the next call rebuilds it.
 */
@ApplicationScoped
public class Dispatcher {

    private final ClientCache clients;

    public Dispatcher(ClientCache clients) {
        this.clients = clients;
    }

    /** One operation; fails with a {@link ConnectorException}. */
    public Uni<JsonNode> run(ConnectionConfig config, Call call) {
        long deadline = config.commandTimeoutMs() + Helpers.waitOf(call.args());
        return bounded(config, deadline, Uni.createFrom().deferred(() -> invoke(config, call, clients.get(config))))
                .onFailure().transform(failure -> failed(config, failure));
    }

    /** A batch; one result per call in order, a failing call does not hide the others. */
    public Uni<List<OperationResult>> batch(ConnectionConfig config, List<Call> calls, boolean atomic) {
        Uni<List<OperationResult>> results = Uni.createFrom().deferred(() -> {
            RedisTarget target = clients.get(config);
            return atomic ? transaction(config, calls, target) : pipeline(config, calls, target);
        });
        return bounded(config, config.commandTimeoutMs(), results).onFailure().transform(failure -> failed(config, failure));
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
                        .onFailure().recoverWithItem(failure -> itemFailure(config, failure)));
            }
        }
        Uni<List<Outcome>> sent = requests.isEmpty() ? Uni.createFrom().item(List.of()) : target.pipeline(requests);
        return sent.flatMap(outcomes -> {
            List<Uni<OperationResult>> all = new ArrayList<>(calls.size());
            for (int i = 0, p = 0; i < calls.size(); i++) {
                if (separate.get(i) != null) {
                    all.add(separate.get(i));
                } else {
                    all.add(Uni.createFrom().item(mapOutcome(config, calls.get(i), outcomes.get(p++))));
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
                throw ConnectorException.invalidRequest("batch[" + i + "]: " + call.error().getMessage());
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
                results.add(mapOutcome(config, calls.get(i), outcomes.get(i)));
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

    private OperationResult mapOutcome(ConnectionConfig config, Call call, Outcome outcome) {
        if (outcome.failure() != null) {
            return itemFailure(config, outcome.failure());
        }
        try {
            return OperationResult.success(null, call.operation().map(outcome.response(), call.args()), null);
        } catch (RuntimeException e) {
            return itemFailure(config, e);
        }
    }

    private OperationResult itemFailure(ConnectionConfig config, Throwable failure) {
        return OperationResult.failure(null, failed(config, failure).toBody());
    }

    private static <T> Uni<T> bounded(ConnectionConfig config, long deadlineMs, Uni<T> call) {
        return call.ifNoItem().after(Duration.ofMillis(deadlineMs))
                .failWith(() -> new ConnectorException(ErrorCode.TIMEOUT, "no answer from Redis within commandTimeoutMs ("
                        + config.commandTimeoutMs() + " ms)", "commandTimeoutMs: raise it, or check the server's load"));
    }

    private ConnectorException failed(ConnectionConfig config, Throwable failure) {
        ConnectorException mapped = Failures.classify(failure);
        if (mapped.code() == ErrorCode.CONNECTION_FAILED) {
            clients.drop(config);
        }
        return mapped;
    }
}
