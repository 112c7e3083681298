package dev.redisfn.security;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;

import io.quarkus.test.junit.QuarkusTest;

/**
 * By default a caller cannot run a script of its own (EVAL, EVALSHA, SCRIPT.LOAD) nor RESTORE a
 * payload: a script runs past the command policy (FLUSHALL, MIGRATE to any host). The helpers' own
 * fixed scripts keep working.
 */
@QuarkusTest
class ScriptingPolicyTest extends PrivateRedisTest {

    @Test
    void callerScriptsAre403ByDefaultAndRunNothing() {
        Map<String, Object> connection = CommandPolicyTest.connection(redis);
        try (RespClient client = redis.client()) {
            client.call("SET", "script:kept", "v");
        }
        execute(connection, "EVAL", map("script", "return redis.call('FLUSHALL')")).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED"))
                .body("error.message", containsString("connector.commands.scripting"));
        execute(connection, "EVAL", map("script", "return redis.call('MIGRATE', '169.254.169.254', '6379', '', 0, 1000, "
                + "'KEYS', KEYS[1])", "keys", List.of("script:kept"))).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        execute(connection, "SCRIPT.LOAD", map("script", "return 1")).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        execute(connection, "EVALSHA", map("sha1", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        try (RespClient client = redis.client()) {
            assertThat("nothing was flushed or migrated", client.callString("GET", "script:kept"), equalTo("v"));
            assertThat("no script was loaded", client.callList("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
                    .get(0), equalTo(0L));
        }
        given().when().get("/operations").then().statusCode(200)
                .body("operations.find { it.name == 'EVAL' }.enabled", is(false))
                .body("operations.find { it.name == 'LOCK.RELEASE' }.enabled", is(true));
    }

    @Test
    void restoreIs403ByDefaultWhileDumpReads() {
        Map<String, Object> connection = CommandPolicyTest.connection(redis);
        execute(connection, "SET", map("key", "script:dumped", "value", "1")).statusCode(200);
        String dump = execute(connection, "DUMP", map("key", "script:dumped")).statusCode(200).extract().path("result");
        execute(connection, "RESTORE", map("key", "script:restored", "serialized", dump)).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        execute(connection, "EXISTS", map("key", "script:restored")).statusCode(200).body("result", is(false));
    }

    @Test
    void theHelpersOwnScriptsStillRun() {
        Map<String, Object> connection = CommandPolicyTest.connection(redis);
        String token = execute(connection, "LOCK.ACQUIRE", map("key", "script:lock", "ttlMillis", 60_000)).statusCode(200)
                .body("result.acquired", is(true)).extract().path("result.token");
        execute(connection, "LOCK.RELEASE", map("key", "script:lock", "token", token)).statusCode(200)
                .body("result.released", is(true));
        execute(connection, "RATELIMIT", map("key", "script:rate", "limit", 5, "windowSeconds", 60)).statusCode(200)
                .body("result.allowed", is(true));
    }
}
