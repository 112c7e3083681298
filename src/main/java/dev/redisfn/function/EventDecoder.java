package dev.redisfn.function;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.redisfn.ConnectorSettings;
import dev.redisfn.connection.ConnectionConfig;
import dev.redisfn.connection.ConnectionParser;
import dev.redisfn.connection.NamedConnections;
import dev.redisfn.operation.Call;
import dev.redisfn.operation.Catalogue;
import dev.redisfn.operation.Operation;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.ErrorCode;
import dev.redisfn.result.Fields;
import dev.redisfn.result.OutputFormat;
import dev.redisfn.security.CommandPolicy;

/** Decodes the JSON events of {@code execute} and {@code test-connection} (DESIGN.md §2-§3). */
@Singleton
public class EventDecoder {

    static final Set<String> EXECUTE_FIELDS = new TreeSet<>(List.of("connection", "connectionRef", "operation",
            "params", "batch", "atomic", "output", "waitReplicas"));
    static final Set<String> ITEM_FIELDS = new TreeSet<>(List.of("operation", "params"));
    private static final Fields F = Fields.request("");

    private final NamedConnections named;
    private final Catalogue catalogue;
    private final CommandPolicy commands;
    private final int maxBatch;
    /** Parsed configs by their JSON: normalization and the cache key's hash run once per distinct config. */
    private final Cache<JsonNode, ConnectionConfig> configs;
    /** The same configs by the bytes of their JSON, for events read by {@link #read}. */
    private final Cache<ConnectionBytes, ConnectionConfig> configsByBytes;
    /**
     * The connection bytes this thread decoded or found last, with their config: a caller that
     * repeats its config (the usual integration flow) skips the hash and the shared cache. A config
     * depends on its bytes alone, so the pair stays right whatever the cache evicts.
     */
    private final ThreadLocal<Known> last = new ThreadLocal<>();
    private final ObjectMapper mapper;
    private final ObjectReader whole;

    public EventDecoder(NamedConnections named, Catalogue catalogue, CommandPolicy commands, ConnectorSettings settings,
            ObjectMapper mapper) {
        this.named = named;
        this.catalogue = catalogue;
        this.commands = commands;
        this.maxBatch = settings.batch().maxSize();
        long maxConfigs = Math.max(256, settings.cache().maxSize() * 4L);
        this.configs = Caffeine.newBuilder().maximumSize(maxConfigs).executor(Runnable::run).build();
        this.configsByBytes = Caffeine.newBuilder().maximumSize(maxConfigs).executor(Runnable::run).build();
        this.mapper = mapper;
        this.whole = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * An execute event as {@link #read} left it: with the config its connection's bytes decoded to
     * before ({@code known}, and then no {@code connection} field), or with those bytes as the key
     * to remember the config under once this event decodes ({@code connection}), or neither.
     */
    public record Read(JsonNode event, ConnectionBytes connection, ConnectionConfig known) {

        /** An event that is a tree and nothing more: Funqy's, an empty body, or one the shortcut does not fit. */
        public static Read tree(JsonNode event) {
            return new Read(event, null, null);
        }
    }

    /**
     * Reads a plain-JSON execute event from its body. A connection object met before is not made
     * into a tree again: its bytes find the config decoded from them the first time, so a repeated
     * config costs a byte comparison instead of building, hashing and comparing a tree. The rest of
     * the event becomes the tree {@link #execute} decodes; an event the shortcut does not fit (not an
     * object, a repeated {@code connection} field, a {@code connectionRef}) is read whole, as before.
     */
    public Read read(byte[] body) throws IOException {
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Read.tree(whole.readValue(body));
            }
            ObjectNode event = mapper.getNodeFactory().objectNode();
            ConnectionBytes connection = null;
            int connectionFields = 0;
            boolean hasRef = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                connectionFields += "connection".equals(name) ? 1 : 0;
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
                // {...}garbage: Jackson's tree reader would stop at the object and ignore the rest
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "content after the JSON object");
            }
            if (connectionFields > 1) {
                return Read.tree(whole.readValue(body)); // the last one wins, as in Jackson's tree
            }
            if (connection == null) {
                return Read.tree(event);
            }
            ConnectionConfig known = hasRef ? null : known(connection);
            if (known != null) {
                return new Read(event, null, known);
            }
            event.set("connection", mapper.readTree(body, connection.from(), connection.length()));
            return new Read(event, hasRef ? null : connection.copy(), null);
        }
    }

    /** A connection's bytes, as a cache keeps them, and the config they decode to. */
    private record Known(ConnectionBytes connection, ConnectionConfig config) {
    }

    /** The config decoded from these bytes before, if this thread or the shared cache remembers it. */
    private ConnectionConfig known(ConnectionBytes connection) {
        Known seen = last.get();
        if (seen != null && seen.connection().equals(connection)) {
            return seen.config();
        }
        ConnectionConfig config = configsByBytes.getIfPresent(connection);
        if (config != null) {
            last.set(new Known(connection.copy(), config));
        }
        return config;
    }

    /**
     * The value at the parser's current token, as Jackson's tree reader would make it. Strings,
     * booleans and nulls, and an object of them (an operation's usual {@code params}), are made
     * here: Jackson's reader sets up a deserialization context for every value it reads, which
     * costs more than such a value. Numbers, arrays and deeper objects are left to it.
     */
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

    /** The output format alone, read leniently so that even a rejected event is answered in its format. */
    public OutputFormat outputOf(JsonNode event) {
        try {
            return event != null && event.isObject() ? OutputFormat.parse(F.string(event.get("output"), "output"))
                    : OutputFormat.STANDARD;
        } catch (ConnectorException e) {
            return OutputFormat.STANDARD;
        }
    }

    ExecuteRequest execute(Read read) {
        ObjectNode object = requireObject(read.event(), EXECUTE_FIELDS);
        OutputFormat output = OutputFormat.parse(F.string(object.get("output"), "output"));
        ConnectionConfig config = read.known() != null ? read.known() : connection(object);
        if (read.connection() != null) {
            configsByBytes.put(read.connection(), config);
            last.set(new Known(read.connection(), config));
        }
        boolean hasBatch = object.has("batch");
        if (hasBatch == object.has("operation")) {
            throw ConnectorException.invalidRequest(hasBatch ? "give either operation or batch, not both"
                    : "operation: required (or give a batch)");
        }
        int waitReplicas = waitReplicas(object, config);
        if (!hasBatch) {
            if (object.has("atomic")) {
                throw F.invalid("atomic", "only applies to a batch");
            }
            return new ExecuteRequest(config, call(object, ""), null, false, waitReplicas, output);
        }
        Boolean atomic = F.bool(object.get("atomic"), "atomic");
        return new ExecuteRequest(config, null, batch(object.get("batch")), atomic != null && atomic, waitReplicas,
                output);
    }

    /** WAIT after writes: how many replicas must acknowledge them; cluster nodes are not addressed by WAIT here. */
    private static int waitReplicas(ObjectNode object, ConnectionConfig config) {
        Long replicas = F.integer(object.get("waitReplicas"), "waitReplicas");
        if (replicas == null || replicas == 0) {
            return 0;
        }
        if (replicas < 0 || replicas > 16) {
            throw F.invalid("waitReplicas", "must be between 0 and 16, got " + replicas);
        }
        if (config.mode() == dev.redisfn.connection.Mode.CLUSTER) {
            throw F.invalid("waitReplicas", "not supported in cluster mode (WAIT would not reach the key's master)");
        }
        return replicas.intValue();
    }

    public ConnectionConfig connection(JsonNode event) {
        ObjectNode object = requireObject(event, null);
        boolean hasRef = !Fields.isAbsent(object.get("connectionRef"));
        boolean hasConnection = !Fields.isAbsent(object.get("connection"));
        if (hasRef && hasConnection) {
            throw new ConnectorException(ErrorCode.INVALID_CONNECTION, "give either connection or connectionRef, not both");
        }
        if (hasRef) {
            return named.resolve(F.string(object.get("connectionRef"), "connectionRef"));
        }
        if (!hasConnection) {
            throw new ConnectorException(ErrorCode.INVALID_CONNECTION,
                    "connection: required (an object with mode, host/port or nodes, password ...), or a connectionRef");
        }
        return configs.get(object.get("connection"), ConnectionParser::parse);
    }

    private List<Call> batch(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw F.invalid("batch", "expected an array of {\"operation\", \"params\"}");
        }
        if (node.isEmpty()) {
            throw F.invalid("batch", "must hold at least one operation");
        }
        if (node.size() > maxBatch) {
            throw new ConnectorException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "batch: " + node.size() + " operations, the limit is " + maxBatch);
        }
        List<Call> calls = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            try {
                ObjectNode item = requireObjectAt(node.get(i), "batch[" + i + "]");
                calls.add(call(item, "batch[" + i + "]."));
            } catch (ConnectorException e) {
                calls.add(Call.invalid(e));
            }
        }
        return calls;
    }

    private Call call(ObjectNode node, String at) {
        if (!at.isEmpty()) {
            node.fieldNames().forEachRemaining(name -> {
                if (!ITEM_FIELDS.contains(name)) {
                    throw ConnectorException.invalidRequest(at + name + ": unknown field (accepted: operation, params)");
                }
            });
        }
        Operation operation = catalogue.find(F.text(node.get("operation"), at + "operation"));
        commands.check(operation);
        JsonNode params = node.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw ConnectorException.invalidRequest(at + "params: expected an object, got " + Fields.describe(params));
        }
        ObjectNode args = params == null || params.isNull() ? JsonNodeFactory.instance.objectNode() : (ObjectNode) params;
        return Call.valid(operation, operation.args(args));
    }

    private static ObjectNode requireObject(JsonNode event, Set<String> accepted) {
        if (event == null || !event.isObject()) {
            throw ConnectorException.invalidRequest("the request body must be a JSON object"
                    + (Fields.isAbsent(event) ? "" : ", got " + Fields.describe(event)));
        }
        if (accepted != null) {
            event.fieldNames().forEachRemaining(name -> {
                if (!accepted.contains(name)) {
                    throw ConnectorException.invalidRequest(name + ": unknown field (accepted: "
                            + String.join(", ", accepted) + ")");
                }
            });
        }
        return (ObjectNode) event;
    }

    private static ObjectNode requireObjectAt(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw ConnectorException.invalidRequest(at + ": expected an object {\"operation\", \"params\"}");
        }
        return (ObjectNode) node;
    }
}
