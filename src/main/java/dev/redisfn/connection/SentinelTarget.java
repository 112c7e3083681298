package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.config.ReadFrom;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.RedisErrors;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A master found through sentinels, and its replicas when {@code readFrom} sends reads there. The
 * master address is never trusted for long: it is resolved through the sentinels (with the
 * sentinels' own credentials), confirmed with ROLE, and resolved again as soon as a call fails for a
 * reason other than a plain Redis error, or the node answers READONLY because it was demoted in a
 * failover — or when a call gets no answer in time and the sentinels now name another master (a
 * master that hangs neither fails nor closes its connections). The replicas are the ones the
 * sentinels report as up, resolved again after a failure.
 */
final class SentinelTarget implements Target {

    private final ConnectionConfig config;
    private final ClientFactory factory;
    private final SentinelResolver resolver;
    private final AtomicInteger nextReplica = new AtomicInteger();
    /** Whether the sentinels are being asked about an unanswered call: one question at a time. */
    private final AtomicBoolean checking = new AtomicBoolean();
    /** The resolved (or resolving) master; read on every call without a lock. */
    private volatile Future<StandaloneTarget> master;
    private volatile Future<List<StandaloneTarget>> replicas;
    private boolean closed;

    SentinelTarget(ConnectionConfig config, ClientFactory factory) {
        this.config = config;
        this.factory = factory;
        this.resolver = new SentinelResolver(config, factory);
    }

    @Override
    public ConnectionConfig config() {
        return config;
    }

    @Override
    public Future<Response> send(Request request, Route route) {
        if (route.read() && config.readFrom() != ReadFrom.MASTER) {
            return onReplica(target -> target.send(request, route), () -> send(request, route.onMaster()));
        }
        Future<StandaloneTarget> current = master();
        if (current.succeeded()) {
            StandaloneTarget target = current.result();
            return target.send(request, route).onFailure(failure -> forgetIfStale(target, failure));
        }
        return current.compose(target -> target.send(request, route).onFailure(failure -> forgetIfStale(target, failure)));
    }

    @Override
    public Future<List<Outcome>> pipeline(List<Request> requests, List<Route> routes, OnReply onReply) {
        if (routes.stream().allMatch(Route::read) && config.readFrom() != ReadFrom.MASTER) {
            return onReplica(target -> target.pipeline(requests, routes, onReply), () -> onMaster(requests, routes, onReply));
        }
        return onMaster(requests, routes, onReply);
    }

    private Future<List<Outcome>> onMaster(List<Request> requests, List<Route> routes, OnReply onReply) {
        return master().compose(target -> target.pipeline(requests, routes, onReply)
                .onSuccess(outcomes -> outcomes.forEach(outcome -> forgetIfStale(target, outcome.failure()))));
    }

    @Override
    public <T> Future<T> exclusive(Route route, Function<RedisConnection, Future<T>> work) {
        return master().compose(target -> target.exclusive(route, work)
                .onFailure(failure -> forgetIfStale(target, failure)));
    }

    @Override
    public Future<List<Target>> masters() {
        return Future.succeededFuture(List.of(this));
    }

    @Override
    public Future<RedisConnection> dedicated(Route route) {
        return master().compose(target -> target.dedicated(route));
    }

    @Override
    public void close() {
        Future<StandaloneTarget> oldMaster;
        Future<List<StandaloneTarget>> oldReplicas;
        synchronized (this) {
            closed = true;
            oldMaster = master;
            oldReplicas = replicas;
            master = null;
            replicas = null;
        }
        closeAll(oldMaster, oldReplicas);
    }

    @Override
    public void unanswered(Route route) {
        Future<StandaloneTarget> current = master;
        if (current == null || !current.succeeded() || !checking.compareAndSet(false, true)) {
            return;
        }
        StandaloneTarget target = current.result();
        resolver.resolveMaster().compose(this::admitted).onComplete(now -> {
            checking.set(false);
            if (now.succeeded() && !now.result().equals(target.address())) {
                forget(target);
            }
        });
        if (route.read() && config.readFrom() != ReadFrom.MASTER) {
            // a replica that hangs is reported down by the sentinels after their down-after-milliseconds
            Future<List<StandaloneTarget>> known = replicas;
            if (known != null && known.succeeded()) {
                forgetReplicas(known.result());
            }
        }
    }

    private Future<StandaloneTarget> master() {
        Future<StandaloneTarget> current = master;
        return current != null ? current : resolveMaster();
    }

    private synchronized Future<StandaloneTarget> resolveMaster() {
        if (master != null) {
            return master;
        }
        if (closed) {
            return Future.failedFuture(Linger.closedFailure());
        }
        Future<StandaloneTarget> resolving = resolver.resolveMaster()
                .compose(announced -> admitted(announced))
                .map(address -> factory.node(config, address, ClientFactory.Role.MASTER))
                .compose(this::confirmMaster);
        master = resolving;
        // a resolution that failed is not kept: the next call asks the sentinels again
        resolving.onFailure(failure -> clearMaster(resolving));
        return resolving;
    }

    /** An announced address passes the target policy like the config's own; resolving a name may block. */
    private Future<HostAndPort> admitted(HostAndPort announced) {
        return factory.vertx().executeBlocking(() -> factory.admitAnnounced(config, announced), false);
    }

    /** A sentinel's answer may lag a failover: the node itself must say it is a master. */
    private Future<StandaloneTarget> confirmMaster(StandaloneTarget target) {
        return target.send(Request.cmd(Command.ROLE), Route.MASTER).transform(role -> {
            if (role.succeeded() && role.result() != null && role.result().size() > 0
                    && "master".equals(role.result().get(0).toString())) {
                return Future.succeededFuture(target);
            }
            target.close();
            return role.failed() ? Future.failedFuture(role.cause())
                    : Future.failedFuture(new ConnectorException(ErrorCode.CONNECTION_FAILED,
                            "the sentinels announce a master that is not (yet) a master; a failover may be under way"));
        });
    }

    private synchronized void clearMaster(Future<StandaloneTarget> failed) {
        if (master == failed) {
            master = null;
        }
    }

    /**
     * Runs a read on a replica, round robin; when none is reachable it fails (readFrom replica) or
     * runs {@code onMaster} (preferReplica, and also after a replica's connection failed: a read may be
     * repeated).
     */
    private <T> Future<T> onReplica(Function<StandaloneTarget, Future<T>> read, Supplier<Future<T>> onMaster) {
        return replicas().transform(found -> {
            List<StandaloneTarget> all = found.succeeded() ? found.result() : List.of();
            if (all.isEmpty()) {
                return config.readFrom() == ReadFrom.PREFER_REPLICA ? onMaster.get()
                        : Future.failedFuture(noReplica(found.failed() ? found.cause() : null));
            }
            StandaloneTarget replica = all.get(Math.floorMod(nextReplica.getAndIncrement(), all.size()));
            return read.apply(replica).recover(failure -> {
                if (RedisErrors.isErrorReply(failure) && !RedisErrors.isConnectionClosed(failure)) {
                    return Future.failedFuture(failure);
                }
                forgetReplicas(found.result());
                return config.readFrom() == ReadFrom.PREFER_REPLICA ? onMaster.get() : Future.failedFuture(failure);
            });
        });
    }

    private Future<List<StandaloneTarget>> replicas() {
        Future<List<StandaloneTarget>> current = replicas;
        return current != null ? current : resolveReplicas();
    }

    private synchronized Future<List<StandaloneTarget>> resolveReplicas() {
        if (replicas != null) {
            return replicas;
        }
        if (closed) {
            return Future.failedFuture(Linger.closedFailure());
        }
        Future<List<StandaloneTarget>> resolving = resolver.replicas().compose(addresses -> factory.vertx().executeBlocking(() -> {
            List<StandaloneTarget> targets = new ArrayList<>(addresses.size());
            for (HostAndPort address : addresses) {
                targets.add(factory.node(config, factory.admitAnnounced(config, address), ClientFactory.Role.REPLICA));
            }
            return targets;
        }, false));
        replicas = resolving;
        resolving.onFailure(failure -> forgetReplicas(null));
        return resolving;
    }

    private void forgetReplicas(List<StandaloneTarget> failed) {
        Future<List<StandaloneTarget>> stale;
        synchronized (this) {
            stale = replicas;
            if (failed != null && (stale == null || !stale.succeeded() || stale.result() != failed)) {
                return;
            }
            replicas = null;
        }
        closeAll(null, stale);
    }

    private ConnectorException noReplica(Throwable cause) {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED, "no replica of '" + config.masterName()
                + "' is reachable" + (cause == null ? "" : ": " + Failures.describe(cause)),
                "readFrom: the sentinels report no replica that is up — use readFrom preferReplica to fall back to the"
                        + " master");
    }

    private void forgetIfStale(StandaloneTarget target, Throwable failure) {
        if (failure == null) {
            return;
        }
        boolean demoted = RedisErrors.is(failure, "READONLY");
        if (demoted || !RedisErrors.isErrorReply(failure) || RedisErrors.isConnectionClosed(failure)) {
            forget(target);
        }
    }

    /** The next call asks the sentinels again; {@code target}, if it is still the master known, is closed. */
    private void forget(StandaloneTarget target) {
        synchronized (this) {
            Future<StandaloneTarget> stale = master;
            if (stale == null || !stale.succeeded() || stale.result() != target) {
                return;
            }
            master = null;
        }
        target.close();
    }

    private static void closeAll(Future<StandaloneTarget> master, Future<List<StandaloneTarget>> replicas) {
        if (master != null) {
            master.onSuccess(StandaloneTarget::close);
        }
        if (replicas != null) {
            replicas.onSuccess(all -> all.forEach(StandaloneTarget::close));
        }
    }
}
