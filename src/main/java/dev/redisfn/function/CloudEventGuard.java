package dev.redisfn.function;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.observe.RequestIds;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.Fields;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Holds Funqy's Knative Events binding (which serves plain HTTP and CloudEvents on the function
 * paths) to the connector's contract, before Funqy sees a request:
 * <ul>
 * <li>plain HTTP stays as it was with quarkus-funqy-http: a POST body is read as JSON whatever its
 * {@code Content-Type} (a form type included), an empty one as JSON {@code null}; GET is for
 * {@code /operations} only and other methods are 405;</li>
 * <li>a CloudEvent Funqy could not dispatch — a required attribute missing, data that is not JSON,
 * a {@code ce-type} that selects no function, a batch of events — is a 400 INVALID_REQUEST here,
 * where Funqy would answer a bare 404, 406 or 500 and log the parser's message (which can quote the
 * data, so a password);</li>
 * <li>an event without data reaches the function as JSON {@code null}, as an empty plain body does;</li>
 * <li>a structured event's {@code id} becomes the call's request id unless {@code X-Request-Id} is given.</li>
 * </ul>
 * Function failures are not touched: Funqy fails the request and {@link HttpErrors} answers it as
 * on plain HTTP, with the error's status and JSON body (not as a CloudEvent).
 */
@ApplicationScoped
public class CloudEventGuard {

    private static final List<String> FUNCTIONS = List.of("execute", "test-connection", "operations");
    private static final Set<String> PATHS = Set.of("/", "/execute", "/test-connection", "/operations");
    private static final List<String> REQUIRED = List.of("specversion", "id", "source", "type");
    /** Their binary-mode headers, built once: {@link #isBinary} runs on every plain-JSON execute call. */
    private static final List<CharSequence> REQUIRED_HEADERS = REQUIRED.stream()
            .map(attribute -> HttpHeaders.createOptimized("ce-" + attribute)).toList();
    /** The CloudEvents versions Funqy reads. */
    private static final Set<String> SPEC_VERSIONS = Set.of("1.0", "0.3");
    private static final String JSON = "application/json";
    /** The Content-Type a request came with, when {@link #readAsJson} replaced a form type. */
    private static final String SENT_CONTENT_TYPE = "dev.redisfn.sentContentType";

    private final ObjectMapper mapper;
    /** ce-type to function: each function's name and its configured trigger. */
    private final Map<String, String> functionsByType = new TreeMap<>();
    /** With {@code quarkus.funqy.export} every event goes to that one function, whatever its type. */
    private final boolean exported;

    public CloudEventGuard(ObjectMapper mapper) {
        this.mapper = mapper;
        Config config = ConfigProvider.getConfig();
        for (String function : FUNCTIONS) {
            functionsByType.put(function, function);
            config.getOptionalValue("quarkus.funqy.knative-events.mapping." + function + ".trigger", String.class)
                    .ifPresent(type -> functionsByType.put(type, function));
        }
        this.exported = config.getOptionalValue("quarkus.funqy.export", String.class).isPresent();
    }

    void register(@Observes Router router) {
        // before the body handler (MIN + 1), which decodes a form body as form fields
        router.route().order(Integer.MIN_VALUE).handler(this::readAsJson);
        // after the body handler, the API key check and the plain-JSON fast path; before Funqy's routes
        router.route().order(Integer.MIN_VALUE + 20).handler(this::guard);
    }

    /**
     * Vert.x decodes a form-typed body (curl's default with {@code -d}) as form fields, and fails it
     * once a field passes {@code max-form-attribute-size}; the function reads JSON whatever the type.
     */
    private void readAsJson(RoutingContext context) {
        HttpServerRequest request = context.request();
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (request.method() == HttpMethod.POST && PATHS.contains(FunctionRoutes.path(context)) && isForm(contentType)) {
            context.put(SENT_CONTENT_TYPE, contentType);
            request.headers().set(HttpHeaders.CONTENT_TYPE, JSON);
        }
        context.next();
    }

    private void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = FunctionRoutes.path(context);
        if (!PATHS.contains(path)) {
            context.next();
            return;
        }
        String sent = context.get(SENT_CONTENT_TYPE);
        String contentType = sent != null ? sent : request.getHeader(HttpHeaders.CONTENT_TYPE);
        boolean binary = isBinary(request);
        boolean structured = !binary && isStructured(contentType);
        if (!methodAllowed(request.method(), path, binary || structured)) {
            context.fail(405);
            return;
        }
        try {
            if (binary) {
                binary(context, contentType);
            } else if (structured) {
                structured(context, contentType);
            } else if (request.method() == HttpMethod.POST) {
                plain(context, path, contentType);
            }
        } catch (ConnectorException e) {
            context.fail(e);
            return;
        }
        context.next();
    }

    /** A CloudEvent is POSTed; plain GET is the catalogue's only (Funqy would read a GET /execute's query as its event). */
    private static boolean methodAllowed(HttpMethod method, String path, boolean cloudEvent) {
        if (method == HttpMethod.POST) {
            return true;
        }
        return method == HttpMethod.GET && !cloudEvent && FunctionRoutes.allowedMethods(path).contains("GET");
    }

    /** Plain HTTP: funqy-http read every POST body as JSON, and an empty one as JSON null. */
    private void plain(RoutingContext context, String path, String contentType) {
        HttpServerRequest request = context.request();
        if (contentType == null || !contentType.startsWith(JSON)) {
            request.headers().set(HttpHeaders.CONTENT_TYPE, JSON);
        }
        Buffer body = context.body().buffer();
        if (body == null || body.length() == 0) {
            context.setBody(Buffer.buffer("null")); // Funqy fails an empty body with a 500
        } else if ("/operations".equals(path)) {
            requireObject(body); // Funqy would call any body it cannot bind "not valid JSON"
        }
    }

    private void requireObject(Buffer body) {
        JsonNode query;
        try {
            query = mapper.readTree(body.getBytes());
        } catch (IOException e) {
            throw ConnectorException.invalidRequest("the request body is not valid JSON");
        }
        if (query != null && !query.isNull() && !query.isObject()) {
            throw ConnectorException.invalidRequest("the request body must be a JSON object, got "
                    + Fields.describe(query));
        }
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        // on every POST: no lower-cased copy of the header
        return contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
                || contentType.regionMatches(true, 0, "multipart/form-data", 0, 19);
    }

    /** Structured mode (or a batch of events): the event is the body, typed {@code application/cloudevents...}. */
    static boolean isStructured(String contentType) {
        return contentType != null && contentType.startsWith("application/cloudevents");
    }

    /** Binary mode: any of the required attributes as a {@code ce-*} header (the others must follow). */
    static boolean isBinary(HttpServerRequest request) {
        for (CharSequence header : REQUIRED_HEADERS) {
            if (request.getHeader(header) != null) {
                return true;
            }
        }
        return false;
    }

    /** Binary mode: attributes in {@code ce-*} headers, the data is the body. */
    private void binary(RoutingContext context, String contentType) {
        HttpServerRequest request = context.request();
        for (String attribute : REQUIRED) {
            if (isBlank(request.getHeader("ce-" + attribute))) {
                throw ConnectorException.invalidRequest("ce-" + attribute + ": required CloudEvent attribute is missing");
            }
        }
        requireSpecVersion("ce-specversion", request.getHeader("ce-specversion"));
        String function = requireKnownType(request.getHeader("ce-type"));
        if (contentType == null) {
            request.headers().set(HttpHeaders.CONTENT_TYPE, JSON);
        } else if (!contentType.startsWith(JSON)) {
            throw ConnectorException.invalidRequest("Content-Type: a CloudEvent's data must be " + JSON
                    + " (got " + clip(contentType) + ")");
        }
        Buffer body = context.body().buffer();
        JsonNode data;
        try {
            data = body == null ? null : mapper.readTree(body.getBytes());
        } catch (IOException e) {
            throw ConnectorException.invalidRequest("the CloudEvent's data is not valid JSON");
        }
        if (data == null || data.isMissingNode()) { // no data, or only whitespace
            context.setBody(Buffer.buffer("null"));
            return;
        }
        requireDataShape(function, data);
    }

    /** Structured mode: one JSON object holding the attributes and {@code data}. */
    private void structured(RoutingContext context, String contentType) {
        if (!contentType.startsWith("application/cloudevents+json")) {
            throw ConnectorException.invalidRequest("Content-Type: " + clip(contentType) + " is not supported; send one"
                    + " event per request, as application/cloudevents+json or in binary mode");
        }
        Buffer body = context.body().buffer();
        JsonNode event;
        try {
            event = body == null || body.length() == 0 ? null : mapper.readTree(body.getBytes());
        } catch (IOException e) {
            throw ConnectorException.invalidRequest("the CloudEvent is not valid JSON");
        }
        if (event == null || !event.isObject()) {
            throw ConnectorException.invalidRequest("a structured CloudEvent must be a JSON object");
        }
        for (String attribute : REQUIRED) {
            JsonNode value = event.get(attribute);
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                throw ConnectorException.invalidRequest(attribute + ": required CloudEvent attribute is missing");
            }
        }
        requireSpecVersion("specversion", event.get("specversion").textValue());
        String function = requireKnownType(event.get("type").textValue());
        requireDataShape(function, event.get("data"));
        JsonNode dataContentType = event.get("datacontenttype");
        if (dataContentType != null && !dataContentType.isNull() && !dataContentType.asText().startsWith(JSON)) {
            throw ConnectorException.invalidRequest("datacontenttype: a CloudEvent's data must be " + JSON);
        }
        if (event.has("data_base64")) {
            throw ConnectorException.invalidRequest("data_base64: a CloudEvent's data must be JSON, given as data");
        }
        if (!event.has("data")) {
            ((ObjectNode) event).putNull("data");
            try {
                context.setBody(Buffer.buffer(mapper.writeValueAsBytes(event)));
            } catch (IOException e) {
                throw new IllegalStateException("could not write back a CloudEvent read a moment ago", e);
            }
        }
        if (context.request().getHeader(RequestIds.HEADER) == null) {
            String id = RequestIds.accepted(event.get("id").textValue());
            if (id != null) {
                RequestIds.assign(context, id);
            }
        }
    }

    /** The function the type selects (null when {@code quarkus.funqy.export} decides). */
    private String requireKnownType(String type) {
        if (!exported && !functionsByType.containsKey(type)) {
            throw ConnectorException.invalidRequest("type: '" + clip(type) + "' selects no function (accepted: "
                    + String.join(", ", functionsByType.keySet()) + ")");
        }
        return exported ? null : functionsByType.get(type);
    }

    private static void requireSpecVersion(String field, String version) {
        if (!SPEC_VERSIONS.contains(version)) {
            throw ConnectorException.invalidRequest(field + ": CloudEvents " + clip(version) + " is not supported (1.0, 0.3)");
        }
    }

    /** The catalogue's query binds to an object: Funqy would fail other data with a 500. */
    private static void requireDataShape(String function, JsonNode data) {
        if ("operations".equals(function) && data != null && !data.isNull() && !data.isObject()) {
            throw ConnectorException.invalidRequest("data: the operations query must be a JSON object, e.g. {\"group\": \"hash\"}");
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String clip(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }
}
