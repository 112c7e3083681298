package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.redisfn.config.ConnectionConfig;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A target whose reads stay on the masters, whatever the config's {@code readFrom}: the view a
 * batch that writes gives its items, so that a read of several round trips or nodes (a cross-slot
 * MGET, a SCAN, KEYS) sees the batch's own writes as its single-command reads do.
 */
public final class MasterReads implements Target {

    private final Target target;

    private MasterReads(Target target) {
        this.target = target;
    }

    public static Target of(Target target) {
        return target instanceof MasterReads ? target : new MasterReads(target);
    }

    @Override
    public ConnectionConfig config() {
        return target.config();
    }

    @Override
    public Future<Response> send(Request request, Route route) {
        return target.send(request, route.onMaster());
    }

    @Override
    public Future<List<Outcome>> pipeline(List<Request> requests, List<Route> routes, OnReply onReply) {
        List<Route> onMasters = new ArrayList<>(routes.size());
        routes.forEach(route -> onMasters.add(route.onMaster()));
        return target.pipeline(requests, onMasters, onReply);
    }

    @Override
    public <T> Future<T> exclusive(Route route, Function<RedisConnection, Future<T>> work) {
        return target.exclusive(route.onMaster(), work);
    }

    @Override
    public Future<List<Target>> masters() {
        return target.masters().map(masters -> masters.stream().map(MasterReads::of).toList());
    }

    @Override
    public Future<RedisConnection> dedicated(Route route) {
        return target.dedicated(route.onMaster());
    }

    /** The view closes nothing: the target it shows belongs to the client cache. */
    @Override
    public void close() {
    }
}
