package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.redisfn.transport.RedisSockets;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Connections of their own, leased from a client's pool and handed back after use: for
 * transactions, for batches too big to queue on a shared connection, and for a call that found its
 * shared connection full. Each leased connection is prepared (reply guard, credentials) before use.
 */
final class Leases {

    private final NodeClients clients;
    private final Function<RedisConnection, Future<RedisConnection>> prepare;

    Leases(NodeClients clients, Function<RedisConnection, Future<RedisConnection>> prepare) {
        this.clients = clients;
        this.prepare = prepare;
    }

    /** Runs {@code work} on a leased connection of the slot's client, and hands it back once the work is done. */
    <T> Future<T> run(int slot, Function<RedisConnection, Future<T>> work) {
        return clients.connect(slot, prepare)
                .compose(conn -> {
                    Future<T> done;
                    try {
                        done = work.apply(conn);
                    } catch (RuntimeException e) {
                        done = Future.failedFuture(e);
                    }
                    return done.eventually(() -> conn.close());
                });
    }

    /** Sends the commands pipelined on a leased connection; each answer or failure in order. */
    Future<List<Future<Response>>> pipeline(int slot, List<Request> requests, Target.OnReply onReply) {
        return clients.onHome(slot, () -> run(slot, conn -> {
            List<Future<Response>> sent = new ArrayList<>(requests.size());
            for (Request request : requests) {
                sent.add(conn.send(request)
                        .recover(failure -> Future.failedFuture(Failures.transport(failure, RedisSockets.answered(conn))))
                        .onFailure(onReply::refused).compose(onReply::accept));
            }
            return Future.join(sent).transform(ignored -> Future.succeededFuture(sent));
        }));
    }
}
