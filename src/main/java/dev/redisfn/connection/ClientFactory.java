package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.inject.Singleton;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.config.Mode;
import dev.redisfn.config.TlsSettings;
import dev.redisfn.model.Secret;
import dev.redisfn.security.TargetPolicy;
import dev.redisfn.transport.RedisSockets;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Builds the targets of a config and the Vert.x clients under them — pool sizes, timeouts, TLS,
 * credentials and the preparation of every connection in one place — and runs the one-off probes of
 * sentinels and test-connection on fresh connections.
 */
@Singleton
public class ClientFactory {

    /** How a node is used, which decides how its connections are prepared. */
    enum Role {
        /** A standalone server, a master found through sentinels, a cluster master. */
        MASTER,
        /** A replica that serves reads: a cluster replica must be told so (READONLY) on each connection. */
        CLUSTER_REPLICA,
        /** A replica found through sentinels: it serves reads as it is. */
        REPLICA
    }

    private final Vertx vertx;
    private final ConnectorSettings.Pool pool;
    /** Commands in flight per connection: a whole batch, with MULTI and EXEC around it, always fits. */
    private final int maxInFlight;
    private final TargetPolicy policy;
    private final ReplyGuards guards;
    private final TokenProviders tokens;
    private final long reauthMs;

    public ClientFactory(Vertx vertx, ConnectorSettings settings, TargetPolicy policy, ReplyGuards guards,
            TokenProviders tokens) {
        this.vertx = vertx;
        this.pool = settings.pool();
        this.maxInFlight = Math.max(pool.maxInFlight(), settings.batch().maxSize() + 4);
        this.policy = policy;
        this.guards = guards;
        this.tokens = tokens;
        this.reauthMs = settings.auth().reauthInterval().toMillis();
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

    /** {@link #admit} off the event loop, where the policy may resolve a host name. */
    public Future<ConnectionConfig> admitted(ConnectionConfig config) {
        return vertx.executeBlocking(() -> admit(config), false);
    }

    /**
     * Addresses Redis announced (a sentinel's master or replicas, a cluster's nodes), each checked like
     * the config's own, off the event loop: a host name is resolved once and replaced by the checked IP.
     * The map goes from each announced address (a redirect names it so) to its checked one, in order.
     */
    Future<Map<HostAndPort, HostAndPort>> admitted(ConnectionConfig config, Collection<HostAndPort> announced) {
        return vertx.executeBlocking(() -> {
            Map<HostAndPort, HostAndPort> checked = new LinkedHashMap<>();
            for (HostAndPort node : announced) {
                checked.computeIfAbsent(node, address -> policy.admit(address, keepsNames(config)));
            }
            return checked;
        }, false);
    }

    /** One announced address, checked as {@link #admitted(ConnectionConfig, Collection)} checks several. */
    Future<HostAndPort> admitted(ConnectionConfig config, HostAndPort announced) {
        return admitted(config, List.of(announced)).map(checked -> checked.get(announced));
    }

    private static boolean keepsNames(ConnectionConfig config) {
        return config.tls().enabled() && config.tls().verifyHostname() && !config.tls().insecure();
    }

    /** Builds the target for an admitted config (see {@link #admit}). */
    public Target create(ConnectionConfig config) {
        return switch (config.mode()) {
            case STANDALONE -> node(config, config.nodes().get(0), Role.MASTER);
            case SENTINEL -> new SentinelTarget(config, this);
            case CLUSTER -> new ClusterTarget(config, this);
        };
    }

    Vertx vertx() {
        return vertx;
    }

    /** One server with the data credentials, its connections shared per event loop once busy. */
    StandaloneTarget node(ConnectionConfig config, HostAndPort address, Role role) {
        // with credentials, Vert.x' handshake runs unauthenticated: the preparation sends AUTH, then SELECT
        int database = config.mode() == Mode.CLUSTER || hasCredentials(config) ? 0 : config.database();
        return new StandaloneTarget(config, address, vertx,
                () -> guards.client(vertx, options(config, List.of(address), database)),
                new NodeClients.Sharing(pool.sharedConnections(), pool.spreadRate()), preparation(config, role));
    }

    /**
     * How a node's connections are readied: the reply guard always; with credentials, AUTH with the
     * password or the current token (with a token, a shared connection again every {@code
     * connector.auth.reauth-interval}, before its token or an IAM connection's 12 hours run out), then
     * SELECT; READONLY on a cluster replica; the client name on shared connections. A leased connection
     * needs no timer (one would fire inside its MULTI or SUBSCRIBE): it is prepared again — AUTH with the
     * current token — each time it is leased, and marked reusable after it, so a pool's connection serves
     * many leases and each runs with a fresh token. A shared connection with a token keeps the mark its
     * AUTH left: handed back (a duplicate opened in a race, one retired), Vert.x closes it, and its
     * timer with it, rather than lease it to a MULTI that the timer's AUTH would break into.
     */
    private Preparation preparation(ConnectionConfig config, Role role) {
        Function<RedisConnection, Future<RedisConnection>> ready = conn -> guards.guard(conn)
                .compose(guarded -> authenticate(config, guarded))
                .compose(authenticated -> role == Role.CLUSTER_REPLICA
                        ? command(authenticated, Request.cmd(Command.READONLY), true)
                        : Future.succeededFuture(authenticated));
        Function<RedisConnection, Future<RedisConnection>> leased = conn -> ready.apply(conn)
                .onSuccess(RedisSockets::prepared);
        Function<RedisConnection, Future<RedisConnection>> shared = conn -> ready.apply(conn)
                .onSuccess(prepared -> {
                    if (config.auth() == null) {
                        RedisSockets.prepared(prepared);
                    } else {
                        reauthenticate(config, prepared);
                    }
                })
                .compose(prepared -> config.clientName() == null ? Future.succeededFuture(prepared)
                        : command(prepared, Request.cmd(Command.CLIENT).arg("SETNAME").arg(config.clientName()), false));
        return new Preparation(shared, leased);
    }

    private static boolean hasCredentials(ConnectionConfig config) {
        return config.password() != null || config.auth() != null;
    }

    /**
     * AUTH with the config's password or current token, then SELECT its database, on a connection
     * being prepared: when no token can be made, it is handed back without having sent AUTH.
     */
    private Future<RedisConnection> authenticate(ConnectionConfig config, RedisConnection conn) {
        if (!hasCredentials(config)) {
            return Future.succeededFuture(conn);
        }
        return tokens.password(config).recover(noToken -> {
            conn.close(); // the pool may hand it out again, prepared anew
            return Future.failedFuture(noToken);
        }).compose(password -> authenticate(config, conn, password));
    }

    private static Future<RedisConnection> authenticate(ConnectionConfig config, RedisConnection conn, Secret password) {
        Future<RedisConnection> authenticated = authenticate(conn, config.username(), password);
        return config.database() == 0 || config.mode() == Mode.CLUSTER ? authenticated
                : authenticated.compose(ready -> command(ready,
                        Request.cmd(Command.SELECT).arg(Long.toString(config.database())), true));
    }

    /**
     * AUTH on a connection Vert.x opened without it. Vert.x, negotiating no protocol, sends a password
     * only once a PING is refused with NOAUTH: where the default user is open, the connection would
     * run as that user — not as the configured one, with a wrong password unnoticed.
     */
    private static Future<RedisConnection> authenticate(RedisConnection conn, String username, Secret password) {
        if (password == null) {
            return Future.succeededFuture(conn);
        }
        Request auth = Request.cmd(Command.AUTH);
        if (username != null) {
            auth.arg(username);
        }
        return command(conn, auth.arg(password.reveal()), true);
    }

    /**
     * AUTH again with the current token every {@code reauthMs}. A token that cannot be made leaves the
     * connection as it is, authenticated with the last one, and a PING asks whether it is still there.
     * Any failure — a refused token, a connection closed, reset or silent — ends the timer and the
     * connection: its calls move to a replacement, which has a timer of its own.
     */
    private void reauthenticate(ConnectionConfig config, RedisConnection conn) {
        vertx.setPeriodic(reauthMs, timer -> tokens.password(config)
                .transform(token -> token.succeeded() ? authenticate(config, conn, token.result())
                        : conn.send(Request.cmd(Command.PING)).map(conn))
                .onFailure(failure -> {
                    vertx.cancelTimer(timer);
                    conn.close();
                }));
    }

    /** The data password of a config, fetched when it is a token (for probes that connect with it). */
    Future<Secret> dataPassword(ConnectionConfig config) {
        return tokens.password(config);
    }

    /** {@link #once} as the data user, with the config's password or current token. */
    public Future<List<Outcome>> onceAsData(ConnectionConfig config, HostAndPort node, List<Request> requests) {
        return dataPassword(config).compose(password -> once(config, node, config.username(), password, requests));
    }

    /** Sends one preparing command; {@code required}: its failure fails the connection, else it is ignored. */
    private static Future<RedisConnection> command(RedisConnection conn, Request request, boolean required) {
        return conn.send(request).map(conn).recover(failure -> {
            if (required) {
                conn.close();
                return Future.failedFuture(failure);
            }
            return Future.succeededFuture(conn);
        });
    }

    /**
     * Sends commands, pipelined, on a fresh connection to one address and closes it: for sentinels
     * and test-connection probes, which must not share a cached client's state. A command Redis
     * answers with an error does not hide the others' replies (test-connection reads ROLE even when
     * SELECT fails); only a failed connect (or AUTH) fails the whole, and so does no answer within
     * the connect and command timeouts together.
     */
    public Future<List<Outcome>> once(ConnectionConfig config, HostAndPort node, String username, Secret password,
            List<Request> requests) {
        long deadline = config.connectTimeoutMs() + (long) config.commandTimeoutMs();
        RedisOptions options = options(config, List.of(node), 0).setMaxPoolSize(1).setMaxPoolWaiting(16);
        Redis client;
        try {
            client = guards.client(vertx, options);
        } catch (IllegalStateException unguarded) {
            return Future.failedFuture(unguarded);
        }
        Future<List<Outcome>> answered = client.connect().compose(guards::guard)
                .compose(conn -> authenticate(conn, username, password)).compose(conn -> {
                    List<Future<Response>> sent = new ArrayList<>(requests.size());
                    requests.forEach(request -> sent.add(conn.send(request)));
                    return Future.join(sent).<List<Outcome>>transform(settled -> Future.succeededFuture(
                            StandaloneTarget.outcomes(sent))).eventually(() -> conn.close());
                });
        // a connect that takes longer fails at connectTimeoutMs, before this deadline: the node took the connection
        return Deadline.within(vertx, answered, deadline, () -> new SilentNode(node + " accepted the connection but"
                + " answered nothing within " + deadline + " ms")).eventually(() -> {
            client.close();
            return Future.succeededFuture();
        });
    }

    /** The replies of {@link #once}, or the first failure among them. */
    static Future<List<Response>> replies(List<Outcome> outcomes) {
        List<Response> replies = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            if (outcome.failure() != null) {
                return Future.failedFuture(outcome.failure());
            }
            replies.add(outcome.response());
        }
        return Future.succeededFuture(replies);
    }

    /** The options of a client; it authenticates nothing itself (see {@link #authenticate(RedisConnection, String, Secret)}). */
    private RedisOptions options(ConnectionConfig config, List<HostAndPort> nodes, int database) {
        RedisOptions options = new RedisOptions()
                .setType(RedisClientType.STANDALONE)
                .setRole(RedisRole.MASTER)
                .setNetClientOptions(netOptions(config))
                // RESP2 with AUTH: works with every server since Redis 2 and avoids HELLO negotiation quirks
                .setProtocolNegotiation(false)
                .setMaxPoolSize(pool.maxSize() + pool.sharedConnections())
                .setMaxPoolWaiting(pool.maxWaiting())
                .setMaxWaitingHandlers(maxInFlight)
                .setPoolRecycleTimeout(60_000);
        for (HostAndPort node : nodes) {
            options.addConnectionString(uri(config.tls().enabled(), node, database));
        }
        return options;
    }

    /** The endpoint URI carries no credentials: Vert.x may print it in messages. */
    private static String uri(boolean tls, HostAndPort node, int database) {
        return (tls ? "rediss://" : "redis://") + node.authority() + (database != 0 ? "/" + database : "");
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
