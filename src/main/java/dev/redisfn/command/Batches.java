package dev.redisfn.command;

import java.util.ArrayList;
import java.util.List;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.Mode;
import dev.redisfn.connection.MasterReads;
import dev.redisfn.connection.Outcome;
import dev.redisfn.connection.Route;
import dev.redisfn.connection.Target;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.response.OperationResult;

import io.vertx.core.Future;
import io.vertx.redis.client.Request;

/**
 * A batch that is not atomic: its one-command items pipelined in one round trip (per node, in
 * cluster mode), the others run on their own; one result per item in the caller's order, and an
 * invalid or failing item does not stop the others. When the batch writes, its reads go to the
 * master too, so that they see the batch's own writes.
 */
final class Batches {

    private final Dispatcher dispatcher;

    Batches(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    Future<List<OperationResult>> run(ConnectionConfig config, List<Call> calls, int waitReplicas, Target target,
            ReplyAccount replies) {
        boolean writes = calls.stream().anyMatch(call -> !call.isInvalid() && call.operation().access() == Access.WRITE);
        replies.sendsElsewhere();
        List<Request> requests = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        List<Future<OperationResult>> results = new ArrayList<>(calls.size());
        List<Integer> pipelined = new ArrayList<>();
        List<Integer> separate = new ArrayList<>();
        for (Call call : calls) {
            if (call.isInvalid()) {
                results.add(Future.succeededFuture(OperationResult.failure(null, call.error().toBody())));
            } else if (pipelinable(config, call)) {
                try {
                    Route route = Dispatcher.route(config, call);
                    requests.add(call.operation().request(call.args()));
                    routes.add(writes ? route.onMaster() : route);
                    pipelined.add(results.size());
                    results.add(null);
                } catch (ConnectorException e) {
                    results.add(Future.succeededFuture(OperationResult.failure(null, e.toBody())));
                }
            } else {
                separate.add(results.size());
                results.add(null);
            }
        }
        if (waitReplicas > 0) {
            requests.add(Dispatcher.waitRequest(config, waitReplicas));
            routes.add(Route.MASTER);
        }
        Future<List<Outcome>> sent = requests.isEmpty() ? Future.succeededFuture(List.of())
                : target.pipeline(requests, routes, replies);
        return sent.compose(outcomes -> {
            if (waitReplicas > 0) {
                Outcome wait = outcomes.get(outcomes.size() - 1);
                if (wait.failure() != null) {
                    return Future.failedFuture(wait.failure());
                }
                Dispatcher.requireAcknowledged(wait.response(), waitReplicas, config);
            }
            for (int p = 0; p < pipelined.size(); p++) {
                int position = pipelined.get(p);
                results.set(position, Future.succeededFuture(result(target, calls.get(position), outcomes.get(p))));
            }
            // items of several round trips (or nodes) run once the pipelined ones are answered, so they see
            // their writes: on the masters, like the pipelined reads of a batch that writes
            Target items = writes ? MasterReads.of(target) : target;
            for (int position : separate) {
                results.set(position, dispatcher.invoke(config, calls.get(position), items, replies)
                        .map(result -> OperationResult.success(null, result, null))
                        .otherwise(failure -> itemFailure(target, failure)));
            }
            return Future.join(results).map(ignored -> {
                List<OperationResult> all = new ArrayList<>(results.size());
                results.forEach(result -> all.add(result.result()));
                return all;
            });
        });
    }

    /** One command per item and one node: not split per slot nor sent to every master. */
    private boolean pipelinable(ConnectionConfig config, Call call) {
        Operation operation = call.operation();
        return dispatcher.isOneCommand(config, call)
                || config.mode() == Mode.CLUSTER && !operation.runsSteps(call.args()) && operation.isSplit()
                        && call.args().slotKeys().size() <= 1;
    }

    /** An item's result (its reply was counted against the call's reply budget as it arrived). */
    private OperationResult result(Target target, Call call, Outcome outcome) {
        if (outcome.failure() != null) {
            return itemFailure(target, outcome.failure());
        }
        try {
            return OperationResult.success(null, call.operation().map(outcome.response(), call.args()), null);
        } catch (RuntimeException e) {
            return itemFailure(target, e);
        }
    }

    private OperationResult itemFailure(Target target, Throwable failure) {
        return OperationResult.failure(null, dispatcher.failed(target, failure).toBody());
    }
}
