package dev.redisfn.pipeline;

import java.io.IOException;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.command.Dispatcher;
import dev.redisfn.command.ReplyAccount;
import dev.redisfn.config.Limits;
import dev.redisfn.connection.Failures;
import dev.redisfn.connection.ReplyGuards;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.observe.ConnectorMetrics;
import dev.redisfn.observe.RequestIds;
import dev.redisfn.request.EventReader;
import dev.redisfn.request.ExecuteRequest;
import dev.redisfn.request.RequestDecoder;
import dev.redisfn.request.TreeAllowance;
import dev.redisfn.response.BatchResult;
import dev.redisfn.response.CallFailure;
import dev.redisfn.response.Durations;
import dev.redisfn.response.OperationResult;
import dev.redisfn.response.OutputFormat;
import dev.redisfn.response.Replies;
import dev.redisfn.security.KeyScope;

import io.vertx.core.Future;

/**
 * The one way an execute event runs, whoever received it — the HTTP front door with the raw bytes
 * of a body, or a Funqy binding with a JSON tree: read, decode, dispatch, answer in the caller's
 * envelope, time and count it. Fails with a {@link CallFailure} (the error, the operation and the
 * envelope the error answer needs).
 */
@Singleton
public class ExecutePipeline {

    private static final Logger LOG = Logger.getLogger(ExecutePipeline.class);

    private final EventReader reader;
    private final RequestDecoder decoder;
    private final Dispatcher dispatcher;
    private final ConnectorMetrics metrics;
    private final ReplyGuards guards;
    private final long replySize;

    public ExecutePipeline(EventReader reader, RequestDecoder decoder, Dispatcher dispatcher, ConnectorMetrics metrics,
            ReplyGuards guards, Limits limits) {
        this.reader = reader;
        this.decoder = decoder;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.guards = guards;
        this.replySize = limits.replySize();
    }

    /**
     * A new account of the Redis replies one call holds, for a call that began at {@code startedNanos}
     * ({@link System#nanoTime()}); its maker releases it once the answer is written.
     */
    public ReplyAccount newAccount(long startedNanos) {
        return new ReplyAccount(guards.budget(), replySize, startedNanos);
    }

    /**
     * An event given as the bytes of a request body (null or empty: no event), by a caller with that
     * scope; {@code allowance} reserves the memory its tree takes beyond its bytes.
     */
    public Future<Object> execute(byte[] body, ReplyAccount replies, KeyScope scope, TreeAllowance allowance) {
        EventReader.Event event;
        try {
            event = body == null || body.length == 0 ? EventReader.Event.of(null) : reader.read(body, allowance);
        } catch (IOException e) {
            return execute(EventReader.Event.of(null), EventReader.notJson("the request body", e), replies, scope);
        }
        return execute(event, null, replies, scope);
    }

    /** An event given as a JSON tree (a CloudEvent's data, a Funqy call). */
    public Future<Object> execute(JsonNode event, ReplyAccount replies, KeyScope scope) {
        return execute(EventReader.Event.of(event), null, replies, scope);
    }

    private Future<Object> execute(EventReader.Event read, ConnectorException unreadable, ReplyAccount replies,
            KeyScope scope) {
        JsonNode event = read.tree();
        long started = System.nanoTime();
        String requestId = RequestIds.current();
        OutputFormat format = decoder.outputOf(event);
        ExecuteRequest request;
        try {
            if (unreadable != null) {
                throw unreadable;
            }
            request = Scopes.within(decoder.execute(read, scope), scope);
        } catch (RuntimeException e) {
            ConnectorException error = e instanceof ConnectorException known ? known
                    : RequestIds.with(requestId, () -> Failures.internal(e));
            Timed timed = new Timed(undecoded(event), "none", started, requestId);
            return Future.failedFuture(failed(error, error.code().name(), timed, operationName(event), format));
        }
        String name = request.isBatch() ? null : request.call().operation().name();
        Timed timed = new Timed(request.isBatch() ? ConnectorMetrics.BATCH : name, request.connection().mode().label(),
                started, requestId);
        Future<Object> reply;
        try {
            reply = request.isBatch() ? batch(request, timed, format, replies) : single(request, timed, format, replies);
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e); // thrown before anything was sent: answered like any failure
        }
        // the failure arrives in a Redis client's callback: classifying it may log (INTERNAL), so with the call's id
        return reply.recover(failure -> {
            ConnectorException error = RequestIds.with(requestId, () -> Failures.classify(failure));
            // a call cut off because its caller left fails as its connection does: that is no outcome of Redis
            String outcome = replies.isCallerGone() ? ConnectorMetrics.CALLER_GONE : error.code().name();
            return Future.failedFuture(failed(error, outcome, timed, name, format));
        });
    }

    private Future<Object> single(ExecuteRequest request, Timed timed, OutputFormat format, ReplyAccount replies) {
        String name = request.call().operation().name();
        return dispatcher.run(request.connection(), request.call(), request.waitReplicas(), replies).map(result -> {
            long elapsed = timed.elapsed();
            metrics.operationTook(timed.operation(), timed.mode(), ConnectorMetrics.OK, elapsed);
            return Replies.format(OperationResult.success(name, result, Durations.millis(elapsed)), format);
        });
    }

    private Future<Object> batch(ExecuteRequest request, Timed timed, OutputFormat format, ReplyAccount replies) {
        return dispatcher.batch(request.connection(), request.batch(), request.atomic(), request.watch(),
                request.waitReplicas(), replies).map(results -> {
                    long elapsed = timed.elapsed();
                    BatchResult batch = BatchResult.of(results, Durations.millis(elapsed));
                    metrics.operationTook(timed.operation(), timed.mode(),
                            batch.ok() ? ConnectorMetrics.OK : ConnectorMetrics.PARTIAL, elapsed);
                    return Replies.format(batch, format);
                });
    }

    /** What the timer and the log line of a call need: its tags, its start and its request id. */
    private record Timed(String operation, String mode, long started, String requestId) {
        /** Nanoseconds since the call began: one clock read for both its timer and its result's durationMs. */
        long elapsed() {
            return System.nanoTime() - started;
        }
    }

    /** Times and logs a failed call (its outcome only — never the event) and wraps it for the HTTP layer. */
    private CallFailure failed(ConnectorException error, String outcome, Timed timed, String operation,
            OutputFormat format) {
        metrics.operation(timed.operation(), timed.mode(), outcome, timed.started());
        if (LOG.isDebugEnabled()) {
            RequestIds.with(timed.requestId(), () -> {
                LOG.debugf("execute %s failed: %s", timed.operation(), outcome);
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
