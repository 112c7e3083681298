package dev.redisfn.command;

import java.util.Base64;
import java.util.Comparator;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.Fields;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Response;

/** How values cross the JSON boundary: UTF-8 text, base64 for binary, or JSON stored as its text. */
public enum Encoding {
    UTF8,
    BASE64,
    JSON;

    /** Reads stored JSON as events are read: numbers with a fraction or an exponent exactly, as BigDecimal. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** JSON values by meaning: numbers by value (1e2 is 100), the rest as Jackson compares it (objects in any key order). */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    public static Encoding parse(String value) {
        if (value == null) {
            return UTF8;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT).replace("-", "")) {
            case "utf8", "text", "string" -> UTF8;
            case "base64", "binary" -> BASE64;
            case "json" -> JSON;
            default -> throw ConnectorException.invalidRequest(
                    "params.encoding: unknown encoding '" + value + "' (accepted: utf8, base64, json)");
        };
    }

    /** The bytes to send for a JSON value given in a call's params; {@code field} names it in errors. */
    public Buffer encode(JsonNode value, String field) {
        return encodeAt(value, "params." + field);
    }

    /** {@link #encode} of a value found elsewhere in the event; {@code path} names it in errors ("watch.k"). */
    Buffer encodeAt(JsonNode value, String path) {
        return switch (this) {
            case UTF8 -> Buffer.buffer(text(value, path));
            case BASE64 -> {
                try {
                    yield Buffer.buffer(Base64.getDecoder().decode(text(value, path)));
                } catch (IllegalArgumentException e) {
                    throw ConnectorException.invalidRequest(path + ": not valid base64");
                }
            }
            case JSON -> Buffer.buffer(json(value, path));
        };
    }

    private static String json(JsonNode value, String path) {
        String json = value.toString();
        if (!Fields.isWellFormed(json)) {
            throw ConnectorException.invalidRequest(path + ": " + Fields.NOT_UNICODE);
        }
        return json;
    }

    /** The JSON form of a stored value; nil becomes JSON null. */
    public JsonNode decode(Response reply) {
        if (reply == null) {
            return NODES.nullNode();
        }
        return switch (this) {
            case UTF8 -> NODES.textNode(Results.utf8(reply));
            case BASE64 -> NODES.textNode(Base64.getEncoder().encodeToString(reply.toBytes()));
            case JSON -> parseStored(Results.utf8(reply));
        };
    }

    /**
     * Whether a stored value (null: none) is the value a flow read through this encoding and gives back
     * as {@code read} (null: none): in JSON by meaning — what {@link #decode} makes of it equals {@code
     * read}, whoever wrote it ({@code {"a": 1}} is {@code {"a":1}}) — otherwise byte for byte.
     */
    boolean holds(Response stored, JsonNode read, String path) {
        if (stored == null || Fields.isAbsent(read)) {
            return stored == null && Fields.isAbsent(read);
        }
        return this == JSON ? decode(stored).equals(SAME_VALUE, read) : encodeAt(read, path).equals(stored.toBuffer());
    }

    /**
     * A value stored by something else than a JSON writer — not JSON, JSON with text after it, empty, or a
     * number no BigDecimal holds — comes back as its text: null keeps meaning "no value".
     */
    private static JsonNode parseStored(String text) {
        try {
            JsonNode parsed = MAPPER.readTree(text);
            return parsed == null || parsed.isMissingNode() ? NODES.textNode(text) : parsed;
        } catch (JsonProcessingException | NumberFormatException e) {
            return NODES.textNode(text);
        }
    }

    private static String text(JsonNode value, String path) {
        if (value.isTextual()) {
            if (!Fields.isWellFormed(value.textValue())) {
                throw ConnectorException.invalidRequest(path + ": " + Fields.NOT_UNICODE);
            }
            return value.textValue();
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        throw ConnectorException.invalidRequest(path + ": expected a string (or use \"encoding\": \"json\" to store "
                + (value.isObject() ? "an object" : value.isArray() ? "an array" : "null") + ")");
    }
}
