package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.Failures;
import dev.redisfn.result.ErrorCode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * A standalone server or a cluster. Calls share a few long-lived connections, one per event loop,
 * and are pipelined on them, so a thousand calls cost a handful of server connections; a
 * transaction, and a batch of more than {@link #LEASED_BATCH} commands, leases a connection of its
 * own from a client's pool. A Vert.x Redis client binds every connection it opens to the event
 * loop it was created on, so each loop gets a client of its own, created on that loop: a request
 * and Redis' reply are then handled on one thread, without two cross-thread wake-ups per call.
 * A config starts with one client and connection, used from every loop; once it sees more than
 * {@link Sharing#spreadRate()} calls in a second, each loop builds its own.
 * Closing is graceful: a client evicted or dropped is closed a moment later, once no call runs on
 * it, so a call never fails because another call's config pushed its client out of the cache.
 */
final class DirectTarget implements RedisTarget {

    /**
     * Shared connections (at most one per event loop) and the calls per second of one config
     * above which every loop gets its own.
     */
    record Sharing(int connections, int spreadRate) {
        /** One connection, never spread: for a cluster's per-master targets. */
        static final Sharing ONE = new Sharing(1, Integer.MAX_VALUE);
    }

    /** Batches larger than this take a pooled connection instead of queueing on the shared one. */
    static final int LEASED_BATCH = 64;
    /** Vert.x' failure message when a connection already has its maximum of commands in flight. */
    private static final String QUEUE_FULL = "Redis waiting queue is full";
    private static final long SECOND_NANOS = 1_000_000_000L;

    /** Value of {@link #calls} once the client is closed for good. */
    private static final int RELEASED = Integer.MIN_VALUE;
    /** How long a closed client stays usable for calls that took it from the cache just before. */
    private static final long LINGER_MS = 1_000;

    private final ConnectionConfig config;
    /** Builds one more Vert.x client for this config, bound to the calling thread's event loop. */
    private final Supplier<Redis> newClient;
    /** The client of each shared-connection slot, created on first use by the slot's event loop. */
    private final AtomicReferenceArray<Redis> clients;
    private final AtomicReferenceArray<Future<RedisConnection>> shared;
    private final AtomicInteger next = new AtomicInteger();
    private final int spreadRate;
    /** Set once the config is busy enough for a connection per event loop; never reset. */
    private volatile boolean spread;
    private volatile long windowStart = System.nanoTime();
    private final AtomicInteger windowCalls = new AtomicInteger();
    private volatile boolean closed;
    /** Calls running on this client, or {@link #RELEASED}. */
    private final AtomicInteger calls = new AtomicInteger();
    /** Set {@link #LINGER_MS} after {@link #close()}: from then on the last call to end closes the client. */
    private volatile boolean lingered;

    /** For a cluster: builds a target for one master, used by whole-keyspace reads. */
    private final Function<HostAndPort, DirectTarget> nodeTargets;
    private final Map<HostAndPort, DirectTarget> masters = new ConcurrentHashMap<>();

    /** For a cluster: the target policy's check of every address the topology announces. */
    private final Consumer<HostAndPort> announcedCheck;
    /** For a cluster: that check on a connection of its own, before the cluster client connects to every node. */
    private final Supplier<Future<Void>> preflight;

    DirectTarget(ConnectionConfig config, Supplier<Redis> newClient, Sharing sharing) {
        this(config, newClient, sharing, null, null, null);
    }

    DirectTarget(ConnectionConfig config, Supplier<Redis> newClient, Sharing sharing,
            Function<HostAndPort, DirectTarget> nodeTargets, Consumer<HostAndPort> announcedCheck,
            Supplier<Future<Void>> preflight) {
        this.config = config;
        this.newClient = newClient;
        this.spreadRate = sharing.spreadRate();
        this.clients = new AtomicReferenceArray<>(Math.max(1, sharing.connections()));
        this.shared = new AtomicReferenceArray<>(Math.max(1, sharing.connections()));
        this.nodeTargets = nodeTargets;
        this.announcedCheck = announcedCheck;
        this.preflight = preflight;
    }

    @Override
    public ConnectionConfig config() {
        return config;
    }

    @Override
    public Uni<Response> send(Request request) {
        return Futures.uni(call(request));
    }

    @Override
    public Future<Response> call(Request request) {
        if (!enter()) {
            return Future.failedFuture(closedFailure());
        }
        int slot = slot();
        Future<RedisConnection> connection = connection(slot);
        // the usual case, an open shared connection, takes no composition step
        Future<Response> sent = connection.succeeded() ? sendShared(slot, connection.result(), request)
                : connection.compose(conn -> sendShared(slot, conn, request));
        return leaveWhenDone(sent);
    }

    /** One command on the slot's shared connection; a full connection sends it on a leased one instead. */
    private Future<Response> sendShared(int slot, RedisConnection conn, Request request) {
        return conn.send(request).recover(failure -> {
            Throwable cause = transportFailure(failure);
            dropIfBroken(slot, conn, cause);
            return isQueueFull(cause) ? leased(slot, List.of(request)).compose(all -> all.get(0))
                    : Future.failedFuture(cause);
        });
    }

    @Override
    public Uni<List<Outcome>> pipeline(List<Request> requests) {
        if (!enter()) {
            return Uni.createFrom().failure(closedFailure());
        }
        int slot = slot();
        if (requests.size() > LEASED_BATCH) {
            // a big batch would hold up every call queued behind it on the shared connection
            return Futures.uni(leaveWhenDone(leased(slot, requests).map(DirectTarget::outcomes)));
        }
        return Futures.uni(leaveWhenDone(connection(slot).compose(conn -> {
            List<Future<Response>> sent = new ArrayList<>(requests.size());
            for (Request request : requests) {
                sent.add(send(conn, request).onFailure(failure -> dropIfBroken(slot, conn, failure))
                        .recover(failure -> Future.failedFuture(isQueueFull(failure) ? busyFailure() : failure)));
            }
            return Future.join(sent).transform(ignored -> Future.succeededFuture(outcomes(sent)));
        })));
    }

    /**
     * Sends the commands, pipelined, on a connection leased from the slot's pool, then hands it back:
     * for transactions, big batches and calls that found their shared connection full.
     */
    private Future<List<Future<Response>>> leased(int slot, List<Request> requests) {
        return client(slot).compose(Redis::connect)
                .recover(failure -> Future.failedFuture(transportFailure(failure)))
                .compose(conn -> {
                    List<Future<Response>> sent = new ArrayList<>(requests.size());
                    for (Request request : requests) {
                        sent.add(send(conn, request));
                    }
                    return Future.join(sent).<List<Future<Response>>>transform(ignored -> Future.succeededFuture(sent))
                            .eventually(() -> conn.close());
                });
    }

    private static boolean isQueueFull(Throwable failure) {
        return !(failure instanceof ErrorType) && QUEUE_FULL.equals(failure.getMessage());
    }

    /** A small batch that met a full shared connection: rare, transient, and safe to retry. */
    private static ConnectorException busyFailure() {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED,
                "too many commands in flight on the shared connection (connector.pool.max-in-flight); retry");
    }

    @Override
    public Uni<List<Outcome>> transaction(List<Request> requests, int slot) {
        if (nodeTargets != null) {
            // a cluster transaction runs on the master that owns the slot, on a plain connection to it
            return slotOwner(Math.max(slot, 0))
                    .flatMap(owner -> masters.computeIfAbsent(owner, nodeTargets).transaction(requests, -1));
        }
        if (!enter()) {
            return Uni.createFrom().failure(closedFailure());
        }
        List<Request> all = new ArrayList<>(requests.size() + 2);
        all.add(Request.cmd(Command.MULTI));
        all.addAll(requests);
        all.add(Request.cmd(Command.EXEC));
        return Futures.uni(leaveWhenDone(leased(slot(), all).map(DirectTarget::execOutcomes)));
    }

    @Override
    public Uni<RedisConnection> dedicatedConnection() {
        if (nodeTargets != null) {
            // classic pub/sub reaches every node of a cluster: any master will do
            return masters().flatMap(all -> all.get(0).dedicatedConnection());
        }
        return Futures.uni(client(slot()).compose(Redis::connect));
    }

    @Override
    public Uni<List<RedisTarget>> masters() {
        if (nodeTargets == null) {
            return Uni.createFrom().item(List.of(this));
        }
        return send(Request.cmd(Command.CLUSTER).arg("SLOTS")).map(slots -> {
            TreeMap<String, HostAndPort> addresses = new TreeMap<>();
            for (Response range : slots) {
                HostAndPort address = masterOf(range);
                addresses.put(address.toString(), address);
            }
            List<RedisTarget> targets = new ArrayList<>(addresses.size());
            addresses.values().forEach(address -> targets.add(masters.computeIfAbsent(address, nodeTargets)));
            return targets;
        });
    }

    private Uni<HostAndPort> slotOwner(int slot) {
        return send(Request.cmd(Command.CLUSTER).arg("SLOTS")).map(slots -> {
            for (Response range : slots) {
                if (range.get(0).toInteger() <= slot && slot <= range.get(1).toInteger()) {
                    return masterOf(range);
                }
            }
            throw new ConnectorException(ErrorCode.CONNECTION_FAILED, "no master serves hash slot " + slot);
        });
    }

    /** The master of one CLUSTER SLOTS range: {@code [start, end, [host, port, id], replicas...]}. */
    private static HostAndPort masterOf(Response range) {
        Response master = range.get(2);
        return new HostAndPort(master.get(0).toString(), master.get(1).toInteger());
    }

    /**
     * Closes the client once no call runs on it any more: {@link #LINGER_MS} from now if idle then,
     * otherwise when the last call ends, at the latest when every call has had its connect and command time.
     */
    @Override
    public void close() {
        masters.values().forEach(DirectTarget::close);
        long grace = LINGER_MS + config.connectTimeoutMs() + config.commandTimeoutMs();
        try {
            Infrastructure.getDefaultWorkerPool().schedule(() -> {
                lingered = true;
                if (calls.compareAndSet(0, RELEASED)) {
                    release();
                }
            }, LINGER_MS, TimeUnit.MILLISECONDS);
            Infrastructure.getDefaultWorkerPool().schedule(this::releaseNow, grace, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            releaseNow();
        }
    }

    private void releaseNow() {
        calls.set(RELEASED);
        release();
    }

    /** Counts a call in, unless the client is closed for good. */
    private boolean enter() {
        while (true) {
            int running = calls.get();
            if (running == RELEASED) {
                return false;
            }
            if (calls.compareAndSet(running, running + 1)) {
                return true;
            }
        }
    }

    private <T> Future<T> leaveWhenDone(Future<T> call) {
        return call.andThen(ignored -> {
            int running = calls.updateAndGet(n -> n == RELEASED ? RELEASED : n - 1);
            if (running == 0 && lingered && calls.compareAndSet(0, RELEASED)) {
                release();
            }
        });
    }

    /** A call that reached this client after it was closed (evicted or dropped while idle): the caller may retry. */
    private static ConnectorException closedFailure() {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED,
                "the client of this connection was closed (evicted or dropped) before the call was sent; retry it");
    }

    private synchronized void release() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < shared.length(); i++) {
            Future<RedisConnection> connection = shared.getAndSet(i, null);
            if (connection != null) {
                connection.onSuccess(RedisConnection::close);
            }
        }
        for (int i = 0; i < clients.length(); i++) {
            Redis client = clients.getAndSet(i, null);
            if (client != null) {
                client.close();
            }
        }
    }

    /**
     * The client of a slot, created on first use by the calling thread, which for an event loop is
     * the loop the slot belongs to (see {@link #slot()}).
     */
    private Future<Redis> client(int slot) {
        Redis existing = clients.get(slot);
        if (existing != null) {
            return Future.succeededFuture(existing);
        }
        if (closed) {
            return Future.failedFuture(closedFailure());
        }
        Redis created = newClient.get();
        if (!clients.compareAndSet(slot, null, created)) {
            created.close();
            return client(slot);
        }
        if (closed) {
            // released while this client was being created: release() may have missed it
            if (clients.compareAndSet(slot, created, null)) {
                created.close();
            }
            return Future.failedFuture(closedFailure());
        }
        return Future.succeededFuture(created);
    }

    /**
     * The shared connection for the calling thread: an event loop always gets the same one, created
     * on that loop, so the request and Redis' reply are handled on one thread without a hop.
     * Other threads take turns.
     */
    private int slot() {
        int slots = shared.length();
        if (Context.isOnEventLoopThread()) {
            int own = Math.floorMod(EventLoops.indexOf(Thread.currentThread()), slots);
            if (spread || clients.get(own) != null) {
                return own;
            }
            int home = home();
            if (home < 0 || busy()) {
                return own;
            }
            return home;
        }
        if (spread) {
            return Math.floorMod(next.getAndIncrement(), slots);
        }
        int home = home();
        return home < 0 ? 0 : home;
    }

    /** The first slot with a client, or -1: where a config that is not spread keeps its connection. */
    private int home() {
        for (int i = 0; i < clients.length(); i++) {
            if (clients.get(i) != null) {
                return i;
            }
        }
        return -1;
    }

    /** Counts a call of a config that is not spread yet; true once it has more than the spread rate in a second. */
    private boolean busy() {
        long now = System.nanoTime();
        if (now - windowStart > SECOND_NANOS) {
            windowStart = now;
            windowCalls.set(0);
        }
        if (windowCalls.incrementAndGet() > spreadRate) {
            spread = true;
        }
        return spread;
    }

    private Future<RedisConnection> connection(int slot) {
        Future<RedisConnection> current = shared.get(slot);
        if (current != null && !current.failed()) {
            return current;
        }
        if (closed) {
            return Future.failedFuture(closedFailure());
        }
        Future<Void> admitted = preflight == null ? Future.succeededFuture() : preflight.get();
        Future<RedisConnection> created = admitted.compose(ok -> client(slot)).compose(Redis::connect)
                .compose(this::checkTopology).compose(this::nameConnection)
                .recover(failure -> Future.failedFuture(transportFailure(failure)));
        if (shared.compareAndSet(slot, current, created)) {
            created.onFailure(failure -> shared.compareAndSet(slot, created, null));
            // a socket the server closed (restart, timeout) is retired at once, not on the next call
            created.onSuccess(conn -> {
                WriteCoalescing.install(conn, () -> calls.get() <= 1);
                conn.endHandler(ignored -> shared.compareAndSet(slot, created, null));
                conn.exceptionHandler(ignored -> dropIfBroken(slot, conn, ignored));
            });
            return created;
        }
        created.onSuccess(RedisConnection::close);
        return connection(slot);
    }

    /** Cluster mode: every node the topology announces must pass the target policy before the first call. */
    private Future<RedisConnection> checkTopology(RedisConnection conn) {
        if (announcedCheck == null) {
            return Future.succeededFuture(conn);
        }
        return conn.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).compose(slots -> {
            try {
                announced(slots).forEach(announcedCheck);
                return Future.succeededFuture(conn);
            } catch (RuntimeException refused) {
                conn.close();
                return Future.failedFuture(refused);
            }
        });
    }

    /** Every node address in a CLUSTER SLOTS reply. */
    static List<HostAndPort> announced(Response slots) {
        List<HostAndPort> nodes = new ArrayList<>();
        for (Response range : slots) {
            for (int i = 2; i < range.size(); i++) {
                nodes.add(new HostAndPort(range.get(i).get(0).toString(), range.get(i).get(1).toInteger()));
            }
        }
        return nodes;
    }

    private Future<RedisConnection> nameConnection(RedisConnection conn) {
        if (config.clientName() == null) {
            return Future.succeededFuture(conn);
        }
        return conn.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(config.clientName()))
                .map(conn)
                .recover(failure -> Future.succeededFuture(conn));
    }

    private static Future<Response> send(RedisConnection conn, Request request) {
        return conn.send(request).recover(failure -> Future.failedFuture(transportFailure(failure)));
    }

    /**
     * Vert.x fails the commands still waiting on a connection that closed with an error reply
     * "CONNECTION_CLOSED": a broken connection, not an answer of Redis, and retryable like one.
     */
    private static Throwable transportFailure(Throwable failure) {
        return failure instanceof ErrorType error && error.is("CONNECTION_CLOSED")
                ? Failures.classify(failure) // CONNECTION_FAILED with its hint
                : failure;
    }

    /** A Redis error answer, or a full queue, leaves the connection healthy; anything else (closed, reset) retires it. */
    private void dropIfBroken(int slot, RedisConnection conn, Throwable failure) {
        if (failure instanceof ErrorType || isQueueFull(failure)) {
            return;
        }
        Future<RedisConnection> current = shared.get(slot);
        if (current != null && current.succeeded() && current.result() == conn && shared.compareAndSet(slot, current, null)) {
            conn.close();
        }
    }

    private static List<Outcome> outcomes(List<Future<Response>> sent) {
        List<Outcome> outcomes = new ArrayList<>(sent.size());
        for (Future<Response> future : sent) {
            outcomes.add(future.succeeded() ? Outcome.of(future.result()) : Outcome.failed(future.cause()));
        }
        return outcomes;
    }

    /**
     * The outcomes of MULTI, the commands and EXEC sent in that order: the EXEC reply holds one
     * element per queued command; a queueing error aborts them all.
     */
    private static List<Outcome> execOutcomes(List<Future<Response>> sent) {
        Future<Response> exec = sent.get(sent.size() - 1);
        int commands = sent.size() - 2;
        List<Outcome> outcomes = new ArrayList<>(commands);
        Response replies = exec.succeeded() ? exec.result() : null;
        for (int i = 0; i < commands; i++) {
            Future<Response> queued = sent.get(i + 1);
            if (queued.failed()) {
                outcomes.add(Outcome.failed(queued.cause()));
            } else if (replies == null) {
                outcomes.add(Outcome.failed(exec.failed() ? exec.cause() : ErrorType.create("EXECABORT transaction discarded")));
            } else {
                Response reply = replies.get(i);
                outcomes.add(reply != null && reply.type() == io.vertx.redis.client.ResponseType.ERROR
                        ? Outcome.failed(ErrorType.create(reply.toString())) : Outcome.of(reply));
            }
        }
        return outcomes;
    }
}
