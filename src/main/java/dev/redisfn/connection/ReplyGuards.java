package dev.redisfn.connection;

import jakarta.inject.Singleton;

import dev.redisfn.config.Limits;
import dev.redisfn.transport.ConnectLimit;
import dev.redisfn.transport.RedisSockets;
import dev.redisfn.transport.ReplyBudget;
import dev.redisfn.transport.ReplyGuard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;

/**
 * Puts a {@link ReplyGuard} on every connection the function opens to a Redis server, from its
 * first byte: no reply over {@code connector.limits.reply-size} reaches the heap, and the replies
 * being read at once, all connections together, stay within {@code connector.limits.reply-budget};
 * and bounds the connects in progress ({@code connector.limits.max-connecting}).
 */
@Singleton
public class ReplyGuards {

    private final long maxReplySize;
    private final ReplyBudget budget;
    private final ConnectLimit connecting;

    public ReplyGuards(Limits limits) {
        this.maxReplySize = limits.replySize();
        this.budget = new ReplyBudget(limits.replyBudget());
        this.connecting = new ConnectLimit(limits.maxConnecting());
    }

    /** A Vert.x Redis client whose connections are guarded from their first byte (see {@link RedisSockets#client}). */
    Redis client(Vertx vertx, RedisOptions options) {
        return RedisSockets.client(vertx, options, connecting, budget);
    }

    Future<RedisConnection> guard(RedisConnection connection) {
        try {
            RedisSockets.guard(connection, maxReplySize, budget);
            return Future.succeededFuture(connection);
        } catch (RuntimeException e) {
            connection.close();
            return Future.failedFuture(e);
        }
    }

    /** The budget shared by the replies being read and the replies calls hold (see the command layer's ReplyAccount). */
    public ReplyBudget budget() {
        return budget;
    }
}
