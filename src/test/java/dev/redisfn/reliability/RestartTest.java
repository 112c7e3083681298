package dev.redisfn.reliability;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.function.Events;
import dev.redisfn.testsupport.FunctionHttp;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.ServerStats;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** A server that goes away and comes back on the same port: fast typed failures, then no stale cached client. */
@QuarkusTest
class RestartTest extends PrivateRedisTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    private static Map<String, Object> connection(String clientName) {
        return map("host", "127.0.0.1", "port", redis.port(), "password", StandaloneRedis.PASSWORD,
                "connectTimeoutMs", 1000, "commandTimeoutMs", 1000, "clientName", clientName);
    }

    @Test
    void stoppedServerFailsFastWith502RetryableAndTheFirstCallAfterRestartSucceeds() {
        Map<String, Object> connection = connection("restart-stopped");
        execute(connection, "SET", map("key", "restart:a", "value", "before")).statusCode(200).body("result", is(true));

        redis.process().stop();
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            execute(connection, "GET", map("key", "restart:a")).statusCode(502)
                    .body("ok", is(false)).body("operation", equalTo("GET"))
                    .body("error.code", equalTo("CONNECTION_FAILED")).body("error.retryable", is(true))
                    .body(not(containsString("at io."))).body(not(containsString(StandaloneRedis.PASSWORD)));
            assertThat("call " + i + " to a stopped server (ms)", millisSince(started), lessThan(2_000L));
        }

        redis.process().restart();
        Waits.until(redis + " to accept connections again", Duration.ofSeconds(10), () -> RespClient.isOpen(redis.port()));
        // exactly one call: the first after the restart must already succeed
        execute(connection, "SET", map("key", "restart:a", "value", "after")).statusCode(200)
                .body("ok", is(true)).body("result", is(true));
        try (RespClient client = redis.client()) {
            assertThat(client.callString("GET", "restart:a"), equalTo("after"));
        }
    }

    @Test
    void restartBetweenTwoCallsLeavesNoStaleConnectionBehind() {
        Map<String, Object> connection = connection("restart-quiet");
        execute(connection, "SET", map("key", "restart:b", "value", "one")).statusCode(200).body("result", is(true));

        redis.process().restart(); // no call while it is down: the cached client's sockets were closed under it
        Waits.until(redis + " to accept connections again", Duration.ofSeconds(10), () -> RespClient.isOpen(redis.port()));

        execute(connection, "GET", map("key", "restart:b")).statusCode(200)
                .body("ok", is(true)).body("result", equalTo(null)); // no persistence: the restarted server is empty
        execute(connection, "SET", map("key", "restart:b", "value", "two")).statusCode(200).body("result", is(true));
        execute(connection, "GET", map("key", "restart:b")).statusCode(200).body("result", equalTo("two"));
    }

    @Test
    void concurrentCallsWhileTheServerIsDownAreAll502RetryableNeverInternal() throws Exception {
        FunctionHttp http = new FunctionHttp(base);
        String event = JSON.writeValueAsString(map("connection", connection("restart-concurrent"), "operation", "GET",
                "params", map("key", "restart:c")));
        assertThat(http.post("/execute", event).status(), equalTo(200));

        redis.process().stop();
        List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger answered = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                done.add(callers.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        FunctionHttp.Reply reply = http.post("/execute", event);
                        answered.incrementAndGet();
                        JsonNode body = JSON.readTree(reply.body());
                        if (reply.status() != 502 || !"CONNECTION_FAILED".equals(body.path("error").path("code").asText())
                                || !body.path("error").path("retryable").asBoolean() || reply.millis() > 2_000) {
                            unexpected.add(reply.status() + " after " + reply.millis() + " ms: " + reply.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
            redis.process().restart();
        }
        System.out.printf("restart: %d concurrent calls to a stopped server, %d not 502 CONNECTION_FAILED%n",
                answered.get(), unexpected.size());
        assertThat("answers other than a fast 502 CONNECTION_FAILED (first 5)",
                unexpected.subList(0, Math.min(5, unexpected.size())), empty());
        assertThat(http.post("/execute", event).status(), equalTo(200));
    }

    @Test
    void aCallWaitingOnTheServerWhenItDiesIs502RetryableNotARedisError() throws Exception {
        Map<String, Object> connection = connection("restart-inflight");
        connection.put("commandTimeoutMs", 5000);
        // WAIT for a replica this server does not have: the call stays in flight on the shared connection
        CompletableFuture<ExtractableResponse<Response>> waiting = CompletableFuture.supplyAsync(() -> Events.post(
                "/execute", map("connection", connection, "operation", "SET", "params", map("key", "restart:d", "value", "x"),
                        "waitReplicas", 1)).extract());
        try {
            try (RespClient admin = redis.client()) {
                Waits.until("the connector's WAIT to block on " + redis, Duration.ofSeconds(5),
                        () -> ServerStats.info(admin, "clients", "blocked_clients") >= 1);
            }
            redis.process().kill();
            ExtractableResponse<Response> answer = waiting.get(10, TimeUnit.SECONDS);
            assertThat(answer.asString(), answer.statusCode(), equalTo(502));
            assertThat(answer.path("error.code"), equalTo("CONNECTION_FAILED"));
            assertThat(answer.path("error.retryable"), is(true));
        } finally {
            redis.process().restart();
        }
        execute(connection, "SET", map("key", "restart:d", "value", "y")).statusCode(200).body("result", is(true));
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
