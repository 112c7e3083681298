package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;

/**
 * The grown catalogue (keys, strings, lists, hashes, sets, sorted sets, helpers) through
 * {@code POST /execute} in one mode; keys of multi-key operations share a hash tag so the same
 * calls are valid in cluster mode.
 */
abstract class CatalogueContract {

    final String tag = "{" + getClass().getSimpleName() + UUID.randomUUID().toString().substring(0, 6) + "}";

    abstract Map<String, Object> connection();

    String key(String name) {
        return tag + name;
    }

    @Test
    void keysRenameCopyDumpAndExpiry() {
        execute(connection(), "SET", map("key", key("a"), "value", "1"));
        execute(connection(), "RENAME", map("key", key("a"), "newKey", key("b"))).statusCode(200).body("result", is(true));
        execute(connection(), "RENAMENX", map("key", key("b"), "newKey", key("b"))).statusCode(200).body("result", is(false));
        execute(connection(), "COPY", map("key", key("b"), "destination", key("c"))).body("result", is(true));
        // RESTORE is off unless enabled by name (ScriptingEnabledPolicyTest restores this dump's kind)
        execute(connection(), "DUMP", map("key", key("c"))).statusCode(200).body("result", org.hamcrest.Matchers.notNullValue());
        execute(connection(), "COPY", map("key", key("c"), "destination", key("d"))).body("result", is(true));
        execute(connection(), "GET", map("key", key("d"))).body("result", equalTo("1"));
        execute(connection(), "PEXPIRE", map("key", key("d"), "ttlMillis", 50_000)).body("result", is(true));
        execute(connection(), "PTTL", map("key", key("d"))).body("result", greaterThan(1000));
        long at = System.currentTimeMillis() / 1000 + 100;
        execute(connection(), "EXPIREAT", map("key", key("d"), "unixSeconds", at, "condition", "GT")).body("result", is(true));
        execute(connection(), "TTL", map("key", key("d"))).body("result", greaterThan(50));
        execute(connection(), "EXPIRETIME", map("key", key("d"))).body("result", equalTo((int) at));
        execute(connection(), "PEXPIRETIME", map("key", key("d"))).body("result", equalTo(at * 1000));
        execute(connection(), "EXPIRETIME", map("key", key("nothing"))).body("result", equalTo(-2));
        execute(connection(), "UNLINK", map("keys", List.of(key("b"), key("c"), key("d")))).body("result", equalTo(3));
        execute(connection(), "TOUCH", map("key", key("b"))).body("result", equalTo(0));
    }

    @Test
    void scanPagesThroughEveryKeyAndKeysIsBounded() {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String name = "scan:" + tag.substring(1, tag.length() - 1) + ":" + i;
            written.add(name);
            execute(connection(), "SET", map("key", name, "value", "v"));
        }
        String pattern = "scan:" + tag.substring(1, tag.length() - 1) + ":*";
        List<String> seen = new ArrayList<>();
        String cursor = "0";
        int pages = 0;
        do {
            JsonPath page = execute(connection(), "SCAN", map("cursor", cursor, "pattern", pattern, "count", 10))
                    .statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("result.keys"));
            cursor = page.getString("result.cursor");
            pages++;
        } while (!"0".equals(cursor) && pages < 1000);
        org.hamcrest.MatcherAssert.assertThat(seen, hasItems(written.toArray(new String[0])));
        execute(connection(), "KEYS", map("pattern", pattern, "limit", 10)).statusCode(200)
                .body("result.keys", hasSize(10)).body("result.truncated", is(true));
        execute(connection(), "KEYS", map("pattern", pattern)).statusCode(200)
                .body("result.keys", hasSize(25)).body("result.truncated", is(false));
        execute(connection(), "SCAN", map("cursor", "not-a-cursor")).statusCode(400).body("error.code", equalTo("INVALID_REQUEST"));
    }

    @Test
    void stringsFamily() {
        String k = key("str");
        execute(connection(), "SET", map("key", k, "value", "hello", "get", true)).body("result", nullValue());
        execute(connection(), "SET", map("key", k, "value", "world", "get", true)).body("result", equalTo("hello"));
        execute(connection(), "SET", map("key", k, "value", "again", "keepTtl", true)).body("result", is(true));
        execute(connection(), "SETNX", map("key", k, "value", "x")).body("result", is(false));
        execute(connection(), "APPEND", map("key", k, "value", "!")).body("result", equalTo(6));
        execute(connection(), "STRLEN", map("key", k)).body("result", equalTo(6));
        execute(connection(), "GETRANGE", map("key", k, "start", 0, "end", 1)).body("result", equalTo("ag"));
        execute(connection(), "SETRANGE", map("key", k, "offset", 0, "value", "AG")).body("result", equalTo(6));
        execute(connection(), "GETSET", map("key", k, "value", "new")).body("result", equalTo("AGain!"));
        execute(connection(), "GETEX", map("key", k, "ttlSeconds", 100)).body("result", equalTo("new"));
        execute(connection(), "TTL", map("key", k)).body("result", greaterThan(0));
        execute(connection(), "GETDEL", map("key", k)).body("result", equalTo("new"));
        execute(connection(), "SETEX", map("key", k, "value", "v", "ttlSeconds", 30)).body("result", is(true));
        execute(connection(), "INCRBYFLOAT", map("key", key("f"), "increment", 1.5)).body("result", equalTo(1.5f));
        // the increment's digits reach Redis, and its long double sum comes back, neither through a double
        execute(connection(), "INCRBYFLOAT", map("key", key("f53"), "increment", 9007199254740993L))
                .body("result", equalTo(9007199254740993L));
        execute(connection(), "GET", map("key", key("f53"))).body("result", equalTo("9007199254740993"));
        execute(connection(), "HINCRBYFLOAT", map("key", key("hf53"), "field", "f", "increment", 9007199254740993L))
                .body("result", equalTo(9007199254740993L));
        execute(connection(), "DECRBY", map("key", key("n"), "decrement", 5)).body("result", equalTo(-5));
        execute(connection(), "MSETNX", map("entries", map(key("m1"), "1", key("m2"), "2"))).body("result", is(true));
        execute(connection(), "MSETNX", map("entries", map(key("m1"), "x", key("m3"), "3"))).body("result", is(false));
        execute(connection(), "SETBIT", map("key", key("bits"), "offset", 7, "bit", 1)).body("result", equalTo(0));
        execute(connection(), "GETBIT", map("key", key("bits"), "offset", 7)).body("result", equalTo(1));
        execute(connection(), "BITCOUNT", map("key", key("bits"))).body("result", equalTo(1));
        execute(connection(), "BITPOS", map("key", key("bits"), "bit", 1)).body("result", equalTo(7));
    }

    @Test
    void listsFamily() {
        String k = key("list");
        execute(connection(), "LPUSHX", map("key", k, "value", "a")).body("result", equalTo(0));
        execute(connection(), "RPUSH", map("key", k, "values", List.of("a", "b", "c", "b")));
        execute(connection(), "LLEN", map("key", k)).body("result", equalTo(4));
        execute(connection(), "LINDEX", map("key", k, "index", -1)).body("result", equalTo("b"));
        execute(connection(), "LSET", map("key", k, "index", 0, "value", "A")).body("result", is(true));
        execute(connection(), "LINSERT", map("key", k, "position", "AFTER", "pivot", "A", "value", "a2")).body("result", equalTo(5));
        execute(connection(), "LPOS", map("key", k, "value", "b")).body("result", equalTo(2));
        execute(connection(), "LPOS", map("key", k, "value", "b", "count", 0)).body("result", contains(2, 4));
        execute(connection(), "LREM", map("key", k, "value", "b")).body("result", equalTo(2));
        execute(connection(), "LTRIM", map("key", k, "start", 0, "stop", 1)).body("result", is(true));
        execute(connection(), "LRANGE", map("key", k)).body("result", contains("A", "a2"));
        execute(connection(), "LMOVE", map("source", k, "destination", key("list2"), "from", "LEFT", "to", "RIGHT"))
                .body("result", equalTo("A"));
        execute(connection(), "RPOPLPUSH", map("source", k, "destination", key("list2"))).body("result", equalTo("a2"));
        execute(connection(), "LRANGE", map("key", key("list2"))).body("result", contains("a2", "A"));
        execute(connection(), "RPUSHX", map("key", key("list2"), "value", "z")).body("result", equalTo(3));
    }

    @Test
    void hashesFamily() {
        String k = key("hash");
        execute(connection(), "HSET", map("key", k, "fields", map("a", "1", "b", "2")));
        execute(connection(), "HSETNX", map("key", k, "field", "a", "value", "x")).body("result", is(false));
        execute(connection(), "HMGET", map("key", k, "fields", List.of("b", "zz", "a"))).body("result", contains("2", null, "1"));
        execute(connection(), "HEXISTS", map("key", k, "field", "a")).body("result", is(true));
        execute(connection(), "HKEYS", map("key", k)).body("result", containsInAnyOrder("a", "b"));
        execute(connection(), "HVALS", map("key", k)).body("result", containsInAnyOrder("1", "2"));
        execute(connection(), "HLEN", map("key", k)).body("result", equalTo(2));
        execute(connection(), "HINCRBY", map("key", k, "field", "a", "increment", 9)).body("result", equalTo(10));
        execute(connection(), "HINCRBYFLOAT", map("key", k, "field", "b", "increment", 0.5)).body("result", equalTo(2.5f));
        execute(connection(), "HSTRLEN", map("key", k, "field", "a")).body("result", equalTo(2));
        execute(connection(), "HRANDFIELD", map("key", k, "count", 5, "withValues", true)).body("result", hasSize(2))
                .body("result.find { it.field == 'a' }.value", equalTo("10"));
        execute(connection(), "HSCAN", map("key", k)).statusCode(200).body("result.cursor", equalTo("0"))
                .body("result.fields.b", equalTo("2.5"));
    }

    @Test
    void setsFamily() {
        execute(connection(), "SADD", map("key", key("s1"), "members", List.of("a", "b", "c")));
        execute(connection(), "SADD", map("key", key("s2"), "members", List.of("b", "c", "d")));
        execute(connection(), "SMISMEMBER", map("key", key("s1"), "members", List.of("a", "z"))).body("result", contains(true, false));
        execute(connection(), "SCARD", map("key", key("s1"))).body("result", equalTo(3));
        execute(connection(), "SINTER", map("keys", List.of(key("s1"), key("s2")))).body("result", containsInAnyOrder("b", "c"));
        execute(connection(), "SUNION", map("keys", List.of(key("s1"), key("s2")))).body("result", hasSize(4));
        execute(connection(), "SDIFF", map("keys", List.of(key("s1"), key("s2")))).body("result", contains("a"));
        execute(connection(), "SINTERSTORE", map("destination", key("s3"), "keys", List.of(key("s1"), key("s2"))))
                .body("result", equalTo(2));
        execute(connection(), "SINTERCARD", map("keys", List.of(key("s1"), key("s2")), "limit", 1)).body("result", equalTo(1));
        execute(connection(), "SMOVE", map("source", key("s1"), "destination", key("s2"), "member", "a")).body("result", is(true));
        execute(connection(), "SRANDMEMBER", map("key", key("s2"), "count", 2)).body("result", hasSize(2));
        execute(connection(), "SPOP", map("key", key("s3"))).body("result", is(oneOf("b", "c")));
        execute(connection(), "SSCAN", map("key", key("s2"))).body("result.members", hasSize(4));
    }

    @Test
    void sortedSetsFamily() {
        String k = key("z");
        execute(connection(), "ZADD", map("key", k, "members", List.of(map("member", "a", "score", 1), map("member", "b", "score", 2),
                map("member", "c", "score", 3)))).body("result", equalTo(3));
        execute(connection(), "ZADD", map("key", k, "member", "a", "score", 5, "compare", "GT", "changed", true)).body("result", equalTo(1));
        execute(connection(), "ZADD", map("key", k, "member", "b", "score", 1, "incr", true)).body("result", equalTo(3));
        execute(connection(), "ZRANGE", map("key", k, "by", "SCORE", "min", "3", "max", "+inf")).body("result", contains("b", "c", "a"));
        execute(connection(), "ZRANGE", map("key", k, "by", "SCORE", "min", "(3", "max", "+inf", "rev", true, "withScores", true))
                .body("result[0].member", equalTo("a")).body("result[0].score", equalTo(5));
        execute(connection(), "ZRANGEBYSCORE", map("key", k, "min", "-inf", "max", "3", "offset", 1, "count", 1)).body("result", contains("c"));
        execute(connection(), "ZREVRANGE", map("key", k, "start", 0, "stop", 0)).body("result", contains("a"));
        execute(connection(), "ZMSCORE", map("key", k, "members", List.of("a", "zz"))).body("result", contains(5, null));
        execute(connection(), "ZINCRBY", map("key", k, "member", "c", "increment", 0.5)).body("result", equalTo(3.5f));
        execute(connection(), "ZCARD", map("key", k)).body("result", equalTo(3));
        execute(connection(), "ZCOUNT", map("key", k, "min", 3, "max", 4)).body("result", equalTo(2));
        execute(connection(), "ZRANK", map("key", k, "member", "a")).body("result", equalTo(2));
        execute(connection(), "ZREVRANK", map("key", k, "member", "a")).body("result", equalTo(0));
        execute(connection(), "ZRANK", map("key", k, "member", "zz")).body("result", nullValue());
        execute(connection(), "ZUNIONSTORE", map("destination", key("z2"), "keys", List.of(k, k), "weights", List.of(1, 2),
                "aggregate", "SUM")).body("result", equalTo(3));
        execute(connection(), "ZSCORE", map("key", key("z2"), "member", "a")).body("result", equalTo(15));
        execute(connection(), "ZPOPMIN", map("key", key("z2"))).body("result.member", equalTo("b"));
        execute(connection(), "ZREMRANGEBYSCORE", map("key", key("z2"), "min", "-inf", "max", "11")).body("result", equalTo(1));
        execute(connection(), "ZPOPMAX", map("key", key("z2"), "count", 5)).body("result.member", contains("a"));
        execute(connection(), "ZPOPMAX", map("key", key("z2"))).body("result", nullValue());
        execute(connection(), "ZSCAN", map("key", k)).body("result.members", hasSize(3));
        execute(connection(), "ZADD", map("key", key("lex"), "members", List.of(map("member", "a", "score", 0),
                map("member", "b", "score", 0))));
        execute(connection(), "ZLEXCOUNT", map("key", key("lex"), "min", "-", "max", "+")).body("result", equalTo(2));
        execute(connection(), "ZRANGE", map("key", key("lex"), "by", "LEX", "min", "[b", "max", "+")).body("result", contains("b"));
        execute(connection(), "ZREMRANGEBYLEX", map("key", key("lex"), "min", "(a", "max", "+")).body("result", equalTo(1));
        execute(connection(), "ZRANGE", map("key", key("lex"), "start", 0, "stop", -1)).body("result", contains("a"));
        // a malformed bound is the caller's mistake, named, not Redis' "min or max is not a float"
        execute(connection(), "ZCOUNT", map("key", k, "min", "abc", "max", 4)).statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST")).body("error.message", startsWith("params.min: expected a score"));
        execute(connection(), "ZRANGEBYSCORE", map("key", k, "min", "(1", "max", "+INF")).statusCode(200);
        execute(connection(), "ZLEXCOUNT", map("key", key("lex"), "min", "b", "max", "+")).statusCode(400)
                .body("error.message", startsWith("params.min: expected \"[a\""));
        execute(connection(), "ZRANGE", map("key", k, "by", "SCORE", "min", 0, "max", "x")).statusCode(400)
                .body("error.message", startsWith("params.max: expected a score"));
    }

    @Test
    void ambiguousOrMisplacedParametersAreRefusedBeforeRedis() {
        execute(connection(), "SET", map("key", key("both1"), "value", "1"));
        execute(connection(), "DEL", map("key", key("both1"), "keys", List.of(key("both2")))).statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST")).body("error.message", startsWith("params.key: give keys or key, not both"));
        execute(connection(), "EXISTS", map("key", key("both1"))).body("result", is(true));
        execute(connection(), "RPUSH", map("key", key("both3"), "value", "a", "values", List.of("b"))).statusCode(400)
                .body("error.message", startsWith("params.value: give values or value, not both"));
        execute(connection(), "ZRANGE", map("key", key("z"), "offset", 1, "count", 1)).statusCode(400)
                .body("error.message", startsWith("params.offset: applies to by SCORE or LEX"));
        execute(connection(), "ZRANGE", map("key", key("z"), "by", "SCORE", "min", 0, "max", 1, "start", 5)).statusCode(400)
                .body("error.message", startsWith("params.start: applies to by INDEX"));
        execute(connection(), "SCAN", map("count", 100_000)).statusCode(400)
                .body("error.message", startsWith("params.count: must be between 1 and 10000, got 100000"));
        execute(connection(), "HSCAN", map("key", key("h"), "count", 100_000)).statusCode(400)
                .body("error.message", startsWith("params.count: must be between 1 and 10000, got 100000"));
        execute(connection(), "ZADD", map("key", key("z"), "members", List.of(map("member", "a", "score", 1, "scor", 2))))
                .statusCode(400)
                .body("error.message", startsWith("params.members[0].scor: unknown field; did you mean 'score'?"));
        execute(connection(), "ZADD", map("key", key("z"), "member", "a")).statusCode(400)
                .body("error.message", startsWith("params.score: required with member"));
        execute(connection(), "ZADD", map("key", key("z"), "incr", true, "members", List.of(map("member", "a", "score", 1),
                map("member", "b", "score", 2)))).statusCode(400).body("error.message", startsWith("params.incr:"));
        execute(connection(), "ZADD", map("key", key("z"), "member", "a", "score", 1, "condition", "NX", "compare", "GT"))
                .statusCode(400).body("error.message", startsWith("params.compare:"));
        execute(connection(), "GEOADD", map("key", key("geo"), "member", "x", "longitude", 200, "latitude", 0)).statusCode(400)
                .body("error.message", startsWith("params.longitude: must be between -180.0 and 180.0 degrees"));
        execute(connection(), "GEOADD", map("key", key("geo"), "members", List.of(map("member", "x", "longitude", 0,
                "latitude", 89)))).statusCode(400).body("error.message", startsWith("params.members[0].latitude:"));
        execute(connection(), "HSCAN", map("key", key("h"), "cursor", "abc")).statusCode(400)
                .body("error.message", startsWith("params.cursor:"));
        execute(connection(), "LPOS", map("key", key("l"), "value", "a", "rank", 0)).statusCode(400)
                .body("error.message", startsWith("params.rank: must not be 0"));
        execute(connection(), "MSET", map("entries", List.of("a", "b"))).statusCode(400)
                .body("error.message", startsWith("params.entries: expected a non-empty object, got an array"));
        // a negative sample repeats members: its size is bounded, not the key's
        execute(connection(), "SRANDMEMBER", map("key", key("s"), "count", -100_000_000)).statusCode(400)
                .body("error.message", startsWith("params.count: must be between -10000 and 10000"));
        execute(connection(), "SPOP", map("key", key("s"), "count", -1)).statusCode(400)
                .body("error.message", startsWith("params.count: must be between 1 and 10000, got -1"));
        // a pop's reply over the reply limit would answer an error for elements already gone: bounded too
        execute(connection(), "LPOP", map("key", key("s"), "count", 10_001)).statusCode(400)
                .body("error.message", startsWith("params.count: must be between 1 and 10000, got 10001"));
        execute(connection(), "SETBIT", map("key", key("bits"), "offset", 1, "bit", 2)).statusCode(400)
                .body("error.message", startsWith("params.bit: must be between 0 and 1, got 2"));
    }

    @Test
    void multiKeyPopsCombinationsAndBitwiseOperations() {
        String a = key("za"), b = key("zb");
        execute(connection(), "ZADD", map("key", a, "members", List.of(map("member", "x", "score", 1), map("member", "y", "score", 2))));
        execute(connection(), "ZADD", map("key", b, "members", List.of(map("member", "y", "score", 10), map("member", "z", "score", 20))));
        execute(connection(), "ZUNION", map("keys", List.of(a, b), "withScores", true)).statusCode(200)
                .body("result.member", contains("x", "y", "z")).body("result.score", contains(1, 12, 20));
        execute(connection(), "ZINTER", map("keys", List.of(a, b), "aggregate", "MAX")).body("result", contains("y"));
        execute(connection(), "ZDIFF", map("keys", List.of(a, b))).body("result", contains("x"));
        execute(connection(), "ZINTERCARD", map("keys", List.of(a, b))).body("result", equalTo(1));
        execute(connection(), "ZDIFFSTORE", map("destination", key("zd"), "keys", List.of(b, a))).body("result", equalTo(1));
        execute(connection(), "ZMPOP", map("keys", List.of(key("zempty"), b), "from", "MAX")).statusCode(200)
                .body("result.key", equalTo(b)).body("result.members.member", contains("z"));
        execute(connection(), "ZMPOP", map("keys", List.of(key("zempty")))).statusCode(200).body("result", nullValue());
        execute(connection(), "RPUSH", map("key", key("l2"), "values", List.of("1", "2", "3")));
        execute(connection(), "LMPOP", map("keys", List.of(key("lempty"), key("l2")), "from", "RIGHT", "count", 2))
                .statusCode(200).body("result.key", equalTo(key("l2"))).body("result.values", contains("3", "2"));
        execute(connection(), "LMPOP", map("keys", List.of(key("lempty")))).statusCode(200).body("result", nullValue());
        execute(connection(), "SET", map("key", key("b1"), "value", "a"));
        execute(connection(), "SET", map("key", key("b2"), "value", "b"));
        execute(connection(), "BITOP", map("operator", "OR", "destination", key("b3"), "keys", List.of(key("b1"), key("b2"))))
                .statusCode(200).body("result", equalTo(1));
        execute(connection(), "GET", map("key", key("b3"))).body("result", equalTo("c"));
        execute(connection(), "BITOP", map("operator", "NOT", "destination", key("b3"), "keys", List.of(key("b1"), key("b2"))))
                .statusCode(400).body("error.message", startsWith("params.keys: NOT takes exactly one key"));
        execute(connection(), "OBJECT.ENCODING", map("key", key("b1"))).body("result", equalTo("embstr"));
        execute(connection(), "OBJECT.ENCODING", map("key", key("none"))).body("result", nullValue());
        execute(connection(), "MEMORY.USAGE", map("key", key("b1"))).body("result", greaterThan(0));
        execute(connection(), "ZADD", map("key", a, "members", List.of(map("member", "w", "score", 0)), "member", "v", "score", 1))
                .statusCode(400).body("error.message", startsWith("params.member: give members or member + score, not both"));
    }

    @Test
    void valuesAndRangesTakeTheirNaturalForms() {
        execute(connection(), "SET", map("key", key("jnull"), "value", null, "encoding", "json")).statusCode(200).body("result", is(true));
        execute(connection(), "GET", map("key", key("jnull"))).body("result", equalTo("null"));
        execute(connection(), "SET", map("key", key("bits"), "value", "ab"));
        execute(connection(), "BITCOUNT", map("key", key("bits"), "start", 1)).statusCode(200).body("result", equalTo(3));
        execute(connection(), "HSET", map("key", key("rh"), "fields", map("only", "1")));
        execute(connection(), "HRANDFIELD", map("key", key("rh"), "count", -3, "withValues", true)).statusCode(200)
                .body("result", hasSize(3)).body("result.field", contains("only", "only", "only"))
                .body("result.value", contains("1", "1", "1"));
    }

    @Test
    void atomicBatchAnswersWithTheRefusedItemsOwnCode() {
        Events.post("/execute", map("connection", connection(), "atomic", true, "batch", List.of(
                map("operation", "INCR", "params", map("key", key("tx"))), map("operation", "FLUSHALL"))))
                .statusCode(403).body("error.code", equalTo("COMMAND_NOT_ALLOWED")).body("error.message", startsWith("batch[1]: "));
        Events.post("/execute", map("connection", connection(), "atomic", true, "batch", List.of(
                map("operation", "NOPE"), map("operation", "INCR", "params", map("key", key("tx"))))))
                .statusCode(400).body("error.code", equalTo("UNKNOWN_OPERATION")).body("error.message", startsWith("batch[0]: "));
        execute(connection(), "EXISTS", map("key", key("tx"))).body("result", is(false));
    }

    @Test
    void lockRateLimitAndIdempotencyHelpers() {
        String lock = key("lock");
        String token = execute(connection(), "LOCK.ACQUIRE", map("key", lock, "ttlMillis", 10_000)).statusCode(200)
                .body("result.acquired", is(true)).extract().path("result.token");
        execute(connection(), "LOCK.ACQUIRE", map("key", lock)).body("result.acquired", is(false))
                .body("result.token", nullValue()).body("result.retryAfterMillis", both(greaterThan(0)).and(lessThanOrEqualTo(10_000)));
        execute(connection(), "LOCK.ACQUIRE", map("key", lock, "token", token, "ttlMillis", 60_000))
                .body("result.acquired", is(true)).body("result.token", equalTo(token));
        execute(connection(), "PTTL", map("key", lock)).body("result", greaterThan(10_000));
        execute(connection(), "HSET", map("key", key("lock-hash"), "field", "f", "value", "v"));
        execute(connection(), "LOCK.ACQUIRE", map("key", key("lock-hash"))).statusCode(422)
                .body("error.code", equalTo("WRONG_TYPE")).body("error.message", not(containsString("script")));
        execute(connection(), "LOCK.RELEASE", map("key", lock, "token", "someone-else")).body("result.released", is(false));
        execute(connection(), "LOCK.RELEASE", map("key", lock, "token", token)).body("result.released", is(true));
        for (int i = 1; i <= 3; i++) {
            execute(connection(), "RATELIMIT", map("key", key("rl"), "limit", 2, "windowSeconds", 60))
                    .body("result.allowed", is(i <= 2)).body("result.count", equalTo(i))
                    .body("result.remaining", equalTo(Math.max(0, 2 - i))).body("result.resetMillis", lessThanOrEqualTo(60_000));
        }
        execute(connection(), "SET", map("key", key("rl-text"), "value", "Hello"));
        execute(connection(), "RATELIMIT", map("key", key("rl-text"), "limit", 2, "windowSeconds", 60)).statusCode(422)
                .body("error.code", equalTo("WRONG_TYPE")).body("error.message", not(containsString("script")));
        execute(connection(), "IDEMPOTENCY", map("key", key("req-1"), "value", "order-42")).body("result.firstTime", is(true));
        execute(connection(), "IDEMPOTENCY", map("key", key("req-1"), "value", "order-43"))
                .body("result.firstTime", is(false)).body("result.previous", equalTo("order-42"));
    }

    @Test
    void boundedSubscribeReturnsWhatArrivedWithinTheWait() throws Exception {
        String channel = key("chan");
        // publishes until the call returns (at most 10 s), so a slow first call still sees messages
        Thread publisher = new Thread(() -> {
            for (int i = 0; i < 400; i++) {
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                }
                publish(channel, "m" + i);
            }
        });
        publisher.start();
        try {
            execute(connection(), "SUBSCRIBE", map("channel", channel, "maxMessages", 2, "waitMs", 3000)).statusCode(200)
                    .body("result.count", equalTo(2)).body("result.timedOut", is(false))
                    .body("result.messages[0].channel", equalTo(channel));
        } finally {
            publisher.interrupt();
            publisher.join();
        }
        execute(connection(), "SUBSCRIBE", map("channel", key("silent"), "waitMs", 200)).statusCode(200)
                .body("result.count", equalTo(0)).body("result.timedOut", is(true));
        // without waitMs the default wait (1 s) runs past a shorter commandTimeoutMs: the deadline includes it
        execute(Events.with(connection(), "commandTimeoutMs", 500), "SUBSCRIBE", map("channel", key("silent")))
                .statusCode(200).body("result.count", equalTo(0)).body("result.timedOut", is(true));
    }

    @Test
    void blockingPopsWaitUpToWaitMsForAValue() throws Exception {
        String queue = key("queue");
        long started = System.nanoTime();
        execute(connection(), "BLPOP", map("key", queue, "waitMs", 300)).statusCode(200).body("result", nullValue());
        assertThat("an empty queue is waited on", (System.nanoTime() - started) / 1_000_000, greaterThanOrEqualTo(250L));

        // a value pushed while (or before) the pop waits is what it answers, long before its waitMs
        CompletableFuture<JsonPath> waiting = CompletableFuture.supplyAsync(() -> execute(connection(), "BLPOP",
                map("keys", List.of(key("idle"), queue), "waitMs", 30_000)).statusCode(200).extract().jsonPath());
        execute(connection(), "RPUSH", map("key", queue, "value", "job-1")).statusCode(200);
        JsonPath popped = waiting.get(20, TimeUnit.SECONDS);
        assertThat(popped.getString("result.key"), equalTo(queue));
        assertThat(popped.getString("result.value"), equalTo("job-1"));

        execute(connection(), "RPUSH", map("key", queue, "values", List.of("a", "b")));
        execute(connection(), "BRPOP", map("key", queue)).statusCode(200).body("result.key", equalTo(queue))
                .body("result.value", equalTo("b"));
        execute(connection(), "BLMOVE", map("source", queue, "destination", key("working"), "from", "LEFT",
                "to", "RIGHT", "waitMs", 100)).statusCode(200).body("result", equalTo("a"));
        execute(connection(), "LRANGE", map("key", key("working"))).body("result", contains("a"));
        execute(connection(), "BLMOVE", map("source", queue, "destination", key("working"), "waitMs", 100))
                .statusCode(200).body("result", nullValue());

        String ranked = key("ranked");
        execute(connection(), "ZADD", map("key", ranked, "members", List.of(map("member", "low", "score", 1),
                map("member", "high", "score", 2.5))));
        execute(connection(), "BZPOPMIN", map("keys", List.of(ranked), "waitMs", 100)).statusCode(200)
                .body("result.key", equalTo(ranked)).body("result.member", equalTo("low")).body("result.score", equalTo(1));
        execute(connection(), "BZPOPMAX", map("key", ranked, "waitMs", 100)).statusCode(200)
                .body("result.member", equalTo("high")).body("result.score", equalTo(2.5f));
        execute(connection(), "BZPOPMAX", map("key", ranked, "waitMs", 100)).statusCode(200).body("result", nullValue());
    }

    @Test
    void blockingPopsAreBoundedAndTheirWaitIsPartOfTheDeadline() {
        execute(connection(), "BLPOP", map("key", key("q"), "waitMs", 0)).statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST")).body("error.message", startsWith("params.waitMs"));
        execute(connection(), "BRPOP", map("key", key("q"), "waitMs", 60_001)).statusCode(400)
                .body("error.message", startsWith("params.waitMs"));
        // a wait longer than commandTimeoutMs is answered, not cut off by the command's own deadline
        execute(Events.with(connection(), "commandTimeoutMs", 500), "BLPOP", map("key", key("q"), "waitMs", 1500))
                .statusCode(200).body("result", nullValue());
    }

    /** Publishes through Redis directly, so this test does not depend on the pub/sub group. */
    abstract void publish(String channel, String message);
}
