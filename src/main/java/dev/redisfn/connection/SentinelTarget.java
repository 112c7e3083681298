package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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
 * master address is never trusted for long: it is resolved through the sentinels (with their own
 * credentials), confirmed with ROLE, and resolved again when a call fails for a reason other than a
 * plain Redis error, when the node answers READONLY (demoted in a failover; the refused write is sent
 * once more to the master named now), when a call gets no answer in time and the sentinels name
 * another master (one that hangs neither fails nor closes its connections), and — while calls come —
 * after asking one sentinel in turn at most every {@link #RECHECK_NANOS}, so that a failover is
 * followed about a second after the sentinels announce it. The replicas are the ones the sentinels
 * report as up, asked again with the master and after a failure; reads go to those a {@link ReplicaSet}
 * finds in sync.
 */
final class SentinelTarget implements Target {

    /** How often calls may have the sentinels asked who the master and the replicas are. */
    static final long RECHECK_NANOS = 1_000_000_000L;

    private final ConnectionConfig config;
    private final ClientFactory factory;
    private final SentinelResolver resolver;
    /** The sentinel the next periodic look asks, round robin. */
    private final AtomicInteger nextSentinel = new AtomicInteger();
    /** Whether the sentinels are being asked about an unanswered call: one question at a time. */
    private final AtomicBoolean checking = new AtomicBoolean();
    /** The resolved (or resolving) master; read on every call without a lock. */
    private volatile Future<StandaloneTarget> master;
    /** The master the sentinels named while it is asked to confirm (ROLE), else null. */
    private volatile StandaloneTarget confirming;
    private final SentinelReplicas replicas;
    /** When the sentinels were last asked, by a call or a re-check. */
    private volatile long checkedNanos = System.nanoTime();
    private boolean closed;

    SentinelTarget(ConnectionConfig config, ClientFactory factory) {
        this.config = config;
        this.factory = factory;
        this.resolver = new SentinelResolver(config, factory);
        this.replicas = new SentinelReplicas(config, factory, resolver);
    }

    @Override
    public ConnectionConfig config() {
        return config;
    }

    @Override
    public Future<Response> send(Request request, Route route) {
        recheckWhenDue();
        if (route.read() && config.readFrom() != ReadFrom.MASTER) {
            return replicas.read(target -> target.send(request, route), () -> send(request, route.onMaster()));
        }
        Future<StandaloneTarget> current = master();
        if (current.succeeded()) {
            return onMaster(current.result(), request, route);
        }
        return current.compose(target -> onMaster(target, request, route));
    }

    /** Sends to the master known; a write it refuses as demoted goes once to the master the sentinels name now. */
    private Future<Response> onMaster(StandaloneTarget target, Request request, Route route) {
        return target.send(request, route).recover(failure -> {
            forgetIfStale(target, failure);
            if (!RedisErrors.is(failure, "READONLY")) {
                return Future.failedFuture(failure);
            }
            return master().transform(next -> next.succeeded() && next.result() != target
                    ? next.result().send(request, route)
                    : Future.failedFuture(new ConnectorException(ErrorCode.CONNECTION_FAILED, "the master the sentinels"
                            + " named was demoted to a replica (a failover is under way) and refused the write, which"
                            + " was not applied", "retry shortly: the sentinels will name the new master")));
        });
    }

    @Override
    public Future<List<Outcome>> pipeline(List<Request> requests, List<Route> routes, OnReply onReply) {
        recheckWhenDue();
        if (routes.stream().allMatch(Route::read) && config.readFrom() != ReadFrom.MASTER) {
            return replicas.read(target -> target.pipeline(requests, routes, onReply), () -> onMaster(requests, routes, onReply));
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
        synchronized (this) {
            closed = true;
            oldMaster = master;
            master = null;
        }
        if (oldMaster != null) {
            oldMaster.onSuccess(StandaloneTarget::close);
        }
        replicas.close();
    }

    @Override
    public ConnectorException stillWaiting(long deadlineMs) {
        Future<StandaloneTarget> current = master;
        if (current == null || current.failed()) {
            return null;
        }
        if (current.succeeded()) {
            return current.result().stillWaiting(deadlineMs);
        }
        StandaloneTarget named = confirming;
        if (named == null) {
            return SentinelResolver.silent(config, deadlineMs);
        }
        ConnectorException notConnected = named.stillWaiting(deadlineMs);
        return notConnected != null ? notConnected : SentinelResolver.unconfirmed(config, named.address(), deadlineMs);
    }

    @Override
    public String unanswered(Route route) {
        Future<StandaloneTarget> current = master;
        String named = "'" + config.masterName() + "'" + (current != null && current.succeeded() ? " (" + current.result().address() + ")" : "");
        recheck();
        if (!route.read() || config.readFrom() == ReadFrom.MASTER) {
            return "the master of " + named;
        }
        replicas.forgetKnown(); // asked again: one that hangs does not answer ROLE in time
        return "a replica (or the master) of " + named;
    }

    /** Has a sentinel asked again when the last answer is older than {@link #RECHECK_NANOS} (for reads too); never waited for. */
    private void recheckWhenDue() {
        if (System.nanoTime() - checkedNanos <= RECHECK_NANOS) {
            return;
        }
        Future<StandaloneTarget> current = master;
        StandaloneTarget target = current != null && current.succeeded() ? current.result() : null;
        ReplicaSet known = config.readFrom() == ReadFrom.MASTER ? null : replicas.known();
        boolean replicasToo = known != null;
        if (target == null && !replicasToo || !checking.compareAndSet(false, true)) {
            return;
        }
        checkedNanos = System.nanoTime();
        resolver.look(nextSentinel.getAndIncrement(), replicasToo).compose(seen -> {
            List<HostAndPort> announced = new ArrayList<>(replicasToo ? seen.replicas() : List.of());
            if (seen.master() != null) {
                announced.add(seen.master());
            }
            return factory.admitted(config, announced).onSuccess(checked -> {
                if (target != null && seen.master() != null && !checked.get(seen.master()).equals(target.address())) {
                    forget(target);
                }
                if (replicasToo) {
                    replicas.seen(known, seen.replicas().stream().map(checked::get).toList());
                }
            });
        }).onComplete(done -> checking.set(false));
    }

    /** Asks all sentinels who the master is now, one question at a time, and forgets the master if it changed. */
    private void recheck() {
        StandaloneTarget target = beginCheck();
        if (target == null) {
            return;
        }
        resolver.resolveMaster().compose(announced -> factory.admitted(config, announced)).onComplete(now -> {
            checking.set(false);
            if (now.succeeded() && !now.result().equals(target.address())) {
                forget(target);
            }
        });
    }

    /** The master known, when there is one and no question to the sentinels is under way (this one then is); else null. */
    private StandaloneTarget beginCheck() {
        Future<StandaloneTarget> current = master;
        if (current == null || !current.succeeded() || !checking.compareAndSet(false, true)) {
            return null;
        }
        checkedNanos = System.nanoTime();
        return current.result();
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
        checkedNanos = System.nanoTime();
        Future<StandaloneTarget> resolving = resolver.resolveMaster()
                .compose(announced -> factory.admitted(config, announced))
                .map(address -> factory.node(config, address, ClientFactory.Role.MASTER))
                .compose(this::confirmMaster);
        master = resolving;
        // a resolution that failed is not kept: the next call asks the sentinels again
        resolving.onFailure(failure -> clearMaster(resolving));
        return resolving;
    }

    /** A sentinel's answer may lag a failover: the node itself must say it is a master. */
    private Future<StandaloneTarget> confirmMaster(StandaloneTarget target) {
        confirming = target;
        return target.send(Request.cmd(Command.ROLE), Route.MASTER).transform(role -> {
            confirming = null;
            if (role.succeeded() && role.result() != null && role.result().size() > 0
                    && "master".equals(role.result().get(0).toString())) {
                return Future.succeededFuture(target);
            }
            target.close();
            if (role.failed() && Failures.isUnreachable(role.cause())) {
                return Future.failedFuture(SentinelResolver.masterDown(config.masterName(), target.address(),
                        Failures.describe(role.cause())));
            }
            return Future.failedFuture(role.failed() ? role.cause() : SentinelResolver.notYetMaster());
        });
    }

    private synchronized void clearMaster(Future<StandaloneTarget> failed) {
        if (master == failed) {
            master = null;
        }
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

}
