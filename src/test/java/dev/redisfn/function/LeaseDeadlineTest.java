package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

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
        execute(connection, "BLPOP", map("key", "lease:queue", "waitMs", 100)).statusCode(504)
                .body("error.code", equalTo("TIMEOUT"));
        Events.post("/execute", map("connection", connection, "atomic", true, "batch", List.of(
                map("operation", "SET", "params", map("key", "lease:late-write", "value", "x"))))).statusCode(504);
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
        String event = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map("connection",
                Events.standalone(), "operation", "BLPOP", "params", map("key", "lease:gone", "waitMs", 30_000)));
        try (RespClient redis = new RespClient(RedisTopologies.standalone().port(), null, StandaloneRedis.PASSWORD)) {
            long before = blocked(redis);
            try (java.net.Socket caller = new java.net.Socket("127.0.0.1", io.restassured.RestAssured.port)) {
                byte[] body = event.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                caller.getOutputStream().write(("POST /execute HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                        + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                caller.getOutputStream().write(body);
                caller.getOutputStream().flush();
                Waits.until("the pop to block in Redis", Duration.ofSeconds(10), () -> blocked(redis) > before);
            }
            Waits.until("the pop to be cut off once its caller is gone", Duration.ofSeconds(10),
                    () -> blocked(redis) == before, () -> "blocked_clients:" + blocked(redis));
            redis.call("RPUSH", "lease:gone", "job");
            execute(Events.standalone(), "LLEN", map("key", "lease:gone")).statusCode(200).body("result", equalTo(1));
        }
    }

    private static long blocked(RespClient redis) {
        return ServerStats.info(redis, "clients", "blocked_clients");
    }
}
