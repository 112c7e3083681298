package dev.redisfn.reliability;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.PrivateSentinelTest;
import dev.redisfn.testsupport.RedisProcess;
import dev.redisfn.testsupport.SentinelSet;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * kill -9 of the master under a stream of writes: the connector answers typed, retryable errors
 * while the sentinels fail over, then writes to the promoted replica without being restarted.
 */
@QuarkusTest
class SentinelFailoverTest extends PrivateSentinelTest {

    private static final int CONNECT_TIMEOUT_MS = 1000;
    private static final int COMMAND_TIMEOUT_MS = 2000;
    /** Concurrent writers: failures of one call must not break the calls in flight beside it. */
    private static final int WRITERS = 4;

    /** One write of the stream: when it ran and what came back. */
    record Write(String key, long startedNanos, long endedNanos, int status, String code, Boolean retryable, String body) {

        boolean succeeded() {
            return status == 200;
        }

        long millis() {
            return (endedNanos - startedNanos) / 1_000_000;
        }
    }

    private static Map<String, Object> connection() {
        return map("mode", "sentinel", "nodes", sentinels.sentinelNodes(), "masterName", SentinelSet.MASTER_NAME,
                "password", SentinelSet.PASSWORD, "connectTimeoutMs", CONNECT_TIMEOUT_MS,
                "commandTimeoutMs", COMMAND_TIMEOUT_MS, "clientName", "failover-writer");
    }

    @Test
    void writesResumeWithin30sOfKillingTheMasterWithOnlyTypedRetryableErrorsAndNoLostReplicatedKey() throws Exception {
        Map<String, Object> connection = connection();
        // acknowledged by the replica before the crash, so the promoted replica must have it
        given().contentType(ContentType.JSON).body(map("connection", connection, "operation", "SET",
                "params", map("key", "failover:replicated", "value", "kept"), "waitReplicas", 1))
                .when().post("/execute").then().statusCode(200).body("ok", is(true)).body("result", is(true));

        List<Write> writes = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            String prefix = "failover:stream:" + w + ":";
            Thread writer = new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    writes.add(write(connection, prefix + i));
                }
            }, "sentinel-failover-writer-" + w);
            writers.add(writer);
            writer.start();
        }
        try {
            Waits.until("the writers to succeed 5 times before the kill", Duration.ofSeconds(15),
                    () -> writes.stream().filter(Write::succeeded).count() >= 5);
            RedisProcess master = sentinels.currentMaster();
            long killedAt = System.nanoTime();
            master.kill();

            Waits.until("a write to succeed after the kill and a failure", Duration.ofSeconds(30),
                    () -> recovery(writes, killedAt) != null);
            Write recovered = recovery(writes, killedAt);
            Waits.until("20 more writes after recovery", Duration.ofSeconds(15),
                    () -> writes.stream().filter(w -> w.startedNanos() > recovered.endedNanos()).count() >= 20);
            stop(running, writers);

            double seconds = (recovered.endedNanos() - killedAt) / 1e9;
            List<Write> afterKill = writes.stream().filter(w -> w.startedNanos() > killedAt).toList();
            List<Write> failed = afterKill.stream().filter(w -> !w.succeeded()).toList();
            System.out.printf(Locale.ROOT, "sentinel failover recovery: %.1f s (%d failed writes, slowest failure %d ms,"
                    + " new master port %d)%n", seconds, failed.size(),
                    failed.stream().mapToLong(Write::millis).max().orElse(0), sentinels.masterPort());

            assertThat("recovery time (s)", seconds, lessThan(30.0));
            assertThat("failed writes after the kill (the master was really gone)", failed.size(), greaterThan(0));
            assertThat("failures that are not 502/504 CONNECTION_FAILED/TIMEOUT retryable",
                    failed.stream().filter(w -> !typedRetryable(w)).map(Write::toString).limit(5).toList(), empty());
            assertThat("failures slower than connect + command timeout + 1 s",
                    failed.stream().filter(w -> w.millis() > CONNECT_TIMEOUT_MS + COMMAND_TIMEOUT_MS + 1000)
                            .map(Write::toString).limit(5).toList(), empty());
            assertThat("failures of writes started after writes resumed", writes.stream()
                    .filter(w -> w.startedNanos() > recovered.endedNanos() && !w.succeeded())
                    .map(Write::toString).limit(5).toList(), empty());
            assertThat(sentinels.masterPort(), not(equalTo(master.port())));

            execute(connection, "GET", map("key", "failover:replicated")).statusCode(200).body("result", equalTo("kept"));
            execute(connection, "GET", map("key", recovered.key())).statusCode(200).body("result", equalTo(recovered.key()));
        } finally {
            stop(running, writers);
        }
    }

    private static void stop(AtomicBoolean running, List<Thread> writers) throws InterruptedException {
        running.set(false);
        for (Thread writer : writers) {
            writer.join(10_000);
        }
    }

    private static Write write(Map<String, Object> connection, String key) {
        long started = System.nanoTime();
        ExtractableResponse<Response> response = given().contentType(ContentType.JSON)
                .body(map("connection", connection, "operation", "SET", "params", map("key", key, "value", key)))
                .when().post("/execute").then().extract();
        long ended = System.nanoTime();
        String body = response.asString();
        boolean json = body.startsWith("{");
        return new Write(key, started, ended, response.statusCode(), json ? response.path("error.code") : null,
                json ? response.path("error.retryable") : null, body.length() > 300 ? body.substring(0, 300) : body);
    }

    /** The first successful write that started after the first failure following the kill; null while none. */
    private static Write recovery(List<Write> writes, long killedAt) {
        List<Write> snapshot = new ArrayList<>(writes);
        Write firstFailure = null;
        for (Write w : snapshot) {
            if (w.startedNanos() < killedAt) {
                continue;
            }
            if (firstFailure == null && !w.succeeded()) {
                firstFailure = w;
            } else if (firstFailure != null && w.succeeded() && w.startedNanos() >= firstFailure.endedNanos()) {
                return w;
            }
        }
        return null;
    }

    private static boolean typedRetryable(Write w) {
        return (w.status() == 502 && "CONNECTION_FAILED".equals(w.code()) || w.status() == 504 && "TIMEOUT".equals(w.code()))
                && Boolean.TRUE.equals(w.retryable()) && !w.body().contains("Exception") && !w.body().contains("at io.");
    }
}
