package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.model.ConnectorException;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One Redis server: a standalone config, a sentinel-resolved master or replica, or one node of a
 * cluster. Calls share its {@link SharedConnections}; transactions and big batches take
 * {@link Leases}; {@link Linger} keeps it open for the calls that hold it while it is closed.
 */
final class StandaloneTarget implements Target {

    private final ConnectionConfig config;
    private final HostAndPort address;
    private final Vertx vertx;
    private final NodeClients clients;
    private final Leases leases;
    private final SharedConnections shared;
    private final Linger linger;
    private final Function<RedisConnection, Future<RedisConnection>> prepareDedicated;
    private final Future<List<Target>> self = Future.succeededFuture(List.of(this));

    /**
     * @param prepare readies a connection Vert.x opened before its first use (reply guard, name, credentials)
     */
    StandaloneTarget(ConnectionConfig config, HostAndPort address, Vertx vertx, Supplier<Redis> newClient,
            NodeClients.Sharing sharing, Preparation prepare) {
        this.config = config;
        this.address = address;
        this.vertx = vertx;
        this.clients = new NodeClients(newClient, sharing);
        this.linger = new Linger(this::release);
        this.leases = new Leases(clients, prepare.leased());
        this.shared = new SharedConnections(clients, leases, prepare.shared(), linger::alone);
        this.prepareDedicated = prepare.leased();
    }

    @Override
    public ConnectionConfig config() {
        return config;
    }

    HostAndPort address() {
        return address;
    }

    @Override
    public Future<Response> send(Request request, Route route) {
        if (!linger.enter()) {
            return Future.failedFuture(Linger.closedFailure());
        }
        return linger.leaveWhenDone(shared.send(request));
    }

    @Override
    public Future<List<Outcome>> pipeline(List<Request> requests, List<Route> routes, OnReply onReply) {
        if (!linger.enter()) {
            return Future.failedFuture(Linger.closedFailure());
        }
        return linger.leaveWhenDone(shared.pipeline(requests, onReply).map(StandaloneTarget::outcomes));
    }

    @Override
    public <T> Future<T> exclusive(Route route, Function<RedisConnection, Future<T>> work) {
        if (!linger.enter()) {
            return Future.failedFuture(Linger.closedFailure());
        }
        return linger.leaveWhenDone(leases.run(clients.slot(), work));
    }

    @Override
    public Future<List<Target>> masters() {
        return self;
    }

    @Override
    public Future<RedisConnection> dedicated(Route route) {
        return clients.connect(clients.slot(), prepareDedicated);
    }

    @Override
    public ConnectorException stillWaiting(long deadlineMs) {
        return clients.firstConnectionPending() ? Failures.notConnected(config, address, deadlineMs) : null;
    }

    @Override
    public void close() {
        linger.close(vertx, (long) config.connectTimeoutMs() + config.commandTimeoutMs());
    }

    private synchronized void release() {
        shared.close();
        clients.close();
    }

    static List<Outcome> outcomes(List<Future<Response>> sent) {
        List<Outcome> outcomes = new ArrayList<>(sent.size());
        for (Future<Response> future : sent) {
            outcomes.add(future.succeeded() ? Outcome.of(future.result()) : Outcome.failed(future.cause()));
        }
        return outcomes;
    }

    @Override
    public String toString() {
        return "StandaloneTarget[" + address + "]";
    }
}
