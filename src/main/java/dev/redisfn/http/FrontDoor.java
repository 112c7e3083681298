package dev.redisfn.http;

import java.util.Set;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.command.CatalogueListing;
import dev.redisfn.command.ReplyAccount;
import dev.redisfn.config.Limits;
import dev.redisfn.http.FunctionPath.Function;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.model.Fields;
import dev.redisfn.model.Suggestions;
import dev.redisfn.observe.RequestIds;
import dev.redisfn.pipeline.ExecutePipeline;
import dev.redisfn.pipeline.TestConnectionPipeline;
import dev.redisfn.request.EventReader;
import dev.redisfn.security.ApiKeys;
import dev.redisfn.transport.HttpPipelining;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The one HTTP entry of the functions. Every request outside Quarkus' own {@code /q/} paths passes
 * here first: it gets its request id, the API key is checked, the method and path are matched to a
 * function, the call is admitted against the limits, its body is read (see {@link BodyReader}), a
 * CloudEvent is checked and unwrapped, and the function's answer — or its error — is written.
 * Plain-JSON {@code execute} bodies go to the execute pipeline as raw bytes, on the event loop.
 */
@Singleton
public class FrontDoor implements Handler<RoutingContext> {

    private static final Set<String> OPERATIONS_QUERY = Set.of("group");
    /** Unanswered requests after which a pipelining connection is read no further until an answer is written. */
    private static final int READ_AHEAD = 4;
    /** A binary CloudEvent's id, the request id when no X-Request-Id came. */
    private static final CharSequence CE_ID = HttpHeaders.createOptimized("ce-id");

    private final Admission admission;
    private final BodyDeadlines deadlines;
    private final HttpReplies replies;
    private final CloudEvents cloudEvents;
    private final ApiKeys apiKeys;
    private final long maxBody;
    private final ExecutePipeline execute;
    private final TestConnectionPipeline testConnection;
    private final CatalogueListing catalogue;
    private final EventReader json;
    private final HttpPipelining pipelining;

    public FrontDoor(Admission admission, BodyDeadlines deadlines, HttpReplies replies, CloudEvents cloudEvents,
            ApiKeys apiKeys, Limits limits, ExecutePipeline execute, TestConnectionPipeline testConnection,
            CatalogueListing catalogue, EventReader json) {
        this.admission = admission;
        this.deadlines = deadlines;
        this.replies = replies;
        this.cloudEvents = cloudEvents;
        this.apiKeys = apiKeys;
        this.maxBody = limits.maxBody();
        this.execute = execute;
        this.testConnection = testConnection;
        this.catalogue = catalogue;
        this.json = json;
        this.pipelining = new HttpPipelining(READ_AHEAD, limits.maxPipelined(), limits.maxQueuedRequests());
    }

    @Override
    public void handle(RoutingContext context) {
        Exchange exchange = new Exchange(admission);
        try {
            enter(context, exchange);
        } catch (RuntimeException bug) {
            replies.failed(context, exchange, bug);
        }
    }

    private void enter(RoutingContext context, Exchange exchange) {
        HttpServerRequest request = context.request();
        pipelining.limit(request.connection());
        if (FunctionPath.isPlatform(context)) {
            if (hasBody(request)) {
                // Quarkus' body handler would buffer it outside the body budget: its paths take none
                replies.refuse(context, exchange, new ConnectorException(ErrorCode.PAYLOAD_TOO_LARGE,
                        "the /q/ paths take no request body"));
            } else {
                context.next();
            }
            return;
        }
        String id = RequestIds.accepted(request.getHeader(RequestIds.HEADER_NAME));
        if (id == null) {
            id = RequestIds.accepted(request.getHeader(CE_ID));
        }
        RequestIds.assign(context, id != null ? id : RequestIds.generate());
        try {
            exchange.scope(apiKeys.scope(request.getHeader(HttpHeaders.AUTHORIZATION)));
        } catch (ConnectorException denied) {
            replies.refuse(context, exchange, denied);
            return;
        }
        FunctionPath path = FunctionPath.of(context);
        if (path == null) {
            replies.refuse(context, exchange, ConnectorException.invalidRequest("no function at " + request.method() + " "
                    + request.path() + "; the functions are " + FunctionPath.ALL), 404);
            return;
        }
        exchange.function(path.function == null ? "none" : path.function.id);
        boolean cloudEvent = CloudEvents.isBinary(request)
                || CloudEvents.isStructured(request.getHeader(HttpHeaders.CONTENT_TYPE));
        exchange.cloudEvent(cloudEvent);
        if (!methodAllowed(request.method(), path, cloudEvent)) {
            exchange.allow(path.methods);
            replies.refuse(context, exchange, ConnectorException.invalidRequest(request.method() + " " + request.path()
                    + ": method not allowed; use " + path.methods.replaceFirst(", (\\w+)$", " or $1")), 405);
            return;
        }
        if (!exchange.enter()) {
            replies.refuse(context, exchange, new ConnectorException(ErrorCode.OVERLOADED, "the function serves "
                    + admission.callsInFlight() + " calls already, its maximum; retry shortly",
                    "connector.limits.max-concurrent-calls bounds the calls served at once"));
            return;
        }
        if (isRead(request.method())) {
            respond(context, exchange, null, Future.succeededFuture().map(ignored -> {
                request.params().names().forEach(name -> knownQueryField(name, "query parameter"));
                return catalogue.list(request.getParam("group"), exchange.scope());
            }));
            return;
        }
        BodyReader.read(context, exchange, maxBody, deadlines, replies, body -> dispatchOrFail(context, exchange, path,
                cloudEvent, body));
    }

    /**
     * Whatever dispatching throws is answered (INTERNAL, logged with its id) rather than left to Vert.x: a
     * call never answered would keep its caller waiting and its admission slot taken for good.
     */
    private void dispatchOrFail(RoutingContext context, Exchange exchange, FunctionPath path, boolean cloudEvent,
            Buffer body) {
        try {
            dispatch(context, exchange, path, cloudEvent, body);
        } catch (RuntimeException bug) {
            replies.failed(context, exchange, bug);
        }
    }

    private void dispatch(RoutingContext context, Exchange exchange, FunctionPath path, boolean cloudEvent, Buffer body) {
        HttpServerRequest request = context.request();
        CloudEvents.Event event;
        try {
            if (!cloudEvent) {
                if (path.function == null) {
                    throw ConnectorException.invalidRequest("POST /: send a CloudEvent (ce-* headers, or Content-Type "
                            + CloudEvents.STRUCTURED + "); plain JSON calls go to " + FunctionPath.ALL);
                }
                respond(context, exchange, null, plain(context, path.function, body, exchange));
                return;
            }
            String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
            // the HTTP binding's rule: a cloudevents Content-Type is structured mode, whatever ce-* headers come along
            event = CloudEvents.isStructured(contentType) ? cloudEvents.structured(contentType, body, exchange)
                    : cloudEvents.binary(request, body);
        } catch (ConnectorException e) {
            replies.refuse(context, exchange, e);
            return;
        }
        exchange.function(event.function().id);
        if (!event.binary() && request.getHeader(RequestIds.HEADER_NAME) == null) {
            String id = RequestIds.accepted(event.id());
            if (id != null) {
                RequestIds.assign(context, id);
            }
        }
        Future<Object> answer;
        try {
            answer = event(context, event, exchange);
        } catch (ConnectorException e) {
            replies.refuse(context, exchange, e);
            return;
        }
        respond(context, exchange, event, answer);
    }

    /** A plain-JSON call: the body is the function's input. */
    private Future<Object> plain(RoutingContext context, Function function, Buffer body, Exchange exchange) {
        switch (function) {
            case EXECUTE:
                return execute.execute(body == null ? null : body.getBytes(), account(context, exchange), exchange.scope(),
                        exchange);
            case TEST_CONNECTION:
                return testConnection.test(tree(body, exchange), exchange.scope()).map(report -> report);
            default:
                return Future.succeededFuture(catalogue.list(queryGroup(tree(body, exchange), "the request body"),
                        exchange.scope()));
        }
    }

    /**
     * The execute call's account of replies. A caller gone before its answer abandons the call: work
     * still waiting for a connection of its own never starts, and a blocking pop in flight is cut off,
     * so that it takes no value that nobody would receive.
     */
    private ReplyAccount account(RoutingContext context, Exchange exchange) {
        ReplyAccount account = exchange.replies(execute);
        context.response().closeHandler(gone -> account.callerGone());
        return account;
    }

    /** A CloudEvent's data is the function's input, as over plain HTTP. */
    private Future<Object> event(RoutingContext context, CloudEvents.Event event, Exchange exchange) {
        if (event.function() == Function.EXECUTE) {
            ReplyAccount account = account(context, exchange);
            return event.binary() ? execute.execute(event.rawData() == null ? null : event.rawData().getBytes(),
                    account, exchange.scope(), exchange) : execute.execute(event.data(), account, exchange.scope());
        }
        JsonNode data = event.binary() ? cloudEvents.tree(event.rawData(), exchange) : event.data();
        if (event.function() == Function.TEST_CONNECTION) {
            return testConnection.test(data, exchange.scope()).map(report -> report);
        }
        return Future.succeededFuture(catalogue.list(queryGroup(data, "data"), exchange.scope()));
    }

    private void respond(RoutingContext context, Exchange exchange, CloudEvents.Event event, Future<Object> answer) {
        answer.onComplete(done -> {
            try {
                answered(context, exchange, event, done);
            } catch (RuntimeException bug) {
                replies.failed(context, exchange, bug);
            }
        });
    }

    private void answered(RoutingContext context, Exchange exchange, CloudEvents.Event event, AsyncResult<Object> done) {
        if (done.failed()) {
            replies.failed(context, exchange, done.cause());
        } else if (event == null) {
            replies.ok(context, exchange, done.result(), HttpReplies.APPLICATION_JSON);
        } else if (event.binary()) {
            cloudEvents.binaryReply(context.response(), event);
            replies.ok(context, exchange, done.result(), HttpReplies.APPLICATION_JSON);
        } else {
            replies.ok(context, exchange, done.result(), cloudEvents.structuredReply(event, done.result()),
                    CloudEvents.STRUCTURED);
        }
    }

    private JsonNode tree(Buffer body, Exchange exchange) {
        return json.whole(body == null ? null : body.getBytes(), "the request body", exchange);
    }

    /** The catalogue's query: an object with an optional {@code group}; null or no body is the whole catalogue. */
    private static String queryGroup(JsonNode query, String what) {
        if (query == null || query.isNull() || query.isMissingNode()) {
            return null;
        }
        if (!query.isObject()) {
            throw ConnectorException.invalidRequest(what.equals("data")
                    ? "data: the operations query must be a JSON object, e.g. {\"group\": \"hash\"}"
                    : "the request body must be a JSON object, got " + Fields.describe(query));
        }
        query.fieldNames().forEachRemaining(name -> knownQueryField(name, "field"));
        return Fields.request("").string(query.get("group"), "group");
    }

    /** The catalogue's query takes {@code group} alone: anything else is a mistake, not a filter to ignore. */
    private static void knownQueryField(String name, String kind) {
        if (!OPERATIONS_QUERY.contains(name)) {
            throw ConnectorException.invalidRequest(Fields.clip(name) + ": unknown " + kind + " of the operations catalogue"
                    + Suggestions.accepted(name, OPERATIONS_QUERY));
        }
    }

    /** HEAD is GET without the body (RFC 9110 §9.3.2), which Vert.x leaves out for a HEAD request. */
    private static boolean isRead(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD;
    }

    /** A CloudEvent is POSTed; plain GET (and HEAD) is the catalogue's only. */
    private static boolean methodAllowed(HttpMethod method, FunctionPath path, boolean cloudEvent) {
        return method == HttpMethod.POST
                || (isRead(method) && !cloudEvent && path == FunctionPath.OPERATIONS);
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.trim().equals("0")) || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }
}
