package dev.redisfn.request;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.command.Call;
import dev.redisfn.command.Catalogue;
import dev.redisfn.command.CommandPolicy;
import dev.redisfn.command.Operation;
import dev.redisfn.command.Watch;
import dev.redisfn.config.AuthSettings;
import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.ConnectionParser;
import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.config.Limits;
import dev.redisfn.config.Mode;
import dev.redisfn.config.NamedConnections;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.model.Fields;
import dev.redisfn.response.OutputFormat;
import dev.redisfn.security.KeyScope;
import dev.redisfn.security.credentials.TokenFile;

/**
 * Turns the JSON events of {@code execute} and {@code test-connection} into typed requests
 * (docs/design.md, "Execute"): every field checked, every error naming the field.
 */
@Singleton
public class RequestDecoder {

    public static final Set<String> EXECUTE_FIELDS = new TreeSet<>(List.of("connection", "connectionRef", "operation",
            "params", "batch", "atomic", "watch", "output", "waitReplicas"));
    static final Set<String> ITEM_FIELDS = new TreeSet<>(List.of("operation", "params"));
    private static final Set<String> TEST_CONNECTION_FIELDS = new TreeSet<>(List.of("connection", "connectionRef"));
    private static final Fields F = Fields.request("");

    private final NamedConnections named;
    private final Catalogue catalogue;
    private final CommandPolicy commands;
    private final ConfigMemo memo;
    private final int maxBatch;
    private final long maxConnection;
    private final boolean inlineAuth;
    private final List<Path> inlineTokenDirs;

    public RequestDecoder(NamedConnections named, Catalogue catalogue, CommandPolicy commands, ConfigMemo memo,
            ConnectorSettings settings, Limits limits) {
        this.named = named;
        this.catalogue = catalogue;
        this.commands = commands;
        this.memo = memo;
        this.maxBatch = settings.batch().maxSize();
        this.maxConnection = limits.connectionSize();
        this.inlineAuth = settings.auth().allowInline();
        this.inlineTokenDirs = settings.auth().inlineTokenDirs().orElse(List.of()).stream()
                .map(dir -> Path.of(dir).normalize()).toList();
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

    /** The request of a caller with this scope: a connection outside it is refused before it is looked up or parsed. */
    public ExecuteRequest execute(EventReader.Event read, KeyScope scope) {
        ObjectNode object = requireObject(read.tree(), EXECUTE_FIELDS);
        OutputFormat output = OutputFormat.parse(F.string(object.get("output"), "output"));
        ConnectionConfig config = read.known() != null ? known(read.known(), scope)
                : connection(object, read.connection(), true, scope);
        boolean hasBatch = object.has("batch");
        if (hasBatch == object.has("operation")) {
            throw ConnectorException.invalidRequest(hasBatch ? "give either operation or batch, not both"
                    : "operation: required (or give a batch)");
        }
        int waitReplicas = waitReplicas(object, config);
        if (!hasBatch) {
            for (String batchOnly : List.of("atomic", "watch")) {
                if (object.has(batchOnly)) {
                    throw F.invalid(batchOnly, "only applies to a batch");
                }
            }
            return new ExecuteRequest(config, call(object, ""), null, false, Watch.NONE, waitReplicas, output);
        }
        if (object.has("params")) {
            throw F.invalid("params", "a batch gives each operation its own params: {\"batch\": [{\"operation\","
                    + " \"params\"}, ...]}");
        }
        Boolean atomic = F.bool(object.get("atomic"), "atomic");
        Watch watch = watch(object, atomic != null && atomic);
        return new ExecuteRequest(config, null, batch(object.get("batch")), atomic != null && atomic, watch, waitReplicas,
                output);
    }

    /**
     * The connection of a test-connection event: {@code connection} or {@code connectionRef}, and
     * nothing else. Parsed anew each time: a probe is not the hot path, and the memo is kept for calls.
     */
    public ConnectionConfig testConnection(JsonNode event, KeyScope scope) {
        ObjectNode object = requireObject(event, TEST_CONNECTION_FIELDS);
        return connection(object, null, false, scope);
    }

    /**
     * WATCH before MULTI: keys, or keys with the values read from them; only in an atomic batch, and
     * never more keys than a batch has operations.
     */
    private Watch watch(ObjectNode object, boolean atomic) {
        JsonNode node = object.get("watch");
        if (Fields.isAbsent(node)) {
            return Watch.NONE;
        }
        if (!node.isObject() && !node.isArray()) {
            throw F.invalid("watch", "expected an array of keys or an object {key: value read}, got "
                    + Fields.describe(node));
        }
        Watch watch = node.isObject() ? Watch.values(fieldsOf(node)) : Watch.keys(F.strings(node, "watch", false));
        if (!atomic) {
            throw F.invalid("watch", "only applies to an atomic batch (\"atomic\": true)");
        }
        if (watch.isEmpty() || watch.keys().size() > maxBatch) {
            throw F.invalid("watch", "must name between 1 and " + maxBatch + " keys");
        }
        return watch;
    }

    private static Map<String, JsonNode> fieldsOf(JsonNode object) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue()));
        return fields;
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
        if (config.mode() == Mode.CLUSTER) {
            throw F.invalid("waitReplicas", "not supported in cluster mode (WAIT would not reach the key's master)");
        }
        return replicas.intValue();
    }

    /**
     * The event's connection: named, or an object (memoized by its bytes when the reader kept them).
     * The scope is checked first, so that a key limited to some connections learns nothing of the others.
     */
    private ConnectionConfig connection(ObjectNode object, ConnectionBytes bytes, boolean memoized, KeyScope scope) {
        boolean hasRef = !Fields.isAbsent(object.get("connectionRef"));
        boolean hasConnection = !Fields.isAbsent(object.get("connection"));
        if (hasRef && hasConnection) {
            throw new ConnectorException(ErrorCode.INVALID_CONNECTION, "give either connection or connectionRef, not both");
        }
        if (hasRef) {
            String ref = F.string(object.get("connectionRef"), "connectionRef");
            scope.checkConnection(ref);
            return named.resolve(ref, scope::mayUse);
        }
        if (!hasConnection) {
            throw new ConnectorException(ErrorCode.INVALID_CONNECTION,
                    "connection: required (an object with mode, host/port or nodes, password ...), or a connectionRef");
        }
        scope.checkConnection(null);
        JsonNode connection = object.get("connection");
        ConnectionBytes text = bytes != null ? bytes : memo.bytesOf(connection);
        if (text.length() > maxConnection) {
            throw new ConnectorException(ErrorCode.PAYLOAD_TOO_LARGE, "connection: " + text.length()
                    + " bytes of JSON, the limit is " + maxConnection + " (connector.limits.connection-size)",
                    "a config carries only the certificates it needs; a large trust store belongs to the"
                            + " deployment (a named connection with tls uses the JVM's)");
        }
        ConnectionConfig known = memoized && bytes == null ? memo.known(text) : null;
        if (known != null) {
            return inline(known);
        }
        ConnectionConfig config = inline(ConnectionParser.parse(connection));
        if (memoized) {
            memo.remember(text, config);
        }
        return config;
    }

    /** A config the event's connection bytes decoded to before, for a caller that may send one. */
    private ConnectionConfig known(ConnectionConfig config, KeyScope scope) {
        scope.checkConnection(null);
        return inline(config);
    }

    /**
     * A config an event carries: a token provider ({@code auth}) only where the deployment allows it —
     * the event would choose which cache the function's AWS identity signs for, or which file it reads
     * (so a token file only in a directory the deployment lists).
     */
    private ConnectionConfig inline(ConnectionConfig config) {
        if (config.auth() != null && !inlineAuth) {
            throw ConnectorException.invalidConnection("auth", "a token provider is configured in a named connection"
                    + " (connectionRef), not in an event (connector.auth.allow-inline allows it)");
        }
        if (config.auth() != null && config.auth().provider() == AuthSettings.Provider.TOKEN_FILE) {
            TokenFile.requireInside(config.auth().path(), inlineTokenDirs);
        }
        return config;
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
            F.requireOnly(node, at, ITEM_FIELDS);
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
        F.requireOnly(event, "", accepted);
        return (ObjectNode) event;
    }

    private static ObjectNode requireObjectAt(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw ConnectorException.invalidRequest(at + ": expected an object {\"operation\", \"params\"}");
        }
        return (ObjectNode) node;
    }
}
