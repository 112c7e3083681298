package dev.redisfn.http;

import java.io.IOException;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.redisfn.config.Limits;
import dev.redisfn.connection.Failures;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.observe.ConnectorMetrics;
import dev.redisfn.response.CallFailure;
import dev.redisfn.response.OutputFormat;
import dev.redisfn.response.Replies;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes every answer of the functions: a result as JSON, and — the one place where a failure
 * becomes an HTTP status — an error as its code's status with the JSON error body. A request
 * refused before its body was read also closes its connection, so the unread body is never parsed
 * as a next request.
 */
@Singleton
public class HttpReplies {

    private static final Logger LOG = Logger.getLogger(HttpReplies.class);
    /** Encoded once: a plain string value is re-checked and re-encoded on every response. */
    static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    /** How long a refused request's unread body is drained before its connection is closed anyway. */
    static final long LINGER_MS = 2_000;
    /** An answer larger than this keeps the call's budgets until it is written out (a call holds 16 KiB of answer unreserved). */
    static final int WRITTEN_BEFORE_RELEASE = 16 * 1024;

    private final ObjectWriter writer;
    private final ConnectorMetrics metrics;
    /** The largest answer: twice what its replies may count, for JSON's escapes and envelope. */
    private final long maxAnswer;

    public HttpReplies(ObjectMapper mapper, ConnectorMetrics metrics, Limits limits) {
        this.writer = mapper.writer();
        this.metrics = metrics;
        this.maxAnswer = 2 * limits.replySize();
    }

    /** A function's answer, 200 with its JSON (headers already set by the caller are kept). */
    void ok(RoutingContext context, Exchange exchange, Object result, CharSequence contentType) {
        ok(context, exchange, result, result, contentType);
    }

    /**
     * {@code body}, the function's {@code result} in a wrapper (a structured CloudEvent), as 200; when
     * it cannot be written, the error is answered under the result's operation and envelope.
     */
    void ok(RoutingContext context, Exchange exchange, Object result, Object body, CharSequence contentType) {
        Buffer json;
        try {
            json = JsonOutput.write(writer, body, maxAnswer, exchange.account());
        } catch (ConnectorException e) {
            metrics.unanswered(exchange.function(), e.code().name());
            failed(context, exchange, Replies.unwritten(e, result));
            return;
        } catch (IOException | RuntimeException e) {
            failed(context, exchange, e);
            return;
        }
        end(context, exchange, context.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType), json, false);
    }

    /** A call that failed after its function ran: the error's status and body, in the caller's output format. */
    void failed(RoutingContext context, Exchange exchange, Throwable failure) {
        if (failure instanceof CallFailure call) {
            error(context, exchange, call.error(), status(exchange, call.error()),
                    Replies.failure(call.error(), call.operation(), call.format()), false);
        } else {
            ConnectorException error = Failures.classify(failure);
            error(context, exchange, error, status(exchange, error), Replies.failure(error, null, OutputFormat.STANDARD),
                    false);
        }
    }

    /**
     * A request refused before any function ran (counted in {@code connector.rejected}); its
     * connection is closed when its body was not read to the end.
     */
    void refuse(RoutingContext context, Exchange exchange, ConnectorException error) {
        refuse(context, exchange, error, status(exchange, error));
    }

    /** The error's status; for a CloudEvent, one that a broker redelivers exactly when the error is retryable. */
    private static int status(Exchange exchange, ConnectorException error) {
        int status = error.code().httpStatus();
        if (exchange.cloudEvent()) {
            return Redelivery.status(status, error.retryable());
        }
        // a server still loading, busy with a script or mid-resharding: the same call succeeds later, as a 503 says
        return error.code() == ErrorCode.REDIS_ERROR && error.retryable() ? Redelivery.RETRY_LATER : status;
    }

    /** {@link #refuse(RoutingContext, Exchange, ConnectorException)} with HTTP's own status (404, 405) for a code. */
    void refuse(RoutingContext context, Exchange exchange, ConnectorException error, int status) {
        metrics.rejected(exchange.function(), error.code().name());
        if (ConnectorMetrics.EXECUTE.equals(exchange.function())) {
            // an execute event that never became a call is still an execute call, as the timer counts them
            metrics.operation(ConnectorMetrics.UNDECODED, "none", error.code().name(), exchange.startedNanos());
        }
        error(context, exchange, error, status, Replies.failure(error, null, OutputFormat.STANDARD),
                !context.request().isEnded());
    }

    private void error(RoutingContext context, Exchange exchange, ConnectorException error, int status, Object body,
            boolean close) {
        HttpServerResponse response = context.response();
        if (response.headWritten()) {
            response.reset();
            exchange.finish();
            return;
        }
        response.setStatusCode(status);
        if (error.code() == ErrorCode.UNAUTHORIZED) {
            response.putHeader("WWW-Authenticate", "Bearer");
        } else if (error.code() == ErrorCode.OVERLOADED || status == Redelivery.RETRY_LATER) {
            response.putHeader(HttpHeaders.RETRY_AFTER, "1");
        }
        String allow = exchange.allow();
        if (allow != null) {
            response.putHeader(HttpHeaders.ALLOW, allow);
        }
        Buffer json;
        try {
            json = Buffer.buffer(writer.writeValueAsBytes(body));
        } catch (IOException e) {
            LOG.error("could not write an error response", e);
            json = Buffer.buffer("{\"ok\":false}");
        }
        end(context, exchange, response.putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON), json, close);
    }

    private static void end(RoutingContext context, Exchange exchange, HttpServerResponse response, Buffer body,
            boolean close) {
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        if (body.length() > WRITTEN_BEFORE_RELEASE) {
            // a large answer's budgets are given back once it is written out, not while its bytes still wait
            // for a slow reader in the connection's outbound buffer
            response.end(body).onComplete(written -> exchange.finish());
        } else {
            response.end(body); // the usual small answer: no listener on the write, whose cost showed at one connection
            exchange.finish();
        }
        if (close) {
            lingerThenClose(context);
        }
    }

    /**
     * Closes the connection of a request answered before its body was read — once the rest of the body
     * has arrived and been thrown away, or after {@link #LINGER_MS}. Closing at once would reset the
     * connection while the caller still sends, and many callers then never read the answer.
     */
    private static void lingerThenClose(RoutingContext context) {
        HttpServerRequest request = context.request();
        io.vertx.core.http.HttpConnection connection = request.connection();
        if (request.isEnded()) {
            connection.close();
            return;
        }
        long timer = context.vertx().setTimer(LINGER_MS, ignored -> connection.close());
        try {
            request.handler(ignored -> {
            }).exceptionHandler(ignored -> {
            }).endHandler(ignored -> {
                context.vertx().cancelTimer(timer);
                connection.close();
            }).resume();
        } catch (IllegalStateException alreadyEnded) {
            context.vertx().cancelTimer(timer);
            connection.close();
        }
    }
}
