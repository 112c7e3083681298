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

import dev.redisfn.testsupport.AnsweringServer;
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
import io.vertx.redis.client.impl.PooledRedisConnection;

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
        client = Redis.createClient(vertx, options().setPassword(StandaloneRedis.PASSWORD));
    }

    @AfterAll
    static void close() {
        client.close();
        vertx.close();
    }

    /** A client of the test's server as the function makes them: RESP2, no HELLO. */
    private static RedisOptions options() {
        return new RedisOptions().setConnectionString("redis://127.0.0.1:" + redis.port()).setProtocolNegotiation(false);
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

    /**
     * A client made by {@link RedisSockets#client} has the TCP client that guards a connection from its
     * first byte: Vert.x calls its {@code initChannel} before adding its own handler, so the handshake
     * guard stands before it; the function's guard replaces it once the connection is handed over.
     */
    @Test
    void aClientsConnectionsAreGuardedFromTheirFirstByte() throws Exception {
        assertNotNull(RedisSockets.CONNECTION_MANAGER, "BaseRedisClient.connectionManager");
        assertNotNull(RedisSockets.NET_CLIENT, "RedisConnectionManager.netClient");
        ReplyBudget budget = new ReplyBudget(1 << 20);
        Redis guarded = RedisSockets.client(vertx, options().setPassword(StandaloneRedis.PASSWORD), new ConnectLimit(4), budget);
        boolean closed = false;
        try {
            RedisConnection connection = await(guarded.connect());
            try {
                ChannelPipeline pipeline = RedisSockets.pipeline(connection);
                List<String> names = pipeline.names();
                assertEquals(names.indexOf(RedisSockets.GUARD) + 1, names.indexOf(RedisSockets.VERTX_HANDLER), names.toString());
                assertTrue(((ReplyGuard) pipeline.get(RedisSockets.GUARD)).isHandshake(), "the handshake's guard");
                RedisSockets.guard(connection, 1 << 20, budget);
                ReplyGuard guard = (ReplyGuard) pipeline.get(RedisSockets.GUARD);
                assertFalse(guard.isHandshake(), "replaced by the function's guard");
                assertTrue(guard.answered(), "which knows the server answered the handshake");
                assertEquals("PONG", await(connection.send(Request.cmd(Command.PING))).toString());
                closed = true;
                guarded.close();
                dev.redisfn.testsupport.Waits.until("closing the client to close its connections",
                        java.time.Duration.ofSeconds(5), () -> !pipeline.channel().isActive());
            } finally {
                connection.close();
            }
        } finally {
            if (!closed) { // a Vert.x client closed twice may throw, while its endpoints are still closing
                guarded.close();
            }
        }
    }

    /**
     * Vert.x' parser makes an array for an {@code *N} header at once, and reads the handshake PING's
     * reply before the function has the connection: a server answering {@code *999999999} is refused
     * by the handshake guard as one that does not speak Redis, at once, and the connection closed.
     */
    @Test
    void aHandshakeReplyNoRedisServerSendsFailsTheConnectAsNotRedis() throws Exception {
        try (AnsweringServer liar = AnsweringServer.answering("*999999999\r\n")) {
            Redis guarded = RedisSockets.client(vertx, new RedisOptions().setProtocolNegotiation(false)
                    .setConnectionString("redis://127.0.0.1:" + liar.port()), new ConnectLimit(4), new ReplyBudget(1 << 20));
            try {
                Throwable refused = guarded.connect().toCompletionStage().toCompletableFuture()
                        .handle((ok, failure) -> failure).get(10, TimeUnit.SECONDS);
                assertNotNull(refused, "the connect fails");
                assertTrue(RedisErrors.isNotRedis(refused), refused.getClass() + ": " + refused.getMessage());
            } finally {
                guarded.close();
            }
        }
    }

    /** Connects in progress past the limit fail at once; one that ends gives its place back. */
    @Test
    void connectsPastTheLimitFailAtOnce() throws Exception {
        try (AnsweringServer silent = AnsweringServer.silent()) {
            ConnectLimit limit = new ConnectLimit(1);
            // a TLS connect to a server that answers nothing stays in progress until its handshake times out
            RedisOptions pending = new RedisOptions().setProtocolNegotiation(false)
                    .setConnectionString("rediss://127.0.0.1:" + silent.port());
            pending.getNetClientOptions().setTrustAll(true).setHostnameVerificationAlgorithm("")
                    .setSslHandshakeTimeout(3).setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
            Redis waiting = RedisSockets.client(vertx, pending, limit, new ReplyBudget(1 << 20));
            Redis refused = RedisSockets.client(vertx, options().setPassword(StandaloneRedis.PASSWORD), limit,
                    new ReplyBudget(1 << 20));
            try {
                Future<RedisConnection> first = waiting.connect();
                dev.redisfn.testsupport.Waits.until("the first connect to be under way", java.time.Duration.ofSeconds(5),
                        () -> limit.inProgress() == 1);
                Throwable overloaded = refused.connect().toCompletionStage().toCompletableFuture()
                        .handle((ok, failure) -> failure).get(1, TimeUnit.SECONDS);
                assertTrue(overloaded instanceof dev.redisfn.model.ConnectorException e
                        && e.code() == dev.redisfn.model.ErrorCode.OVERLOADED, String.valueOf(overloaded));
                first.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure).get(10, TimeUnit.SECONDS);
                assertEquals(0, limit.inProgress(), "the failed connect gave its place back");
                RedisConnection now = await(refused.connect());
                now.close();
            } finally {
                waiting.close();
                refused.close();
            }
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
            RedisSockets.guard(connection, 10_000, new ReplyBudget(1_000_000));
            RedisSockets.guard(connection, 10_000, new ReplyBudget(1_000_000)); // once only
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

    /**
     * Vert.x' parser keeps the bytes of the last read and appends the next read to them: after a
     * large reply on an unguarded connection, a small one leaves the parser holding both. On a guarded
     * connection the parser is renewed after the large reply and holds only the small one.
     */
    @Test
    void aLargeReplyStaysInVertxParserUnlessTheGuardRenewsIt() throws Exception {
        try (RespClient direct = redis.client()) {
            direct.call("SET", "sockets:large", "l".repeat(1_000_000));
        }
        // a client of its own: the shared one's pooled connections may carry a guard of another test
        Redis own = Redis.createClient(vertx, options().setPassword(StandaloneRedis.PASSWORD).setMaxPoolSize(2));
        RedisConnection plain = await(own.connect());
        RedisConnection guarded = await(own.connect());
        try {
            RedisSockets.guard(guarded, 2_000_000, new ReplyBudget(4_000_000));
            for (RedisConnection connection : List.of(plain, guarded)) {
                await(connection.send(Request.cmd(Command.GET).arg("sockets:large")));
                await(connection.send(Request.cmd(Command.PING)));
            }
            assertTrue(parserHolds(plain) > 1_000_000, "Vert.x' parser copies the large reply along: " + parserHolds(plain));
            assertTrue(parserHolds(guarded) < 1_000, "a renewed parser holds only what came after: " + parserHolds(guarded));
            // a fresh parser adopts the first read it gets as its own buffer and appends later reads to it: an
            // error line the guard puts in place of a refused reply must be such a buffer too
            Redis small = Redis.createClient(vertx, options().setPassword(StandaloneRedis.PASSWORD));
            RedisConnection refusing = await(small.connect());
            try {
                RedisSockets.guard(refusing, 500_000, new ReplyBudget(4_000_000));
                try (RespClient direct = redis.client()) {
                    direct.call("SET", "sockets:medium", "m".repeat(100_000));
                }
                await(refusing.send(Request.cmd(Command.GET).arg("sockets:medium"))); // leaves a fresh parser
                Throwable refused = refusing.send(Request.cmd(Command.GET).arg("sockets:large")).toCompletionStage()
                        .toCompletableFuture().handle((reply, failure) -> failure).get(10, TimeUnit.SECONDS);
                assertTrue(RedisErrors.is(refused, "REPLYTOOLARGE"), String.valueOf(refused));
                assertEquals("PONG", await(refusing.send(Request.cmd(Command.PING))).toString(), "in step after the error line");
            } finally {
                refusing.close();
                small.close();
            }
        } finally {
            plain.close();
            guarded.close();
            own.close();
        }
    }

    /**
     * A call made on another event loop than its connection's gets its reply through that loop's task
     * queue, after the guard has forwarded it: the reply's reservation waits for the call (see {@link
     * ReplyBudget#handOver}), so the parsed replies queued there stay counted — uncounted, 64 calls of
     * 2 MB ended a 40 MB heap.
     */
    @Test
    void aCallerOnAnotherEventLoopFindsItsReplyStillReservedAndTakesItOver() throws Exception {
        try (RespClient direct = redis.client()) {
            direct.call("SET", "sockets:handover", "h".repeat(1_000_000)); // more than one socket read
        }
        Redis own = Redis.createClient(vertx, options().setPassword(StandaloneRedis.PASSWORD).setMaxPoolSize(1));
        ReplyBudget budget = new ReplyBudget(2_500_000);
        java.util.concurrent.CompletableFuture<long[]> seen = new java.util.concurrent.CompletableFuture<>();
        // from a thread outside Vert.x, each call makes a context on the next event loop
        io.vertx.core.Context connectionLoop = vertx.getOrCreateContext();
        io.vertx.core.Context callerLoop = vertx.getOrCreateContext();
        try {
            connectionLoop.runOnContext(ignored -> own.connect().onComplete(connected -> callerLoop.runOnContext(none -> {
                if (connected.failed()) {
                    seen.completeExceptionally(connected.cause());
                    return;
                }
                RedisConnection connection = connected.result();
                RedisSockets.guard(connection, 2_000_000, budget);
                connection.send(Request.cmd(Command.GET).arg("sockets:handover")).onComplete(done -> {
                    long held = budget.inUse();
                    boolean taken = budget.tryReserveForCall(2_000_000, 1_000_100);
                    if (taken) {
                        budget.release(2_000_000);
                    }
                    seen.complete(new long[] {held, taken ? 1 : 0});
                    connection.close();
                });
            })));
            long[] at = seen.get(10, TimeUnit.SECONDS);
            assertTrue(at[0] > 500_000, "the reply is still reserved as its caller gets it: " + at[0]);
            assertEquals(1, at[1], "the caller takes it over: 2 MB fit in 2.5 MB beside the 1 MB held");
            assertEquals(0, budget.inUse());
        } finally {
            own.close();
        }
    }

    /**
     * Vert.x closes, rather than reuses, a pooled connection that was sent AUTH or SELECT; after the
     * factory's own AUTH the adapter marks it reusable, and the pool hands the same connection out again.
     */
    @Test
    void aConnectionTheFunctionAuthenticatedGoesBackToThePool() throws Exception {
        Redis own = Redis.createClient(vertx, options().setMaxPoolSize(1));
        try {
            RedisConnection first = await(own.connect());
            Object actual = ((PooledRedisConnection) first).actual();
            await(first.send(Request.cmd(Command.AUTH).arg(StandaloneRedis.PASSWORD)));
            assertTrue(RedisSockets.TAINTED.getBoolean(actual), "Vert.x marks a connection sent AUTH");
            RedisSockets.prepared(first);
            assertFalse(RedisSockets.TAINTED.getBoolean(actual));
            first.close();
            RedisConnection again = await(own.connect());
            assertTrue(((PooledRedisConnection) again).actual() == actual, "the same connection, reused");
            assertEquals("PONG", await(again.send(Request.cmd(Command.PING))).toString(), "and still authenticated");
            again.close();
        } finally {
            own.close();
        }
    }

    /** The bytes Vert.x' RESP parser of a connection holds: socket handler → parser buffer → its bytes. */
    private static int parserHolds(RedisConnection connection) throws ReflectiveOperationException {
        Object parser = field(RedisSockets.socket(connection), "handler");
        assertEquals(RedisSockets.RESP_PARSER, parser.getClass().getName());
        Object readable = field(parser, "buffer");
        Object bytes = field(readable, "buffer");
        return bytes == null ? 0 : ((io.vertx.core.buffer.Buffer) bytes).length();
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
            try {
                java.lang.reflect.Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (NoSuchFieldException notHere) {
                // a superclass declares it
            }
        }
        throw new NoSuchFieldException(name + " in " + owner.getClass());
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
