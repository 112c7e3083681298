package dev.redisfn.testsupport;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A plain Vert.x Redis client on the shared standalone server, speaking RESP2 like the connector:
 * for tests that run catalogue entries directly, without Quarkus. Blocking calls, test use only.
 */
public final class PlainRedisClient implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Redis redis;
    private final String prefix;

    /** A client whose {@link #close()} deletes every key starting with {@code prefix}. */
    public PlainRedisClient(String prefix) {
        this.prefix = prefix;
        StandaloneRedis server = RedisTopologies.standalone();
        this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + server.port())
                .setPassword(StandaloneRedis.PASSWORD).setProtocolNegotiation(false));
    }

    public Redis redis() {
        return redis;
    }

    public Response send(Request request) throws Exception {
        return redis.send(request).toCompletionStage().toCompletableFuture().get(5, SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            List<String> keys = new ArrayList<>();
            for (Response key : send(Request.cmd(Command.KEYS).arg(prefix + "*"))) {
                keys.add(key.toString());
            }
            if (!keys.isEmpty()) {
                Request del = Request.cmd(Command.DEL);
                keys.forEach(del::arg);
                send(del);
            }
        } finally {
            redis.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(5, SECONDS);
        }
    }
}
