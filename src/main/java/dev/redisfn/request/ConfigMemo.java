package dev.redisfn.request;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.Limits;

/**
 * The configs decoded so far, by the bytes of their {@code connection} object: parsing, checking and
 * hashing a config run once per distinct config, however many events repeat it. The connection
 * this thread decoded last is kept apart too: a caller that repeats its config (the usual
 * integration flow) costs a byte comparison. A config depends on its bytes alone, so a remembered
 * pair stays right whatever the cache evicts. The memo is weighed in bytes (each config about twice
 * its text: the copy of the bytes and the parsed fields), so a run of large configs, each a new one,
 * evicts older ones instead of filling the heap.
 */
@Singleton
public class ConfigMemo {

    /** Bytes one remembered config costs beyond its text twice over: the entry, the config's objects. */
    private static final int ENTRY_COST = 256;
    /** The largest connection a thread keeps beside the memo (there may be many threads; the memo is bounded). */
    private static final int LAST_MAX = 4096;

    /** A connection's bytes, as a memo keeps them, and the config they decode to. */
    private record Known(ConnectionBytes connection, ConnectionConfig config) {
    }

    private final Cache<ConnectionBytes, ConnectionConfig> configs;
    private final ThreadLocal<Known> last = new ThreadLocal<>();
    private final ObjectMapper mapper;

    public ConfigMemo(Limits limits, ObjectMapper mapper) {
        this.configs = Caffeine.newBuilder().maximumWeight(limits.configMemo())
                .weigher((ConnectionBytes connection, ConnectionConfig config) -> weight(connection))
                .executor(Runnable::run).build();
        this.mapper = mapper;
    }

    static int weight(ConnectionBytes connection) {
        return 2 * connection.length() + ENTRY_COST;
    }

    /** The config these bytes decoded to before, if this thread or the memo remembers it; else null. */
    ConnectionConfig known(ConnectionBytes connection) {
        Known seen = last.get();
        if (seen != null && seen.connection().equals(connection)) {
            return seen.config();
        }
        ConnectionConfig config = configs.getIfPresent(connection);
        if (config != null) {
            keepLast(connection.copy(), config);
        }
        return config;
    }

    /** Remembers the config decoded from these bytes (a copy the memo owns). */
    void remember(ConnectionBytes connection, ConnectionConfig config) {
        ConnectionBytes owned = connection.copy();
        configs.put(owned, config);
        keepLast(owned, config);
    }

    private void keepLast(ConnectionBytes connection, ConnectionConfig config) {
        if (connection.length() <= LAST_MAX) {
            last.set(new Known(connection, config));
        }
    }

    /** The bytes of a {@code connection} object given as a tree (a CloudEvent's data, a Funqy call), to measure and memoize it by. */
    ConnectionBytes bytesOf(JsonNode connection) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(connection);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write back a connection read a moment ago", e);
        }
        return new ConnectionBytes(bytes, 0, bytes.length);
    }
}
