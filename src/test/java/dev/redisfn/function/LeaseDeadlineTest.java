package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.ServerStats;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A call that waits for a connection of its own (a blocking pop, a transaction) past its deadline is
 * answered TIMEOUT and never sent afterwards: what it would have popped or written after its caller
 * was told it timed out stays undone. One client with three connections, so three pops hold them all.
 */
@QuarkusTest
@TestProfile(LeaseDeadlineTest.ThreeConnections.class)
class LeaseDeadlineTest {

    public static class ThreeConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.pool.shared-connections", "1", "connector.pool.max-size", "2");
        }
    }

    @Test
    void callsAnsweredTimeoutWhileWaitingForAConnectionNeverRunLater() throws Exception {
        Map<String, Object> connection = Events.with(Events.standalone(), "commandTimeoutMs", 500);
        List<CompletableFuture<Integer>> blockers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            blockers.add(CompletableFuture.supplyAsync(() -> execute(connection, "BLPOP",
                    map("key", "lease:never", "waitMs", 5_000)).extract().statusCode()));
        }
        try (RespClient redis = new RespClient(RedisTopologies.standalone().port(), null, StandaloneRedis.PASSWORD)) {
            Waits.until("the three pops to hold every connection", Duration.ofSeconds(10), () -> blocked(redis) >= 3,
                    () -> "blocked_clients:" + blocked(redis));
        }
        // nothing was sent, so a flow may retry them: the pop, and the write too
        execute(connection, "BLPOP", map("key", "lease:queue", "waitMs", 100)).statusCode(504)
                .body("error.code", equalTo("TIMEOUT")).body("error.retryable", is(true))
                .body("error.message", endsWith("nothing was sent"));
        Events.post("/execute", map("connection", connection, "atomic", true, "batch", List.of(
                map("operation", "SET", "params", map("key", "lease:late-write", "value", "x"))))).statusCode(504)
                .body("error.retryable", is(true)).body("error.hint", startsWith("connector.pool.max-size"));
        execute(Events.standalone(), "RPUSH", map("key", "lease:queue", "value", "job")).statusCode(200);
        for (CompletableFuture<Integer> blocker : blockers) {
            blocker.get(20, TimeUnit.SECONDS);
        }
        // a call queued behind the late ones runs after they would have
        execute(connection, "BLPOP", map("key", "lease:after", "waitMs", 100)).statusCode(200).body("result", nullValue());
        execute(Events.standalone(), "LPOP", map("key", "lease:queue")).statusCode(200).body("result", equalTo("job"));
        execute(Events.standalone(), "EXISTS", map("key", "lease:late-write")).body("result", is(false));
    }

    /** A pop whose caller goes away is cut off at once: Redis takes nothing for it, and a value pushed after stays. */
    @Test
    void aCallerGoneCutsItsPopOff() throws Exception {
        try (RespClient redis = new RespClient(RedisTopologies.standalone().port(), null, StandaloneRedis.PASSWORD)) {
            long before = blocked(redis);
            callAndGoAway(map("connection", Events.standalone(), "operation", "BLPOP",
                    "params", map("key", "lease:gone", "waitMs", 30_000)), "the pop to block", () -> blocked(redis) > before);
            Waits.until("the pop to be cut off once its caller is gone", Duration.ofSeconds(10),
                    () -> blocked(redis) == before, () -> "blocked_clients:" + blocked(redis));
            redis.call("RPUSH", "lease:gone", "job");
            execute(Events.standalone(), "LLEN", map("key", "lease:gone")).statusCode(200).body("result", equalTo(1));
            // its outcome is the caller's leaving, not a failure of Redis (the cut-off connection is closed)
            Waits.until("the pop's outcome to be counted as its caller's leaving", Duration.ofSeconds(10),
                    () -> io.restassured.RestAssured.get("/q/metrics").asString().lines().anyMatch(line ->
                            line.startsWith("connector_operation_seconds_count") && line.contains("operation=\"BLPOP\"")
                                    && line.contains("outcome=\"CALLER_GONE\"")));
        }
    }

    /**
     * So are a stream read and a subscription: an entry added after is handed to no consumer (it would
     * wait out claimIdleMs), and a message published after reaches no subscriber.
     */
    @Test
    void aCallerGoneCutsItsStreamReadAndSubscriptionOff() throws Exception {
        try (RespClient redis = new RespClient(RedisTopologies.standalone().port(), null, StandaloneRedis.PASSWORD)) {
            long before = blocked(redis);
            callAndGoAway(map("connection", Events.standalone(), "operation", "STREAM.CONSUME", "params", map("key",
                    "lease:stream", "group", "g", "consumer", "gone", "blockMs", 30_000)), "the read to block",
                    () -> blocked(redis) > before);
            Waits.until("the read to be cut off once its caller is gone", Duration.ofSeconds(10),
                    () -> blocked(redis) == before, () -> "blocked_clients:" + blocked(redis));
            redis.call("XADD", "lease:stream", "*", "order", "1");
            execute(Events.standalone(), "XPENDING", map("key", "lease:stream", "group", "g")).statusCode(200)
                    .body("result.count", equalTo(0));

            callAndGoAway(map("connection", Events.standalone(), "operation", "SUBSCRIBE", "params", map("channel",
                    "lease:channel", "waitMs", 30_000)), "the subscription", () -> subscribers(redis) == 1);
            Waits.until("the subscription to end once its caller is gone", Duration.ofSeconds(10),
                    () -> subscribers(redis) == 0);
        }
    }

    /** Sends the call over a socket of its own and closes it once {@code started}. */
    private static void callAndGoAway(Map<String, Object> call, String what, java.util.function.BooleanSupplier started)
            throws Exception {
        byte[] body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(call);
        try (java.net.Socket caller = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            caller.getOutputStream().write(("POST /execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            caller.getOutputStream().write(body);
            caller.getOutputStream().flush();
            Waits.until(what + " to start in Redis", Duration.ofSeconds(10), started);
        }
    }

    private static long subscribers(RespClient redis) {
        Object reply = redis.call("PUBSUB", "NUMSUB", "lease:channel");
        return Long.parseLong(String.valueOf(((List<?>) reply).get(1)));
    }

    private static long blocked(RespClient redis) {
        return ServerStats.info(redis, "clients", "blocked_clients");
    }
}
