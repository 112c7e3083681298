package dev.redisfn.connection;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A live Redis deployment, whatever its mode: commands go to the right node (the master, the
 * slot owner), connections are shared and pipelined. Implementations never block.
 */
public interface RedisTarget {

    ConnectionConfig config();

    Uni<Response> send(Request request);

    /**
     * {@link #send} as a Vert.x future, sent at once: the single-command path of a call uses it
     * without Mutiny's operators, which cost a noticeable share of a call's CPU.
     */
    default Future<Response> call(Request request) {
        return Futures.future(send(request));
    }

    /** Sends every request without waiting for the previous answers; one outcome per request, in order. */
    Uni<List<Outcome>> pipeline(List<Request> requests);

    /**
     * Runs the requests inside MULTI/EXEC on one exclusive connection; one outcome per request.
     * {@code slot} is the hash slot all their keys share (cluster mode routes by it), -1 when keyless.
     */
    Uni<List<Outcome>> transaction(List<Request> requests, int slot);

    /**
     * One target per master: the cluster's masters (for SCAN, KEYS and other whole-keyspace
     * reads), or this target itself in the other modes.
     */
    Uni<List<RedisTarget>> masters();

    /** A connection of its own (for SUBSCRIBE), which the caller must close. */
    Uni<RedisConnection> dedicatedConnection();

    void close();
}
