package dev.redisfn.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.NotRedisServer;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisProcess;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.ResettingServer;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClientOptions;
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
            assertTrue(afterwards.getMessage().contains(RedisErrors.CONNECTION_IS_CLOSED), afterwards.getMessage());
            assertTrue(RedisErrors.saysClosed(afterwards.getMessage()));
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

    @Test
    void aClosedClientRefusesNewConnectionsAndItsOpenOnesSaySo() throws Exception {
        Redis client = client(new RedisOptions());
        RedisConnection open = await(client.connect());
        client.close();
        Throwable connect = failureOf(client.connect());
        assertTrue(connect.getMessage().contains(RedisErrors.CLIENT_IS_CLOSED), String.valueOf(connect));
        assertTrue(RedisErrors.saysClosed(connect.getMessage()));
        Waits.until("the closed client's connection refuses commands", Duration.ofSeconds(10),
                () -> String.valueOf(messageOf(open.send(Request.cmd(Command.PING)))).contains(RedisErrors.CONNECTION_IS_CLOSED));
    }

    @Test
    void aFullQueueIsKnownBeforeSendingAndASendThatRacesItSaysSo() throws Exception {
        Redis client = client(new RedisOptions().setMaxWaitingHandlers(1));
        RedisConnection connection = await(client.connect());
        try {
            assertFalse(connection.pendingQueueFull());
            Future<Response> blocked = connection.send(Request.cmd(Command.BLPOP).arg("errors:queue").arg("0.5"));
            Waits.until("BLPOP holds the one waiting slot", Duration.ofSeconds(10), connection::pendingQueueFull);
            Throwable full = failureOf(connection.send(Request.cmd(Command.PING)));
            assertTrue(RedisErrors.isQueueFull(full), String.valueOf(full));
            assertNull(await(blocked), "BLPOP timed out on the empty list");
            assertFalse(connection.pendingQueueFull());
        } finally {
            connection.close();
            client.close();
        }
    }

    @Test
    void refusedCredentialsAreErrorRepliesOfRedisNotAFailedConnect() throws Exception {
        List<Throwable> refusals = new ArrayList<>();
        Redis wrongPassword = plainClient(redis.port(), "not-the-password");
        Redis noPassword = plainClient(redis.port(), null);
        int openPort = Ports.free();
        RedisProcess open = RedisProcess.start("errors-no-password", openPort, List.of());
        Redis passwordless = plainClient(openPort, null);
        try {
            // AUTH of the connect itself, refused: Vert.x fails the connect with Redis' own error reply
            Throwable refused = failureOf(wrongPassword.connect());
            assertFalse(refused instanceof ConnectException, String.valueOf(refused));
            assertEquals("WRONGPASS", RedisErrors.code(refused));
            refusals.add(refused);
            Throwable noAuth = failureOf(noPassword.connect().compose(conn -> conn.send(Request.cmd(Command.PING))));
            assertEquals("NOAUTH", RedisErrors.code(noAuth));
            refusals.add(noAuth);
            Throwable noneConfigured = failureOf(passwordless.connect()
                    .compose(conn -> conn.send(Request.cmd(Command.AUTH).arg("a-token"))));
            assertEquals("ERR", RedisErrors.code(noneConfigured));
            refusals.add(noneConfigured);
        } finally {
            wrongPassword.close();
            noPassword.close();
            passwordless.close();
            open.stop();
        }
        Set<String> matched = new TreeSet<>();
        for (Throwable refusal : refusals) {
            assertTrue(RedisErrors.isErrorReply(refusal), String.valueOf(refusal));
            assertTrue(RedisErrors.saysCredentialsRefused(refusal.getMessage()), refusal.getMessage());
            RedisErrors.CREDENTIALS_REFUSED.stream()
                    .filter(text -> refusal.getMessage().toLowerCase(Locale.ROOT).contains(text)).forEach(matched::add);
        }
        // every text but the one of servers before 6.0 ("ERR invalid password"), which a 7.x server cannot say
        assertEquals(new TreeSet<>(RedisErrors.CREDENTIALS_REFUSED.stream().filter(t -> !t.equals("invalid password")).toList()),
                matched);
    }

    /** The texts of Redis' own refusals that test-connection and the cluster map read, as a 7.x server words them. */
    @Test
    void redisRefusalsReadByTheirText() {
        int port = RedisTopologies.standalone().port();
        try (RespClient redis = new RespClient(port, null, StandaloneRedis.PASSWORD)) {
            String notCluster = refusal(() -> redis.call("CLUSTER", "SLOTS"));
            assertTrue(RedisErrors.saysClusterDisabled(notCluster), notCluster);
            String notSentinel = refusal(() -> redis.call("SENTINEL", "get-master-addr-by-name", "mymaster"));
            assertTrue(RedisErrors.saysUnknownCommand(notSentinel, "sentinel"), notSentinel);
            assertFalse(RedisErrors.saysUnknownCommand(notSentinel, "cluster"), notSentinel);
            String noDatabase = refusal(() -> redis.call("SELECT", "99"));
            assertTrue(RedisErrors.saysNoSuchDatabase(noDatabase), noDatabase);
            assertFalse(RedisErrors.saysSelectRefused(noDatabase), noDatabase);
            redis.call("ACL", "SETUSER", "errors-no-select", "on", ">no-select-pw", "~*", "+@all", "-select");
            try (RespClient limited = new RespClient(port, "errors-no-select", "no-select-pw")) {
                String noSelect = refusal(() -> limited.call("SELECT", "1"));
                assertTrue(RedisErrors.saysSelectRefused(noSelect), noSelect);
            } finally {
                redis.call("ACL", "DELUSER", "errors-no-select");
            }
        }
    }

    /** A sentinel asked about a master name it does not monitor, as the Vert.x client reports it. */
    @Test
    void aSentinelRefusesAMasterNameItDoesNotMonitor() throws Exception {
        Redis sentinel = Redis.createClient(vertx, new RedisOptions().setProtocolNegotiation(false)
                .setConnectionString("redis://127.0.0.1:" + RedisTopologies.sentinel().sentinelPorts().get(0)));
        try {
            Throwable refused = failureOf(sentinel.send(Request.cmd(Command.SENTINEL).arg("replicas").arg("no-such-master")));
            assertTrue(RedisErrors.saysNoSuchMaster(refused), String.valueOf(refused));
            Throwable otherError = failureOf(sentinel.send(Request.cmd(Command.SENTINEL).arg("no-such-subcommand")));
            assertFalse(RedisErrors.saysNoSuchMaster(otherError), String.valueOf(otherError));
        } finally {
            sentinel.close();
        }
    }

    private static String refusal(org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(RespClient.RedisError.class, call).getMessage();
    }

    @Test
    void aResetConnectionSaysSoOnBothTransports() throws Exception {
        Vertx epoll = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        try (ResettingServer server = ResettingServer.start()) {
            for (Vertx transport : epoll.isNativeTransportEnabled() ? List.of(vertx, epoll) : List.of(vertx)) {
                Redis client = Redis.createClient(transport, new RedisOptions().setProtocolNegotiation(false)
                        .setConnectionString("redis://127.0.0.1:" + server.port()));
                try {
                    Throwable reset = failureOf(client.connect().compose(conn -> conn.send(Request.cmd(Command.PING))));
                    assertTrue(RedisErrors.saysReset(reset.getMessage()), String.valueOf(reset));
                } finally {
                    client.close();
                }
            }
        } finally {
            epoll.close();
        }
    }

    @Test
    void aTlsHandshakeThatGetsNoAnswerIsNettysTimeoutWrappedByVertx() throws Exception {
        // a listening socket nobody reads: the TCP connect succeeds, the ClientHello is never answered
        try (ServerSocket silent = Ports.serverSocket()) {
            Redis tls = Redis.createClient(vertx, new RedisOptions().setProtocolNegotiation(false)
                    .setConnectionString("rediss://127.0.0.1:" + silent.getLocalPort())
                    .setNetClientOptions(new NetClientOptions().setSsl(true).setTrustAll(true)
                            .setHostnameVerificationAlgorithm("").setSslHandshakeTimeout(300)
                            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)));
            try {
                Throwable timedOut = failureOf(tls.connect());
                assertInstanceOf(SSLException.class, timedOut);
                assertTrue(RedisErrors.isHandshakeTimeout(timedOut), String.valueOf(timedOut));
            } finally {
                tls.close();
            }
        }
    }

    private static String messageOf(Future<?> future) {
        try {
            Throwable failure = failureOf(future);
            return failure == null ? null : failure.getMessage();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Redis plainClient(int port, String password) {
        RedisOptions options = new RedisOptions().setProtocolNegotiation(false).setConnectionString("redis://127.0.0.1:" + port);
        return Redis.createClient(vertx, password == null ? options : options.setPassword(password));
    }
}
