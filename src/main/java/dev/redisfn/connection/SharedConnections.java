package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.RedisErrors;
import dev.redisfn.transport.RedisSockets;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The long-lived connections to one server that all calls share, one per event loop at most (see
 * {@link NodeClients}), each pipelining the commands of many calls, so that a thousand calls cost a
 * handful of server connections. The commands of one event-loop turn leave in one socket write. A
 * connection the server closed, or that broke, is retired at once and replaced on the next call; a
 * call that finds its connection holding {@code connector.pool.max-in-flight} commands takes a
 * leased connection instead.
 */
final class SharedConnections {

    /** Batches larger than this take a leased connection instead of queueing on the shared one. */
    static final int LEASED_BATCH = 64;

    private final NodeClients clients;
    private final Leases leases;
    private final Function<RedisConnection, Future<RedisConnection>> prepare;
    private final BooleanSupplier alone;
    private final AtomicReferenceArray<Future<RedisConnection>> shared;

    SharedConnections(NodeClients clients, Leases leases, Function<RedisConnection, Future<RedisConnection>> prepare,
            BooleanSupplier alone) {
        this.clients = clients;
        this.leases = leases;
        this.prepare = prepare;
        this.alone = alone;
        this.shared = new AtomicReferenceArray<>(clients.size());
    }

    Future<Response> send(Request request) {
        int slot = clients.slot();
        Future<RedisConnection> connection = connection(slot);
        // the usual case, an open shared connection, takes no composition step
        return connection.succeeded() ? send(slot, connection.result(), request)
                : connection.compose(conn -> send(slot, conn, request));
    }

    /**
     * One command on the slot's shared connection; a full connection sends it on a leased one instead.
     * The queue is checked before sending; its failure still comes when a send from another thread
     * filled it in between (Vert.x checks again on the connection's event loop).
     */
    private Future<Response> send(int slot, RedisConnection conn, Request request) {
        if (conn.pendingQueueFull()) {
            return leased(slot, request);
        }
        return conn.send(request).recover(failure -> {
            dropIfBroken(slot, conn, failure);
            if (RedisErrors.isQueueFull(failure)) {
                return leased(slot, request);
            }
            return Future.failedFuture(Failures.transport(failure, RedisSockets.answered(conn)));
        });
    }

    private Future<Response> leased(int slot, Request request) {
        return leases.pipeline(slot, List.of(request), Target.OnReply.KEEP).compose(all -> all.get(0));
    }

    /** The commands pipelined in order: on the shared connection, or on a leased one when there are many. */
    Future<List<Future<Response>>> pipeline(List<Request> requests, Target.OnReply onReply) {
        int slot = clients.slot();
        if (requests.size() > LEASED_BATCH) {
            // a big batch would hold up every call queued behind it on the shared connection
            return leases.pipeline(slot, requests, onReply);
        }
        return clients.onHome(slot, () -> connection(slot).compose(conn -> {
            List<Future<Response>> sent = new ArrayList<>(requests.size());
            for (Request request : requests) {
                Future<Response> reply = conn.pendingQueueFull() ? Future.failedFuture(busyFailure())
                        : conn.send(request).recover(failure -> {
                            dropIfBroken(slot, conn, failure);
                            return Future.failedFuture(RedisErrors.isQueueFull(failure) ? busyFailure()
                                    : Failures.transport(failure, RedisSockets.answered(conn)));
                        });
                sent.add(reply.onFailure(onReply::refused).compose(onReply::accept));
            }
            return Future.join(sent).transform(ignored -> Future.succeededFuture(sent));
        }));
    }

    /** The slot's connection, opened (and prepared) on first use and again after it broke. */
    private Future<RedisConnection> connection(int slot) {
        Future<RedisConnection> current = shared.get(slot);
        if (current != null && !current.failed()) {
            return current;
        }
        if (clients.isClosed()) {
            return Future.failedFuture(Linger.closedFailure());
        }
        Future<RedisConnection> created = clients.connect(slot, prepare);
        if (shared.compareAndSet(slot, current, created)) {
            created.onFailure(failure -> shared.compareAndSet(slot, created, null));
            // a socket the server closed (restart, timeout) is retired at once, not on the next call
            created.onSuccess(conn -> {
                RedisSockets.coalesceWrites(conn, alone);
                conn.endHandler(ignored -> shared.compareAndSet(slot, created, null));
                conn.exceptionHandler(failure -> dropIfBroken(slot, conn, failure));
            });
            return created;
        }
        created.onSuccess(RedisConnection::close);
        return connection(slot);
    }

    /** A Redis error answer, or a full queue, leaves the connection healthy; anything else (closed, reset) retires it. */
    private void dropIfBroken(int slot, RedisConnection conn, Throwable failure) {
        if (RedisErrors.isErrorReply(failure) && !RedisErrors.isConnectionClosed(failure) || RedisErrors.isQueueFull(failure)) {
            return;
        }
        Future<RedisConnection> current = shared.get(slot);
        if (current != null && current.succeeded() && current.result() == conn && shared.compareAndSet(slot, current, null)) {
            conn.close();
        }
    }

    /** A small batch that met a full shared connection: rare, transient, and safe to retry. */
    private static ConnectorException busyFailure() {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED,
                "too many commands in flight on the shared connection (connector.pool.max-in-flight); retry");
    }

    void close() {
        for (int i = 0; i < shared.length(); i++) {
            Future<RedisConnection> connection = shared.getAndSet(i, null);
            if (connection != null) {
                connection.onSuccess(RedisConnection::close);
            }
        }
    }
}
