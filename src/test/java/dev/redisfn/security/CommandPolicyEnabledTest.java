package dev.redisfn.security;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** connector.commands.enabled=FLUSHDB turns that one administrative operation on, and no other. */
@QuarkusTest
@TestProfile(CommandPolicyEnabledTest.FlushDbEnabled.class)
class CommandPolicyEnabledTest extends PrivateRedisTest {

    public static class FlushDbEnabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.commands.enabled", "FLUSHDB");
        }
    }

    @Test
    void enabledFlushDbEmptiesTheDatabaseWhileFlushAllStays403() {
        try (RespClient client = redis.client()) {
            client.call("SET", "enabled:a", "1");
            client.call("SET", "enabled:b", "2");
        }
        execute(CommandPolicyTest.connection(redis), "FLUSHALL", map()).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        try (RespClient client = redis.client()) {
            assertThat(client.call("DBSIZE"), equalTo(2L));
        }
        execute(CommandPolicyTest.connection(redis), "flushdb", map()).statusCode(200).body("ok", is(true))
                .body("result", is(true));
        try (RespClient client = redis.client()) {
            assertThat(client.call("DBSIZE"), equalTo(0L));
        }
        given().when().get("/operations").then().statusCode(200)
                .body("operations.find { it.name == 'FLUSHDB' }.enabled", is(true))
                .body("operations.find { it.name == 'FLUSHALL' }.enabled", is(false));
    }
}
