package dev.redisfn.request;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.Fields;

/**
 * Reads a plain-JSON execute event from its bytes. A connection object met before is not made into
 * a tree again: its bytes find the config decoded from them the first time ({@link ConfigMemo}), so
 * a repeated config costs a byte comparison instead of building, hashing and comparing a tree.
 * Strings, booleans and nulls, and an object of them (an operation's usual {@code params}), are made
 * here from the token stream: Jackson's tree reader sets up a deserialization context for every
 * value it reads, which costs more than such a value. Numbers, arrays and deeper objects are left
 * to it. Content after the JSON value is refused, as Jackson's tree reader would ignore it.
 */
@Singleton
public class EventReader {

    /**
     * An execute event as read: its tree, and either the config its connection's bytes decoded to
     * before ({@code known}, the tree then has no {@code connection}) or those bytes, to remember the
     * config under once the event decodes ({@code connection}), or neither.
     */
    public record Event(JsonNode tree, ConnectionBytes connection, ConnectionConfig known) {

        /** An event that is a tree and nothing more: a CloudEvent's data, a Funqy call, an empty body. */
        public static Event of(JsonNode tree) {
            return new Event(tree, null, null);
        }
    }

    private final ObjectMapper mapper;
    /**
     * The mapper's factory without Jackson's duplicate detection, which allocates per object: the
     * shortcut finds a repeated name itself, by what {@code ObjectNode.replace} returns, and has Jackson
     * check only the structures it hands over (see {@link #nested}).
     */
    private final JsonFactory events;
    private final ObjectReader whole;
    private final ConfigMemo memo;

    public EventReader(ObjectMapper mapper, ConfigMemo memo) {
        this.mapper = mapper;
        this.events = mapper.getFactory().copy().disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.whole = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.memo = memo;
    }

    /**
     * Reads the event; an event the shortcut does not fit (not an object) is read whole. Its tree is
     * weighed as it is made, and {@code allowance} reserves what it takes beyond its body's bytes.
     */
    public Event read(byte[] body, TreeAllowance allowance) throws IOException {
        try {
            return readEvent(body, allowance);
        } catch (NumberFormatException e) {
            throw beyondLimits(e);
        }
    }

    /**
     * Jackson reads a number such as {@code 1e99999999999} only as far as BigDecimal takes it, and fails
     * with a NumberFormatException: a 400, as for the reader's other limits.
     */
    private static StreamConstraintsException beyondLimits(NumberFormatException e) {
        StreamConstraintsException beyond = new StreamConstraintsException("a number beyond what BigDecimal holds");
        beyond.initCause(e);
        return beyond;
    }

    private Event readEvent(byte[] body, TreeAllowance allowance) throws IOException {
        try (JsonParser parser = CountedParser.over(events.createParser(body), body.length, allowance, body.length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Event.of(readWhole(body, allowance));
            }
            ObjectNode event = mapper.getNodeFactory().objectNode();
            ConnectionBytes connection = null;
            boolean hasRef = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                hasRef |= "connectionRef".equals(name);
                boolean isConnection = "connection".equals(name);
                if (isConnection && (connection != null || event.has(name))) {
                    throw duplicate(parser, name);
                }
                if (isConnection && value == JsonToken.START_OBJECT) {
                    // its names are checked where it is read as a tree, the first time these bytes are met
                    int from = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    connection = new ConnectionBytes(body, from, (int) parser.currentTokenLocation().getByteOffset() + 1);
                } else if (event.replace(name, value(parser, value, true)) != null) {
                    throw duplicate(parser, name);
                }
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "content after the JSON object");
            }
            if (connection == null || hasRef) {
                if (connection != null) {
                    event.set("connection", connectionTree(body, connection, allowance));
                }
                return Event.of(event);
            }
            ConnectionConfig known = memo.known(connection);
            if (known != null) {
                return new Event(event, null, known);
            }
            event.set("connection", connectionTree(body, connection, allowance));
            return new Event(event, connection, null);
        }
    }

    /** The tree of a connection object met for the first time, weighed as the event's is. */
    private JsonNode connectionTree(byte[] body, ConnectionBytes connection, TreeAllowance allowance) throws IOException {
        try (JsonParser parser = CountedParser.over(mapper.getFactory().createParser(body, connection.from(),
                connection.length()), connection.length(), allowance, 0)) {
            return mapper.readTree(parser);
        }
    }

    private JsonNode readWhole(byte[] json, TreeAllowance allowance) throws IOException {
        try (JsonParser parser = CountedParser.over(whole.createParser(json), json.length, allowance, json.length)) {
            return whole.readValue(parser);
        }
    }

    /**
     * One whole JSON value (null for no bytes), content after it refused as for an execute event: a
     * body or a CloudEvent's data that another function takes. {@code what} names it in the 400; the
     * tree is weighed and reserved as {@link #read}'s.
     */
    public JsonNode whole(byte[] json, String what, TreeAllowance allowance) {
        if (json == null || json.length == 0) {
            return null;
        }
        try {
            return readWhole(json, allowance);
        } catch (IOException e) {
            throw notJson(what, e);
        } catch (NumberFormatException e) {
            throw notJson(what, beyondLimits(e));
        }
    }

    /**
     * The 400 for bytes that are not one JSON value (or have content after it, or a field twice in
     * one object); never quotes them, names only a repeated field.
     */
    public static ConnectorException notJson(String what, IOException failure) {
        String twice = StrictJson.duplicated(failure);
        if (twice != null) {
            return ConnectorException.invalidRequest(what + " gives the field '" + Fields.clip(twice)
                    + "' twice in one object; give each field once");
        }
        return ConnectorException.invalidRequest(failure instanceof StreamConstraintsException
                ? what + " is beyond what the JSON reader takes (nesting, number or string length)"
                : what + " is not valid JSON");
    }

    /** The value at the parser's current token, as Jackson's tree reader would make it. */
    private JsonNode value(JsonParser parser, JsonToken token, boolean objectHere) throws IOException {
        JsonNodeFactory nodes = mapper.getNodeFactory();
        return switch (token) {
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> nodes.nullNode();
            case START_OBJECT -> objectHere ? object(parser) : nested(parser);
            case START_ARRAY -> nested(parser);
            default -> mapper.readTree(parser);
        };
    }

    /** An array or a deeper object, read by Jackson's tree reader with its duplicate detection on from here. */
    private JsonNode nested(JsonParser parser) throws IOException {
        parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        return mapper.readTree(parser);
    }

    /** A name given twice in one object, failed as Jackson's duplicate detection fails it. */
    private static JsonParseException duplicate(JsonParser parser, String name) {
        return new JsonParseException(parser, StrictJson.DUPLICATE + name + "'");
    }

    private ObjectNode object(JsonParser parser) throws IOException {
        ObjectNode object = mapper.getNodeFactory().objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (object.replace(name, value(parser, parser.nextToken(), false)) != null) {
                throw duplicate(parser, name);
            }
        }
        return object;
    }
}
