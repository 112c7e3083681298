package dev.redisfn.connection;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;

import dev.redisfn.ConnectorSettings;
import dev.redisfn.security.Secret;
import dev.redisfn.security.TargetPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisClusterTransactions;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Builds the Vert.x Redis client for a config: pool sizes, timeouts, TLS and credentials in one place. */
@Singleton
public class ClientFactory {

    private final Vertx vertx;
    private final ConnectorSettings.Pool pool;
    /** Commands in flight per connection: a whole batch, with MULTI and EXEC around it, always fits. */
    private final int maxInFlight;
    private final TargetPolicy policy;

    public ClientFactory(Vertx vertx, ConnectorSettings settings, TargetPolicy policy) {
        this.vertx = vertx;
        this.pool = settings.pool();
        this.maxInFlight = Math.max(pool.maxInFlight(), settings.batch().maxSize() + 2);
        this.policy = policy;
    }

    /**
     * The config with every address checked against the target policy and, for host names, replaced
     * by the checked IP (kept as a name when TLS verifies it). May resolve DNS: not on the event loop.
     */
    public ConnectionConfig admit(ConnectionConfig config) {
        List<HostAndPort> checked = new ArrayList<>(config.nodes().size());
        for (HostAndPort node : config.nodes()) {
            checked.add(policy.admit(node, keepsNames(config)));
        }
        return config.withNodes(checked);
    }

    /**
     * An address a sentinel announced, checked like the config's own: a host name is resolved once
     * and replaced by the checked IP, so a second lookup cannot lead elsewhere (DNS rebinding).
     */
    HostAndPort admitAnnounced(ConnectionConfig config, HostAndPort node) {
        return policy.admit(node, keepsNames(config));
    }

    private static boolean keepsNames(ConnectionConfig config) {
        return config.tls().enabled() && config.tls().verifyHostname() && !config.tls().insecure();
    }

    /** Checks an address Redis announced (a sentinel's master, a cluster node). */
    void checkAnnounced(HostAndPort node) {
        policy.checkAnnounced(node);
    }

    /** Builds the target for an admitted config (see {@link #admit}). */
    public RedisTarget create(ConnectionConfig config) {
        return switch (config.mode()) {
            case STANDALONE -> new DirectTarget(config, () -> client(config, RedisClientType.STANDALONE, config.nodes(),
                    config.username(), config.password(), config.database()), sharing());
            case CLUSTER -> new DirectTarget(config, () -> client(config, RedisClientType.CLUSTER, config.nodes(),
                    config.username(), config.password(), 0), sharing(),
                    master -> new DirectTarget(config, () -> nodeClient(config, master), DirectTarget.Sharing.ONE),
                    this::checkAnnounced, () -> checkClusterTopology(config, 0));
            case SENTINEL -> new SentinelTarget(config, this);
        };
    }

    /** How a target shares its connections: one per event loop once a config is busy, see {@link DirectTarget}. */
    DirectTarget.Sharing sharing() {
        return new DirectTarget.Sharing(pool.sharedConnections(), pool.spreadRate());
    }

    /**
     * Cluster mode: the topology a seed announces, checked against the target policy on a connection
     * of its own first, since the Vert.x cluster client opens a connection, password included, to
     * every node announced as it connects. Only a refusal fails here: a seed that does not answer
     * leaves the cluster client to report the failure in its own terms.
     */
    private Future<Void> checkClusterTopology(ConnectionConfig config, int seed) {
        Uni<Response> slots = once(config, config.nodes().get(seed), config.username(), config.password(),
                Request.cmd(Command.CLUSTER).arg("SLOTS"));
        // answered on the caller's context: the cluster connection that follows belongs to its event loop
        return Future.fromCompletionStage(slots.subscribeAsCompletionStage(), vertx.getOrCreateContext()).transform(answer -> {
            if (answer.succeeded()) {
                try {
                    DirectTarget.announced(answer.result()).forEach(policy::checkAnnounced);
                } catch (RuntimeException refused) {
                    return Future.failedFuture(refused);
                }
                return Future.succeededFuture();
            }
            return seed + 1 < config.nodes().size() ? checkClusterTopology(config, seed + 1) : Future.succeededFuture();
        });
    }

    /** A client for one data node (a sentinel-resolved master) with the data credentials. */
    Redis nodeClient(ConnectionConfig config, HostAndPort node) {
        return client(config, RedisClientType.STANDALONE, List.of(node), config.username(), config.password(),
                config.database());
    }

    /** A one-off client for a single address with the given credentials (sentinels, test-connection probes). */
    public Redis probeClient(ConnectionConfig config, HostAndPort node, String username, Secret password) {
        RedisOptions options = options(config, RedisClientType.STANDALONE, List.of(node), username, password, 0)
                .setMaxPoolSize(1).setMaxPoolWaiting(16);
        return Redis.createClient(vertx, options);
    }

    /**
     * Sends commands, pipelined, on a fresh connection to one address and closes it: for sentinels
     * and test-connection probes, which must not share a cached client's state.
     */
    public Uni<List<Response>> once(ConnectionConfig config, HostAndPort node, String username, Secret password,
            List<Request> requests) {
        return onceEach(config, node, username, password, requests).flatMap(ClientFactory::replies);
    }

    /** The replies of {@link #onceEach}, or the first failure among them. */
    static Uni<List<Response>> replies(List<Outcome> outcomes) {
        List<Response> replies = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            if (outcome.failure() != null) {
                return Uni.createFrom().failure(outcome.failure());
            }
            replies.add(outcome.response());
        }
        return Uni.createFrom().item(replies);
    }

    /**
     * Like {@link #once(ConnectionConfig, HostAndPort, String, Secret, List)}, but a command Redis
     * answers with an error does not hide the others' replies: test-connection reads ROLE even when
     * SELECT or CLUSTER INFO fails. Only a failed connect (or AUTH) fails the whole.
     */
    public Uni<List<Outcome>> onceEach(ConnectionConfig config, HostAndPort node, String username, Secret password,
            List<Request> requests) {
        long deadline = config.connectTimeoutMs() + (long) config.commandTimeoutMs();
        return Uni.createFrom().deferred(() -> {
            Redis client = probeClient(config, node, username, password);
            return Futures.uni(client.connect().compose(conn -> {
                        List<Future<Response>> sent = new ArrayList<>(requests.size());
                        requests.forEach(request -> sent.add(conn.send(request)));
                        return Future.join(sent).<List<Outcome>>transform(settled -> {
                            List<Outcome> outcomes = new ArrayList<>(sent.size());
                            sent.forEach(future -> outcomes.add(future.succeeded() ? Outcome.of(future.result())
                                    : Outcome.failed(future.cause())));
                            return Future.succeededFuture(outcomes);
                        }).eventually(() -> conn.close());
                    }))
                    .ifNoItem().after(Duration.ofMillis(deadline))
                    .failWith(() -> new TimeoutException("no answer from " + node + " within " + deadline + " ms"))
                    .onTermination().invoke(client::close);
        });
    }

    public Uni<Response> once(ConnectionConfig config, HostAndPort node, String username, Secret password,
            Request request) {
        return once(config, node, username, password, List.of(request)).map(replies -> replies.get(0));
    }

    private Redis client(ConnectionConfig config, RedisClientType type, List<HostAndPort> nodes, String username,
            Secret password, int database) {
        return Redis.createClient(vertx, options(config, type, nodes, username, password, database));
    }

    private RedisOptions options(ConnectionConfig config, RedisClientType type, List<HostAndPort> nodes,
            String username, Secret password, int database) {
        RedisOptions options = new RedisOptions()
                .setType(type)
                .setRole(RedisRole.MASTER)
                .setNetClientOptions(netOptions(config))
                // RESP2 with AUTH: works with every server since Redis 2 and avoids HELLO negotiation quirks
                .setProtocolNegotiation(false)
                .setMaxPoolSize(pool.maxSize() + pool.sharedConnections() * Math.max(1, nodes.size()))
                .setMaxPoolWaiting(pool.maxWaiting())
                .setMaxWaitingHandlers(maxInFlight)
                .setPoolRecycleTimeout(60_000)
                .setClusterTransactions(RedisClusterTransactions.SINGLE_NODE)
                .setHashSlotCacheTTL(5_000);
        if (password != null) {
            options.setPassword(password.reveal());
        }
        for (HostAndPort node : nodes) {
            options.addConnectionString(uri(config.tls().enabled(), node, username, database));
        }
        return options;
    }

    /** The endpoint URI carries no password: Vert.x may print it in messages; the password goes in the options. */
    private static String uri(boolean tls, HostAndPort node, String username, int database) {
        StringBuilder uri = new StringBuilder(tls ? "rediss://" : "redis://").append(node.authority());
        if (database != 0) {
            uri.append('/').append(database);
        }
        if (username != null) {
            uri.append("?user=").append(URLEncoder.encode(username, StandardCharsets.UTF_8));
        }
        return uri.toString();
    }

    private static NetClientOptions netOptions(ConnectionConfig config) {
        NetClientOptions net = new NetClientOptions()
                .setConnectTimeout(config.connectTimeoutMs())
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true);
        TlsSettings tls = config.tls();
        if (!tls.enabled()) {
            return net;
        }
        net.setSsl(true).setHostnameVerificationAlgorithm(tls.verifyHostname() && !tls.insecure() ? "HTTPS" : "")
                // a plain server never answers a ClientHello: fail as a connect problem, not after 10 s as a timeout
                .setSslHandshakeTimeout(config.connectTimeoutMs()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        if (tls.insecure()) {
            net.setTrustAll(true);
        } else if (tls.caCertPem() != null) {
            net.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(tls.caCertPem())));
        }
        if (tls.clientCertPem() != null) {
            net.setKeyCertOptions(new PemKeyCertOptions()
                    .addCertValue(Buffer.buffer(tls.clientCertPem()))
                    .addKeyValue(Buffer.buffer(tls.clientKeyPem().reveal())));
        }
        return net;
    }
}
