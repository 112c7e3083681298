package dev.redisfn.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.model.Fields;
import dev.redisfn.model.Secret;

/**
 * Turns the {@code connection} object of an event into a {@link ConnectionConfig}, checking every field
 * as it goes (its parts through {@link HostAndPort}, {@link TlsSettings} and {@link AuthSettings}).
 */
public final class ConnectionParser {

    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 3000;
    public static final int DEFAULT_COMMAND_TIMEOUT_MS = 5000;
    public static final int MAX_TIMEOUT_MS = 120_000;

    static final Set<String> FIELDS = new TreeSet<>(List.of("mode", "host", "port", "nodes", "masterName",
            "username", "password", "sentinelUsername", "sentinelPassword", "database", "tls",
            "connectTimeoutMs", "commandTimeoutMs", "uri", "clientName", "readFrom", "auth"));

    private static final Fields F = Fields.connection();

    private ConnectionParser() {
    }

    public static ConnectionConfig parse(JsonNode node) {
        if (Fields.isAbsent(node) || !node.isObject()) {
            throw new ConnectorException(ErrorCode.INVALID_CONNECTION, "connection: expected an object with the"
                    + " connection settings" + (Fields.isAbsent(node) ? "" : ", got " + Fields.describe(node)));
        }
        F.requireOnly(node, "", FIELDS);
        String uri = F.string(node.get("uri"), "uri");
        UriParts fromUri = uri == null ? UriParts.NONE : UriParts.parse(uri);

        Mode mode = node.hasNonNull("mode") ? Mode.parse(F.string(node.get("mode"), "mode"))
                : fromUri.mode != null ? fromUri.mode : Mode.STANDALONE;
        List<HostAndPort> nodes = nodes(node, mode, fromUri);
        String username = firstNonNull(F.string(node.get("username"), "username"), fromUri.username);
        Secret password = Secret.ofNullable(firstNonNull(F.string(node.get("password"), "password"), fromUri.password));
        int database = database(node, mode, fromUri);
        TlsSettings tls = node.has("tls") ? TlsSettings.parse(node.get("tls"), F)
                : fromUri.tls ? TlsSettings.ON : TlsSettings.OFF;
        String masterName = firstNonNull(F.string(node.get("masterName"), "masterName"), fromUri.masterName);
        if (mode == Mode.SENTINEL && (masterName == null || masterName.isBlank())) {
            masterName = "mymaster";
        }
        String clientName = F.string(node.get("clientName"), "clientName");
        if (clientName != null && !clientName.matches("[!-~]{1,64}")) {
            throw F.invalid("clientName", "1-64 printable characters without spaces");
        }
        ConnectionConfig.Credentials credentials = new ConnectionConfig.Credentials(username, password,
                F.string(node.get("sentinelUsername"), "sentinelUsername"),
                Secret.ofNullable(F.string(node.get("sentinelPassword"), "sentinelPassword")),
                AuthSettings.parse(node.get("auth"), F));
        AuthSettings.check(credentials, F);
        ConnectionConfig.Timeouts timeouts = new ConnectionConfig.Timeouts(
                timeout(node, "connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS),
                timeout(node, "commandTimeoutMs", DEFAULT_COMMAND_TIMEOUT_MS));
        return ConnectionConfig.of(mode, nodes, mode == Mode.SENTINEL ? masterName : null, credentials, database, tls,
                timeouts, clientName, readFrom(node, mode, fromUri));
    }

    /** Replicas are known through the sentinels or the cluster topology; a standalone config names one server. */
    private static ReadFrom readFrom(JsonNode node, Mode mode, UriParts fromUri) {
        String given = firstNonNull(F.string(node.get("readFrom"), "readFrom"), fromUri.readFrom);
        ReadFrom readFrom = ReadFrom.parse(given, "readFrom");
        if (readFrom != ReadFrom.MASTER && mode == Mode.STANDALONE) {
            throw F.invalid("readFrom", "replicas are read from in mode sentinel or cluster, which know them; a"
                    + " standalone config names one server (point host at a replica to read from that one)");
        }
        return readFrom;
    }

    private static List<HostAndPort> nodes(JsonNode node, Mode mode, UriParts fromUri) {
        List<String> given = F.strings(node.get("nodes"), "nodes", true);
        String host = F.text(node.get("host"), "host"); // a number or true is a mistake here, not a name
        Long port = F.integer(node.get("port"), "port");
        List<HostAndPort> nodes = new ArrayList<>();
        if (given != null && !given.isEmpty()) {
            if (host != null || port != null) {
                throw F.invalid(host != null ? "host" : "port", "give either host/port or nodes (each host:port), not both");
            }
            for (int i = 0; i < given.size(); i++) {
                nodes.add(HostAndPort.parse(given.get(i), "nodes[" + i + "]"));
            }
        } else if (host != null && !host.isBlank()) {
            HostAndPort parsed = HostAndPort.parse(host, "host");
            boolean hostNamesPort = !host.strip().equals(parsed.host()) && !host.strip().equals("[" + parsed.host() + "]");
            if (hostNamesPort && port != null && port != parsed.port()) {
                throw F.invalid("port", "is " + port + " but host names port " + parsed.port() + "; give the port once");
            }
            nodes.add(port == null ? parsed : new HostAndPort(parsed.host(), HostAndPort.checkPort(port, "port")));
        } else if (!fromUri.nodes.isEmpty()) {
            if (port != null && fromUri.nodes.size() > 1) {
                throw F.invalid("port", "the uri names " + fromUri.nodes.size() + " addresses; give each its port there");
            }
            // a field given beside the uri wins, the port too
            fromUri.nodes.forEach(address -> nodes.add(port == null ? address
                    : new HostAndPort(address.host(), HostAndPort.checkPort(port, "port"))));
        } else {
            throw F.invalid(mode == Mode.STANDALONE ? "host" : "nodes", mode == Mode.STANDALONE
                    ? "missing: give host (and port) or nodes"
                    : "missing: give the " + (mode == Mode.CLUSTER ? "cluster seed" : "sentinel")
                            + " addresses, e.g. \"h1:7000,h2:7001\"");
        }
        if (mode == Mode.STANDALONE && nodes.size() > 1) {
            throw F.invalid("nodes", "standalone mode takes one address, got " + nodes.size()
                    + " (use mode cluster or sentinel for several)");
        }
        return List.copyOf(new java.util.LinkedHashSet<>(nodes));
    }

    private static int database(JsonNode node, Mode mode, UriParts fromUri) {
        Long database = F.integer(node.get("database"), "database");
        long value = database != null ? database : fromUri.database;
        if (value < 0 || value > 65535) {
            throw F.invalid("database", "must be between 0 and 65535, got " + value);
        }
        if (mode == Mode.CLUSTER && value != 0) {
            throw F.invalid("database", "Redis Cluster has only database 0, got " + value);
        }
        return (int) value;
    }

    private static int timeout(JsonNode node, String field, int defaultValue) {
        Long value = F.integer(node.get(field), field);
        if (value == null) {
            return defaultValue;
        }
        if (value < 1 || value > MAX_TIMEOUT_MS) {
            throw F.invalid(field, "must be between 1 and " + MAX_TIMEOUT_MS + " ms, got " + value);
        }
        return value.intValue();
    }

    private static <T> T firstNonNull(T first, T second) {
        return first != null ? first : second;
    }

    /** What a {@code uri} contributes; explicit fields win over it. */
    private record UriParts(Mode mode, List<HostAndPort> nodes, String username, String password, long database,
            boolean tls, String masterName, String readFrom) {

        static final UriParts NONE = new UriParts(null, List.of(), null, null, 0, false, null, null);

        static UriParts parse(String text) {
            String scheme = text.contains("://") ? text.substring(0, text.indexOf("://")).toLowerCase(Locale.ROOT) : "";
            Mode mode = switch (scheme) {
                case "redis", "rediss" -> null;
                case "redis-sentinel", "rediss-sentinel" -> Mode.SENTINEL;
                default -> throw F.invalid("uri", "expected redis://, rediss:// or redis-sentinel:// (credentials hidden)");
            };
            String rest = text.substring(scheme.length() + 3);
            int at = rest.lastIndexOf('@');
            String userInfo = at >= 0 ? rest.substring(0, at) : null;
            rest = at >= 0 ? rest.substring(at + 1) : rest;
            int slash = rest.indexOf('/');
            String hosts = slash >= 0 ? rest.substring(0, slash) : rest;
            String path = slash >= 0 ? rest.substring(slash + 1) : "";
            String readFrom = null;
            int question = path.indexOf('?');
            if (question >= 0) {
                readFrom = query(path.substring(question + 1));
                path = path.substring(0, question);
            } else if (hosts.contains("?")) {
                readFrom = query(hosts.substring(hosts.indexOf('?') + 1));
                hosts = hosts.substring(0, hosts.indexOf('?'));
            }
            List<HostAndPort> nodes = new ArrayList<>();
            for (String host : hosts.split(",")) {
                if (!host.isBlank()) {
                    nodes.add(uriAddress(host));
                }
            }
            String username = null;
            String password = null;
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                username = colon >= 0 ? decode(userInfo.substring(0, colon)) : null;
                password = decode(colon >= 0 ? userInfo.substring(colon + 1) : userInfo);
                username = username == null || username.isEmpty() ? null : username;
            }
            long database = 0;
            String masterName = null;
            if (mode == Mode.SENTINEL && !path.isEmpty()) { // /masterName, or /masterName/database
                int databaseSlash = path.indexOf('/');
                masterName = decode(databaseSlash >= 0 ? path.substring(0, databaseSlash) : path);
                path = databaseSlash >= 0 ? path.substring(databaseSlash + 1) : "";
            }
            if (!path.isEmpty()) {
                try {
                    database = Long.parseLong(path);
                } catch (NumberFormatException e) {
                    throw F.invalid("uri", mode == Mode.SENTINEL ? "the path must be /masterName or /masterName/database"
                            + " (credentials hidden)" : "the path must be a database number (credentials hidden)");
                }
            }
            return new UriParts(mode, nodes, username, password, database, scheme.startsWith("rediss"), masterName,
                    readFrom);
        }

        /** The one query parameter a uri may carry, {@code readFrom}, once and with a value; the rest are connection fields. */
        private static String query(String query) {
            String readFrom = null;
            for (String parameter : query.split("&")) {
                if (parameter.equals("readFrom") || parameter.startsWith("readFrom=")) {
                    if (readFrom != null) {
                        throw F.invalid("uri", "the readFrom parameter is given more than once; give it once");
                    }
                    readFrom = decode(parameter.substring(Math.min(parameter.length(), "readFrom=".length())));
                    if (readFrom.isBlank()) {
                        throw F.invalid("uri", "the readFrom parameter is empty (accepted: master, replica, preferReplica)");
                    }
                } else if (!parameter.isEmpty()) {
                    throw F.invalid("uri", "the only query parameter read is readFrom; give timeouts, clientName ..."
                            + " as connection fields");
                }
            }
            return readFrom;
        }

        /** A uri's address; a user:password without '@' would read as host:port, so errors quote nothing of it. */
        private static HostAndPort uriAddress(String text) {
            try {
                return HostAndPort.parse(text, "uri");
            } catch (ConnectorException e) {
                throw F.invalid("uri", "expected host[:port] addresses, comma-separated (credentials hidden)");
            }
        }

        /** %-escapes decoded, nothing else: a '+' in a URI's password is a '+' (URLDecoder, made for forms, reads a space). */
        private static String decode(String value) {
            try {
                return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw F.invalid("uri", "malformed %-escape (credentials hidden)");
            }
        }
    }
}
