package dev.redisfn.connection;

import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisConnection;

/**
 * What a connection Vert.x opened needs before its first command: a shared connection its reply
 * guard, its client name and, for a cluster replica, READONLY; a leased or dedicated one its reply
 * guard. Either may send the current token of a token-based credential first.
 */
record Preparation(Function<RedisConnection, Future<RedisConnection>> shared,
        Function<RedisConnection, Future<RedisConnection>> leased) {
}
