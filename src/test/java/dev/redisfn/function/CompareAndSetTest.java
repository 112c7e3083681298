package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** CAS: a value is swapped only if it is still the one read; standalone and cluster alike. */
@QuarkusTest
class CompareAndSetTest {

    @Test
    void swapsOnlyWhatIsStillExpectedInEveryMode() {
        for (Map<String, Object> connection : List.of(Events.standalone(), Events.cluster(), Events.sentinel())) {
            String key = "cas:{k}:" + connection.get("mode");
            execute(connection, "DEL", map("key", key)).statusCode(200);
            execute(connection, "CAS", map("key", key, "value", "v1")).statusCode(200).body("result", is(true));
            execute(connection, "CAS", map("key", key, "value", "again")).statusCode(200).body("result", is(false));
            execute(connection, "CAS", map("key", key, "expected", "stale", "value", "v2")).statusCode(200)
                    .body("result", is(false));
            execute(connection, "GET", map("key", key)).statusCode(200).body("result", equalTo("v1"));
            execute(connection, "CAS", map("key", key, "expected", "v1", "value", "v2", "ttlMs", 60_000)).statusCode(200)
                    .body("result", is(true));
            execute(connection, "GET", map("key", key)).statusCode(200).body("result", equalTo("v2"));
            execute(connection, "PTTL", map("key", key)).statusCode(200).body("result", greaterThan(1000))
                    .body("result", lessThanOrEqualTo(60_000));
            execute(connection, "CAS", map("key", key, "expected", null, "value", "v3")).statusCode(200)
                    .body("result", is(false));
        }
    }

    /**
     * With encoding json, CAS compares values by meaning: what another writer stored in its own spelling
     * (spaces, key order, 1e2 for 100) is the value the flow read; numbers compare exactly, however long.
     */
    @Test
    void jsonValuesCompareByMeaningInEveryMode() {
        for (Map<String, Object> connection : List.of(Events.standalone(), Events.cluster(), Events.sentinel())) {
            String key = "cas:doc:" + connection.get("mode");
            execute(connection, "SET", map("key", key, "value", "{\"b\": [1, 2.0], \"a\": 1e2}")).statusCode(200);
            execute(connection, "CAS", map("key", key, "expected", map("a", 101, "b", List.of(1, 2)), "value", map("a", 1),
                    "encoding", "json")).statusCode(200).body("result", is(false));
            execute(connection, "CAS", map("key", key, "expected", map("a", 100, "b", List.of(1, 2)), "value", map("a", 1),
                    "encoding", "json")).statusCode(200).body("result", is(true));
            execute(connection, "GET", map("key", key)).statusCode(200).body("result", equalTo("{\"a\":1}"));
            execute(connection, "SET", map("key", key, "value", "12345678901234567891")).statusCode(200);
            execute(connection, "CAS", map("key", key, "expected", new java.math.BigInteger("12345678901234567890"),
                    "value", 1, "encoding", "json")).statusCode(200).body("result", is(false));
            execute(connection, "CAS", map("key", key, "expected", new java.math.BigInteger("12345678901234567891"),
                    "value", 1, "encoding", "json")).statusCode(200).body("result", is(true));
            execute(connection, "CAS", map("key", key + ":none", "expected", 1, "value", 2, "encoding", "json"))
                    .statusCode(200).body("result", is(false));
        }
        // it reads before it swaps, so it is no single command for an atomic batch
        Events.post("/execute", map("connection", Events.standalone(), "atomic", true, "batch", List.of(map("operation",
                "CAS", "params", map("key", "cas:doc", "expected", 1, "value", 2, "encoding", "json"))))).statusCode(400)
                .body("error.message", startsWith("batch[0]: CAS"));
    }

    @Test
    void jsonValuesSwapAndMistakesAreNamed() {
        Map<String, Object> connection = Events.standalone();
        execute(connection, "DEL", map("key", "cas:json")).statusCode(200);
        execute(connection, "CAS", map("key", "cas:json", "value", map("n", 1), "encoding", "json")).statusCode(200)
                .body("result", is(true));
        execute(connection, "CAS", map("key", "cas:json", "expected", map("n", 1), "value", map("n", 2), "encoding", "json",
                "ttlMillis", 5_000)).statusCode(200).body("result", is(true));
        execute(connection, "GET", map("key", "cas:json", "encoding", "json")).statusCode(200).body("result.n", equalTo(2));
        execute(connection, "CAS", map("key", "cas:json", "value", "x", "ttlMs", 1, "ttlMillis", 1)).statusCode(400)
                .body("error.message", equalTo("params.ttlMs: give ttlMillis or ttlMs, not both"));
        execute(connection, "LPUSH", map("key", "cas:list", "value", "x")).statusCode(200);
        String plain = execute(connection, "GET", map("key", "cas:list")).statusCode(422).extract().path("error.message");
        execute(connection, "CAS", map("key", "cas:list", "expected", "x", "value", "y")).statusCode(422)
                .body("error.code", equalTo("WRONG_TYPE")).body("result", nullValue())
                .body("error.message", equalTo(plain)).body("error.message", not(containsString("script")));
    }
}
