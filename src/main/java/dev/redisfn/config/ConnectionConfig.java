package dev.redisfn.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import dev.redisfn.model.Secret;

/**
 * A validated, normalized connection config (docs/design.md, "Connection config"). Build it with
 * {@link ConnectionParser}. {@code nodes} holds the one standalone address, the cluster seeds or the
 * sentinels. {@link #cacheKey()} is a hash of every field, the passwords included, so no clear
 * password is kept beside a cached client.
 */
public record ConnectionConfig(Mode mode, List<HostAndPort> nodes, String masterName, Credentials credentials,
        int database, TlsSettings tls, Timeouts timeouts, String clientName, ReadFrom readFrom, String cacheKey) {

    /**
     * Who the connector is to Redis: the data nodes' user and password — or the {@code auth} that
     * fetches a token as the password — and the sentinels' own where they differ.
     */
    public record Credentials(String username, Secret password, String sentinelUsername, Secret sentinelPassword,
            AuthSettings auth) {

        String canonical() {
            return String.join("\u0000", String.valueOf(username), password == null ? "" : password.reveal(),
                    String.valueOf(sentinelUsername), sentinelPassword == null ? "" : sentinelPassword.reveal(),
                    auth == null ? "" : auth.canonical());
        }
    }

    /** How long a connect (with its TLS handshake) and a command may take. */
    public record Timeouts(int connectMs, int commandMs) {
    }

    public ConnectionConfig {
        nodes = List.copyOf(nodes);
    }

    static ConnectionConfig of(Mode mode, List<HostAndPort> nodes, String masterName, Credentials credentials,
            int database, TlsSettings tls, Timeouts timeouts, String clientName, ReadFrom readFrom) {
        String canonical = String.join("\u0000", mode.name(), nodes.toString(), String.valueOf(masterName),
                credentials.canonical(), Integer.toString(database), tls.canonical(), timeouts.toString(),
                String.valueOf(clientName), readFrom.name());
        return new ConnectionConfig(mode, nodes, masterName, credentials, database, tls, timeouts, clientName, readFrom,
                sha256(canonical));
    }

    /** The same config pointing at other (checked, resolved) addresses; the cache key stays that of the event. */
    public ConnectionConfig withNodes(List<HostAndPort> checked) {
        return new ConnectionConfig(mode, checked, masterName, credentials, database, tls, timeouts, clientName, readFrom,
                cacheKey);
    }

    public String username() {
        return credentials.username();
    }

    /**
     * Where and how, for a log line: the credentials redacted, and no cache key — an unsalted hash of the
     * passwords would let a weak one be guessed from a log.
     */
    @Override
    public String toString() {
        return "ConnectionConfig[mode=" + mode + ", nodes=" + nodes + ", masterName=" + masterName + ", credentials="
                + credentials + ", database=" + database + ", tls=" + tls.enabled() + ", timeouts=" + timeouts
                + ", clientName=" + clientName + ", readFrom=" + readFrom + "]";
    }

    public Secret password() {
        return credentials.password();
    }

    public String sentinelUsername() {
        return credentials.sentinelUsername();
    }

    public Secret sentinelPassword() {
        return credentials.sentinelPassword();
    }

    public int connectTimeoutMs() {
        return timeouts.connectMs();
    }

    public int commandTimeoutMs() {
        return timeouts.commandMs();
    }

    /** How the data password is fetched when it is a token; null for a password given in the config. */
    public AuthSettings auth() {
        return credentials.auth();
    }

    /** The credentials a sentinel is asked with: its own when given, otherwise none. */
    public boolean hasSentinelCredentials() {
        return credentials.sentinelPassword() != null;
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
