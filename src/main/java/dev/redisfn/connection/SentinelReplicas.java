package dev.redisfn.connection;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.config.ReadFrom;
import dev.redisfn.transport.RedisErrors;

import io.vertx.core.Future;

/**
 * The replicas of a sentinel config's master that its reads go to ({@code readFrom} replica or
 * preferReplica): the ones the sentinels report as up, read lazily, and of those the ones a {@link
 * ReplicaSet} finds in sync. Forgotten (and read again) when one fails or does not answer, or when a
 * sentinel lists others; otherwise asked for their state again with each look at the sentinels.
 */
final class SentinelReplicas {

    private final ConnectionConfig config;
    private final ClientFactory factory;
    private final SentinelResolver resolver;
    private final AtomicInteger next = new AtomicInteger();
    private volatile Future<ReplicaSet> replicas;
    private boolean closed; // guarded by this

    SentinelReplicas(ConnectionConfig config, ClientFactory factory, SentinelResolver resolver) {
        this.config = config;
        this.factory = factory;
        this.resolver = resolver;
    }

    /**
     * Runs a read on a serving replica, round robin; when none serves it fails (readFrom replica) or
     * runs {@code onMaster} (preferReplica, and also after a replica's connection failed: a read may be
     * repeated).
     */
    <T> Future<T> read(Function<StandaloneTarget, Future<T>> read, Supplier<Future<T>> onMaster) {
        return replicas().transform(found -> {
            List<StandaloneTarget> all = found.succeeded() ? found.result().serving() : List.of();
            if (all.isEmpty()) {
                return config.readFrom() == ReadFrom.PREFER_REPLICA ? onMaster.get() : Future.failedFuture(found.failed()
                        ? found.cause() : SentinelResolver.noReplica(config, found.result().all().size()));
            }
            int turn = next.getAndIncrement();
            StandaloneTarget replica = all.get(Math.floorMod(turn, all.size()));
            return read.apply(replica).recover(failure -> {
                if (RedisErrors.isErrorReply(failure) && !RedisErrors.isConnectionClosed(failure)) {
                    return Future.failedFuture(failure);
                }
                forget(found.result());
                // another replica, or the master, answers the read while the sentinels still list the lost one
                Supplier<Future<T>> otherwise = config.readFrom() == ReadFrom.PREFER_REPLICA ? onMaster
                        : () -> Future.failedFuture(failure);
                return all.size() > 1 ? read.apply(all.get(Math.floorMod(turn + 1, all.size())))
                        .recover(again -> otherwise.get()) : otherwise.get();
            });
        });
    }

    /** The replicas known now, or null while none are (not asked yet, being asked, or forgotten). */
    ReplicaSet known() {
        Future<ReplicaSet> current = replicas;
        return current != null && current.succeeded() ? current.result() : null;
    }

    /**
     * A sentinel listed {@code up} (checked addresses) for the master: other replicas than {@code
     * known} are read again at the next read; the same ones (as a set: each sentinel lists them in an
     * order of its own) are asked their state, which moves before the sentinels see it.
     */
    void seen(ReplicaSet known, List<HostAndPort> up) {
        if (!Set.copyOf(up).equals(Set.copyOf(known.all().stream().map(StandaloneTarget::address).toList()))) {
            forget(known);
        } else {
            known.probe(factory.vertx(), config);
        }
    }

    /** A read got no answer in time: the replicas known are read and asked again (one that hangs does not answer ROLE). */
    void forgetKnown() {
        ReplicaSet known = known();
        if (known != null) {
            forget(known);
        }
    }

    synchronized void close() {
        closed = true;
        forget(null);
    }

    private Future<ReplicaSet> replicas() {
        Future<ReplicaSet> current = replicas;
        return current != null ? current : resolve();
    }

    private synchronized Future<ReplicaSet> resolve() {
        if (replicas != null) {
            return replicas;
        }
        if (closed) {
            return Future.failedFuture(Linger.closedFailure());
        }
        Future<ReplicaSet> resolving = resolver.replicas()
                .compose(announced -> factory.admitted(config, announced))
                .map(checked -> new ReplicaSet(checked.values().stream()
                        .map(address -> factory.node(config, address, ClientFactory.Role.REPLICA)).toList()))
                .compose(found -> found.probe(factory.vertx(), config));
        replicas = resolving;
        resolving.onFailure(failure -> forget(null));
        return resolving;
    }

    /** Forgets {@code failed} if it is still the set known (any set when null), closing its connections. */
    private void forget(ReplicaSet failed) {
        Future<ReplicaSet> stale;
        synchronized (this) {
            stale = replicas;
            if (failed != null && (stale == null || !stale.succeeded() || stale.result() != failed)) {
                return;
            }
            replicas = null;
        }
        if (stale != null) {
            stale.onSuccess(set -> set.all().forEach(StandaloneTarget::close));
        }
    }
}
