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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** connector.commands.scripting=false: every operation that runs Lua is 403; the rest is unaffected. */
@QuarkusTest
@TestProfile(ScriptingOffPolicyTest.ScriptingOff.class)
class ScriptingOffPolicyTest extends PrivateRedisTest {

    public static class ScriptingOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.commands.scripting", "false");
        }
    }

    @Test
    void scriptedOperationsAre403AndRunNothingWhilePlainOnesWork() {
        Map<String, Object> connection = CommandPolicyTest.connection(redis);
        String token = execute(connection, "LOCK.ACQUIRE", map("key", "script:lock", "ttlMillis", 60_000)).statusCode(200)
                .body("result.acquired", is(true)).extract().path("result.token");

        execute(connection, "LOCK.RELEASE", map("key", "script:lock", "token", token)).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED")).body("error.message", containsString("scripting"));
        execute(connection, "RATELIMIT", map("key", "script:rate", "limit", 5, "windowSeconds", 60)).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        List<String> names = given().when().get("/operations").then().statusCode(200).extract().path("operations.name");
        for (String scripted : List.of("EVAL", "EVALSHA", "SCRIPT.LOAD")) {
            if (names.contains(scripted)) { // registered by the scripting group once it exists
                execute(connection, scripted, map()).statusCode(403).body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
            }
        }
        try (RespClient client = redis.client()) {
            assertThat("the lock LOCK.RELEASE would have deleted", client.callString("GET", "script:lock"), equalTo(token));
            assertThat(client.call("EXISTS", "script:rate"), equalTo(0L));
        }
        execute(connection, "GET", map("key", "script:lock")).statusCode(200).body("result", equalTo(token));
    }
}
