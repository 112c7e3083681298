package dev.redisfn.command;

import java.util.ArrayList;
import java.util.List;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.Mode;
import dev.redisfn.connection.Failures;
import dev.redisfn.connection.Route;
import dev.redisfn.connection.Target;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.response.OperationResult;
import dev.redisfn.transport.RedisErrors;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * An atomic batch: MULTI, its commands and EXEC on a connection of its own — after WATCH of the
 * keys the caller names, so that a change to one of them before EXEC applies nothing and answers
 * 409 CONFLICT; with the values the flow read, first a round trip that checks the keys still hold
 * them ({@link WatchedValues}) — and, with waitReplicas, WAIT on that same connection. In cluster
 * mode every key, watched ones included, must share a slot (400 CROSS_SLOT before anything is
 * sent), and the transaction runs on that slot's master.
 */
final class Transactions {

    private final Dispatcher dispatcher;

    Transactions(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    Future<List<OperationResult>> run(ConnectionConfig config, List<Call> calls, Watch watch, int waitReplicas,
            Target target, ReplyAccount replies) {
        List<Request> commands = new ArrayList<>(calls.size());
        List<String> keys = new ArrayList<>(watch.keys());
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i);
            if (call.isInvalid()) {
                // the item's own code (UNKNOWN_OPERATION, COMMAND_NOT_ALLOWED ...) answers for the whole transaction
                throw call.error().at("batch[" + i + "]", "", call.error().hint());
            }
            if (!dispatcher.isOneCommand(config, call)) {
                throw ConnectorException.invalidRequest("batch[" + i + "]: " + call.operation().name()
                        + " takes several round trips, nodes or a connection of its own, and cannot run inside an atomic batch");
            }
            keys.addAll(call.args().slotKeys());
            commands.add(call.operation().request(call.args()));
        }
        int slot = config.mode() == Mode.CLUSTER ? ClusterSplit.requireOneSlot(keys, "an atomic batch") : -1;
        WatchedValues read = watch.comparesValues() ? WatchedValues.of(watch, calls) : null;
        replies.awaitConnection();
        return target.exclusive(Route.of(slot, false), conn -> !replies.connectionCame()
                ? Future.failedFuture(ReplyAccount.tooLate("the transaction")) // its caller was told it timed out
                : read == null ? exchange(conn, watch, commands, config, waitReplicas)
                : read.check(conn, watchRequest(watch.keys()), replies)
                        .compose(same -> exchange(conn, watch, commands, config, waitReplicas)))
                .compose(replies::charge)
                .map(exec -> results(calls, exec));
    }

    /**
     * [WATCH] MULTI commands EXEC [WAIT], pipelined on the connection; the EXEC reply, or why the
     * transaction failed. Keys watched with their values were watched by the round trip before.
     */
    private static Future<Response> exchange(RedisConnection conn, Watch watch, List<Request> commands,
            ConnectionConfig config, int waitReplicas) {
        List<Future<Response>> queued = new ArrayList<>(commands.size());
        Future<Response> watched = watch.isEmpty() || watch.comparesValues() ? Future.succeededFuture()
                : conn.send(watchRequest(watch.keys()));
        Future<Response> multi = conn.send(Request.cmd(Command.MULTI));
        commands.forEach(command -> queued.add(conn.send(command)));
        Future<Response> exec = conn.send(Request.cmd(Command.EXEC));
        Future<Response> wait = waitReplicas > 0 ? conn.send(Dispatcher.waitRequest(config, waitReplicas))
                : Future.succeededFuture();
        return Future.join(List.of(watched, multi, exec, wait)).transform(ignored -> {
            if (watched.failed()) {
                return Future.failedFuture(watched.cause());
            }
            if (exec.failed()) {
                return Future.failedFuture(aborted(exec.cause(), queued));
            }
            if (exec.result() == null || exec.result().type() != ResponseType.MULTI) {
                return Future.failedFuture(new ConnectorException(ErrorCode.CONFLICT, "a watched key ("
                        + String.join(", ", watch.keys()) + ") changed before the batch ran; nothing was applied",
                        "watch: read the keys again and retry the batch"));
            }
            if (waitReplicas > 0) {
                if (wait.failed()) {
                    return Future.failedFuture(wait.cause());
                }
                Dispatcher.requireAcknowledged(wait.result(), waitReplicas, config);
            }
            return Future.succeededFuture(exec.result());
        });
    }

    /** EXECABORT: a command was refused while queued (its error says which); nothing was applied. */
    private static Throwable aborted(Throwable exec, List<Future<Response>> queued) {
        for (int i = 0; i < queued.size(); i++) {
            if (queued.get(i).failed() && RedisErrors.isErrorReply(queued.get(i).cause())) {
                ConnectorException error = Failures.classify(queued.get(i).cause());
                return error.at("batch[" + i + "]", " (the transaction was discarded; nothing was applied)", error.hint());
            }
        }
        return exec;
    }

    private static Request watchRequest(List<String> keys) {
        Request request = Request.cmd(Command.WATCH);
        keys.forEach(request::arg);
        return request;
    }

    /** One result per command from the EXEC reply; a command Redis failed inside EXEC fails alone. */
    private List<OperationResult> results(List<Call> calls, Response exec) {
        List<OperationResult> results = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            Response reply = exec.get(i);
            Call call = calls.get(i);
            if (reply != null && reply.type() == ResponseType.ERROR) {
                ConnectorException error = Failures.classify(RedisErrors.asFailure(reply));
                results.add(OperationResult.failure(null, error.toBody()));
                continue;
            }
            try {
                results.add(OperationResult.success(null, call.operation().map(reply, call.args()), null));
            } catch (RuntimeException e) {
                results.add(OperationResult.failure(null, Failures.classify(e).toBody()));
            }
        }
        return results;
    }
}
