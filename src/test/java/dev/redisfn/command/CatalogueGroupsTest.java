package dev.redisfn.command;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.connection.Outcome;
import dev.redisfn.connection.Route;
import dev.redisfn.connection.Target;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.testsupport.PlainRedisClient;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.transport.ReplyBudget;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The stream, hyperloglog, geo, pubsub, scripting and server groups, each operation declared in
 * its group class and run directly (no Quarkus) against a real standalone redis-server over RESP2:
 * the mapped JSON is checked for values and types, and missing or contradictory params for a 400
 * naming the param.
 */
class CatalogueGroupsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String P = "cgt:" + UUID.randomUUID().toString().substring(0, 8) + ":";

    private static PlainRedisClient client;
    private static Redis redis;
    private static Target target;
    private static int port;
    private static final Map<String, Operation> OPS = new LinkedHashMap<>();

    @BeforeAll
    static void connect() {
        StandaloneRedis server = RedisTopologies.standalone();
        port = server.port();
        client = new PlainRedisClient(P);
        redis = client.redis();
        target = new ClientTarget(redis);
        Stream.of(Streams.operations(), StreamPending.operations(), HyperLogLogs.operations(), Geo.operations(), PubSub.operations(),
                Scripting.operations(), ServerInfo.operations())
                .flatMap(List::stream)
                .forEach(op -> assertEquals(null, OPS.put(op.name(), op), "declared twice: " + op.name()));
    }

    @AfterAll
    static void close() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void newGroupsAreRegisteredOnceAndDescribeEveryOne() {
        // the Catalogue constructor refuses a name declared twice
        Catalogue catalogue = new Catalogue();
        for (Operation op : OPS.values()) {
            assertTrue(catalogue.find(op.name()) == op || catalogue.find(op.name()).group().equals(op.group()),
                    op.name() + " is registered in its group");
            assertFalse(op.description().isBlank(), op.name() + " has no description");
            op.paramsByName().keySet().forEach(name -> assertTrue(name.matches("[a-z][A-Za-z0-9]*"),
                    op.name() + " param " + name + " is not camelCase"));
        }
        assertEquals(Set.of("EVAL", "EVALSHA", "SCRIPT.LOAD"), scripted(), "scripting switch covers exactly these");
        assertEquals(Access.WRITE, OPS.get("XREADGROUP").access(), "XREADGROUP moves entries into the pending list");
        assertEquals(Access.READ, OPS.get("INFO").access());
    }

    @Test
    void streamAddThenRangeReturnsTheEntriesWithTheirFields() throws Exception {
        String key = P + "stream";
        JsonNode id1 = call("XADD", "{'key': '%s', 'fields': {'sku': 'A-1', 'qty': '2'}}", key);
        assertTrue(id1.isTextual() && id1.textValue().matches("\\d+-\\d+"), "XADD answers the new id: " + id1);
        JsonNode id2 = call("XADD", "{'key': '%s', 'fields': {'sku': 'B-2', 'qty': 5}}", key);
        assertJson(json("2"), call("XLEN", "{'key': '%s'}", key));

        JsonNode range = call("XRANGE", "{'key': '%s'}", key);
        assertJson(json("[{'id': %s, 'fields': {'sku': 'A-1', 'qty': '2'}}, {'id': %s, 'fields': {'sku': 'B-2', 'qty': '5'}}]",
                id1, id2), range);
        assertJson(json("[{'id': %s, 'fields': {'sku': 'B-2', 'qty': '5'}}]", id2),
                call("XREVRANGE", "{'key': '%s', 'count': 1}", key), "newest first, count honoured");
        assertJson(json("[{'id': %s, 'fields': {'sku': 'B-2', 'qty': '5'}}]", id2),
                call("XRANGE", "{'key': '%s', 'start': %s}", key, id2), "start is an id, inclusive");

        JsonNode read = call("XREAD", "{'streams': {'%s': %s, '%s': '0-0'}}", key, id1, P + "missing");
        assertJson(json("{'%s': [{'id': %s, 'fields': {'sku': 'B-2', 'qty': '5'}}]}", key, id2), read);
        assertJson(json("{}"), call("XREAD", "{'streams': {'%s': %s}}", key, id2), "nothing newer: {}");

        assertJson(json("1"), call("XDEL", "{'key': '%s', 'ids': [%s, '1-1']}", key, id1));
        call("XADD", "{'key': '%s', 'fields': {'n': '3'}, 'maxLen': 1}", key);
        assertJson(json("1"), call("XLEN", "{'key': '%s'}", key), "XADD maxLen trims");
        call("XADD", "{'key': '%s', 'id': '99999999999999-1', 'fields': {'n': '4'}}", key);
        assertJson(json("1"), call("XTRIM", "{'key': '%s', 'maxLen': 1, 'approximate': false}", key));
    }

    @Test
    void streamValuesFollowTheEncoding() throws Exception {
        String key = P + "jsonstream";
        JsonNode id = call("XADD", "{'key': '%s', 'encoding': 'json', 'fields': {'order': {'total': 12.5, 'lines': [1, 2]}}}", key);
        assertJson(json("[{'id': %s, 'fields': {'order': {'total': 12.5, 'lines': [1, 2]}}}]", id),
                call("XRANGE", "{'key': '%s', 'encoding': 'json'}", key));
        assertJson(json("[{'id': %s, 'fields': {'order': '{\\\"total\\\":12.5,\\\"lines\\\":[1,2]}'}}]", id),
                call("XRANGE", "{'key': '%s'}", key), "utf8 reads the stored JSON text");
    }

    @Test
    void consumerGroupReadPendingAckAndInfo() throws Exception {
        String key = P + "jobs";
        assertJson(json("true"), call("XGROUP.CREATE", "{'key': '%s', 'group': 'workers', 'id': '0', 'mkStream': true}", key));
        JsonNode a = call("XADD", "{'key': '%s', 'fields': {'job': 'a'}}", key);
        JsonNode b = call("XADD", "{'key': '%s', 'fields': {'job': 'b'}}", key);

        JsonNode got = call("XREADGROUP", "{'group': 'workers', 'consumer': 'w1', 'streams': {'%s': '>'}, 'count': 10}", key);
        assertJson(json("{'%s': [{'id': %s, 'fields': {'job': 'a'}}, {'id': %s, 'fields': {'job': 'b'}}]}", key, a, b), got);
        assertJson(json("{}"), call("XREADGROUP", "{'group': 'workers', 'consumer': 'w2', 'streams': {'%s': '>'}}", key));

        assertJson(json("{'count': 2, 'smallestId': %s, 'greatestId': %s, 'consumers': {'w1': 2}}", a, b),
                call("XPENDING", "{'key': '%s', 'group': 'workers'}", key));
        JsonNode entries = call("XPENDING", "{'key': '%s', 'group': 'workers', 'count': 10, 'consumer': 'w1'}", key);
        assertEquals(List.of(a.textValue(), b.textValue()), List.of(entries.get(0).get("id").textValue(), entries.get(1).get("id").textValue()));
        assertEquals("w1", entries.get(0).get("consumer").textValue());
        assertEquals(1, entries.get(0).get("deliveries").intValue());
        assertJson(json("[]"), call("XPENDING", "{'key': '%s', 'group': 'workers', 'count': 10, 'minIdleMs': 3600000}", key));
        assertRejected("XPENDING", "{'key': '" + key + "', 'group': 'workers', 'consumer': 'w1'}", "consumer");
        // w2 takes a over (idle 0 ms is long enough), then finds b by the automatic scan
        assertJson(json("[{'id': %s, 'fields': {'job': 'a'}}]", a),
                call("XCLAIM", "{'key': '%s', 'group': 'workers', 'consumer': 'w2', 'minIdleMs': 0, 'id': %s}", key, a));
        assertJson(json("{'next': '0-0', 'entries': [{'id': %s, 'fields': {'job': 'b'}}], 'deleted': []}", b),
                call("XAUTOCLAIM", "{'key': '%s', 'group': 'workers', 'consumer': 'w2', 'minIdleMs': 0, 'start': %s}", key, b));
        assertJson(json("{'count': 2, 'smallestId': %s, 'greatestId': %s, 'consumers': {'w2': 2}}", a, b),
                call("XPENDING", "{'key': '%s', 'group': 'workers'}", key));
        assertRejected("XREAD", "{'streams': {'" + key + "': '$'}}", "streams." + key);
        assertRejected("XREADGROUP", "{'group': '', 'consumer': 'w1', 'streams': {'" + key + "': '>'}}", "group");
        // 20 digits pass the pattern, but Redis reads each number of an id in 64 unsigned bits
        assertRejected("XRANGE", "{'key': '" + key + "', 'start': '99999999999999999999-0'}", "start");
        assertJson(json("[]"), call("XRANGE", "{'key': '%s', 'start': '18446744073709551615-0'}", key));
        assertJson(json("1"), call("XACK", "{'key': '%s', 'group': 'workers', 'ids': [%s]}", key, a));
        assertJson(json("{'count': 1, 'smallestId': %s, 'greatestId': %s, 'consumers': {'w2': 1}}", b, b),
                call("XPENDING", "{'key': '%s', 'group': 'workers'}", key));
        assertJson(json("1"), call("XACK", "{'key': '%s', 'group': 'workers', 'id': %s}", key, b));
        assertJson(json("{'count': 0, 'smallestId': null, 'greatestId': null, 'consumers': {}}"),
                call("XPENDING", "{'key': '%s', 'group': 'workers'}", key));

        JsonNode info = call("XINFO.STREAM", "{'key': '%s'}", key);
        assertJson(json("2"), info.get("length"));
        assertJson(json("1"), info.get("groups"));
        assertEquals(b, info.get("last-generated-id"));
        assertJson(json("{'id': %s, 'fields': {'job': 'a'}}", a), info.get("first-entry"));
        assertJson(json("{'id': %s, 'fields': {'job': 'b'}}", b), info.get("last-entry"));
        assertTrue(info.get("radix-tree-keys").isIntegralNumber(), "numbers are numbers: " + info);
    }

    @Test
    void consumerGroupsAreListedMovedAndDeleted() throws Exception {
        String key = P + "managed";
        call("XGROUP.CREATE", "{'key': '%s', 'group': 'billing', 'id': '0', 'mkStream': true}", key);
        JsonNode a = call("XADD", "{'key': '%s', 'fields': {'job': 'a'}}", key);
        call("XREADGROUP", "{'group': 'billing', 'consumer': 'flow-1', 'streams': {'%s': '>'}}", key);

        JsonNode groups = call("XINFO.GROUPS", "{'key': '%s'}", key);
        assertEquals(1, groups.size(), groups.toString());
        assertJson(json("'billing'"), groups.get(0).get("name"));
        assertJson(json("1"), groups.get(0).get("consumers"));
        assertJson(json("1"), groups.get(0).get("pending"));
        assertEquals(a, groups.get(0).get("last-delivered-id"));
        JsonNode consumers = call("XINFO.CONSUMERS", "{'key': '%s', 'group': 'billing'}", key);
        assertJson(json("'flow-1'"), consumers.get(0).get("name"));
        assertJson(json("1"), consumers.get(0).get("pending"));
        assertTrue(consumers.get(0).get("idle").isIntegralNumber(), consumers.toString());

        assertJson(json("true"), call("XGROUP.SETID", "{'key': '%s', 'group': 'billing', 'id': '0'}", key));
        assertJson(json("'0-0'"), call("XINFO.GROUPS", "{'key': '%s'}", key).get(0).get("last-delivered-id"));
        assertJson(json("1"), call("XGROUP.DELCONSUMER", "{'key': '%s', 'group': 'billing', 'consumer': 'flow-1'}", key));
        assertJson(json("true"), call("XGROUP.DESTROY", "{'key': '%s', 'group': 'billing'}", key));
        assertJson(json("false"), call("XGROUP.DESTROY", "{'key': '%s', 'group': 'billing'}", key));
        assertJson(json("[]"), call("XINFO.GROUPS", "{'key': '%s'}", key));
        assertRejected("XGROUP.SETID", "{'key': '%s', 'group': 'billing'}", "id", key);
    }

    @Test
    void streamParamsAreCheckedBeforeSending() {
        String key = P + "bad";
        assertRejected("XADD", "{'key': '%s'}", "fields", key);
        assertRejected("XADD", "{'key': '%s', 'fields': {'a': '1'}, 'approximate': true}", "approximate", key);
        assertRejected("XTRIM", "{'key': '%s'}", "maxLen", key);
        assertRejected("XREAD", "{'count': 1}", "streams");
        assertRejected("XREAD", "{'streams': {'%s': ''}}", "streams." + P + "bad", key);
        assertRejected("XGROUP.CREATE", "{'key': '%s'}", "group", key);
        assertRejected("XGROUP.CREATE", "{'key': '%s', 'group': 'g', 'id': 'start'}", "id", key);
        assertRejected("XRANGE", "{'key': '%s', 'start': 'bad'}", "start", key);
        assertRejected("XREVRANGE", "{'key': '%s', 'end': '12-x'}", "end", key);
        assertRejected("XADD", "{'key': '%s', 'id': 'bad', 'fields': {'a': '1'}}", "id", key);
        assertRejected("XDEL", "{'key': '%s', 'ids': ['1-1', 'x']}", "ids", key);
        assertRejected("XACK", "{'key': '%s', 'group': 'g', 'id': 'x'}", "id", key);
        assertRejected("XREADGROUP", "{'group': 'g', 'streams': {'%s': '>'}}", "consumer", key);
        assertRejected("XACK", "{'key': '%s', 'group': 'g'}", "ids", key);
        assertRejected("XRANGE", "{'key': '%s', 'count': 0}", "count", key);
        assertRejected("XLEN", "{}", "key");
    }

    @Test
    void hyperLogLogCountsDistinctElementsAndMerges() throws Exception {
        String one = P + "hll1";
        String two = P + "hll2";
        assertJson(json("true"), call("PFADD", "{'key': '%s', 'elements': ['a', 'b', 'c']}", one));
        assertJson(json("false"), call("PFADD", "{'key': '%s', 'elements': ['a', 'b']}", one), "nothing new");
        assertJson(json("true"), call("PFADD", "{'key': '%s', 'element': 'd'}", one));
        assertJson(json("4"), call("PFCOUNT", "{'key': '%s'}", one));
        call("PFADD", "{'key': '%s', 'elements': ['d', 'e']}", two);
        assertJson(json("5"), call("PFCOUNT", "{'keys': ['%s', '%s']}", one, two), "count of the union");
        assertJson(json("true"), call("PFMERGE", "{'destination': '%s', 'keys': ['%s', '%s']}", P + "hll3", one, two));
        assertJson(json("5"), call("PFCOUNT", "{'key': '%s'}", P + "hll3"));

        assertRejected("PFADD", "{'key': '%s'}", "elements", one);
        assertRejected("PFMERGE", "{'keys': ['%s']}", "destination", one);
        assertRejected("PFCOUNT", "{}", "keys");
    }

    @Test
    void geoDistancesPositionsAndSearches() throws Exception {
        String key = P + "sicily";
        assertJson(json("2"), call("GEOADD", "{'key': '%s', 'members': [{'member': 'Palermo', 'longitude': 13.361389, "
                + "'latitude': 38.115556}, {'member': 'Catania', 'longitude': '15.087269', 'latitude': 37.502669}]}", key));
        assertJson(json("1"), call("GEOADD", "{'key': '%s', 'member': 'Agrigento', 'longitude': 13.583333, "
                + "'latitude': 37.316667}", key));

        JsonNode km = call("GEODIST", "{'key': '%s', 'member': 'Palermo', 'otherMember': 'Catania', 'unit': 'km'}", key);
        double trueKm = haversineKm(38.115556, 13.361389, 37.502669, 15.087269);
        assertTrue(km.isDouble() && Math.abs(km.doubleValue() - trueKm) < trueKm * 0.01, km + " km vs " + trueKm);
        JsonNode metres = call("GEODIST", "{'key': '%s', 'member': 'Palermo', 'otherMember': 'Catania'}", key);
        assertEquals(km.doubleValue() * 1000, metres.doubleValue(), 1.0, "unit defaults to m");
        assertTrue(call("GEODIST", "{'key': '%s', 'member': 'Palermo', 'otherMember': 'Rome'}", key).isNull());

        JsonNode positions = call("GEOPOS", "{'key': '%s', 'members': ['Palermo', 'Rome']}", key);
        assertEquals(2, positions.size());
        assertEquals(13.361389, positions.get(0).get("longitude").doubleValue(), 1e-4);
        assertEquals(38.115556, positions.get(0).get("latitude").doubleValue(), 1e-4);
        assertTrue(positions.get(1).isNull(), "missing member: null");
        assertEquals(1, call("GEOPOS", "{'key': '%s', 'member': 'Palermo'}", key).size());
        JsonNode hashes = call("GEOHASH", "{'key': '%s', 'members': ['Palermo', 'Rome']}", key);
        assertTrue(hashes.get(0).textValue().startsWith("sq"), "Palermo's geohash: " + hashes);
        assertTrue(hashes.get(1).isNull(), "missing member: null");

        assertJson(json("['Catania', 'Agrigento', 'Palermo']"), call("GEOSEARCH",
                "{'key': '%s', 'longitude': 15, 'latitude': 37, 'radius': 250, 'unit': 'km', 'sort': 'ASC'}", key));
        assertJson(json("['Palermo']"), call("GEOSEARCH",
                "{'key': '%s', 'fromMember': 'Palermo', 'radius': 50, 'unit': 'km'}", key));
        JsonNode near = call("GEOSEARCH", "{'key': '%s', 'fromMember': 'Palermo', 'width': 400, 'height': 400, "
                + "'unit': 'km', 'sort': 'DESC', 'count': 1, 'withDistance': true, 'withCoordinates': true}", key);
        assertEquals(1, near.size());
        assertEquals("Catania", near.get(0).get("member").textValue());
        assertEquals(km.doubleValue(), near.get(0).get("distance").doubleValue(), 0.01);
        assertEquals(15.087269, near.get(0).get("longitude").doubleValue(), 1e-4);
        assertEquals(37.502669, near.get(0).get("latitude").doubleValue(), 1e-4);
        JsonNode distanceOnly = call("GEOSEARCH", "{'key': '%s', 'fromMember': 'Palermo', 'radius': 1, 'withDistance': true}", key);
        assertJson(json("[{'member': 'Palermo', 'distance': 0.0}]"), distanceOnly);

        assertRejected("GEODIST", "{'key': '%s', 'member': 'Palermo'}", "otherMember", key);
        assertRejected("GEODIST", "{'key': '%s', 'member': 'a', 'otherMember': 'b', 'unit': 'yd'}", "unit", key);
        assertRejected("GEOSEARCH", "{'key': '%s', 'radius': 1}", "fromMember", key);
        assertRejected("GEOSEARCH", "{'key': '%s', 'fromMember': 'a', 'longitude': 1, 'latitude': 2, 'radius': 1}",
                "fromMember", key);
        assertRejected("GEOSEARCH", "{'key': '%s', 'longitude': 1, 'radius': 1}", "latitude", key);
        assertRejected("GEOSEARCH", "{'key': '%s', 'fromMember': 'a', 'radius': 1, 'width': 2, 'height': 2}", "radius", key);
        assertRejected("GEOSEARCH", "{'key': '%s', 'fromMember': 'a', 'width': 2}", "height", key);
        assertRejected("GEOSEARCH", "{'key': '%s', 'fromMember': 'a'}", "radius", key);
        assertRejected("GEOADD", "{'key': '%s', 'members': [{'member': 'x', 'longitude': 1}]}", "members[0]", key);
        assertRejected("GEOADD", "{'key': '%s', 'member': 'x', 'longitude': 1}", "latitude", key);
    }

    @Test
    void publishReachesASubscriberWithTheEncodedMessage() throws Exception {
        String channel = P + "news";
        assertJson(json("0"), call("PUBLISH", "{'channel': '%s', 'message': 'nobody listens'}", channel));

        RedisConnection subscriber = redis.connect().toCompletionStage().toCompletableFuture().get(5, SECONDS);
        try {
            CompletableFuture<String> received = new CompletableFuture<>();
            subscriber.handler(push -> {
                if (push.size() == 3 && "message".equals(push.get(0).toString())) {
                    received.complete(push.get(2).toString());
                }
            });
            subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(channel)).toCompletionStage().toCompletableFuture()
                    .get(5, SECONDS);
            assertJson(json("1"), call("PUBLISH", "{'channel': '%s', 'encoding': 'json', 'message': {'id': 7}}", channel));
            assertEquals("{\"id\":7}", received.get(5, SECONDS));
        } finally {
            subscriber.close();
        }
        assertRejected("PUBLISH", "{'channel': '%s'}", "message", channel);
        assertRejected("PUBLISH", "{'message': 'm'}", "channel");
    }

    @Test
    void evalConvertsAnyReplyToJson() throws Exception {
        String key = P + "script";
        ObjectNode params = MAPPER.createObjectNode()
                .put("script", "return {KEYS[1], ARGV[1], 42, redis.call('SET', KEYS[1], ARGV[2]), false, {1, 'x'}, 3.9}");
        params.putArray("keys").add(key);
        params.putArray("args").add("first").add("stored");
        assertJson(json("['%s', 'first', 42, 'OK', null, [1, 'x'], 3]", key), call("EVAL", params),
                "bulk, integer, status, nil (Lua false), nested array; Lua numbers are truncated to integers");
        assertJson(json("'stored'"), call("EVAL", "{'script': 'return redis.call(\\'GET\\', KEYS[1])', 'keys': ['%s']}", key));
        assertJson(json("null"), call("EVAL", "{'script': 'return nil'}"));
        assertJson(json("1"), call("EVAL", "{'script': 'return true', 'keys': [], 'args': []}"), "Lua true is 1");

        JsonNode sha = call("SCRIPT.LOAD", "{'script': 'return {KEYS[1], tonumber(ARGV[1]) * 2}'}");
        assertTrue(sha.isTextual() && sha.textValue().matches("[0-9a-f]{40}"), "SCRIPT.LOAD answers the sha1: " + sha);
        assertJson(json("['%s', 42]", key), call("EVALSHA", "{'sha1': %s, 'keys': ['%s'], 'args': ['21']}", sha, key));

        ExecutionException unknown = assertThrows(ExecutionException.class,
                () -> call("EVALSHA", "{'sha1': '0000000000000000000000000000000000000000'}"));
        assertTrue(unknown.getCause().getMessage().startsWith("NOSCRIPT"), unknown.getCause().getMessage());
        assertRejected("EVAL", "{'keys': ['%s']}", "script", key);
        assertRejected("EVALSHA", "{'args': ['1']}", "sha1");
        assertRejected("SCRIPT.LOAD", "{}", "script");
    }

    @Test
    void serverEchoDbsizeInfoAndTime() throws Exception {
        assertJson(json("'hello there'"), call("ECHO", "{'message': 'hello there'}"));
        call("PFADD", "{'key': '%s', 'element': 'x'}", P + "counted");
        JsonNode size = call("DBSIZE", "{}");
        assertTrue(size.isIntegralNumber() && size.longValue() >= 1, "DBSIZE: " + size);

        JsonNode info = call("INFO", "{}");
        assertJson(json("'7.0.15'"), info.get("server").get("redis_version"));
        assertJson(json("%d", port), info.get("server").get("tcp_port"), "integers are numbers");
        assertJson(json("'00000000'"), info.get("server").get("redis_git_sha1"), "zero-padded ids stay strings");
        assertTrue(info.get("clients").get("connected_clients").longValue() >= 1, info.get("clients").toString());
        assertTrue(info.get("memory").get("used_memory").isIntegralNumber());
        JsonNode keyspace = call("INFO", "{'section': 'keyspace'}");
        assertEquals(Set.of("keyspace"), fieldNames(keyspace), "one section asked, one given");
        JsonNode db0 = keyspace.get("keyspace").get("db0");
        assertTrue(db0.get("keys").isIntegralNumber() && db0.get("keys").longValue() >= 1, "name=value lists are objects: " + db0);
        assertTrue(db0.get("expires").isIntegralNumber(), db0.toString());

        JsonNode time = call("TIME", "{}");
        assertTrue(time.get("seconds").isIntegralNumber() && time.get("microseconds").isIntegralNumber(), time.toString());
        assertTrue(time.get("microseconds").longValue() < 1_000_000);
        long skew = Math.abs(time.get("epochMillis").longValue() - System.currentTimeMillis());
        assertTrue(skew < 10_000, "server clock " + skew + " ms away");
        assertEquals(time.get("seconds").longValue(), time.get("epochMillis").longValue() / 1000);

        assertRejected("ECHO", "{}", "message");
        assertRejected("TIME", "{'section': 'x'}", "section");
    }

    // --- helpers ---

    private static JsonNode call(String name, String template, Object... values) throws Exception {
        return call(name, (ObjectNode) json(template, values));
    }

    /** Builds the args, then sends the one command (or runs a several-step operation) and maps the reply. */
    private static JsonNode call(String name, ObjectNode params) throws Exception {
        Operation operation = OPS.get(name);
        assertTrue(operation != null, "no operation " + name);
        Args args = operation.args(params);
        if (operation.runsSteps(args)) {
            ReplyAccount unbounded = new ReplyAccount(new ReplyBudget(Long.MAX_VALUE), Long.MAX_VALUE);
            return operation.run(args, target, unbounded).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        Response reply = send(operation.request(args));
        return operation.map(reply, args);
    }

    private static Response send(Request request) throws Exception {
        return client.send(request);
    }

    private static void assertRejected(String name, String template, String param, Object... values) {
        ConnectorException e = assertThrows(ConnectorException.class, () -> call(name, template, values),
                name + " should refuse " + String.format(template, values));
        assertTrue(e.getMessage().startsWith("params." + param + ":"), name + ": " + e.getMessage());
    }

    /**
     * Equal JSON as the caller reads it — the result as written (a stored JSON value is written as
     * stored), read back — integers compared by value whatever their Java width (IntNode 2 equals LongNode 2).
     */
    private static void assertJson(JsonNode expected, JsonNode actual, String... message) throws Exception {
        JsonNode written = MAPPER.readTree(actual.toString());
        Comparator<JsonNode> sameValue = (a, b) -> a.equals(b) || a.isNumber() && b.isNumber()
                && a.isIntegralNumber() == b.isIntegralNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        assertTrue(expected.equals(sameValue, written), String.join(" ", message) + " expected " + expected + " but was " + actual);
    }

    /** JSON with single quotes (and %s / %d filled in; a JsonNode fills in as JSON). */
    private static JsonNode json(String template, Object... values) {
        String text = String.format(template, values).replace("\\'", "\u0001").replace('\'', '"').replace('\u0001', '\'');
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Set<String> scripted() {
        Set<String> names = new TreeSet<>();
        OPS.values().stream().filter(Operation::isScripted).forEach(op -> names.add(op.name()));
        return names;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
    }

    /** The test's own client as a target, for operations of several steps (SCRIPT.LOAD on every master). */
    private record ClientTarget(Redis client) implements Target {

        @Override
        public ConnectionConfig config() {
            return null;
        }

        @Override
        public Future<Response> send(Request request, Route route) {
            return client.send(request);
        }

        @Override
        public Future<List<Outcome>> pipeline(List<Request> requests, List<Route> routes, OnReply onReply) {
            throw new UnsupportedOperationException("not used by these groups");
        }

        @Override
        public <T> Future<T> exclusive(Route route, Function<RedisConnection, Future<T>> work) {
            throw new UnsupportedOperationException("not used by these groups");
        }

        @Override
        public Future<List<Target>> masters() {
            return Future.succeededFuture(List.of(this));
        }

        @Override
        public Future<RedisConnection> dedicated(Route route) {
            throw new UnsupportedOperationException("not used by these groups");
        }

        @Override
        public void close() {
        }
    }
}
