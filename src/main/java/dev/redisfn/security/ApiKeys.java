package dev.redisfn.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Singleton;

import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

/**
 * The function's own API keys: {@code connector.api-key} (every function, every connection) and
 * {@code connector.api-keys.<name>.*}, each with a {@link KeyScope}. When any is configured, a call
 * needs {@code Authorization: Bearer <key>}; the header is compared with every key in constant time
 * — as SHA-256 digests, all of one length, so that not even a key's length shows — and no key is
 * ever logged or echoed.
 */
@Singleton
public class ApiKeys {

    /** One digest per thread: looking the algorithm up costs more than hashing a header. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    private record Key(byte[] expected, KeyScope scope) {
    }

    private final List<Key> keys = new ArrayList<>();

    public ApiKeys(ConnectorSettings settings) {
        // a key that is wrong fails the start: skipped, it could leave the function open
        settings.apiKey().ifPresent(key -> keys.add(new Key(bearer(kept("connector.api-key", key)), KeyScope.ALL)));
        for (Map.Entry<String, ConnectorSettings.ApiKey> entry : settings.apiKeys().entrySet()) {
            ConnectorSettings.ApiKey key = entry.getValue();
            String setting = "connector.api-keys." + entry.getKey();
            String value = kept(setting + ".key", key.key());
            if (keys.stream().anyMatch(other -> MessageDigest.isEqual(other.expected(), bearer(value)))) {
                throw new IllegalArgumentException(setting + ".key is the same as another API key's");
            }
            List<String> named = key.connections().orElse(List.of());
            Set<String> connections = named.contains("*") ? null : new TreeSet<>(named); // null: every connection
            if (connections != null && !settings.connections().keySet().containsAll(connections)) {
                Set<String> unknown = new TreeSet<>(connections);
                unknown.removeAll(settings.connections().keySet());
                throw new IllegalArgumentException(setting + ".connections names " + unknown
                        + ", which are not named connections (connector.connections.<name>)");
            }
            Set<KeyScope.Category> categories = EnumSet.noneOf(KeyScope.Category.class);
            key.categories().forEach(category -> categories.add(KeyScope.category(setting + ".categories", category)));
            keys.add(new Key(bearer(value), new KeyScope(entry.getKey(), connections, key.inlineConnections(),
                    categories)));
        }
    }

    /** The scope of the key an {@code Authorization} header carries; 401 UNAUTHORIZED when it carries none that fits. */
    public KeyScope scope(String authorization) {
        if (keys.isEmpty()) {
            return KeyScope.ALL;
        }
        byte[] given = digest(authorization == null ? new byte[0] : withSchemeAsKept(authorization).getBytes(StandardCharsets.UTF_8));
        KeyScope found = null;
        for (Key key : keys) {
            // every key is compared, whichever matches: the time taken says nothing about which
            if (MessageDigest.isEqual(key.expected(), given) && found == null) {
                found = key.scope();
            }
        }
        if (found == null) {
            throw new ConnectorException(ErrorCode.UNAUTHORIZED,
                    authorization == null ? "missing Authorization: Bearer <api key>" : "wrong API key");
        }
        return found;
    }

    /**
     * The header as the keys are kept: an auth scheme's name is case-insensitive, and one or more spaces
     * separate it from the credentials (RFC 9110), which a key cannot begin with (keys are stripped).
     */
    private static String withSchemeAsKept(String authorization) {
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization;
        }
        int key = 7;
        while (key < authorization.length() && authorization.charAt(key) == ' ') {
            key++;
        }
        return key == 7 && authorization.startsWith("Bearer ") ? authorization : "Bearer " + authorization.substring(key);
    }

    /**
     * A configured key without surrounding whitespace — a Secret made from a file often ends with a
     * newline, which no caller sends — and never blank: a blank key would leave the function open.
     */
    private static String kept(String setting, String key) {
        if (key.isBlank()) {
            throw new IllegalArgumentException(setting + " is blank");
        }
        return key.strip();
    }

    /** What a key is kept and compared as: the digest of the header that carries it. */
    private static byte[] bearer(String key) {
        return digest(("Bearer " + key).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(byte[] header) {
        return SHA_256.get().digest(header);
    }
}
