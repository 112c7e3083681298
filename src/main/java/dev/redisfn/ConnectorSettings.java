package dev.redisfn;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code connector.*} configuration key; the README's configuration table describes each. */
@ConfigMapping(prefix = "connector")
public interface ConnectorSettings {

    Cache cache();

    Pool pool();

    Batch batch();

    LocalRedis localRedis();

    /** Named connections an event can use through {@code connectionRef}, so passwords stay in the deployment's secrets. */
    Map<String, NamedConnection> connections();

    interface Cache {
        /** Most clients kept at once; the least recently used one is closed beyond it. */
        @WithDefault("64")
        int maxSize();

        /** A client unused this long is closed. */
        @WithDefault("10M")
        Duration idleExpiry();
    }

    interface Pool {
        /** Long-lived connections per client that all calls share, pipelined. */
        @WithDefault("2")
        int sharedConnections();

        /** Extra pooled connections for transactions (MULTI/EXEC needs a connection of its own). */
        @WithDefault("8")
        int maxSize();

        /** Callers that may wait for a pooled connection before "pool busy"; sized far above any HTTP concurrency. */
        @WithDefault("10000")
        int maxWaiting();

        /** Commands in flight per shared connection before Vert.x refuses more. */
        @WithDefault("100000")
        int maxInFlight();
    }

    interface Batch {
        /** Most operations in one batch. */
        @WithDefault("1000")
        int maxSize();
    }

    /** The redis-server that {@code mvn -Plocal quarkus:run} starts beside the function, for trying it out. */
    interface LocalRedis {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("16379")
        int port();
    }

    /** A connection defined in configuration, e.g. {@code connector.connections.orders.host=10.0.0.5}. */
    interface NamedConnection {
        Optional<String> mode();

        Optional<String> host();

        Optional<Integer> port();

        Optional<String> nodes();

        Optional<String> masterName();

        Optional<String> username();

        Optional<String> password();

        Optional<String> sentinelUsername();

        Optional<String> sentinelPassword();

        Optional<Integer> database();

        Optional<Boolean> tls();

        Optional<String> uri();

        Optional<Integer> connectTimeoutMs();

        Optional<Integer> commandTimeoutMs();

        Optional<String> clientName();
    }
}
