package dev.redisfn.function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.result.CallFailure;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.ErrorCode;
import dev.redisfn.result.Failures;
import dev.redisfn.result.OutputFormat;
import dev.redisfn.result.Replies;
import dev.redisfn.security.PlatformPaths;
import io.quarkus.funqy.runtime.ApplicationException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The one place where a failure becomes an HTTP status and a JSON body (DESIGN.md §4). Funqy
 * turns every failed function into {@code routingContext.fail(...)}, which would be a 500 or an
 * HTML page; this failure handler runs first and answers with the error's own status instead.
 */
@ApplicationScoped
public class HttpErrors {

    private static final Logger LOG = Logger.getLogger(HttpErrors.class);

    private final ObjectMapper mapper;

    public HttpErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
        // a path no route served: Vert.x would answer an HTML page; Quarkus' own /q/ paths keep theirs
        router.route().last().handler(context -> {
            if (PlatformPaths.isPlatform(context)) {
                context.next();
            } else {
                context.fail(404);
            }
        });
    }

    private void handle(RoutingContext context) {
        if (context.response().headWritten() || PlatformPaths.isPlatform(context)) {
            context.next();
            return;
        }
        Throwable failure = context.failure();
        if (failure instanceof ApplicationException && failure.getCause() != null) {
            failure = failure.getCause(); // Funqy's wrapper around what the function failed with
        }
        Object body;
        int status;
        if (failure instanceof CallFailure call) {
            status = call.error().code().httpStatus();
            body = Replies.failure(call.error(), call.operation(), call.format());
        } else {
            ConnectorException error = failure instanceof ConnectorException known ? known : fromStatus(context, failure);
            status = error.code().httpStatus();
            body = Replies.failure(error, null, OutputFormat.STANDARD);
        }
        write(context, status, body);
    }

    /** Failures raised before our function ran: Funqy's unreadable body, the body limit, unknown paths. */
    private static ConnectorException fromStatus(RoutingContext context, Throwable failure) {
        int status = context.statusCode();
        if (failure == null || status == 400 || status == 404 || status == 405 || status == 406 || status == 413) {
            return switch (status) {
                case 400 -> ConnectorException.invalidRequest("the request body is not valid JSON");
                case 413 -> new ConnectorException(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than the limit");
                case 404 -> ConnectorException.invalidRequest("no function at " + context.request().method() + " "
                        + context.request().path() + "; the functions are " + FunctionRoutes.FUNCTIONS);
                case 405 -> ConnectorException.invalidRequest(context.request().method() + " " + context.request().path()
                        + ": method not allowed; use " + allowed(context).replace(", ", " or "));
                case 406 -> ConnectorException.invalidRequest("the functions answer application/json; accept it");
                default -> Failures.internal(new IllegalStateException("request failed with status " + status));
            };
        }
        return Failures.classify(failure);
    }

    private static String allowed(RoutingContext context) {
        String methods = FunctionRoutes.allowedMethods(FunctionRoutes.path(context));
        return methods != null ? methods : "POST";
    }

    /** A 404/405 is not one of the connector's codes: it keeps its status, with an INVALID_REQUEST body. */
    private void write(RoutingContext context, int status, Object body) {
        int httpStatus = status;
        if (context.failure() == null && (context.statusCode() == 404 || context.statusCode() == 405
                || context.statusCode() == 406)) {
            httpStatus = context.statusCode();
        }
        if (httpStatus == 405) {
            context.response().putHeader("Allow", allowed(context));
        }
        try {
            context.response().setStatusCode(httpStatus)
                    .putHeader("Content-Type", "application/json")
                    .end(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            LOG.error("could not write an error response", e);
            context.response().setStatusCode(500).end();
        }
    }
}
