package dev.redisfn.http;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.http.FunctionPath.Function;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.Fields;
import dev.redisfn.request.EventReader;
import dev.redisfn.request.TreeAllowance;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The functions as CloudEvents (binary and structured mode, specversion 1.0 and 0.3), as Funqy's
 * Knative binding maps them: the event's type selects the function (its configured
 * {@code quarkus.funqy.knative-events.mapping.<function>.trigger}, or its bare name), its data is the
 * body the function takes over plain HTTP, and the reply is an event of the function's configured
 * {@code response-type} and {@code response-source}. An event that cannot be dispatched is a 400
 * naming the problem — never quoting the data, which may hold a password.
 */
@Singleton
public class CloudEvents {

    /** Characters of a caller's value quoted in an error message. */
    private static final int QUOTED = 60;

    private static final List<String> REQUIRED = List.of("specversion", "id", "source", "type");
    /** Optional context attributes, which are strings when present. */
    private static final Set<String> OPTIONAL = Set.of("datacontenttype", "dataschema", "schemaurl", "subject", "time");
    private static final Set<String> SPEC_VERSIONS = Set.of("1.0", "0.3");
    private static final String JSON = "application/json";
    static final String STRUCTURED = "application/cloudevents+json";
    /**
     * The extension attribute that ties a reply to what it answers, in a broker where both are just events:
     * the request's own {@code correlationid} when it has one (so a chain of steps keeps its first id), else its id.
     */
    static final String CORRELATION = "correlationid";
    /** The trigger that selects a function for every type no other function names. */
    private static final String CATCH_ALL = "*";
    private static final CharSequence[] REQUIRED_HEADERS = REQUIRED.stream()
            .map(attribute -> HttpHeaders.createOptimized("ce-" + attribute)).toArray(CharSequence[]::new);

    /** An event the front door can dispatch: the function, its data (raw or as a tree) and what the reply needs. */
    record Event(Function function, boolean binary, String specVersion, String id, String correlationId, Buffer rawData,
            JsonNode data) {
    }

    /** Reads an event or its data whole: content after the JSON is refused, as for a plain body. */
    private final EventReader json;
    private final Map<String, Function> functionsByType = new TreeMap<>();
    private final Map<Function, String> responseTypes = new EnumMap<>(Function.class);
    private final Map<Function, String> responseSources = new EnumMap<>(Function.class);
    /** With {@code quarkus.funqy.export} every event goes to that one function, whatever its type. */
    private final Function exported;

    public CloudEvents(EventReader json) {
        this.json = json;
        Config config = ConfigProvider.getConfig();
        for (Function function : Function.values()) {
            String prefix = "quarkus.funqy.knative-events.mapping." + function.id + ".";
            functionsByType.put(function.id, function);
            config.getOptionalValue(prefix + "trigger", String.class).ifPresent(type -> functionsByType.put(type, function));
            // Funqy's own defaults, where the deployment sets none
            responseTypes.put(function, config.getOptionalValue(prefix + "response-type", String.class)
                    .orElse(function.id + ".output"));
            responseSources.put(function, config.getOptionalValue(prefix + "response-source", String.class)
                    .orElse(function.id));
        }
        this.exported = config.getOptionalValue("quarkus.funqy.export", String.class)
                .map(name -> functionsByType.get(name)).orElse(null);
    }

    /** Binary mode: any required attribute as a {@code ce-*} header (the others must follow). */
    static boolean isBinary(HttpServerRequest request) {
        for (CharSequence header : REQUIRED_HEADERS) {
            if (request.getHeader(header) != null) {
                return true;
            }
        }
        return false;
    }

    /** Structured mode, or a batch of events: the event is the body. */
    static boolean isStructured(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "application/cloudevents", 0, 23);
    }

    /** Binary mode: attributes in {@code ce-*} headers, the data is the body. */
    Event binary(HttpServerRequest request, Buffer body) {
        MultiMap headers = request.headers();
        for (String name : headers.names()) {
            // as a JSON field given twice: a proxy that reads the first and the function the second must not disagree
            if (name.regionMatches(true, 0, "ce-", 0, 3) && headers.getAll(name).size() > 1) {
                throw ConnectorException.invalidRequest(name.toLowerCase(Locale.ROOT) + ": the CloudEvent attribute is"
                        + " given twice; give each attribute once");
            }
        }
        for (String attribute : REQUIRED) {
            String value = headers.get("ce-" + attribute);
            if (value == null || value.isBlank()) {
                throw ConnectorException.invalidRequest("ce-" + attribute + ": required CloudEvent attribute is missing");
            }
        }
        requireSpecVersion("ce-specversion", headers.get("ce-specversion"));
        requireTime("ce-time", headers.get("ce-time"));
        Function function = function(headers.get("ce-type"));
        requireJson("Content-Type", headers.get(HttpHeaders.CONTENT_TYPE));
        // the binding sends no ce-datacontenttype (Content-Type is the attribute); one that names other data is refused
        requireJson("ce-datacontenttype", headers.get("ce-datacontenttype"));
        boolean blank = body == null || isBlank(body);
        String id = headers.get("ce-id");
        return new Event(function, true, headers.get("ce-specversion"), id,
                correlation(headers.get("ce-" + CORRELATION), id), blank ? null : body, null);
    }

    /** Structured mode: one JSON object holding the attributes and {@code data}. */
    Event structured(String contentType, Buffer body, TreeAllowance allowance) {
        if (!contentType.regionMatches(true, 0, STRUCTURED, 0, STRUCTURED.length())) {
            throw ConnectorException.invalidRequest("Content-Type: " + Fields.clip(contentType, QUOTED) + " is not supported; send one"
                    + " event per request, as " + STRUCTURED + " or in binary mode");
        }
        JsonNode event = json.whole(body == null ? null : body.getBytes(), "the CloudEvent", allowance);
        if (event == null || !event.isObject()) {
            throw ConnectorException.invalidRequest("a structured CloudEvent must be a JSON object");
        }
        for (String attribute : REQUIRED) {
            JsonNode value = event.get(attribute);
            if (value == null || value.isNull() || value.isTextual() && value.textValue().isBlank()) {
                throw ConnectorException.invalidRequest(attribute + ": required CloudEvent attribute is missing");
            }
            if (!value.isTextual()) {
                throw ConnectorException.invalidRequest(attribute + ": a CloudEvent attribute is a string, got "
                        + Fields.describe(value));
            }
        }
        requireSpecVersion("specversion", event.get("specversion").textValue());
        checkAttributes((ObjectNode) event);
        Function function = function(event.get("type").textValue());
        if (event.has("data_base64")) {
            throw ConnectorException.invalidRequest("data_base64: a CloudEvent's data must be JSON, given as data");
        }
        String id = event.get("id").textValue();
        JsonNode correlation = event.get(CORRELATION);
        return new Event(function, false, event.get("specversion").textValue(), id,
                correlation(correlation == null ? null : correlation.asText(), id), null, event.get("data"));
    }

    /** Optional attributes are strings of their form; extensions are scalars (the spec's types). */
    private static void checkAttributes(ObjectNode event) {
        event.fields().forEachRemaining(field -> {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals("data") || REQUIRED.contains(name)) {
                return;
            }
            if (OPTIONAL.contains(name)) {
                if (!value.isTextual()) {
                    throw ConnectorException.invalidRequest(name + ": a CloudEvent attribute must be a string"
                            + (name.equals("datacontenttype") ? " such as " + JSON : ""));
                }
            } else if (!value.isValueNode() || value.isNull()) {
                throw ConnectorException.invalidRequest(Fields.clip(name, QUOTED) + ": an extension attribute must be a string, number"
                        + " or boolean");
            }
        });
        JsonNode dataContentType = event.get("datacontenttype");
        requireJson("datacontenttype", dataContentType == null ? null : dataContentType.textValue());
        JsonNode time = event.get("time");
        requireTime("time", time == null ? null : time.textValue());
    }

    /** The request's own correlationid carries on through a chain of steps; without one, its id starts it. */
    private static String correlation(String given, String id) {
        return given != null ? given : id;
    }

    /** The reply event of binary mode: its attributes as headers on the function's JSON answer. */
    void binaryReply(io.vertx.core.http.HttpServerResponse response, Event event) {
        response.putHeader("ce-id", UUID.randomUUID().toString())
                .putHeader("ce-specversion", event.specVersion())
                .putHeader("ce-source", responseSources.get(event.function()))
                .putHeader("ce-type", responseTypes.get(event.function()))
                .putHeader("ce-" + CORRELATION, event.correlationId());
    }

    /** The reply event of structured mode: the function's answer as the event's data. */
    Map<String, Object> structuredReply(Event event, Object data) {
        Map<String, Object> reply = new java.util.LinkedHashMap<>();
        reply.put("specversion", event.specVersion());
        reply.put("id", UUID.randomUUID().toString());
        reply.put("source", responseSources.get(event.function()));
        reply.put("type", responseTypes.get(event.function()));
        reply.put(CORRELATION, event.correlationId());
        reply.put("datacontenttype", JSON);
        reply.put("data", data);
        return reply;
    }

    /**
     * The function the type selects: every type selects the exported one, if any; a type no function
     * names selects the one whose trigger is {@code *}, if any (Funqy's catch-all), so that events
     * whose type their source fixes (a PingSource's) can run a function.
     */
    private Function function(String type) {
        if (exported != null) {
            return exported;
        }
        Function function = functionsByType.getOrDefault(type, functionsByType.get(CATCH_ALL));
        if (function == null) {
            throw ConnectorException.invalidRequest("type: '" + Fields.clip(type, QUOTED) + "' selects no function (accepted: "
                    + String.join(", ", functionsByType.keySet()) + ")");
        }
        return function;
    }

    /** Parses a binary event's data when the function takes a tree (test-connection, operations). */
    JsonNode tree(Buffer data, TreeAllowance allowance) {
        return json.whole(data == null ? null : data.getBytes(), "the CloudEvent's data", allowance);
    }

    private static void requireSpecVersion(String field, String version) {
        if (!SPEC_VERSIONS.contains(version)) {
            throw ConnectorException.invalidRequest(field + ": CloudEvents " + Fields.clip(version, QUOTED) + " is not supported (1.0, 0.3)");
        }
    }

    /**
     * The data's media type, where one is given, is JSON: {@code application/json} or a {@code +json} type
     * (RFC 6839), parameters aside (media types ignore case).
     */
    private static void requireJson(String field, String mediaType) {
        if (mediaType != null && !isJson(mediaType)) {
            throw ConnectorException.invalidRequest(field + ": a CloudEvent's data must be " + JSON
                    + " (got " + Fields.clip(mediaType, QUOTED) + ")");
        }
    }

    static boolean isJson(String mediaType) {
        int end = mediaType.indexOf(';');
        String type = (end < 0 ? mediaType : mediaType.substring(0, end)).trim().toLowerCase(Locale.ROOT);
        return type.equals(JSON) || type.startsWith("application/") && type.endsWith("+json");
    }

    private static void requireTime(String field, String time) {
        if (time == null) {
            return;
        }
        try {
            OffsetDateTime.parse(time);
        } catch (DateTimeParseException e) {
            throw ConnectorException.invalidRequest(field + ": not an RFC 3339 time ('" + Fields.clip(time, QUOTED) + "')");
        }
    }

    private static boolean isBlank(Buffer body) {
        for (int i = 0; i < body.length(); i++) {
            if (!Character.isWhitespace(body.getByte(i))) {
                return false;
            }
        }
        return true;
    }
}
