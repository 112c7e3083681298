package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.InterposingProxy;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code watch} on an atomic batch: a watched key another client changes before EXEC applies
 * nothing and answers 409 CONFLICT, retryable; an unchanged one lets the batch through.
 */
@QuarkusTest
class WatchTest extends PrivateRedisTest {

    private static Map<String, Object> atomic(int port, List<String> watch, Object... operations) {
        List<Object> batch = new java.util.ArrayList<>();
        for (int i = 0; i < operations.length; i += 2) {
            batch.add(map("operation", operations[i], "params", operations[i + 1]));
        }
        return map("connection", map("host", "127.0.0.1", "port", port, "password", StandaloneRedis.PASSWORD,
                "clientName", "watch-" + port), "batch", batch, "atomic", true, "watch", watch);
    }

    @Test
    void aWatchedKeyChangedBeforeExecAppliesNothingAndAnswers409() {
        try (InterposingProxy proxy = InterposingProxy.to(redis.port()); RespClient direct = redis.client()) {
            direct.call("SET", "watch:balance", "100");
            Events.post("/execute", atomic(proxy.port(), List.of("watch:balance"), "SET",
                    map("key", "watch:balance", "value", "90"), "INCR", map("key", "watch:ops")))
                    .statusCode(200).body("ok", is(true));
            assertThat(direct.callString("GET", "watch:balance"), equalTo("90"));

            proxy.beforeNextExec(relayPort -> {
                try (RespClient other = redis.client()) {
                    // WATCH ran once the relay's connection is inside MULTI (flag x): only then does the change count
                    Waits.until("the transaction to be queued", Waits.DEFAULT, () -> other.callString("CLIENT", "LIST")
                            .lines().anyMatch(line -> line.contains(" addr=127.0.0.1:" + relayPort + " ")
                                    && line.matches(".* flags=[A-Za-z]*x[A-Za-z]* .*")));
                    other.call("SET", "watch:balance", "50");
                }
            });
            Events.post("/execute", atomic(proxy.port(), List.of("watch:balance"), "SET",
                    map("key", "watch:balance", "value", "80"), "INCR", map("key", "watch:ops")))
                    .statusCode(409).body("error.code", equalTo("CONFLICT")).body("error.retryable", is(true))
                    .body("error.message", containsString("watch:balance"));
            assertThat("the other client's write stands", direct.callString("GET", "watch:balance"), equalTo("50"));
            assertThat("nothing of the batch was applied", direct.callString("GET", "watch:ops"), equalTo("1"));
        }
    }

    @Test
    void watchBelongsToAtomicBatchesAndShareTheirSlotInACluster() {
        Events.post("/execute", map("connection", Events.standalone(), "batch",
                List.of(map("operation", "PING")), "watch", List.of("k"))).statusCode(400)
                .body("error.message", containsString("watch"));
        Events.post("/execute", map("connection", Events.standalone(), "operation", "PING", "watch", List.of("k")))
                .statusCode(400).body("error.message", containsString("watch"));
        Events.post("/execute", map("connection", Events.cluster(), "atomic", true, "watch", List.of("{a}:x", "{b}:y"),
                "batch", List.of(map("operation", "SET", "params", map("key", "{a}:z", "value", "1")))))
                .statusCode(400).body("error.code", equalTo("CROSS_SLOT"));
        Events.post("/execute", map("connection", Events.cluster(), "atomic", true, "watch", List.of("{a}:x"),
                "batch", List.of(map("operation", "SET", "params", map("key", "{a}:z", "value", "1")))))
                .statusCode(200).body("ok", is(true));
    }
}
