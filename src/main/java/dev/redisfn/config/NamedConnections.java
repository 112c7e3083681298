package dev.redisfn.config;

import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.model.Suggestions;

/**
 * Connections defined in the function's configuration ({@code connector.connections.<name>.*}),
 * which an event names with {@code connectionRef} instead of carrying a password. They go
 * through the same parser and checks as a {@code connection} object.
 */
@Singleton
public class NamedConnections {

    private final Map<String, ConnectorSettings.NamedConnection> defined;
    private final Map<String, ConnectionConfig> parsed = new ConcurrentHashMap<>();

    public NamedConnections(ConnectorSettings settings) {
        this.defined = settings.connections();
    }

    /** The connection named so; when there is none, the 400 lists only the names the caller may use ({@code visible}). */
    public ConnectionConfig resolve(String name, Predicate<String> visible) {
        ConnectionConfig config = parsed.get(name);
        if (config != null) {
            return config;
        }
        ConnectorSettings.NamedConnection named = defined.get(name);
        if (named == null) {
            TreeSet<String> configured = visible(visible);
            throw new ConnectorException(ErrorCode.INVALID_CONNECTION,
                    "connectionRef: no connection named '" + (name.length() > 64 ? name.substring(0, 64) : name)
                            + "' is configured" + Suggestions.didYouMean(name, configured)
                            + (configured.isEmpty() ? " (none is: connector.connections.<name>.host and the like define"
                                    + " them)" : " (configured: " + String.join(", ", configured) + ")"));
        }
        config = ConnectionParser.parse(toJson(named));
        parsed.put(name, config);
        return config;
    }

    private TreeSet<String> visible(Predicate<String> visible) {
        TreeSet<String> names = new TreeSet<>(defined.keySet());
        names.removeIf(visible.negate());
        return names;
    }

    private static ObjectNode toJson(ConnectorSettings.NamedConnection named) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        put(node, "mode", named.mode());
        put(node, "host", named.host());
        named.port().ifPresent(port -> node.put("port", port));
        put(node, "nodes", named.nodes());
        put(node, "masterName", named.masterName());
        put(node, "username", named.username());
        put(node, "password", named.password());
        put(node, "sentinelUsername", named.sentinelUsername());
        put(node, "sentinelPassword", named.sentinelPassword());
        named.database().ifPresent(database -> node.put("database", database));
        named.tls().ifPresent(tls -> node.put("tls", tls));
        put(node, "uri", named.uri());
        named.connectTimeoutMs().ifPresent(timeout -> node.put("connectTimeoutMs", timeout));
        named.commandTimeoutMs().ifPresent(timeout -> node.put("commandTimeoutMs", timeout));
        put(node, "clientName", named.clientName());
        put(node, "readFrom", named.readFrom());
        named.auth().ifPresent(auth -> {
            ObjectNode object = node.putObject("auth").put("provider", auth.provider());
            put(object, "cacheName", auth.cacheName());
            put(object, "region", auth.region());
            auth.serverless().ifPresent(serverless -> object.put("serverless", serverless));
            put(object, "service", auth.service());
            put(object, "path", auth.path());
        });
        return node;
    }

    private static void put(ObjectNode node, String field, Optional<String> value) {
        value.ifPresent(text -> node.put(field, text));
    }
}
