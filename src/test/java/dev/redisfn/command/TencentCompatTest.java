package dev.redisfn.command;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.testsupport.PlainRedisClient;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.StandaloneRedis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The Tencent iPaaS connector's 34 operations (product doc 1270/55479), run directly (no Quarkus)
 * against a real standalone redis-server: the {@code tencent} group's entries with every flag, and
 * the Tencent operations that the catalogue's own entries serve, each answering the payload —
 * value and JSON type — that Tencent documents.
 */
class TencentCompatTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String P = "tct:" + UUID.randomUUID().toString().substring(0, 8) + ":";

    /** Tencent's operation tabs, in its guide's order, with the entry that serves each here. */
    private static final Map<String, String> TENCENT = new LinkedHashMap<>();

    static {
        String[][] tabs = {
            {"exists", "tencent.exists"}, {"del", "DEL"}, {"expire/pexpire", "tencent.expire"},
            {"expireat/pexpireat", "tencent.expireat"}, {"ttl/pttl", "tencent.ttl"}, {"persist", "PERSIST"},
            {"get", "GET"}, {"set/setnx", "tencent.set"}, {"incrby/incrbyfloat", "tencent.incrby"},
            {"decrby", "DECRBY"}, {"getrange", "GETRANGE"}, {"strlen", "STRLEN"},
            {"push-to-list", "push-to-list"}, {"pop-from-list", "pop-from-list"}, {"llen", "LLEN"},
            {"lindex", "LINDEX"}, {"lset", "tencent.lset"},
            {"hset", "tencent.hset"}, {"hgetall", "HGETALL"}, {"hget", "HGET"},
            {"hincrby/hincrbyfloat", "tencent.hincrby"}, {"hlen", "HLEN"}, {"hdel", "HDEL"},
            {"sadd", "SADD"}, {"spop", "SPOP"}, {"srandmember", "SRANDMEMBER"}, {"sismember", "SISMEMBER"},
            {"scard", "SCARD"}, {"srem", "SREM"},
            {"zadd", "ZADD"}, {"zrange/zrevrange", "tencent.zrange"},
            {"zrangebyscore/zrevrangebyscore", "tencent.zrangebyscore"}, {"zcard", "ZCARD"}, {"zrem", "ZREM"}};
        for (String[] tab : tabs) {
            TENCENT.put(tab[0], tab[1]);
        }
    }

    private static final Map<String, Operation> OPS = new LinkedHashMap<>();
    private static Catalogue catalogue;
    private static PlainRedisClient client;
    private static Redis redis;

    @BeforeAll
    static void connect() {
        StandaloneRedis server = RedisTopologies.standalone();
        client = new PlainRedisClient(P);
        redis = client.redis();
        catalogue = new Catalogue();
        TencentCompat.operations().forEach(op -> assertEquals(null, OPS.put(op.name(), op), "declared twice: " + op.name()));
    }

    @AfterAll
    static void close() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void everyTencentOperationHasOneEntryAndNoneCollidesWithTheCatalogue() {
        assertEquals(34, TENCENT.size(), "the guide's 34 operation tabs");
        Set<String> declared = new TreeSet<>(OPS.keySet());
        Set<String> tencentEntries = new TreeSet<>();
        TENCENT.values().stream().filter(OPS::containsKey).forEach(tencentEntries::add);
        assertEquals(declared, tencentEntries, "the tencent group declares exactly the entries the table names");

        Set<String> others = new TreeSet<>();
        catalogue.all().stream().filter(op -> !op.group().equals("tencent")).forEach(op -> others.add(op.name()));
        for (Operation op : OPS.values()) {
            assertFalse(others.contains(op.name().toUpperCase(java.util.Locale.ROOT)), op.name() + " collides");
            assertEquals("tencent", op.group());
            assertTrue(op.isSingleCommand(), op.name() + " is one command, so a batch pipelines it");
            assertTrue(op.description().startsWith("Tencent iPaaS connector compatible: "), op.name());
            op.paramsByName().forEach((name, param) -> {
                assertTrue(name.matches("[a-z][A-Za-z0-9]*"), op.name() + " param " + name + " is not camelCase");
                assertFalse(param.description().isBlank(), op.name() + " param " + name + " has no description");
            });
        }
        for (String served : TENCENT.values()) {
            if (!OPS.containsKey(served)) {
                assertEquals(served, catalogue.find(served.toLowerCase(java.util.Locale.ROOT)).name(),
                        "the Tencent name finds the catalogue entry");
            }
        }
        Set<String> reads = new TreeSet<>();
        OPS.values().stream().filter(op -> op.access() == Access.READ).forEach(op -> reads.add(op.name()));
        assertEquals(Set.of("tencent.exists", "tencent.ttl", "tencent.zrange", "tencent.zrangebyscore"), reads);
    }

    @Test
    void existsAnswersOneOrZeroAsAnInteger() throws Exception {
        assertJson(json("0"), call("tencent.exists", "{'key': '%s'}", P + "ex"));
        send(Request.cmd(Command.SET).arg(P + "ex").arg("v"));
        JsonNode one = call("tencent.exists", "{'key': '%s'}", P + "ex");
        assertTrue(one.isIntegralNumber(), "an int, not a boolean: " + one);
        assertJson(json("1"), one);
    }

    @Test
    void expireAndTtlFollowTheUnit() throws Exception {
        String key = P + "exp";
        assertJson(json("false"), call("tencent.expire", "{'key': '%s', 'ttl': 100}", key), "no such key");
        assertJson(json("-2"), call("tencent.ttl", "{'key': '%s'}", key));
        send(Request.cmd(Command.SET).arg(key).arg("v"));
        assertJson(json("-1"), call("tencent.ttl", "{'key': '%s', 'unit': 'milliseconds'}", key), "no expiry yet");

        assertJson(json("true"), call("tencent.expire", "{'key': '%s', 'ttl': 100}", key), "seconds by default");
        long seconds = call("tencent.ttl", "{'key': '%s'}", key).longValue();
        assertTrue(seconds > 90 && seconds <= 100, "EXPIRE 100 then TTL: " + seconds);

        assertJson(json("true"), call("tencent.expire", "{'key': '%s', 'ttl': 5000, 'unit': 'milliseconds'}", key));
        long millis = call("tencent.ttl", "{'key': '%s', 'unit': 'milliseconds'}", key).longValue();
        assertTrue(millis > 4000 && millis <= 5000, "PEXPIRE 5000 then PTTL: " + millis);
        long rounded = call("tencent.ttl", "{'key': '%s', 'unit': 'SECONDS'}", key).longValue();
        assertTrue(rounded == 4 || rounded == 5, "the unit is case-insensitive; TTL rounds the ~5 s left: " + rounded);

        assertRejected("tencent.expire", "{'key': '%s', 'ttl': 1, 'unit': 'minutes'}", "unit", key);
        assertRejected("tencent.expire", "{'key': '%s'}", "ttl", key);
    }

    @Test
    void expireAtTakesATimestampInTheUnit() throws Exception {
        String key = P + "expat";
        long nowSeconds = System.currentTimeMillis() / 1000;
        assertJson(json("false"), call("tencent.expireat", "{'key': '%s', 'timestamp': %d}", key, nowSeconds + 100));
        send(Request.cmd(Command.SET).arg(key).arg("v"));

        assertJson(json("true"), call("tencent.expireat", "{'key': '%s', 'timestamp': %d}", key, nowSeconds + 100));
        long seconds = call("tencent.ttl", "{'key': '%s'}", key).longValue();
        assertTrue(seconds > 90 && seconds <= 100, "EXPIREAT now+100 s: " + seconds);

        long nowMillis = System.currentTimeMillis();
        assertJson(json("true"), call("tencent.expireat", "{'key': '%s', 'timestamp': %d, 'unit': 'milliseconds'}",
                key, nowMillis + 20_000));
        long millis = call("tencent.ttl", "{'key': '%s', 'unit': 'milliseconds'}", key).longValue();
        assertTrue(millis > 15_000 && millis <= 20_000, "PEXPIREAT now+20000 ms: " + millis);
    }

    @Test
    void setAnswersOkOrFalseAndHonoursTtlAndOnlyIfAbsent() throws Exception {
        String key = P + "set";
        JsonNode ok = call("tencent.set", "{'key': '%s', 'value': 'alice'}", key);
        assertTrue(ok.isTextual(), "the string OK: " + ok);
        assertJson(json("'OK'"), ok);
        assertJson(json("-1"), call("tencent.ttl", "{'key': '%s'}", key), "ttlSeconds 0 by default: no expiry");

        JsonNode refused = call("tencent.set", "{'key': '%s', 'value': 'bob', 'onlyIfAbsent': true}", key);
        assertTrue(refused.isBoolean(), "the boolean false: " + refused);
        assertJson(json("false"), refused);
        assertJson(json("'alice'"), call("GET", "{'key': '%s'}", key), "setnx left the value");

        assertJson(json("'OK'"), call("tencent.set", "{'key': '%s', 'value': 'carol', 'ttlSeconds': 60}", key));
        long ttl = call("tencent.ttl", "{'key': '%s'}", key).longValue();
        assertTrue(ttl > 50 && ttl <= 60, "SET ... EX 60: " + ttl);
        assertJson(json("'OK'"), call("tencent.set", "{'key': '%s', 'value': 'dan', 'ttlSeconds': '30', "
                + "'onlyIfAbsent': 'true'}", P + "setnx"), "a console's strings for numbers and booleans");
        assertJson(json("'dan'"), call("GET", "{'key': '%s'}", P + "setnx"));

        assertRejected("tencent.set", "{'key': '%s', 'value': 'x', 'ttlSeconds': -1}", "ttlSeconds", key);
        assertRejected("tencent.set", "{'key': '%s', 'value': 'x', 'nx': true}", "nx", key);
    }

    @Test
    void incrbyAddsWholeOrFractionalNumbersAsNumberTypeSays() throws Exception {
        String key = P + "counter";
        JsonNode five = call("tencent.incrby", "{'key': '%s', 'increment': 5}", key);
        assertTrue(five.isIntegralNumber(), "int by default: " + five);
        assertJson(json("5"), five);
        assertJson(json("7"), call("tencent.incrby", "{'key': '%s', 'increment': 2, 'numberType': 'int'}", key));
        JsonNode fraction = call("tencent.incrby", "{'key': '%s', 'increment': 0.5, 'numberType': 'float'}", key);
        assertTrue(fraction.isFloatingPointNumber(), "INCRBYFLOAT answers a number: " + fraction);
        assertJson(json("7.5"), fraction);

        assertRejected("tencent.incrby", "{'key': '%s', 'increment': 0.5}", "increment", key);
        assertRejected("tencent.incrby", "{'key': '%s', 'increment': 1, 'numberType': 'double'}", "numberType", key);
        assertRejected("tencent.incrby", "{'key': '%s'}", "increment", key);
    }

    @Test
    void pushToListInsertsAtTheEndLeftSaysAndOnlyIntoExistingListsWhenAsked() throws Exception {
        String key = P + "list";
        assertJson(json("0"), call("push-to-list", "{'key': '%s', 'value': 'x', 'onlyIfExists': true}", key),
                "RPUSHX on a missing list");
        assertJson(json("0"), call("tencent.exists", "{'key': '%s'}", key), "and it stays missing");

        assertJson(json("1"), call("push-to-list", "{'key': '%s', 'value': 'a'}", key), "RPUSH by default");
        assertJson(json("2"), call("push-to-list", "{'key': '%s', 'value': 'b', 'left': false}", key));
        assertJson(json("3"), call("push-to-list", "{'key': '%s', 'value': 'c', 'left': true}", key), "LPUSH");
        assertJson(json("4"), call("push-to-list", "{'key': '%s', 'value': 'd', 'left': true, 'onlyIfExists': true}",
                key), "LPUSHX on an existing list");
        assertJson(json("5"), call("push-to-list", "{'key': '%s', 'value': 'e', 'onlyIfExists': true}", key), "RPUSHX");
        assertJson(json("['d', 'c', 'a', 'b', 'e']"), call("LRANGE", "{'key': '%s'}", key));

        assertRejected("push-to-list", "{'key': '%s'}", "value", key);
    }

    @Test
    void popFromListTakesTheTailUnlessLeftAndNullWhenEmpty() throws Exception {
        String key = P + "pop";
        send(Request.cmd(Command.RPUSH).arg(key).arg("a").arg("b").arg("c"));
        assertJson(json("'c'"), call("pop-from-list", "{'key': '%s'}", key), "RPOP by default");
        assertJson(json("'a'"), call("pop-from-list", "{'key': '%s', 'left': true}", key), "LPOP");
        assertJson(json("'b'"), call("pop-from-list", "{'key': '%s', 'left': false}", key));
        assertJson(json("null"), call("pop-from-list", "{'key': '%s'}", key), "an emptied (deleted) list");
    }

    @Test
    void lsetAnswersOk() throws Exception {
        String key = P + "lset";
        send(Request.cmd(Command.RPUSH).arg(key).arg("a").arg("b"));
        JsonNode ok = call("tencent.lset", "{'key': '%s', 'index': -1, 'value': 'z'}", key);
        assertTrue(ok.isTextual(), "the string OK: " + ok);
        assertJson(json("'OK'"), ok);
        assertJson(json("['a', 'z']"), call("LRANGE", "{'key': '%s'}", key));
        assertRejected("tencent.lset", "{'key': '%s', 'value': 'z'}", "index", key);
    }

    @Test
    void hsetAnswersTrueForANewFieldAndFalseOtherwise() throws Exception {
        String key = P + "hash";
        assertJson(json("true"), call("tencent.hset", "{'key': '%s', 'field': 'name', 'value': 'alice'}", key));
        assertJson(json("false"), call("tencent.hset", "{'key': '%s', 'field': 'name', 'value': 'bob'}", key),
                "HSET replaced the value");
        assertJson(json("'bob'"), call("HGET", "{'key': '%s', 'field': 'name'}", key));
        assertJson(json("false"), call("tencent.hset",
                "{'key': '%s', 'field': 'name', 'value': 'carol', 'onlyIfFieldAbsent': true}", key), "HSETNX refused");
        assertJson(json("'bob'"), call("HGET", "{'key': '%s', 'field': 'name'}", key));
        assertJson(json("true"), call("tencent.hset",
                "{'key': '%s', 'field': 'age', 'value': 30, 'onlyIfFieldAbsent': true}", key), "HSETNX on a new field");
        assertJson(json("{'name': 'bob', 'age': '30'}"), call("HGETALL", "{'key': '%s'}", key));
        assertRejected("tencent.hset", "{'key': '%s', 'value': 'x'}", "field", key);
    }

    @Test
    void hincrbyAddsOneByDefaultAndFractionsAsFloat() throws Exception {
        String key = P + "hcount";
        JsonNode one = call("tencent.hincrby", "{'key': '%s', 'field': 'n'}", key);
        assertTrue(one.isIntegralNumber(), one.toString());
        assertJson(json("1"), one, "increment 1 by default");
        assertJson(json("5"), call("tencent.hincrby", "{'key': '%s', 'field': 'n', 'increment': 4}", key));
        assertJson(json("5.25"), call("tencent.hincrby",
                "{'key': '%s', 'field': 'n', 'increment': 0.25, 'numberType': 'float'}", key));
        assertJson(json("6.25"), call("tencent.hincrby", "{'key': '%s', 'field': 'n', 'numberType': 'float'}", key));
        assertRejected("tencent.hincrby", "{'key': '%s', 'field': 'n', 'increment': 0.5}", "increment", key);
    }

    @Test
    void zrangeListsMembersAscendingUnlessAscendingIsFalse() throws Exception {
        String key = P + "zset";
        send(Request.cmd(Command.ZADD).arg(key).arg(1).arg("a").arg(2).arg("b").arg(3).arg("c"));
        assertJson(json("['a', 'b', 'c']"), call("tencent.zrange", "{'key': '%s', 'start': 0, 'stop': -1}", key));
        assertJson(json("['c', 'b']"), call("tencent.zrange",
                "{'key': '%s', 'start': 0, 'stop': 1, 'ascending': false}", key), "ZREVRANGE");
        assertJson(json("[]"), call("tencent.zrange", "{'key': '%s', 'start': 0, 'stop': -1}", P + "nozset"));
        assertRejected("tencent.zrange", "{'key': '%s', 'stop': 1}", "start", key);
        assertRejected("tencent.zrange", "{'key': '%s', 'start': 0}", "stop", key);
    }

    @Test
    void zrangebyscoreListsMembersBetweenMinAndMax() throws Exception {
        String key = P + "scores";
        send(Request.cmd(Command.ZADD).arg(key).arg(1).arg("a").arg("2.5").arg("b").arg(3).arg("c"));
        assertJson(json("['a', 'b']"), call("tencent.zrangebyscore", "{'key': '%s', 'min': 1, 'max': 2.5}", key));
        assertJson(json("['b', 'a']"), call("tencent.zrangebyscore",
                "{'key': '%s', 'min': 1, 'max': 2.5, 'ascending': false}", key), "ZREVRANGEBYSCORE max min");
        assertJson(json("['c', 'b']"), call("tencent.zrangebyscore",
                "{'key': '%s', 'min': '(1', 'max': '+inf', 'ascending': false}", key), "Redis bounds pass through");
        assertRejected("tencent.zrangebyscore", "{'key': '%s', 'min': 1}", "max", key);
    }

    /** The Tencent operations without an entry of their own: the catalogue's answers are Tencent's payloads. */
    @Test
    void catalogueEntriesServeTheOtherTencentOperationsWithTheirDocumentedPayloads() throws Exception {
        String s = P + "str";
        send(Request.cmd(Command.SET).arg(s).arg("ipaas").arg("EX").arg(100));
        assertJson(json("'ipaas'"), call("get", "{'key': '%s'}", s));
        assertJson(json("null"), call("get", "{'key': '%s'}", P + "nothing"), "a missing key");
        assertJson(json("'paa'"), call("getrange", "{'key': '%s', 'start': 1, 'end': 3}", s));
        assertJson(json("5"), call("strlen", "{'key': '%s'}", s));
        assertJson(json("true"), call("persist", "{'key': '%s'}", s));
        assertJson(json("false"), call("persist", "{'key': '%s'}", s), "no expiry left to remove");
        assertJson(json("1"), call("del", "{'key': '%s'}", s));
        assertJson(json("0"), call("del", "{'key': '%s'}", s), "the deleted key no longer exists");
        assertJson(json("-3"), call("decrby", "{'key': '%s', 'decrement': 3}", P + "down"));

        String list = P + "l";
        send(Request.cmd(Command.RPUSH).arg(list).arg("a").arg("b"));
        assertJson(json("2"), call("llen", "{'key': '%s'}", list));
        assertJson(json("'b'"), call("lindex", "{'key': '%s', 'index': 1}", list));
        assertJson(json("null"), call("lindex", "{'key': '%s', 'index': 9}", list), "outside the list");

        String hash = P + "h";
        send(Request.cmd(Command.HSET).arg(hash).arg("id").arg("1").arg("name").arg("a"));
        assertJson(json("{'id': '1', 'name': 'a'}"), call("hgetall", "{'key': '%s'}", hash));
        assertJson(json("'a'"), call("hget", "{'key': '%s', 'field': 'name'}", hash));
        assertJson(json("2"), call("hlen", "{'key': '%s'}", hash));
        assertJson(json("1"), call("hdel", "{'key': '%s', 'field': 'id'}", hash));

        String set = P + "s";
        assertJson(json("1"), call("sadd", "{'key': '%s', 'member': 'x'}", set));
        assertJson(json("0"), call("sadd", "{'key': '%s', 'member': 'x'}", set), "already a member");
        assertJson(json("true"), call("sismember", "{'key': '%s', 'member': 'x'}", set));
        assertJson(json("1"), call("scard", "{'key': '%s'}", set));
        assertJson(json("'x'"), call("srandmember", "{'key': '%s'}", set));
        assertJson(json("'x'"), call("spop", "{'key': '%s'}", set));
        assertJson(json("null"), call("spop", "{'key': '%s'}", set), "an empty set");
        assertJson(json("0"), call("srem", "{'key': '%s', 'member': 'x'}", set));

        String zset = P + "z";
        assertJson(json("1"), call("zadd", "{'key': '%s', 'member': 'm', 'score': 1.5}", zset));
        assertJson(json("0"), call("zadd", "{'key': '%s', 'member': 'm', 'score': 2}", zset), "an update is not new");
        assertJson(json("1"), call("zcard", "{'key': '%s'}", zset));
        assertJson(json("1"), call("zrem", "{'key': '%s', 'member': 'm'}", zset));
    }

    private static void assertRejected(String name, String template, String param, Object... values) {
        ConnectorException e = assertThrows(ConnectorException.class, () -> call(name, template, values),
                name + " should refuse " + String.format(template, values));
        assertTrue(e.getMessage().startsWith("params." + param + ":"), name + ": " + e.getMessage());
    }

    /** Builds the args, sends the one command and maps the reply; a name not in the tencent group is looked up in the catalogue. */
    private static JsonNode call(String name, String template, Object... values) throws Exception {
        Operation operation = OPS.containsKey(name) ? OPS.get(name) : catalogue.find(name);
        assertNotNull(operation, name);
        Args args = operation.args((ObjectNode) json(template, values));
        Response reply = send(operation.request(args));
        return operation.map(reply, args);
    }

    private static Response send(Request request) throws Exception {
        return client.send(request);
    }

    /** Equal JSON: integers compare by value whatever their Java width (IntNode 2 equals LongNode 2). */
    private static void assertJson(JsonNode expected, JsonNode actual, String... message) {
        Comparator<JsonNode> sameValue = (a, b) -> a.equals(b) || a.isNumber() && b.isNumber()
                && a.isIntegralNumber() == b.isIntegralNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        assertTrue(expected.equals(sameValue, actual), String.join(" ", message) + " expected " + expected + " but was " + actual);
    }

    /** JSON with single quotes, %s / %d filled in. */
    private static JsonNode json(String template, Object... values) {
        String text = String.format(template, values).replace('\'', '"');
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
