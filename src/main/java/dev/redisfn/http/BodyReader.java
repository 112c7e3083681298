package dev.redisfn.http;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads one request body under the limits: no larger than {@code quarkus.http.limits.max-body-size}
 * (413), admitted against the body budget before it is buffered — by its {@code Content-Length} when
 * announced, else chunk by chunk (503) — and within the body timeouts (408). The parts are kept as
 * they arrive and joined once at the end: nothing is allocated for bytes announced but not sent.
 */
final class BodyReader extends BodyDeadlines.Watched implements Handler<Buffer> {

    private final RoutingContext context;
    private final Exchange exchange;
    private final long maxBody;
    private final BodyDeadlines deadlines;
    private final HttpReplies replies;
    private final Consumer<Buffer> done;
    private Buffer first;
    private List<Buffer> more;
    private long size;
    private boolean over;

    private BodyReader(RoutingContext context, Exchange exchange, long maxBody, BodyDeadlines deadlines,
            HttpReplies replies, Consumer<Buffer> done) {
        super(exchange.startedNanos());
        this.context = context;
        this.exchange = exchange;
        this.maxBody = maxBody;
        this.deadlines = deadlines;
        this.replies = replies;
        this.done = done;
    }

    /** Reads the body of {@code context}'s request and hands it to {@code done}, or answers the refusal itself. */
    static void read(RoutingContext context, Exchange exchange, long maxBody, BodyDeadlines deadlines,
            HttpReplies replies, Consumer<Buffer> done) {
        HttpServerRequest request = context.request();
        if (request.isEnded()) {
            done.accept(null); // no body at all
            return;
        }
        long announced = contentLength(request);
        if (announced > maxBody) {
            replies.refuse(context, exchange, tooLarge(maxBody));
            return;
        }
        if (announced > 0 && !exchange.reserveBody(announced)) {
            replies.refuse(context, exchange, busy());
            return;
        }
        BodyReader reader = new BodyReader(context, exchange, maxBody, deadlines, replies, done);
        request.handler(reader).endHandler(reader::end).exceptionHandler(reader::gone);
        deadlines.watch(reader);
        request.resume(); // Quarkus pauses every request until a handler is ready to read it
    }

    @Override
    public void handle(Buffer chunk) {
        if (over) {
            return;
        }
        size += chunk.length();
        if (size > maxBody) {
            stop(tooLarge(maxBody));
            return;
        }
        if (size > exchange.bodyBytes() && !exchange.reserveBody(size - exchange.bodyBytes())) {
            stop(busy());
            return;
        }
        if (first == null) {
            first = chunk;
        } else {
            if (more == null) {
                more = new ArrayList<>(4);
            }
            more.add(chunk);
        }
    }

    private void end(Void ignored) {
        if (over) {
            return;
        }
        over = true;
        deadlines.forget(this);
        done.accept(joined());
    }

    /** The connection failed or closed while the body was arriving: nobody is left to answer. */
    private void gone(Throwable failure) {
        if (!over) {
            over = true;
            deadlines.forget(this);
            exchange.finish();
        }
    }

    @Override
    long received() {
        return size;
    }

    @Override
    void timedOut(String why) {
        if (!over) {
            stop(new ConnectorException(ErrorCode.REQUEST_TIMEOUT, why,
                    "send the whole body at once; connector.limits.body-idle-timeout and body-timeout bound it"));
        }
    }

    private void stop(ConnectorException error) {
        over = true;
        deadlines.forget(this);
        first = null;
        more = null;
        replies.refuse(context, exchange, error);
    }

    private Buffer joined() {
        if (more == null) {
            return first;
        }
        Buffer whole = Buffer.buffer((int) size);
        whole.appendBuffer(first);
        more.forEach(whole::appendBuffer);
        return whole;
    }

    private static long contentLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static ConnectorException tooLarge(long maxBody) {
        return new ConnectorException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than the limit of "
                + maxBody + " bytes", "quarkus.http.limits.max-body-size sets the limit");
    }

    static ConnectorException busy() {
        return new ConnectorException(ErrorCode.OVERLOADED,
                "the function is reading as many request bodies as its memory allows; retry shortly",
                "connector.limits.body-budget bounds the bodies in flight; Retry-After says when to retry");
    }
}
