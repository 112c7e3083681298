package dev.redisfn.connection;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.redisfn.transport.EventLoops;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;

/**
 * The Vert.x clients of one Redis server, one per event loop at most. A Vert.x Redis client binds
 * every connection it opens to the event loop it was created on, so each loop gets a client of its
 * own, created on that loop: a request and Redis' reply are then handled on one thread, without two
 * cross-thread wake-ups per call. A server starts with one client, used from every loop; once it
 * sees more than {@link Sharing#spreadRate()} calls in a second, each loop builds its own ("spread").
 */
final class NodeClients {

    /** Whether a connection of these clients was ever readied: the server answered at this address. */
    private volatile boolean answered;
    /** Connections being opened and readied (TCP, TLS, the first PING, AUTH, SELECT) right now. */
    private final AtomicInteger connecting = new AtomicInteger();

    /** Clients (at most one per event loop) and the calls per second above which every loop gets its own. */
    record Sharing(int clients, int spreadRate) {
        /** One client, never spread. */
        static final Sharing ONE = new Sharing(1, Integer.MAX_VALUE);
    }

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final Supplier<Redis> newClient;
    private final AtomicReferenceArray<Redis> clients;
    /** The context each client was created on, which its connections call back on (null: created off a Vert.x thread). */
    private final AtomicReferenceArray<Context> contexts;
    private final AtomicReferenceArray<Thread> threads;
    private final AtomicInteger next = new AtomicInteger();
    private final int spreadRate;
    /** Set once the server is busy enough for a client per event loop; never reset. */
    private volatile boolean spread;
    private volatile long windowStart = System.nanoTime();
    private final AtomicInteger windowCalls = new AtomicInteger();
    private volatile boolean closed;

    NodeClients(Supplier<Redis> newClient, Sharing sharing) {
        this.newClient = newClient;
        this.spreadRate = sharing.spreadRate();
        this.clients = new AtomicReferenceArray<>(Math.max(1, sharing.clients()));
        this.contexts = new AtomicReferenceArray<>(clients.length());
        this.threads = new AtomicReferenceArray<>(clients.length());
    }

    int size() {
        return clients.length();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * The slot for the calling thread: an event loop always gets the same one once it has a client
     * there or the server is spread, so its connection is created on that loop. Other threads take turns.
     */
    int slot() {
        int slots = clients.length();
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

    /** The first slot with a client, or -1: where a server that is not spread keeps its connection. */
    private int home() {
        for (int i = 0; i < clients.length(); i++) {
            if (clients.get(i) != null) {
                return i;
            }
        }
        return -1;
    }

    /** Counts a call of a server that is not spread yet; true once it has more than the spread rate in a second. */
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

    /** The client of a slot, created on first use by the calling thread (for an event loop, the slot's own loop). */
    Future<Redis> client(int slot) {
        Redis existing = clients.get(slot);
        if (existing != null) {
            return Future.succeededFuture(existing);
        }
        if (closed) {
            return Future.failedFuture(Linger.closedFailure());
        }
        Context context = Vertx.currentContext();
        Redis created = newClient.get();
        if (!clients.compareAndSet(slot, null, created)) {
            created.close();
            return client(slot);
        }
        if (closed && clients.compareAndSet(slot, created, null)) {
            // closed while this client was being created: close() may have missed it
            created.close();
            return Future.failedFuture(Linger.closedFailure());
        }
        contexts.set(slot, context);
        threads.set(slot, Thread.currentThread());
        return Future.succeededFuture(created);
    }

    /**
     * A connection of the slot's client, readied by {@code prepare}; a failure is {@link NotSent}.
     * Once one connection was readied, a new one the server drops at once says so without the
     * first-contact hints (TLS): the server is restarting or shutting down, not misconfigured.
     */
    Future<RedisConnection> connect(int slot, Function<RedisConnection, Future<RedisConnection>> prepare) {
        connecting.incrementAndGet();
        return client(slot).compose(Redis::connect).compose(prepare).andThen(done -> {
            if (done.succeeded()) {
                answered = true;
            }
            connecting.decrementAndGet();
        }).recover(failure -> Future.failedFuture(Failures.notSent(failure, answered)));
    }

    /**
     * Whether no connection of these clients was ever readied while one is under way: the server has
     * not accepted it or not answered on it yet, and no command has been sent to it.
     */
    boolean firstConnectionPending() {
        return !answered && connecting.get() > 0;
    }

    /**
     * Runs {@code work} on the event loop the slot's connections call back on, so that their
     * replies are handled as they are parsed — a batch's reply budget then lets go of a reply it
     * cannot hold before the next one is read — and returns its outcome to the caller.
     */
    <T> Future<T> onHome(int slot, Supplier<Future<T>> work) {
        Context home = contexts.get(slot);
        if (home == null || threads.get(slot) == Thread.currentThread()) {
            return work.get();
        }
        Promise<T> done = Promise.promise();
        home.runOnContext(ignored -> work.get().onComplete(done));
        return done.future();
    }

    void close() {
        closed = true;
        for (int i = 0; i < clients.length(); i++) {
            Redis client = clients.getAndSet(i, null);
            if (client != null) {
                client.close();
            }
        }
    }
}
