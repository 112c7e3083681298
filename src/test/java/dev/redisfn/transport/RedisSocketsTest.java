package dev.redisfn.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.StandaloneRedis;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Pins what {@link RedisSockets} assumes of the Vert.x Redis client's internals, on real
 * connections to a real server: a pooled connection wraps a standalone one whose {@code netSocket}
 * field holds the socket, whose Netty pipeline names Vert.x's handler {@code handler}. If an upgrade
 * moves any of it, these fail — the guard is never silently missing.
 */
class RedisSocketsTest {

    private static Vertx vertx;
    private static Redis client;
    private static StandaloneRedis redis;

    @BeforeAll
    static void connect() {
        redis = RedisTopologies.standalone();
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:" + redis.port())
                .setPassword(StandaloneRedis.PASSWORD).setProtocolNegotiation(false));
    }

    @AfterAll
    static void close() {
        client.close();
        vertx.close();
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theSocketFieldAndVertxHandlerAreWhereTheAdapterLooks() throws Exception {
        assertNotNull(RedisSockets.NET_SOCKET, "RedisStandaloneConnection.netSocket");
        RedisConnection connection = await(client.connect());
        try {
            ChannelPipeline pipeline = RedisSockets.pipeline(connection);
            assertNotNull(pipeline, "the pipeline of a pooled connection");
            assertNotNull(pipeline.get(RedisSockets.VERTX_HANDLER), "Vert.x' handler is named " + RedisSockets.VERTX_HANDLER
                    + " in " + pipeline.names());
        } finally {
            connection.close();
        }
    }

    @Test
    void aGuardedConnectionAnswersAnOversizedReplyWithAnErrorAndStaysUsable() throws Exception {
        try (RespClient direct = redis.client()) {
            direct.call("SET", "sockets:big", "x".repeat(20_000));
            direct.call("SET", "sockets:small", "y");
        }
        RedisConnection connection = await(client.connect());
        try {
            assertFalse(RedisSockets.answered(connection), "nothing read through a guard yet");
            RedisSockets.guard(connection, 10_000, new ReplyGuard.Budget(1_000_000));
            RedisSockets.guard(connection, 10_000, new ReplyGuard.Budget(1_000_000)); // once only
            List<String> names = RedisSockets.pipeline(connection).names();
            assertEquals(names.indexOf(RedisSockets.GUARD) + 1, names.indexOf(RedisSockets.VERTX_HANDLER),
                    "the guard sits right before Vert.x' handler: " + names);
            Throwable refused = connection.send(Request.cmd(Command.GET).arg("sockets:big")).toCompletionStage()
                    .toCompletableFuture().handle((reply, failure) -> failure).get(10, TimeUnit.SECONDS);
            assertTrue(RedisErrors.is(refused, "REPLYTOOLARGE"), String.valueOf(refused));
            Response small = await(connection.send(Request.cmd(Command.GET).arg("sockets:small")));
            assertEquals("y", small.toString(), "the connection is in step after the refused reply");
            assertTrue(RedisSockets.answered(connection));
        } finally {
            connection.close();
        }
    }

    @Test
    void writeMergingIsInstalledOnce() throws Exception {
        RedisConnection connection = await(client.connect());
        try {
            RedisSockets.coalesceWrites(connection, () -> true);
            RedisSockets.coalesceWrites(connection, () -> true);
            assertEquals(1, RedisSockets.pipeline(connection).names().stream()
                    .filter(name -> RedisSockets.pipeline(connection).get(name) instanceof TurnFlush).count());
            assertEquals("PONG", await(connection.send(Request.cmd(Command.PING))).toString());
        } finally {
            connection.close();
        }
    }
}
