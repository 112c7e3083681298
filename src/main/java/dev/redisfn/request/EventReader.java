package dev.redisfn.request;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
    private final ObjectReader whole;
    private final ConfigMemo memo;

    public EventReader(ObjectMapper mapper, ConfigMemo memo) {
        this.mapper = mapper;
        this.whole = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.memo = memo;
    }

    /** Reads the event; an event the shortcut does not fit (not an object) is read whole. */
    public Event read(byte[] body) throws IOException {
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Event.of(whole.readValue(body));
            }
            ObjectNode event = mapper.getNodeFactory().objectNode();
            ConnectionBytes connection = null;
            boolean hasRef = false;
            // a field twice in one object fails the parser (StrictJson), so the connection read here is the only one
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                hasRef |= "connectionRef".equals(name);
                if ("connection".equals(name) && value == JsonToken.START_OBJECT) {
                    int from = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    connection = new ConnectionBytes(body, from, (int) parser.currentTokenLocation().getByteOffset() + 1);
                } else {
                    event.set(name, value(parser, value, true));
                }
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "content after the JSON object");
            }
            if (connection == null || hasRef) {
                if (connection != null) {
                    event.set("connection", mapper.readTree(body, connection.from(), connection.length()));
                }
                return Event.of(event);
            }
            ConnectionConfig known = memo.known(connection);
            if (known != null) {
                return new Event(event, null, known);
            }
            event.set("connection", mapper.readTree(body, connection.from(), connection.length()));
            return new Event(event, connection, null);
        }
    }

    /**
     * One whole JSON value (null for no bytes), content after it refused as for an execute event: a
     * body or a CloudEvent's data that another function takes. {@code what} names it in the 400.
     */
    public JsonNode whole(byte[] json, String what) {
        if (json == null || json.length == 0) {
            return null;
        }
        try {
            return whole.readValue(json);
        } catch (IOException e) {
            throw notJson(what, e);
        }
    }

    /**
     * The 400 for bytes that are not one JSON value (or have content after it, or a field twice in
     * one object); never quotes them, names only a repeated field.
     */
    public static ConnectorException notJson(String what, IOException failure) {
        String twice = StrictJson.duplicated(failure);
        return ConnectorException.invalidRequest(twice == null ? what + " is not valid JSON"
                : what + " gives the field '" + Fields.clip(twice) + "' twice in one object; give each field once");
    }

    /** The value at the parser's current token, as Jackson's tree reader would make it. */
    private JsonNode value(JsonParser parser, JsonToken token, boolean objectHere) throws IOException {
        JsonNodeFactory nodes = mapper.getNodeFactory();
        return switch (token) {
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> nodes.nullNode();
            case START_OBJECT -> objectHere ? object(parser) : mapper.readTree(parser);
            default -> mapper.readTree(parser);
        };
    }

    private ObjectNode object(JsonParser parser) throws IOException {
        ObjectNode object = mapper.getNodeFactory().objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            object.set(name, value(parser, parser.nextToken(), false)); // a repeated name: the last wins, as in Jackson's tree
        }
        return object;
    }
}
