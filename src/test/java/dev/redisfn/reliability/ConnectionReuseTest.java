package dev.redisfn.reliability;

import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.testsupport.FunctionHttp;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.ServerStats;
import dev.redisfn.testsupport.StandaloneRedis;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Calls of one config share a handful of server connections, sequentially and 64 at a time; big batches keep their order. */
@QuarkusTest
class ConnectionReuseTest extends PrivateRedisTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NEW_CONNECTIONS = 16;

    @TestHTTPResource("/")
    URI base;

    static Map<String, Object> connection(String clientName) {
        return map("host", "127.0.0.1", "port", redis.port(), "password", StandaloneRedis.PASSWORD,
                "clientName", clientName);
    }

    @Test
    void fiveHundredSequentialCallsOfOneConfigOpenAtMostSixteenServerConnections() throws Exception {
        FunctionHttp http = new FunctionHttp(base);
        Map<String, Object> connection = connection("reuse-sequential");
        List<String> failures = new ArrayList<>();
        try (RespClient admin = redis.client()) {
            long before = ServerStats.totalConnectionsReceived(admin);
            for (int i = 0; i < 250; i++) {
                expect(http, failures, body(connection, "SET", map("key", "reuse:seq:" + i, "value", "v" + i)), "true");
                expect(http, failures, body(connection, "GET", map("key", "reuse:seq:" + i)), "\"v" + i + '"');
            }
            assertThat("failed calls (first 10)", failures.subList(0, Math.min(10, failures.size())), empty());
            long opened = ServerStats.totalConnectionsReceived(admin) - before;
            long named = ServerStats.clientsNamed(admin, "reuse-sequential"::equals);
            System.out.printf("connection reuse: 500 sequential calls opened %d server connections (%d named open now)%n",
                    opened, named);
            assertThat("server connections opened by 500 calls of one config", opened,
                    lessThanOrEqualTo((long) MAX_NEW_CONNECTIONS));
            assertThat(named, lessThanOrEqualTo(opened));
        }
    }

    @Test
    void sixtyFourConcurrentCallersAllGetTheirOwnValuesWithoutPoolBusy() throws Exception {
        try (RespClient admin = redis.client()) {
            long before = ServerStats.totalConnectionsReceived(admin);
            List<String> failures = setAndGetConcurrently(new FunctionHttp(base), connection("reuse-concurrent"), 64, 10);
            long opened = ServerStats.totalConnectionsReceived(admin) - before;
            System.out.printf("connection reuse: 64 concurrent callers x 20 calls opened %d server connections, %d failed%n",
                    opened, failures.size());
            assertThat("failed calls (first 10)", failures.subList(0, Math.min(10, failures.size())), empty());
            assertThat("server connections opened by 64 concurrent callers", opened,
                    lessThanOrEqualTo((long) MAX_NEW_CONNECTIONS));
        }
    }

    /**
     * {@code callers} threads at once, each SETting and then GETting {@code pairs} keys of its own
     * through one config; returns the calls that failed or answered another caller's value.
     */
    static List<String> setAndGetConcurrently(FunctionHttp http, Map<String, Object> connection, int callers, int pairs)
            throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                String caller = connection.get("clientName") + ":" + c;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < pairs; i++) {
                        String key = "reuse:conc:" + caller + ":" + i;
                        String value = "caller-" + caller + "-" + i;
                        expect(http, failures, body(connection, "SET", map("key", key, "value", value)), "true");
                        expect(http, failures, body(connection, "GET", map("key", key)), '"' + value + '"');
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBatchTooBigToShareAConnectionRunsOnOneOfItsOwnInOrder() throws Exception {
        FunctionHttp http = new FunctionHttp(base);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            batch.add(map("operation", "INCR", "params", map("key", "reuse:batch:counter")));
        }
        FunctionHttp.Reply reply = http.post("/execute",
                JSON.writeValueAsString(map("connection", connection("reuse-batch"), "batch", batch)));
        JsonNode results = JSON.readTree(reply.body()).path("results");
        assertThat(reply.body(), results.size(), org.hamcrest.Matchers.equalTo(300));
        for (int i = 0; i < 300; i++) {
            assertThat("result " + i, results.get(i).path("result").asLong(), org.hamcrest.Matchers.equalTo(i + 1L));
        }
    }

    static String body(Map<String, Object> connection, String operation, Map<String, Object> params)
            throws Exception {
        return JSON.writeValueAsString(map("connection", connection, "operation", operation, "params", params));
    }

    static void expect(FunctionHttp http, List<String> failures, String body, String expectedResult)
            throws Exception {
        FunctionHttp.Reply reply = http.post("/execute", body);
        JsonNode answer = reply.status() == 200 ? JSON.readTree(reply.body()) : null;
        if (answer == null || !answer.path("ok").asBoolean() || !expectedResult.equals(answer.path("result").toString())) {
            failures.add(reply.status() + " " + reply.body() + " (expected result " + expectedResult + ")");
        }
    }
}
