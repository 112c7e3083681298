package dev.redisfn.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.NotRedisServer;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Pins every failure {@link RedisErrors} recognises, as the Vert.x Redis client reports it against a
 * real server: an upgrade that rewords a message or changes a type fails here, not in a caller's
 * error code.
 */
class RedisErrorsTest {

    private static Vertx vertx;
    private static StandaloneRedis redis;

    @BeforeAll
    static void start() {
        redis = RedisTopologies.standalone();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static Redis client(RedisOptions options) {
        return Redis.createClient(vertx, options.setConnectionString("redis://127.0.0.1:" + redis.port())
                .setPassword(StandaloneRedis.PASSWORD).setProtocolNegotiation(false));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(Future<?> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure).get(10, TimeUnit.SECONDS);
    }

    @Test
    void anErrorReplyIsAResponseAndAThrowableWithItsFirstWordAsCode() throws Exception {
        Redis client = client(new RedisOptions());
        try {
            await(client.send(Request.cmd(Command.SET).arg("errors:list").arg("v")));
            Throwable wrongType = failureOf(client.send(Request.cmd(Command.LPUSH).arg("errors:list").arg("x")));
            assertTrue(RedisErrors.isErrorReply(wrongType), String.valueOf(wrongType));
            assertEquals("WRONGTYPE", RedisErrors.code(wrongType));
            assertTrue(RedisErrors.is(wrongType, "WRONGTYPE"));
            assertFalse(RedisErrors.isQueueFull(wrongType));
        } finally {
            client.close();
        }
    }

    @Test
    void anErrorInsideExecsAnswerIsAFailure() throws Exception {
        Redis client = client(new RedisOptions());
        RedisConnection connection = await(client.connect());
        try {
            await(connection.send(Request.cmd(Command.SET).arg("errors:exec").arg("v")));
            connection.send(Request.cmd(Command.MULTI));
            connection.send(Request.cmd(Command.LPUSH).arg("errors:exec").arg("x"));
            Response exec = await(connection.send(Request.cmd(Command.EXEC)));
            Throwable inside = RedisErrors.asFailure(exec.get(0));
            assertEquals("WRONGTYPE", RedisErrors.code(inside));
        } finally {
            connection.close();
            client.close();
        }
    }

    @Test
    void aFullWaitingQueueSaysSo() throws Exception {
        Redis client = client(new RedisOptions().setMaxWaitingHandlers(1));
        RedisConnection connection = await(client.connect());
        try {
            List<Future<Response>> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                sent.add(connection.send(Request.cmd(Command.PING)));
            }
            Throwable full = null;
            for (Future<Response> future : sent) {
                Throwable failure = failureOf(future);
                full = full != null ? full : failure;
            }
            assertNotNull(full, "a connection holding one command refused some of twenty");
            assertTrue(RedisErrors.isQueueFull(full), full.getMessage());
        } finally {
            connection.close();
            client.close();
        }
    }

    @Test
    void commandsWaitingWhenTheConnectionClosesFailWithConnectionClosed() throws Exception {
        Redis client = client(new RedisOptions());
        RedisConnection connection = await(client.connect());
        try {
            await(connection.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg("errors-victim")));
            Future<Response> blocked = connection.send(Request.cmd(Command.BLPOP).arg("errors:never").arg(5));
            try (RespClient killer = redis.client()) {
                // killed only once Redis has read BLPOP: a kill that finds it unread in the socket closes with
                // a TCP reset, which the client reports as the socket's exception instead
                Waits.until("the victim blocked in BLPOP", Waits.DEFAULT,
                        () -> killer.callString("CLIENT", "LIST").lines()
                                .anyMatch(line -> line.contains("name=errors-victim") && line.contains("cmd=blpop")));
                killer.call("CLIENT", "KILL", "USER", "default", "SKIPME", "yes");
            }
            Throwable closed = failureOf(blocked);
            assertTrue(RedisErrors.isConnectionClosed(closed), String.valueOf(closed));
            Throwable afterwards = failureOf(connection.send(Request.cmd(Command.PING)));
            assertTrue(RedisErrors.saysClosed(afterwards.getMessage()), afterwards.getMessage());
        } finally {
            client.close();
        }
    }

    @Test
    void aPeerThatIsNotRedisIsAnIllegalState() throws Exception {
        try (NotRedisServer http = NotRedisServer.start()) {
            Redis client = Redis.createClient(vertx, new RedisOptions().setProtocolNegotiation(false)
                    .setConnectionString("redis://127.0.0.1:" + http.port()));
            try {
                Throwable failure = failureOf(client.connect().compose(connection -> connection.send(Request.cmd(Command.PING))));
                assertTrue(RedisErrors.isNotRedis(failure), String.valueOf(failure));
            } finally {
                client.close();
            }
        }
    }

    @Test
    void aPoolWithoutRoomSaysSo() throws Exception {
        Redis client = client(new RedisOptions().setMaxPoolSize(1).setMaxPoolWaiting(0));
        RedisConnection held = await(client.connect());
        try {
            Throwable busy = failureOf(client.connect());
            assertTrue(RedisErrors.saysPoolBusy(busy.getMessage()), busy.getMessage());
        } finally {
            held.close();
            client.close();
        }
    }
}
