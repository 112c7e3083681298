package dev.redisfn.connection;

import java.util.List;
import java.util.function.Function;

import dev.redisfn.config.ConnectionConfig;

import dev.redisfn.model.ConnectorException;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A live Redis deployment for one config, whatever its mode — one server ({@link StandaloneTarget}),
 * a master found through sentinels ({@link SentinelTarget}) or a cluster ({@link ClusterTarget}):
 * each command goes to the node its {@link Route} names, on connections that calls share and
 * pipeline. Everything returns a future; nothing blocks.
 */
public interface Target {

    ConnectionConfig config();

    /** One command. */
    Future<Response> send(Request request, Route route);

    /**
     * Several commands without waiting for the previous answers; one outcome per request, in order.
     * A command Redis answers with an error does not hide the others' answers. Each reply passes
     * {@code onReply} as it arrives — a failure it returns replaces the reply, which is then let go —
     * so that a batch never holds more replies than its call may.
     */
    Future<List<Outcome>> pipeline(List<Request> requests, List<Route> routes, OnReply onReply);

    /** What a pipeline does with each reply as it arrives: the reply, or a failure in its place. */
    @FunctionalInterface
    interface OnReply {
        Future<Response> accept(Response reply);

        /** A command that failed instead of answering (an error reply, a reply the guard refused). */
        default void refused(Throwable failure) {
        }

        OnReply KEEP = Future::succeededFuture;
    }

    /**
     * Runs {@code work} on a connection of its own to the master the route names — for a transaction,
     * which must not share its connection — and hands the connection back when the work is done.
     */
    <T> Future<T> exclusive(Route route, Function<RedisConnection, Future<T>> work);

    /** One target per master: the cluster's masters (for whole-keyspace operations), or this target. */
    Future<List<Target>> masters();

    /** A connection of its own (SUBSCRIBE, a blocking read) to the route's node, which the caller closes. */
    Future<RedisConnection> dedicated(Route route);

    /** Closes the target once the calls running on it are done. */
    void close();

    /**
     * A call on the route got no answer within its deadline. A node that hangs (a stopped process, a
     * network partition) neither answers nor closes its connections, while its sentinels or its
     * cluster may already have promoted a replica: a target that can ask where the master is now
     * does so (without waiting), and moves on if it changed.
     *
     * @return the node the call waited for, as its error names it ("the master of hash slot 866
     *         (10.0.0.7:7001)"), or null where the config names it already (standalone)
     */
    default String unanswered(Route route) {
        return null;
    }

    /**
     * A call that timed out may not have reached Redis at all: the error names what the target was
     * still waiting for (the sentinels naming the master), or null when it waited for Redis.
     */
    default ConnectorException stillWaiting(long deadlineMs) {
        return null;
    }
}
