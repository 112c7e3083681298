package dev.redisfn.connection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import dev.redisfn.security.Secret;

/**
 * A validated, normalized connection config (DESIGN.md §2). Build it with {@link ConnectionParser}.
 * {@code nodes} holds the one standalone address, the cluster seeds or the sentinels.
 * {@link #cacheKey()} is a hash of every field, the passwords included, so no clear password is
 * kept beside a cached client.
 */
public record ConnectionConfig(Mode mode, List<HostAndPort> nodes, String masterName, String username,
        Secret password, String sentinelUsername, Secret sentinelPassword, int database, TlsSettings tls,
        int connectTimeoutMs, int commandTimeoutMs, String clientName, String cacheKey) {

    public ConnectionConfig {
        nodes = List.copyOf(nodes);
    }

    static ConnectionConfig of(Mode mode, List<HostAndPort> nodes, String masterName, String username,
            Secret password, String sentinelUsername, Secret sentinelPassword, int database, TlsSettings tls,
            int connectTimeoutMs, int commandTimeoutMs, String clientName) {
        String canonical = String.join("\u0000", mode.name(), nodes.toString(), String.valueOf(masterName),
                String.valueOf(username), password == null ? "" : password.reveal(), String.valueOf(sentinelUsername),
                sentinelPassword == null ? "" : sentinelPassword.reveal(), Integer.toString(database),
                tls.canonical(), Integer.toString(connectTimeoutMs), Integer.toString(commandTimeoutMs),
                String.valueOf(clientName));
        return new ConnectionConfig(mode, nodes, masterName, username, password, sentinelUsername,
                sentinelPassword, database, tls, connectTimeoutMs, commandTimeoutMs, clientName, sha256(canonical));
    }

    /** The same config pointing at other (checked, resolved) addresses; the cache key stays that of the event. */
    public ConnectionConfig withNodes(List<HostAndPort> checked) {
        return new ConnectionConfig(mode, checked, masterName, username, password, sentinelUsername, sentinelPassword,
                database, tls, connectTimeoutMs, commandTimeoutMs, clientName, cacheKey);
    }

    /** The credentials a sentinel is asked with: its own when given, otherwise none. */
    public boolean hasSentinelCredentials() {
        return sentinelPassword != null;
    }

    /** A short, non-secret name for logs and metrics: mode and first address. */
    public String describe() {
        return mode.label() + "@" + nodes.get(0) + (nodes.size() > 1 ? "(+" + (nodes.size() - 1) + ")" : "");
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
