package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.InterposingProxy;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RedisCluster;
import dev.redisfn.testsupport.RedisProcess;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.SentinelSet;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * {@code watch} as an object — each key with the value the flow read in an earlier call — makes
 * read-then-write flows optimistic across calls: a key changed since it was read applies nothing and
 * answers 409 CONFLICT; an unchanged one lets the batch through.
 */
@QuarkusTest
class WatchValuesTest extends PrivateRedisTest {

    /** A topology: the connection of the function's events, and a client of another party to the key's node. */
    private record Side(Map<String, Object> connection, Function<String, RespClient> other) {
    }

    private static Side standalone() {
        return new Side(map("host", "127.0.0.1", "port", redis.port(), "password", StandaloneRedis.PASSWORD),
                key -> redis.client());
    }

    private static Side cluster() {
        RedisCluster cluster = RedisTopologies.cluster();
        return new Side(Events.cluster(), key -> RedisCluster.client(cluster.masterPortForKey(key)));
    }

    private static Side sentinel() {
        SentinelSet set = RedisTopologies.sentinel();
        return new Side(Events.sentinel(), key -> new RespClient(set.masterPort(), null, SentinelSet.PASSWORD));
    }

    /** An atomic batch watching {@code watch}; {@code operations} alternate names and params. */
    private static ValidatableResponse atomic(Map<String, Object> connection, Object watch, Object... operations) {
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < operations.length; i += 2) {
            batch.add(map("operation", operations[i], "params", operations[i + 1]));
        }
        return Events.post("/execute", map("connection", connection, "batch", batch, "atomic", true, "watch", watch));
    }

    @Test
    void aValueChangedSinceTheFlowReadItAppliesNothingAndAnswers409InEveryMode() {
        for (Side side : List.of(standalone(), cluster(), sentinel())) {
            String balance = "{acct}:balance";
            String ops = "{acct}:ops";
            try (RespClient other = side.other().apply(balance)) {
                other.call("DEL", balance, ops);
                other.call("SET", balance, "100");
                execute(side.connection(), "GET", map("key", balance)).statusCode(200).body("result", equalTo("100"));
                other.call("SET", balance, "50");
                atomic(side.connection(), map(balance, "100"), "SET", map("key", balance, "value", "90"),
                        "INCR", map("key", ops)).statusCode(409).body("error.code", equalTo("CONFLICT"))
                        .body("error.retryable", is(true)).body("error.message", containsString(balance))
                        .body("error.message", not(containsString("50")));
                assertThat("the other client's write stands", other.callString("GET", balance), equalTo("50"));
                assertThat("nothing of the batch was applied", other.call("EXISTS", ops), equalTo(0L));
            }
        }
    }

    @Test
    void anUnchangedValueLetsTheBatchThroughInEveryMode() {
        for (Side side : List.of(standalone(), cluster(), sentinel())) {
            String balance = "{acct}:kept";
            try (RespClient other = side.other().apply(balance)) {
                other.call("SET", balance, "100");
                atomic(side.connection(), map(balance, "100", "{acct}:never", null), "SET",
                        map("key", balance, "value", "90"), "GET", map("key", balance)).statusCode(200)
                        .body("ok", is(true)).body("results[0].result", is(true)).body("results[1].result", equalTo("90"));
                assertThat(other.callString("GET", balance), equalTo("90"));
            }
        }
    }

    @Test
    void aKeyReadAsMissingThatAnotherClientCreatedAnswers409InEveryMode() {
        for (Side side : List.of(standalone(), cluster(), sentinel())) {
            String order = "{order}:7";
            try (RespClient other = side.other().apply(order)) {
                other.call("DEL", order);
                execute(side.connection(), "GET", map("key", order)).statusCode(200).body("result", nullValue());
                other.call("SET", order, "theirs");
                atomic(side.connection(), map(order, null), "SET", map("key", order, "value", "mine"))
                        .statusCode(409).body("error.code", equalTo("CONFLICT")).body("error.message", containsString(order));
                assertThat(other.callString("GET", order), equalTo("theirs"));
            }
        }
    }

    @Test
    void aWatchedKeyHoldingAListIsWrongTypeAndNothingApplies() {
        for (Side side : List.of(standalone(), cluster(), sentinel())) {
            try (RespClient other = side.other().apply("{w}:list")) {
                other.call("DEL", "{w}:list", "{w}:n");
                other.call("LPUSH", "{w}:list", "x");
                atomic(side.connection(), map("{w}:list", "x"), "INCR", map("key", "{w}:n")).statusCode(422)
                        .body("error.code", equalTo("WRONG_TYPE")).body("error.retryable", is(false))
                        .body("error.message", startsWith("watch.{w}:list: WRONGTYPE"))
                        .body("error.hint", containsString("string"));
                assertThat(other.call("EXISTS", "{w}:n"), equalTo(0L));
            }
        }
    }

    @Test
    void aRefusedBatchLeavesNoWatchOnTheConnectionItGivesBack() {
        // without credentials no AUTH marks a leased connection for closing: the pool hands the same one out again
        try (RedisProcess open = RedisProcess.start("watch-open", Ports.free(), List.of());
                RespClient other = new RespClient(open.port())) {
            Map<String, Object> connection = map("host", open.host(), "port", open.port());
            other.call("SET", "left:watched", "new");
            atomic(connection, map("left:watched", "old"), "INCR", map("key", "left:n")).statusCode(409)
                    .body("error.code", equalTo("CONFLICT"));
            other.call("SET", "left:watched", "newer");
            atomic(connection, map("left:other", null), "INCR", map("key", "left:n")).statusCode(200)
                    .body("results[0].result", equalTo(1));
        }
    }

    @Test
    void aChangeBetweenTheCheckAndExecStillAnswers409() {
        try (InterposingProxy proxy = InterposingProxy.to(redis.port()); RespClient other = redis.client()) {
            Map<String, Object> connection = map("host", "127.0.0.1", "port", proxy.port(), "password",
                    StandaloneRedis.PASSWORD, "clientName", "watch-values-" + proxy.port());
            other.call("SET", "late:balance", "100");
            proxy.beforeNextExec(relayPort -> {
                // the values were compared and the transaction queued (flag x): a change now is one EXEC must see
                Waits.until("the transaction to be queued", Waits.DEFAULT, () -> other.callString("CLIENT", "LIST")
                        .lines().anyMatch(line -> line.contains(" addr=127.0.0.1:" + relayPort + " ")
                                && line.matches(".* flags=[A-Za-z]*x[A-Za-z]* .*")));
                other.call("SET", "late:balance", "50");
            });
            atomic(connection, map("late:balance", "100"), "SET", map("key", "late:balance", "value", "90"))
                    .statusCode(409).body("error.code", equalTo("CONFLICT"));
            assertThat(other.callString("GET", "late:balance"), equalTo("50"));
        }
    }

    @Test
    void valuesCompareInTheEncodingOfTheItemsNamingTheKey() {
        Side side = standalone();
        try (RespClient other = redis.client()) {
            other.call("SET", "doc:1", "{\"n\":1}");
            atomic(side.connection(), map("doc:1", map("n", 1)), "SET",
                    map("key", "doc:1", "value", map("n", 2), "encoding", "json")).statusCode(200).body("ok", is(true));
            assertThat(other.callString("GET", "doc:1"), equalTo("{\"n\":2}"));
            atomic(side.connection(), map("doc:1", map("n", 2)), "INCR", map("key", "doc:n")).statusCode(400)
                    .body("error.message", startsWith("watch.doc:1: expected the value read"));
            atomic(side.connection(), map("doc:1", map("n", 2)), "SET", map("key", "doc:1", "value", "x", "encoding", "json"),
                    "GET", map("key", "doc:1", "encoding", "utf8")).statusCode(400)
                    .body("error.message", containsString("different encodings"));
            assertThat("refused before anything was sent", other.callString("GET", "doc:1"), equalTo("{\"n\":2}"));
        }
    }

    /** A JSON value another writer stored in its own spelling is the value the flow read through encoding json. */
    @Test
    void jsonValuesCompareByMeaningWhoeverWroteThem() {
        Side side = standalone();
        try (RespClient other = redis.client()) {
            other.call("SET", "doc:2", "{\"b\": [1, 2.0], \"a\": 1e2}");
            Object read = execute(side.connection(), "GET", map("key", "doc:2", "encoding", "json")).statusCode(200)
                    .extract().path("result");
            atomic(side.connection(), map("doc:2", read), "SET", map("key", "doc:2", "value", map("a", 3), "encoding", "json"))
                    .statusCode(200).body("ok", is(true));
            assertThat(other.callString("GET", "doc:2"), equalTo("{\"a\":3}"));
            atomic(side.connection(), map("doc:2", map("a", 3.5)), "SET", map("key", "doc:2", "value", "x", "encoding", "json"))
                    .statusCode(409).body("error.code", equalTo("CONFLICT"));
        }
    }

    @Test
    void watchedValuesShareTheBatchSlotAndTheShapeIsChecked() {
        atomic(Events.cluster(), map("{a}:x", "1", "{b}:y", null), "SET", map("key", "{a}:z", "value", "1"))
                .statusCode(400).body("error.code", equalTo("CROSS_SLOT"));
        atomic(standalone().connection(), "k", "INCR", map("key", "k")).statusCode(400)
                .body("error.message", startsWith("watch: expected an array of keys or an object"));
        atomic(standalone().connection(), map(), "INCR", map("key", "k")).statusCode(400)
                .body("error.message", startsWith("watch: must name between 1"));
        Events.post("/execute", map("connection", standalone().connection(), "batch",
                List.of(map("operation", "INCR", "params", map("key", "k"))), "watch", map("k", "1")))
                .statusCode(400).body("error.message", containsString("atomic"));
    }
}
