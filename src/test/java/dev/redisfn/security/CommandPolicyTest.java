package dev.redisfn.security;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.StandaloneRedis;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The default command policy: administrative and dangerous operations are refused with 403
 * before anything is sent — the private server proves it (its data and configuration stay).
 */
@QuarkusTest
class CommandPolicyTest extends PrivateRedisTest {

    static Map<String, Object> connection(StandaloneRedis server) {
        return map("host", "127.0.0.1", "port", server.port(), "password", StandaloneRedis.PASSWORD);
    }

    @BeforeEach
    void storeAKey() {
        try (RespClient client = redis.client()) {
            client.call("SET", "policy:kept", "still here");
        }
    }

    @Test
    void flushAllAndFlushDbAre403ByDefaultAndDeleteNothing() {
        for (String name : List.of("FLUSHALL", "flushall", " FlushAll ", "FLUSHDB")) {
            execute(connection(redis), name, map()).statusCode(403).body("ok", is(false))
                    .body("error.code", equalTo("COMMAND_NOT_ALLOWED")).body("error.retryable", is(false))
                    .body("error.message", containsString("connector.commands.enabled"));
        }
        assertKeyKept();
    }

    @Test
    void configSetIs403AndTheServerConfigurationStays() {
        execute(connection(redis), "CONFIG.SET", map("parameter", "maxmemory", "value", "1mb")).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        execute(connection(redis), "CONFIG", map()).statusCode(403).body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        try (RespClient client = redis.client()) {
            assertThat(client.callList("CONFIG", "GET", "maxmemory").get(1), equalTo("0"));
        }
    }

    @Test
    void shutdownAndOtherNeverSentCommandsAre403AndTheServerKeepsRunning() {
        for (String name : List.of("SHUTDOWN", "shutdown", "DEBUG", "MONITOR", "REPLICAOF", "MIGRATE", "ACL", "CLIENT",
                "CLIENT KILL", "client.kill", "ACL SETUSER", "shutdown nosave", "SCRIPT FLUSH", "CONFIG REWRITE",
                "REPLICAOF NO ONE", "SORT", "SLOWLOG")) {
            execute(connection(redis), name, map()).statusCode(403).body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        }
        assertThat(redis.process().isAlive(), is(true));
        assertThat(RespClient.once(redis.port(), null, StandaloneRedis.PASSWORD, "PING"), equalTo("PONG"));
    }

    @Test
    void aRefusedItemInABatchFailsAloneAndAnAtomicBatchWithOneRunsNothing() {
        Events.post("/execute", map("connection", connection(redis), "batch", List.of(
                map("operation", "FLUSHALL"), map("operation", "GET", "params", map("key", "policy:kept")))))
                .statusCode(200).body("ok", is(false))
                .body("results[0].error.code", equalTo("COMMAND_NOT_ALLOWED"))
                .body("results[1].ok", is(true)).body("results[1].result", equalTo("still here"));
        Events.post("/execute", map("connection", connection(redis), "atomic", true, "batch", List.of(
                map("operation", "INCR", "params", map("key", "policy:counter")), map("operation", "FLUSHALL"))))
                .statusCode(403).body("ok", is(false)).body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        try (RespClient client = redis.client()) {
            assertThat("INCR of the refused atomic batch ran", client.call("EXISTS", "policy:counter"), equalTo(0L));
        }
        assertKeyKept();
    }

    @Test
    void theCatalogueMarksAdministrativeOperationsDisabled() {
        given().when().get("/operations").then().statusCode(200)
                .body("operations.find { it.name == 'FLUSHALL' }.enabled", is(false))
                .body("operations.find { it.name == 'CONFIG.SET' }.enabled", is(false))
                .body("operations.find { it.name == 'GET' }.enabled", is(true))
                .body("operations.name", hasItem("FLUSHDB"));
    }

    private static void assertKeyKept() {
        try (RespClient client = redis.client()) {
            assertThat(client.callString("GET", "policy:kept"), equalTo("still here"));
        }
    }
}
