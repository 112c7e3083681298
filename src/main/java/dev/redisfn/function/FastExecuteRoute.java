package dev.redisfn.function;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.redisfn.observe.ConnectorMetrics;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.ErrorCode;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Plain-JSON {@code POST /execute} served on the Vert.x event loop. Funqy's HTTP binding hands
 * every call to a worker thread and back; the execute function never blocks (it returns a
 * {@code Uni} and its Redis client is non-blocking), so this route calls the same
 * {@link ExecuteFunction} bean directly on the event loop instead. Errors take the same path
 * as Funqy's ({@code routingContext.fail} → {@link HttpErrors}); CloudEvents and the other
 * functions still go through Funqy.
 */
@ApplicationScoped
public class FastExecuteRoute {

    /** Encoded once: a plain string value is re-checked and re-encoded on every response. */
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private final ExecuteFunction function;
    private final EventDecoder decoder;
    private final ConnectorMetrics metrics;
    private final ObjectWriter writer;
    private final long maxBody;

    public FastExecuteRoute(ExecuteFunction function, EventDecoder decoder, ConnectorMetrics metrics, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this.function = function;
        this.decoder = decoder;
        this.metrics = metrics;
        this.writer = mapper.writer();
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        router.post("/execute").order(Integer.MIN_VALUE + 10).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (CloudEventGuard.isBinary(request) || CloudEventGuard.isStructured(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            context.next(); // a CloudEvent: Funqy's binding answers it as one
            return;
        }
        if (context.body().available()) {
            // Quarkus' body handler has read the body already and enforced the size limit (413)
            execute(context, context.body().buffer());
            return;
        }
        readBody(context, request);
    }

    private void readBody(RoutingContext context, HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > maxBody) {
            refuse(context, tooLarge());
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxBody) {
                request.handler(null);
                if (!context.failed()) {
                    refuse(context, tooLarge());
                }
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(ignored -> {
            if (!context.failed() && !context.response().ended()) {
                execute(context, body);
            }
        });
    }

    private void execute(RoutingContext context, Buffer body) {
        EventDecoder.Read event;
        try {
            event = body == null || body.length() == 0 ? EventDecoder.Read.tree(null)
                    : decoder.read(body.getBytes());
        } catch (IOException e) {
            refuse(context, ConnectorException.invalidRequest("the request body is not valid JSON"));
            return;
        }
        function.call(event).onComplete(reply -> {
            if (reply.failed()) {
                context.fail(reply.cause());
                return;
            }
            try {
                context.response().putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                        .end(Buffer.buffer(writer.writeValueAsBytes(reply.result())));
            } catch (IOException e) {
                context.fail(e);
            }
        });
    }

    /** A body refused before it became an event is counted too, as every execute call is (operation NONE). */
    private void refuse(RoutingContext context, ConnectorException error) {
        metrics.operation(ConnectorMetrics.UNDECODED, "none", error.code().name(), System.nanoTime());
        context.fail(error);
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static ConnectorException tooLarge() {
        return new ConnectorException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than the limit");
    }
}
