package dev.redisfn.security;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.PrivateRedisTest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A deployment that opts in: connector.commands.scripting=true and RESTORE enabled by name. */
@QuarkusTest
@TestProfile(ScriptingEnabledPolicyTest.ScriptingOn.class)
class ScriptingEnabledPolicyTest extends PrivateRedisTest {

    public static class ScriptingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.commands.scripting", "true", "connector.commands.enabled", "RESTORE");
        }
    }

    @Test
    void scriptsRunOnceSwitchedOn() {
        Map<String, Object> connection = CommandPolicyTest.connection(redis);
        execute(connection, "SET", map("key", "on:k", "value", "stored")).statusCode(200);
        execute(connection, "EVAL", map("script", "return redis.call('GET', KEYS[1])", "keys", List.of("on:k")))
                .statusCode(200).body("result", equalTo("stored"));
        String sha = execute(connection, "SCRIPT.LOAD", map("script", "return ARGV[1]")).statusCode(200)
                .extract().path("result");
        execute(connection, "EVALSHA", map("sha1", sha, "args", List.of("x"))).statusCode(200).body("result", equalTo("x"));
    }

    @Test
    void dumpAndRestoreRoundTripOnceRestoreIsEnabled() {
        Map<String, Object> connection = CommandPolicyTest.connection(redis);
        execute(connection, "SET", map("key", "on:a", "value", "1")).statusCode(200);
        String dump = execute(connection, "DUMP", map("key", "on:a")).statusCode(200).extract().path("result");
        execute(connection, "RESTORE", map("key", "on:b", "serialized", dump)).statusCode(200).body("result", is(true));
        execute(connection, "GET", map("key", "on:b")).statusCode(200).body("result", equalTo("1"));
    }
}
