package dev.redisfn.connection;

import java.util.List;

import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.ErrorCode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * A master found through sentinels. The master address is never trusted for long: it is resolved
 * through the sentinels (with the sentinels' own credentials), confirmed with ROLE, and resolved
 * again as soon as a call fails for a reason other than a plain Redis error, or the node answers
 * READONLY because it was demoted in a failover.
 */
final class SentinelTarget implements RedisTarget {

    private final ConnectionConfig config;
    private final ClientFactory factory;
    private final SentinelResolver resolver;
    private volatile Uni<DirectTarget> master;
    /** What {@link #master} resolved to, once it has: a call then goes straight to it. */
    private volatile DirectTarget resolved;
    private volatile boolean closed;

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
    public Uni<Response> send(Request request) {
        return master().flatMap(target -> target.send(request)
                .onFailure().invoke(failure -> forgetIfStale(target, failure)));
    }

    @Override
    public Future<Response> call(Request request) {
        DirectTarget target = resolved;
        if (target == null) {
            return RedisTarget.super.call(request);
        }
        return target.call(request).onFailure(failure -> forgetIfStale(target, failure));
    }

    @Override
    public Uni<List<Outcome>> pipeline(List<Request> requests) {
        return master().flatMap(target -> target.pipeline(requests)
                .invoke(outcomes -> outcomes.forEach(o -> forgetIfStale(target, o.failure()))));
    }

    @Override
    public Uni<List<Outcome>> transaction(List<Request> requests, int slot) {
        return master().flatMap(target -> target.transaction(requests, slot)
                .onFailure().invoke(failure -> forgetIfStale(target, failure)));
    }

    @Override
    public Uni<RedisConnection> dedicatedConnection() {
        return master().flatMap(DirectTarget::dedicatedConnection);
    }

    @Override
    public Uni<List<RedisTarget>> masters() {
        return Uni.createFrom().item(List.of(this));
    }

    @Override
    public void close() {
        Uni<DirectTarget> current;
        synchronized (this) {
            closed = true;
            current = master;
            master = null;
            resolved = null;
        }
        if (current != null) {
            current.subscribe().with(DirectTarget::close, ignored -> {
            });
        }
    }

    private Uni<DirectTarget> master() {
        Uni<DirectTarget> current = master;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (master != null) {
                return master;
            }
            if (closed) {
                return Uni.createFrom().failure(new ConnectorException(ErrorCode.CONNECTION_FAILED, "client closed"));
            }
            Uni<DirectTarget> resolving = resolver.resolveMaster()
                    .map(announced -> factory.admitAnnounced(config, announced))
                    .map(address -> new DirectTarget(config, () -> factory.nodeClient(config, address), factory.sharing()))
                    .flatMap(this::confirmMaster)
                    .memoize().indefinitely();
            master = resolving;
            // a resolution that fails at once clears the field again on this thread: hand out the local
            resolving.subscribe().with(target -> remember(resolving, target), failure -> clear(resolving));
            return resolving;
        }
    }

    /** A sentinel's answer may lag a failover: the node itself must say it is a master. */
    private Uni<DirectTarget> confirmMaster(DirectTarget target) {
        return target.send(Request.cmd(Command.ROLE)).map(role -> {
            if (role == null || role.size() == 0 || !"master".equals(role.get(0).toString())) {
                target.close();
                throw new ConnectorException(ErrorCode.CONNECTION_FAILED,
                        "the sentinels announce a master that is not (yet) a master; a failover may be under way");
            }
            return target;
        }).onFailure().invoke(failure -> target.close());
    }

    private synchronized void remember(Uni<DirectTarget> resolving, DirectTarget target) {
        if (master == resolving) {
            resolved = target;
        }
    }

    private synchronized void clear(Uni<DirectTarget> failed) {
        if (master == failed) {
            master = null;
        }
    }

    private void forgetIfStale(DirectTarget target, Throwable failure) {
        if (failure == null) {
            return;
        }
        boolean demoted = failure instanceof ErrorType error && error.is("READONLY");
        if (demoted || !(failure instanceof ErrorType)) {
            Uni<DirectTarget> stale;
            synchronized (this) {
                stale = master;
                master = null;
                resolved = null;
            }
            target.close();
            if (stale != null) {
                stale.subscribe().with(DirectTarget::close, ignored -> {
                });
            }
        }
    }
}
