package dev.redisfn.security;

import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.StandaloneRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * connector.api-keys: each key names the connections it may use, whether it may send a connection
 * config of its own, and which kinds of operations (read, write, admin) it may run; anything else
 * is 403 SCOPE_NOT_ALLOWED, the key's name in the message and never the key.
 */
@QuarkusTest
@TestProfile(ScopedApiKeysTest.Keys.class)
class ScopedApiKeysTest {

    static final String READER = "reader-key-5f1c";
    static final String WRITER = "writer-key-8a2d";
    static final String OPS = "ops-key-c3b9";

    public static class Keys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String port = Integer.toString(RedisTopologies.standalone().port());
            return Map.ofEntries(Map.entry("connector.commands.enabled", "CONFIG.GET"),
                    Map.entry("connector.connections.orders.host", "127.0.0.1"),
                    Map.entry("connector.connections.orders.port", port),
                    Map.entry("connector.connections.orders.password", StandaloneRedis.PASSWORD),
                    Map.entry("connector.connections.billing.host", "127.0.0.1"),
                    Map.entry("connector.connections.billing.port", port),
                    Map.entry("connector.connections.billing.password", StandaloneRedis.PASSWORD),
                    Map.entry("connector.api-keys.dashboard.key", READER),
                    Map.entry("connector.api-keys.dashboard.connections", "orders"),
                    Map.entry("connector.api-keys.dashboard.categories", "read"),
                    Map.entry("connector.api-keys.orders-flow.key", WRITER),
                    Map.entry("connector.api-keys.orders-flow.connections", "orders,billing"),
                    Map.entry("connector.api-keys.orders-flow.categories", "read,write"),
                    Map.entry("connector.api-keys.ops.key", OPS),
                    Map.entry("connector.api-keys.ops.connections", "*"),
                    Map.entry("connector.api-keys.ops.inline-connections", "true"),
                    Map.entry("connector.api-keys.ops.categories", "read,write,admin"));
        }
    }

    private static ValidatableResponse call(String key, String path, Object body) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key).body(body).when().post(path)
                .then();
    }

    private static Map<String, Object> on(String connectionRef, String operation, Map<String, Object> params) {
        return map("connectionRef", connectionRef, "operation", operation, "params", params);
    }

    private static void refused(ValidatableResponse response, String... said) {
        response.statusCode(403).body("ok", is(false)).body("error.code", equalTo("SCOPE_NOT_ALLOWED"))
                .body("error.retryable", is(false)).body(not(containsString(READER))).body(not(containsString(WRITER)));
        for (String text : said) {
            response.body("error.message", containsString(text));
        }
    }

    @Test
    void aReadKeyReadsItsConnectionAndNothingElse() {
        call(WRITER, "/execute", on("orders", "SET", map("key", "scoped:k", "value", "v"))).statusCode(200);
        call(READER, "/execute", on("orders", "GET", map("key", "scoped:k"))).statusCode(200).body("result", equalTo("v"));
        call(READER, "/test-connection", map("connectionRef", "orders")).statusCode(200).body("ok", is(true));
        refused(call(READER, "/execute", on("orders", "SET", map("key", "scoped:k", "value", "w"))), "dashboard",
                "SET", "write");
        refused(call(READER, "/execute", on("billing", "GET", map("key", "scoped:k"))), "dashboard", "billing");
        refused(call(READER, "/test-connection", map("connectionRef", "billing")), "billing");
        refused(call(READER, "/execute", map("connection", Events.standalone(), "operation", "GET", "params",
                map("key", "scoped:k"))), "connection config of its own");
        call(WRITER, "/execute", on("orders", "GET", map("key", "scoped:k"))).statusCode(200).body("result", equalTo("v"));
        // the catalogue as the key sees it: a console offers it what it may run
        given().header("Authorization", "Bearer " + READER).get("/operations?group=string").then().statusCode(200)
                .body("operations.find { it.name == 'GET' }.enabled", is(true))
                .body("operations.find { it.name == 'SET' }.enabled", is(false));
        given().header("Authorization", "Bearer " + WRITER).get("/operations?group=string").then().statusCode(200)
                .body("operations.find { it.name == 'SET' }.enabled", is(true));
    }

    @Test
    void aKeyLimitedToSomeConnectionsLearnsNoOtherConnectionsName() {
        // an unknown name is refused like a known one outside the scope: the answer lists no names
        for (String name : List.of("billing", "no-such-connection")) {
            refused(call(READER, "/execute", on(name, "GET", map("key", "scoped:k"))), "dashboard", name);
            refused(call(READER, "/test-connection", map("connectionRef", name)), "dashboard", name);
            call(READER, "/execute", on(name, "GET", map("key", "scoped:k"))).body(not(containsString("orders")));
        }
        // a key that may use every connection is told which exist, as without keys
        call(OPS, "/execute", on("no-such-connection", "GET", map("key", "scoped:k"))).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION"))
                .body("error.message", containsString("(configured: billing, orders)"));
        call(OPS, "/test-connection", map("connectionRef", "no-such-connection")).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION"))
                .body("error.message", containsString("(configured: billing, orders)"));
    }

    @Test
    void aBatchItemOutsideTheScopeFailsAloneAndAnAtomicBatchWhole() {
        List<Object> items = List.of(map("operation", "GET", "params", map("key", "scoped:b")),
                map("operation", "DEL", "params", map("key", "scoped:b")));
        call(READER, "/execute", map("connectionRef", "orders", "batch", items)).statusCode(200)
                .body("results[0].ok", is(true)).body("results[1].ok", is(false))
                .body("results[1].error.code", equalTo("SCOPE_NOT_ALLOWED"));
        refused(call(READER, "/execute", map("connectionRef", "orders", "batch", items, "atomic", true)));
    }

    @Test
    void adminOperationsNeedTheAdminCategory() {
        refused(call(WRITER, "/execute", on("orders", "CONFIG.GET", map("parameter", "maxmemory"))), "orders-flow",
                "admin");
        call(OPS, "/execute", on("orders", "CONFIG.GET", map("parameter", "maxmemory"))).statusCode(200)
                .body("ok", is(true));
        call(OPS, "/execute", map("connection", Events.standalone(), "operation", "PING")).statusCode(200)
                .body("result", equalTo("PONG"));
    }

    @Test
    void anUnknownKeyIsStill401() {
        call("not-a-key", "/execute", on("orders", "GET", map("key", "k"))).statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
    }
}
