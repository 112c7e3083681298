package dev.redisfn.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code connector.*} configuration key; the README's configuration table describes each. */
@ConfigMapping(prefix = "connector")
public interface ConnectorSettings {

    Cache cache();

    Pool pool();

    Batch batch();

    LocalRedis localRedis();

    /** When set, every function requires {@code Authorization: Bearer <key>}; health and metrics stay open. */
    Optional<String> apiKey();

    /** Keys with a scope: which connections and which kinds of operations each may use. */
    Map<String, ApiKey> apiKeys();

    Auth auth();

    Targets targets();

    Commands commands();

    Limits limits();

    /**
     * What one request and all requests together may make the function hold in memory, and how long
     * a caller may take to send a body. The byte budgets default to shares of the JVM's heap, so a
     * deployment that changes {@code -Xmx} keeps them in proportion (README "Limits").
     */
    interface Limits {
        /** Bytes of request bodies being read or processed at once, all connections together (default: heap / 8). */
        Optional<MemorySize> bodyBudget();

        /** Largest counted size of one call's Redis replies, a batch's replies together (default: heap / 16). */
        Optional<MemorySize> replySize();

        /** Counted bytes of Redis replies held at once, all calls together (default: heap / 4). */
        Optional<MemorySize> replyBudget();

        /**
         * Largest {@code connection} object an event may carry, as JSON text. Each distinct config is
         * kept while its client is cached, so its size is memory the function holds after the call.
         */
        @WithDefault("16K")
        MemorySize connectionSize();

        /** Calls served at once; one more is answered 503 at once. */
        @WithDefault("256")
        int maxConcurrentCalls();

        /**
         * Requests one HTTP/1.1 connection may send ahead of their answers (pipelining); a connection
         * with more unanswered is closed, as is one that would take all connections' queued requests
         * past four times max-concurrent-calls.
         */
        @WithDefault("16")
        int maxPipelined();

        /**
         * Connects to Redis servers in progress at once, all configs together; one more is answered
         * 503 at once. A connect that gets no answer holds its place for its connectTimeoutMs.
         */
        @WithDefault("256")
        int maxConnecting();

        /** Longest pause between two parts of a request body before it is answered 408. */
        @WithDefault("5S")
        Duration bodyIdleTimeout();

        /** Longest time to receive a whole request body before it is answered 408. */
        @WithDefault("20S")
        Duration bodyTimeout();

        /**
         * How long a stopping function (SIGTERM) waits for its calls in flight before it closes their
         * connections: a blocking call waits up to 60 s plus its command timeout.
         */
        @WithDefault("70S")
        Duration shutdownTimeout();
    }

    /** Which hosts an event may point the connector at (docs/design.md, "Target policy", SSRF). */
    interface Targets {
        /** Hosts, {@code *.suffix} patterns and CIDRs allowed; when set, nothing else is. */
        Optional<List<String>> allow();

        /**
         * Hosts, patterns and CIDRs never allowed, even when an allow list matches: by default link-local
         * addresses and the cloud metadata endpoints outside them (AWS' IPv6 one, Alibaba Cloud's).
         */
        @WithDefault("169.254.0.0/16,fe80::/10,0.0.0.0/8,fd00:ec2::254/128,100.100.100.200/32")
        List<String> deny();
    }

    /** Which operations the catalogue serves. */
    interface Commands {
        /** Dangerous operations (FLUSHDB, CONFIG.SET ...) enabled by name; all are off by default. */
        Optional<List<String>> enabled();

        /** When set, only these operations (and groups, as {@code group:hash}) are served. */
        Optional<List<String>> allow();

        /** Only operations that read. */
        @WithDefault("false")
        boolean readOnly();

        /**
         * Caller-written Lua: EVAL, EVALSHA and SCRIPT.LOAD. Off unless set: a script can run any command
         * the Redis user may, past this policy (FLUSHALL, MIGRATE to any host). The helpers' own fixed
         * scripts (LOCK.RELEASE, RATELIMIT, IDEMPOTENCY) are not caller-written and stay on.
         */
        @WithDefault("false")
        boolean scripting();
    }

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
        /**
         * Long-lived connections per client that all calls share, pipelined; each event loop uses
         * its own, so the default matches Quarkus' event-loop count on a 2-core machine.
         */
        @WithDefault("4")
        int sharedConnections();

        /**
         * Calls per second of one config above which it gets a shared connection on every event
         * loop (see {@link #sharedConnections()}); below it, its calls share one connection, so a
         * thousand rarely used configs cost a thousand connections, not four thousand.
         */
        @WithDefault("100")
        int spreadRate();

        /** Extra pooled connections for transactions (MULTI/EXEC needs a connection of its own). */
        @WithDefault("8")
        int maxSize();

        /** Callers that may wait for a pooled connection before "pool busy"; sized far above any HTTP concurrency. */
        @WithDefault("10000")
        int maxWaiting();

        /**
         * Commands in flight per shared connection. Vert.x allocates this many slots up front for
         * every connection, so it is also memory (4 bytes each). A call beyond it takes a pooled
         * connection of its own, as does every batch of more than 64 commands. Never below
         * {@code batch.max-size} + 4 (a transaction adds WATCH, MULTI, EXEC and WAIT), so that a whole batch fits on one connection.
         */
        @WithDefault("1024")
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

        /** Where read-only operations go: master, replica, preferReplica (sentinel and cluster). */
        Optional<String> readFrom();

        /** A token fetched as the password at each connection: {@code auth.provider} aws-iam or token-file. */
        Optional<NamedAuth> auth();
    }

    /** {@code connector.connections.<name>.auth.*}, as the {@code auth} object of a connection config. */
    interface NamedAuth {
        String provider();

        Optional<String> cacheName();

        Optional<String> region();

        Optional<Boolean> serverless();

        Optional<String> service();

        Optional<String> path();
    }

    /** Cloud identity auth ({@code auth} in a connection). */
    interface Auth {
        /**
         * Whether an event may carry {@code auth} itself, not only a named connection: an event then
         * chooses which cache the function signs its AWS identity for, or which file it reads.
         */
        @WithDefault("false")
        boolean allowInline();

        /**
         * The directories an event's {@code token-file} path may name (with {@code allow-inline}):
         * none by default, so that an event cannot have any file the process can read (its
         * environment under /proc, a mounted secret) sent to a server of its choosing.
         */
        Optional<List<String>> inlineTokenDirs();

        /** How often a long-lived connection authenticates again with a fresh token. */
        @WithDefault("10M")
        Duration reauthInterval();
    }

    /** A scoped API key: what its holder may do ({@code connector.api-keys.<name>.*}). */
    interface ApiKey {
        /** The key a caller sends as {@code Authorization: Bearer <key>}. */
        String key();

        /** The named connections (connectionRef) it may use; {@code *} for all. None when absent. */
        Optional<List<String>> connections();

        /** Whether it may send a connection config in the event itself. */
        @WithDefault("false")
        boolean inlineConnections();

        /**
         * What it may run: read, write, admin (administrative operations and caller-written scripts).
         * Only read when absent: a misspelled setting is ignored, and must not grant writes.
         */
        @WithDefault("read")
        List<String> categories();
    }
}
