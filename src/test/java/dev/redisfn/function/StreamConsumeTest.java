package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static dev.redisfn.function.Events.with;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * STREAM.CONSUME: a polling flow gets each entry at least once — new entries in order, entries a
 * failed consumer never acknowledged taken over after {@code claimIdleMs}, nothing once all are
 * acknowledged — and a call waiting with {@code blockMs} returns the entry written meanwhile.
 */
@QuarkusTest
class StreamConsumeTest {

    private static JsonPath consume(Map<String, Object> connection, String key, Object... params) {
        Map<String, Object> all = with(map("key", key, "group", "billing"), params);
        return execute(connection, "STREAM.CONSUME", all).statusCode(200).body("ok", is(true)).extract().jsonPath().setRootPath("result");
    }

    private static String add(Map<String, Object> connection, String key, String order) {
        return execute(connection, "XADD", map("key", key, "fields", map("order", order))).statusCode(200)
                .extract().path("result");
    }

    @Test
    void everyEntryIsDeliveredUntilAcknowledgedInEveryMode() {
        for (Map<String, Object> connection : List.of(Events.standalone(), Events.cluster(), Events.sentinel())) {
            String key = "orders:" + UUID.randomUUID();
            JsonPath first = consume(connection, key, "consumer", "a");
            assertThat("the group and the stream were created, nothing to read yet", first.getList("entries"), empty());

            List<String> ids = new ArrayList<>();
            for (String order : List.of("o1", "o2", "o3")) {
                ids.add(add(connection, key, order));
            }
            JsonPath two = consume(connection, key, "consumer", "a", "count", 2);
            assertThat(two.getList("entries.id"), contains(ids.get(0), ids.get(1)));
            assertThat(two.getList("entries.fields.order"), contains("o1", "o2"));
            assertThat(two.getInt("claimed"), equalTo(0));
            assertThat(consume(connection, key, "consumer", "a").getList("entries.id"), contains(ids.get(2)));
            assertThat("a new read skips what was delivered", consume(connection, key, "consumer", "a")
                    .getList("entries"), empty());

            // consumer a failed before acknowledging: b takes the three entries over
            JsonPath taken = consume(connection, key, "consumer", "b", "claimIdleMs", 0);
            assertThat(taken.getList("entries.id"), contains(ids.toArray()));
            assertThat(taken.getInt("claimed"), equalTo(3));

            execute(connection, "XACK", map("key", key, "group", "billing", "ids", ids)).statusCode(200)
                    .body("result", equalTo(3));
            JsonPath after = consume(connection, key, "consumer", "b", "claimIdleMs", 0);
            assertThat("acknowledged entries are not delivered again", after.getList("entries"), empty());
            assertThat(after.getInt("claimed"), equalTo(0));
        }
    }

    @Test
    void aWaitingCallReturnsTheEntryWrittenMeanwhile() throws Exception {
        Map<String, Object> connection = with(Events.standalone(), "commandTimeoutMs", 500);
        String key = "orders:" + UUID.randomUUID();
        consume(connection, key, "consumer", "w");
        CompletableFuture<JsonPath> waiting = CompletableFuture.supplyAsync(
                () -> consume(connection, key, "consumer", "w", "blockMs", 20_000));
        try (RespClient direct = RedisTopologies.standalone().client()) {
            Waits.until("the call to wait in XREADGROUP", Waits.DEFAULT,
                    () -> direct.callString("CLIENT", "LIST").contains("cmd=xreadgroup"));
            direct.call("XADD", key, "*", "order", "late");
        }
        JsonPath answered = waiting.get(30, TimeUnit.SECONDS);
        assertThat("the wait is not cut short by commandTimeoutMs", answered.getList("entries.fields.order"),
                contains("late"));

        // a wait three times the command timeout: it times out unless the wait is added to the deadline
        JsonPath quiet = consume(connection, key, "consumer", "w", "blockMs", 1_500);
        assertThat("a wait that sees nothing answers an empty page, not a timeout", quiet.getList("entries"), hasSize(0));
        Events.post("/execute", map("connection", connection, "batch", List.of(
                map("operation", "STREAM.CONSUME", "params", map("key", key, "group", "billing", "consumer", "w",
                        "blockMs", 1_500)), map("operation", "XLEN", "params", map("key", key)))))
                .statusCode(200).body("ok", is(true)).body("results[0].result.entries", hasSize(0))
                .body("results[1].result", equalTo(1));
    }

    /** The ids of {@code n} new entries, delivered to consumer a and left pending. */
    private static List<String> delivered(Map<String, Object> connection, String key, int n) {
        consume(connection, key, "consumer", "a");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(add(connection, key, "o" + i));
        }
        assertThat(consume(connection, key, "consumer", "a", "count", n).getList("entries.id"), contains(ids.toArray()));
        return ids;
    }

    @Test
    void claimFollowsTheCursorPastPendingEntriesThatAreStillFresh() {
        Map<String, Object> connection = Events.standalone();
        String key = "orders:" + UUID.randomUUID();
        List<String> ids = delivered(connection, key, 15);
        try (RespClient direct = RedisTopologies.standalone().client()) {
            // the 3 newest were delivered long ago; the 12 oldest were just delivered
            direct.call("XCLAIM", key, "billing", "a", "0", ids.get(12), ids.get(13), ids.get(14), "IDLE", "600000");
        }
        // one XAUTOCLAIM with COUNT 1 looks at 10 pending entries only: all fresh
        JsonPath taken = consume(connection, key, "consumer", "b", "count", 1, "claimIdleMs", 60_000);
        assertThat(taken.getList("entries.id"), contains(ids.get(12)));
        assertThat(taken.getInt("claimed"), equalTo(1));
        assertThat(taken.getList("deleted"), empty());
    }

    @Test
    void entriesDeletedWhilePendingAreReportedAsDeleted() {
        Map<String, Object> connection = Events.standalone();
        String key = "orders:" + UUID.randomUUID();
        List<String> ids = delivered(connection, key, 3);
        execute(connection, "XDEL", map("key", key, "ids", List.of(ids.get(1)))).statusCode(200).body("result", equalTo(1));

        JsonPath taken = consume(connection, key, "consumer", "b", "claimIdleMs", 0);
        assertThat(taken.getList("entries.id"), contains(ids.get(0), ids.get(2)));
        assertThat(taken.getInt("claimed"), equalTo(2));
        assertThat("the flow learns which pending entries are gone", taken.getList("deleted"), contains(ids.get(1)));
        try (RespClient direct = RedisTopologies.standalone().client()) {
            assertThat("Redis dropped them from the pending list", direct.callList("XPENDING", key, "billing").get(0),
                    equalTo(2L));
        }
        assertThat(consume(connection, key, "consumer", "b", "claimIdleMs", 0).getList("deleted"), empty());
    }

    @Test
    void outOfRangeParametersAreNamed() {
        Map<String, Object> connection = Events.standalone();
        execute(connection, "STREAM.CONSUME", map("key", "s", "group", "g", "consumer", "c", "blockMs", 60_001))
                .statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", containsString("blockMs"));
        execute(connection, "STREAM.CONSUME", map("key", "s", "group", "g", "consumer", "c", "claimIdleMs", -1))
                .statusCode(400).body("error.message", containsString("claimIdleMs"));
        execute(connection, "STREAM.CONSUME", map("key", "s", "group", "g")).statusCode(400)
                .body("error.message", containsString("consumer"));
        for (String start : List.of("bogus", "12-x", "-1", "")) {
            execute(connection, "STREAM.CONSUME", map("key", "s", "group", "g", "consumer", "c", "start", start))
                    .statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                    .body("error.message", containsString("start"));
        }
        for (String start : List.of("$", "0", "1526985054069", "1526985054069-3")) {
            consume(connection, "orders:" + UUID.randomUUID(), "consumer", "c", "start", start);
        }
        execute(connection, "SET", map("key", "not-a-stream", "value", "x")).statusCode(200);
        execute(connection, "STREAM.CONSUME", map("key", "not-a-stream", "group", "g", "consumer", "c")).statusCode(422)
                .body("error.code", equalTo("WRONG_TYPE"));
    }
}
