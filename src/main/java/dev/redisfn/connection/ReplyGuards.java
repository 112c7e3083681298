package dev.redisfn.connection;

import jakarta.inject.Singleton;

import dev.redisfn.config.Limits;
import dev.redisfn.transport.RedisSockets;
import dev.redisfn.transport.ReplyBudget;
import dev.redisfn.transport.ReplyGuard;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisConnection;

/**
 * Puts a {@link ReplyGuard} on every connection the function opens to a Redis server: no reply over
 * {@code connector.limits.reply-size} reaches the heap, and the replies being read at once, all
 * connections together, stay within {@code connector.limits.reply-budget}.
 */
@Singleton
public class ReplyGuards {

    private final long maxReplySize;
    private final ReplyBudget budget;

    public ReplyGuards(Limits limits) {
        this.maxReplySize = limits.replySize();
        this.budget = new ReplyBudget(limits.replyBudget());
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
