package dev.redisfn.command;

import java.io.IOException;
import java.util.Base64;
import java.util.Comparator;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;

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
            case JSON -> stored(Results.utf8(reply));
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
        return this == JSON ? sameJson(Results.utf8(stored), read) : encodeAt(read, path).equals(stored.toBuffer());
    }

    /**
     * Whether stored text is, by meaning, the JSON value {@code read} — or, not being JSON, is the text
     * {@code read} holds, as {@link #decode} answers it. Its tree is made only when it has as many
     * tokens as {@code read}'s, which a value equal by meaning has (a stored value that gives a name
     * twice does not): so it is no larger than the tree the event brought, which its call reserved.
     */
    private static boolean sameJson(String text, JsonNode read) {
        long tokens = tokens(text);
        if (tokens < 0) {
            return read.isTextual() && read.textValue().equals(text);
        }
        return tokens == tokens(read) && parseStored(text).equals(SAME_VALUE, read);
    }

    /** The tokens of a JSON value's tree: an object's or array's start and end, each name and each scalar. */
    private static long tokens(JsonNode node) {
        long tokens = node.isContainerNode() ? 2 : 1;
        if (node.isObject()) {
            tokens += node.size();
        }
        for (JsonNode child : node) {
            tokens += tokens(child);
        }
        return tokens;
    }

    /**
     * The tokens of {@code text} when it is one JSON value as {@link #parseStored} reads it (a number
     * with a fraction or an exponent that BigDecimal holds), else -1: checked as it is read, without
     * a tree.
     */
    static long tokens(String text) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            long tokens = 0;
            int depth = 0;
            do {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return -1;
                }
                tokens++;
                switch (token) {
                    case START_OBJECT, START_ARRAY -> depth++;
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
                    default -> {
                        // names and other scalars need no more than the parser's own checks
                    }
                }
            } while (depth > 0);
            return parser.nextToken() == null ? tokens : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * A stored value as what {@link #parseStored} would make of it, but written as it is stored rather
     * than as a tree: a tree of JSON takes the heap up to thirty times its text, and a reply of the
     * size the reply limit admits must not become that.
     */
    private static JsonNode stored(String text) {
        return tokens(text) < 0 ? NODES.textNode(text) : NODES.rawValueNode(new RawValue(text.strip()));
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
