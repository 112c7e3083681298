package dev.redisfn.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.redisfn.connection.Failures;
import dev.redisfn.model.ConnectorException;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Puts the function's HTTP handlers on Quarkus' router — the one place that orders them among
 * Quarkus' own routes ({@link RouteConstants}).
 */
@ApplicationScoped
public class HttpRoutes {

    /**
     * Before Quarkus' body handler: the front door reads the functions' bodies itself, under the
     * body budget and timeouts, and answers every non-{@code /q/} request.
     */
    static final int FRONT_DOOR = RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1;
    /**
     * Failures of the functions' paths, before Quarkus' own error page (which is registered last).
     * The same number as {@link #FRONT_DOOR} on purpose: Vert.x walks failure handlers as a chain of
     * their own, from the first route again, so this order is compared only with other failure handlers.
     */
    static final int FAILURES = RouteConstants.ROUTE_ORDER_BODY_HANDLER - 1;

    private final FrontDoor frontDoor;
    private final HttpReplies replies;
    private final Admission admission;
    private final OpenApiRoute openApi;

    public HttpRoutes(FrontDoor frontDoor, HttpReplies replies, Admission admission, OpenApiRoute openApi) {
        this.frontDoor = frontDoor;
        this.replies = replies;
        this.admission = admission;
        this.openApi = openApi;
    }

    void register(@Observes Router router) {
        router.route().order(FRONT_DOOR).handler(frontDoor);
        router.route().order(FAILURES).failureHandler(this::failed);
        // reading the class path and converting the document are blocking: a worker thread does it
        router.get("/q/openapi").blockingHandler(openApi::serve, false);
    }

    /**
     * Vert.x Web refused the request before any route (400: no or an invalid Host header; 404: a
     * request target that is not a path, as {@code *}): the caller's mistake, answered with its status.
     * Anything else that failed is a bug, answered as INTERNAL with its logged id.
     */
    private void failed(RoutingContext context) {
        if (FunctionPath.isPlatform(context) || context.response().headWritten()) {
            context.next();
            return;
        }
        Exchange exchange = new Exchange(admission);
        int status = context.statusCode();
        if (status == 400 || status == 404) {
            replies.refuse(context, exchange, ConnectorException.invalidRequest(status == 400
                    ? "the request cannot be routed: HTTP/1.1 needs a valid Host header, and a path"
                    : "the request target is not a path; the functions are " + FunctionPath.ALL), status);
            return;
        }
        ConnectorException error = Failures.classify(context.failure() != null ? context.failure()
                : new IllegalStateException("request failed with status " + status));
        replies.refuse(context, exchange, error);
    }
}
