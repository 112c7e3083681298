package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasEntry;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Every operation of the first catalogue, through {@code POST /execute}, against one real
 * deployment; a subclass per mode supplies the connection. Keys carry a per-class prefix.
 */
abstract class OperationContract {

    final String prefix = getClass().getSimpleName() + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";

    abstract Map<String, Object> connection();

    String key(String name) {
        return prefix + name;
    }

    @Test
    void pingAnswersPongAndEchoesAMessage() {
        execute(connection(), "PING", map()).statusCode(200).body("ok", is(true)).body("result", equalTo("PONG"))
                .body("operation", equalTo("PING")).body("durationMs", notNullValue());
        execute(connection(), "ping", map("message", "hi")).statusCode(200).body("result", equalTo("hi"));
    }

    @Test
    void setThenGetReturnsTheValueAndMissingKeyIsNull() {
        execute(connection(), "SET", map("key", key("s"), "value", "alice")).statusCode(200).body("result", is(true));
        execute(connection(), "GET", map("key", key("s"))).statusCode(200).body("result", equalTo("alice"));
        execute(connection(), "GET", map("key", key("missing"))).statusCode(200)
                .body("ok", is(true)).body("$", org.hamcrest.Matchers.hasKey("result")).body("result", nullValue());
    }

    @Test
    void setWithConditionsAndExpiry() {
        String k = key("cond");
        execute(connection(), "SET", map("key", k, "value", "1", "condition", "XX")).body("result", is(false));
        execute(connection(), "SET", map("key", k, "value", "1", "condition", "NX", "ttlSeconds", 100))
                .body("result", is(true));
        execute(connection(), "SET", map("key", k, "value", "2", "condition", "nx")).body("result", is(false));
        execute(connection(), "TTL", map("key", k)).body("result", greaterThan(90)).body("result", lessThanOrEqualTo(100));
        execute(connection(), "SET", map("key", k, "value", "3", "ttlMillis", 50_000)).body("result", is(true));
        execute(connection(), "TTL", map("key", k)).body("result", lessThanOrEqualTo(50));
        execute(connection(), "GET", map("key", k)).body("result", equalTo("3"));
    }

    @Test
    void jsonAndBase64EncodingsRoundTrip() {
        Map<String, Object> doc = map("name", "alice", "tags", List.of("a", "b"), "age", 41);
        execute(connection(), "SET", map("key", key("json"), "value", doc, "encoding", "json")).body("result", is(true));
        execute(connection(), "GET", map("key", key("json"), "encoding", "json"))
                .body("result.name", equalTo("alice")).body("result.age", equalTo(41))
                .body("result.tags", contains("a", "b"));
        execute(connection(), "GET", map("key", key("json"))).body("result", equalTo("{\"name\":\"alice\",\"tags\":[\"a\",\"b\"],\"age\":41}"));
        // text a JSON writer did not store comes back as that text, never as null or a part of it
        for (String stored : List.of("", "  ", "12 abc", "{\"a\": 1} trailing", "1e99999999999")) {
            execute(connection(), "SET", map("key", key("text"), "value", stored)).body("result", is(true));
            execute(connection(), "GET", map("key", key("text"), "encoding", "json")).body("result", equalTo(stored));
        }
        execute(connection(), "SET", map("key", key("bin"), "value", "AP8Q", "encoding", "base64")).body("result", is(true));
        execute(connection(), "GET", map("key", key("bin"), "encoding", "base64")).body("result", equalTo("AP8Q"));
    }

    @Test
    void msetAndMgetKeepTheCallersOrder() {
        execute(connection(), "MSET", map("entries", map(key("{m}a"), "1", key("{m}b"), "2"))).body("result", is(true));
        execute(connection(), "MGET", map("keys", List.of(key("{m}b"), key("{m}missing"), key("{m}a"))))
                .body("result", contains("2", null, "1"));
    }

    @Test
    void delAndExistsCountKeys() {
        execute(connection(), "SET", map("key", key("d1"), "value", "x"));
        execute(connection(), "SET", map("key", key("d2"), "value", "x"));
        execute(connection(), "EXISTS", map("key", key("d1"))).body("result", is(true));
        execute(connection(), "EXISTS", map("keys", List.of(key("d1"), key("d2"), key("nope")))).body("result", equalTo(2));
        execute(connection(), "DEL", map("keys", List.of(key("d1"), key("d2"), key("nope")))).body("result", equalTo(2));
        execute(connection(), "EXISTS", map("key", key("d1"))).body("result", is(false));
        execute(connection(), "DEL", map("key", key("d1"))).body("result", equalTo(0));
    }

    @Test
    void expireTtlPersistAndType() {
        String k = key("exp");
        execute(connection(), "EXPIRE", map("key", k, "ttlSeconds", 10)).body("result", is(false));
        execute(connection(), "TTL", map("key", k)).body("result", equalTo(-2));
        execute(connection(), "SET", map("key", k, "value", "v"));
        execute(connection(), "TTL", map("key", k)).body("result", equalTo(-1));
        execute(connection(), "EXPIRE", map("key", k, "ttlSeconds", 100)).body("result", is(true));
        execute(connection(), "TTL", map("key", k)).body("result", greaterThan(0));
        execute(connection(), "PERSIST", map("key", k)).body("result", is(true));
        execute(connection(), "TTL", map("key", k)).body("result", equalTo(-1));
        execute(connection(), "TYPE", map("key", k)).body("result", equalTo("string"));
        execute(connection(), "TYPE", map("key", key("none"))).body("result", equalTo("none"));
    }

    @Test
    void countersIncrementAndDecrement() {
        String k = key("counter");
        execute(connection(), "INCR", map("key", k)).body("result", equalTo(1));
        execute(connection(), "INCRBY", map("key", k, "increment", 41)).body("result", equalTo(42));
        execute(connection(), "DECR", map("key", k)).body("result", equalTo(41));
        execute(connection(), "GET", map("key", k)).body("result", equalTo("41"));
    }

    @Test
    void integersJustBelowAPowerOfTenReachRedisAsTheirDigits() {
        String k = key("nines");
        execute(connection(), "INCRBY", map("key", k, "increment", 999_999_999_999_999L))
                .statusCode(200).body("result", equalTo(999_999_999_999_999L));
        execute(connection(), "DECRBY", map("key", k, "decrement", -9_999_999_999_999_999L))
                .statusCode(200).body("result", equalTo(10_999_999_999_999_998L));
        execute(connection(), "SET", map("key", k, "value", "v", "ttlMillis", 999_999_999_999_998L)).statusCode(200);
        execute(connection(), "RPUSH", map("key", key("nines-list"), "values", List.of("a", "b"))).statusCode(200);
        execute(connection(), "LRANGE", map("key", key("nines-list"),
                "start", -99_999_999_999_999_999L, "stop", 99_999_999_999_999_999L))
                .statusCode(200).body("result", contains("a", "b"));
    }

    @Test
    void hashesSetGetAllAndDelete() {
        String k = key("hash");
        execute(connection(), "HSET", map("key", k, "fields", map("name", "alice", "city", "Lyon"))).body("result", equalTo(2));
        execute(connection(), "HSET", map("key", k, "field", "age", "value", "41")).body("result", equalTo(1));
        execute(connection(), "HGET", map("key", k, "field", "name")).body("result", equalTo("alice"));
        execute(connection(), "HGET", map("key", k, "field", "nope")).body("result", nullValue());
        execute(connection(), "HGETALL", map("key", k))
                .body("result", hasEntry("name", "alice")).body("result", hasEntry("city", "Lyon"))
                .body("result", hasEntry("age", "41")).body("result.size()", equalTo(3));
        execute(connection(), "HDEL", map("key", k, "fields", List.of("city", "nope"))).body("result", equalTo(1));
        execute(connection(), "HGETALL", map("key", key("nohash"))).body("result.size()", equalTo(0));
    }

    @Test
    void listsPushPopAndRange() {
        String k = key("list");
        execute(connection(), "RPUSH", map("key", k, "values", List.of("b", "c"))).body("result", equalTo(2));
        execute(connection(), "LPUSH", map("key", k, "value", "a")).body("result", equalTo(3));
        execute(connection(), "LRANGE", map("key", k)).body("result", contains("a", "b", "c"));
        execute(connection(), "LRANGE", map("key", k, "start", 1, "stop", 1)).body("result", contains("b"));
        execute(connection(), "LPOP", map("key", k)).body("result", equalTo("a"));
        execute(connection(), "RPOP", map("key", k)).body("result", equalTo("c"));
        execute(connection(), "RPOP", map("key", k, "count", 5)).body("result", contains("b"));
        execute(connection(), "LPOP", map("key", k)).body("result", nullValue());
    }

    @Test
    void setsAddRemoveAndMembership() {
        String k = key("set");
        execute(connection(), "SADD", map("key", k, "members", List.of("a", "b", "c", "a"))).body("result", equalTo(3));
        execute(connection(), "SREM", map("key", k, "member", "c")).body("result", equalTo(1));
        execute(connection(), "SMEMBERS", map("key", k)).body("result", containsInAnyOrder("a", "b"));
        execute(connection(), "SISMEMBER", map("key", k, "member", "a")).body("result", is(true));
        execute(connection(), "SISMEMBER", map("key", k, "member", "c")).body("result", is(false));
    }

    @Test
    void sortedSetsAddRangeScoreAndRemove() {
        String k = key("zset");
        execute(connection(), "ZADD", map("key", k, "members", List.of(map("member", "b", "score", 2.5),
                map("member", "a", "score", 1)))).body("result", equalTo(2));
        execute(connection(), "ZADD", map("key", k, "member", "c", "score", 3)).body("result", equalTo(1));
        execute(connection(), "ZRANGE", map("key", k)).body("result", contains("a", "b", "c"));
        execute(connection(), "ZRANGE", map("key", k, "start", 0, "stop", 1, "withScores", true))
                .body("result[0].member", equalTo("a")).body("result[0].score", equalTo(1))
                .body("result[1].member", equalTo("b")).body("result[1].score", equalTo(2.5f));
        execute(connection(), "ZSCORE", map("key", k, "member", "b")).body("result", equalTo(2.5f));
        execute(connection(), "ZSCORE", map("key", k, "member", "zz")).body("result", nullValue());
        execute(connection(), "ZREM", map("key", k, "members", List.of("a", "zz"))).body("result", equalTo(1));
        execute(connection(), "ZRANGE", map("key", k)).body("result", contains("b", "c"));
    }

    @Test
    void wrongTypeIsA422WithRedisMessage() {
        execute(connection(), "SET", map("key", key("str"), "value", "x"));
        execute(connection(), "LPUSH", map("key", key("str"), "value", "y")).statusCode(422)
                .body("ok", is(false)).body("operation", equalTo("LPUSH"))
                .body("error.code", equalTo("WRONG_TYPE")).body("error.retryable", is(false))
                .body("error.message", org.hamcrest.Matchers.containsString("WRONGTYPE"));
    }

    @Test
    void batchRunsEveryItemAndReportsEachOutcome() {
        String k = key("batch");
        Events.post("/execute", map("connection", connection(), "batch", List.of(
                map("operation", "INCR", "params", map("key", k)),
                map("operation", "INCRBY", "params", map("key", k, "increment", 9)),
                map("operation", "HGET", "params", map("key", k, "field", "f")),
                map("operation", "NOPE"),
                map("operation", "GET", "params", map("key", k)))))
                .statusCode(200).body("ok", is(false)).body("durationMs", notNullValue())
                .body("results[0].ok", is(true)).body("results[0].result", equalTo(1))
                .body("results[1].result", equalTo(10))
                .body("results[2].ok", is(false)).body("results[2].error.code", equalTo("WRONG_TYPE"))
                .body("results[3].error.code", equalTo("UNKNOWN_OPERATION"))
                .body("results[4].result", equalTo("10"));
    }

    @Test
    void atomicBatchRunsAsATransaction() {
        String k = key("{tx}n");
        Events.post("/execute", map("connection", connection(), "atomic", true, "batch", List.of(
                map("operation", "SET", "params", map("key", k, "value", "5")),
                map("operation", "INCR", "params", map("key", k)),
                map("operation", "GET", "params", map("key", k)))))
                .statusCode(200).body("ok", is(true))
                .body("results[0].result", is(true)).body("results[1].result", equalTo(6))
                .body("results[2].result", equalTo("6"));
    }

    @Test
    void testConnectionSaysTheConfigIsCorrect() {
        Events.post("/test-connection", map("connection", connection())).statusCode(200)
                .body("ok", is(true)).body("message", equalTo("Connection configuration is correct"))
                .body("serverVersion", equalTo("7.0.15")).body("nodes.size()", greaterThan(0))
                .body("nodes[0].reachable", is(true)).body("nodes[0].latencyMs", notNullValue());
    }
}
