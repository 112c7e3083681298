package dev.redisfn.function;

import static dev.redisfn.result.Durations.millisSince;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.connection.Futures;
import dev.redisfn.observe.ConnectorMetrics;
import dev.redisfn.observe.RequestIds;
import dev.redisfn.operation.Dispatcher;
import dev.redisfn.result.BatchResult;
import dev.redisfn.result.CallFailure;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.Failures;
import dev.redisfn.result.OperationResult;
import dev.redisfn.result.OutputFormat;
import dev.redisfn.result.Replies;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;

/** {@code POST /execute}: run one operation, or a batch, against the event's Redis. */
public class ExecuteFunction {

    private static final Logger LOG = Logger.getLogger(ExecuteFunction.class);

    private final EventDecoder decoder;
    private final Dispatcher dispatcher;
    private final ConnectorMetrics metrics;

    public ExecuteFunction(EventDecoder decoder, Dispatcher dispatcher, ConnectorMetrics metrics) {
        this.decoder = decoder;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
    }

    @Funq("execute")
    public Uni<Object> execute(JsonNode event) {
        return Futures.uni(call(event));
    }

    /**
     * The function as a Vert.x future, for the event-loop route: a one-command call then runs without
     * Mutiny's operators (see {@link Dispatcher#run}). Fails with a {@link CallFailure}.
     */
    public Future<Object> call(JsonNode event) {
        return call(EventDecoder.Read.tree(event));
    }

    /** {@link #call(JsonNode)} for an event the fast route read from its bytes ({@link EventDecoder#read}). */
    public Future<Object> call(EventDecoder.Read read) {
        JsonNode event = read.event();
        long started = System.nanoTime();
        String requestId = RequestIds.current();
        OutputFormat format = decoder.outputOf(event);
        ExecuteRequest request;
        try {
            request = decoder.execute(read);
        } catch (RuntimeException e) {
            ConnectorException error = e instanceof ConnectorException known ? known
                    : RequestIds.with(requestId, () -> Failures.internal(e));
            Timed timed = new Timed(undecoded(event), "none", started, requestId);
            return Future.failedFuture(failed(error, timed, operationName(event), format));
        }
        String name = request.isBatch() ? null : request.call().operation().name();
        Timed timed = new Timed(request.isBatch() ? ConnectorMetrics.BATCH : name, request.connection().mode().label(),
                started, requestId);
        Future<Object> reply;
        try {
            reply = request.isBatch() ? batch(request, timed, format) : single(request, timed, format);
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e); // thrown before anything was sent: answered like any failure
        }
        // the failure arrives in a Redis client's callback: classifying it may log (INTERNAL), so with the call's id
        return reply.recover(failure -> Future.failedFuture(failed(
                RequestIds.with(requestId, () -> Failures.classify(failure)), timed, name, format)));
    }

    private Future<Object> single(ExecuteRequest request, Timed timed, OutputFormat format) {
        String name = request.call().operation().name();
        return dispatcher.run(request.connection(), request.call(), request.waitReplicas()).map(result -> {
            metrics.operation(timed.operation(), timed.mode(), ConnectorMetrics.OK, timed.started());
            return Replies.format(OperationResult.success(name, result, millisSince(timed.started())), format);
        });
    }

    private Future<Object> batch(ExecuteRequest request, Timed timed, OutputFormat format) {
        return dispatcher.batch(request.connection(), request.batch(), request.atomic(), request.waitReplicas())
                .map(results -> {
                    BatchResult batch = BatchResult.of(results, millisSince(timed.started()));
                    metrics.operation(timed.operation(), timed.mode(),
                            batch.ok() ? ConnectorMetrics.OK : ConnectorMetrics.PARTIAL, timed.started());
                    return Replies.format(batch, format);
                });
    }

    /** What the timer and the log line of a call need: its tags, its start and its request id. */
    private record Timed(String operation, String mode, long started, String requestId) {
    }

    /** Times and logs a failed call (its code only — never the event) and wraps it for the HTTP layer. */
    private CallFailure failed(ConnectorException error, Timed timed, String operation, OutputFormat format) {
        metrics.operation(timed.operation(), timed.mode(), error.code().name(), timed.started());
        if (LOG.isDebugEnabled()) {
            RequestIds.with(timed.requestId(), () -> {
                LOG.debugf("execute %s failed: %s", timed.operation(), error.code());
                return null;
            });
        }
        return new CallFailure(error, operation, format);
    }

    /** The timer's operation tag for an event that was not decoded: never the caller's text (unbounded tag values). */
    private static String undecoded(JsonNode event) {
        return event != null && event.has("batch") ? ConnectorMetrics.BATCH : ConnectorMetrics.UNDECODED;
    }

    private static String operationName(JsonNode event) {
        JsonNode name = event == null ? null : event.get("operation");
        return name != null && name.isTextual() && name.textValue().length() <= 64 ? name.textValue() : null;
    }
}
