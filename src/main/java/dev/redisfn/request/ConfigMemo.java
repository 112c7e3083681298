package dev.redisfn.request;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.ConnectionParser;
import dev.redisfn.config.ConnectorSettings;

/**
 * The configs decoded so far, by the bytes of their {@code connection} object: parsing, checking and
 * hashing a config run once per distinct config, however many events repeat it. The connection
 * this thread decoded last is kept apart too: a caller that repeats its config (the usual
 * integration flow) costs a byte comparison. A config depends on its bytes alone, so a remembered
 * pair stays right whatever the cache evicts.
 */
@Singleton
public class ConfigMemo {

    /** A connection's bytes, as a memo keeps them, and the config they decode to. */
    private record Known(ConnectionBytes connection, ConnectionConfig config) {
    }

    private final Cache<ConnectionBytes, ConnectionConfig> configs;
    private final ThreadLocal<Known> last = new ThreadLocal<>();
    private final ObjectMapper mapper;

    public ConfigMemo(ConnectorSettings settings, ObjectMapper mapper) {
        long maxConfigs = Math.max(256, settings.cache().maxSize() * 4L);
        this.configs = Caffeine.newBuilder().maximumSize(maxConfigs).executor(Runnable::run).build();
        this.mapper = mapper;
    }

    /** The config these bytes decoded to before, if this thread or the memo remembers it; else null. */
    ConnectionConfig known(ConnectionBytes connection) {
        Known seen = last.get();
        if (seen != null && seen.connection().equals(connection)) {
            return seen.config();
        }
        ConnectionConfig config = configs.getIfPresent(connection);
        if (config != null) {
            last.set(new Known(connection.copy(), config));
        }
        return config;
    }

    /** Remembers the config decoded from these bytes (a copy the memo owns). */
    void remember(ConnectionBytes connection, ConnectionConfig config) {
        ConnectionBytes owned = connection.copy();
        configs.put(owned, config);
        last.set(new Known(owned, config));
    }

    /** The config of a {@code connection} object given as a tree (a CloudEvent's data, a Funqy call), memoized by its bytes. */
    ConnectionConfig config(JsonNode connection) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(connection);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write back a connection read a moment ago", e);
        }
        ConnectionBytes key = new ConnectionBytes(bytes, 0, bytes.length);
        ConnectionConfig known = known(key);
        if (known != null) {
            return known;
        }
        ConnectionConfig parsed = ConnectionParser.parse(connection);
        remember(key, parsed);
        return parsed;
    }
}
