package dev.redisfn.security;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** connector.commands.read-only=true: reads are served, every write is 403 and nothing is written. */
@QuarkusTest
@TestProfile(ReadOnlyPolicyTest.ReadOnly.class)
class ReadOnlyPolicyTest extends PrivateRedisTest {

    public static class ReadOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.commands.read-only", "true");
        }
    }

    @BeforeAll
    static void seedPrivateServer() {
        try (RespClient client = redis.client()) {
            client.call("SET", "ro:existing", "readable");
        }
    }

    @Test
    void writesAre403AndWriteNothingWhileReadsAre200() {
        Map<String, Object> connection = CommandPolicyTest.connection(redis);
        execute(connection, "SET", map("key", "ro:new", "value", "x")).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED")).body("error.message", containsString("read-only"));
        execute(connection, "INCR", map("key", "ro:counter")).statusCode(403).body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        execute(connection, "DEL", map("key", "ro:existing")).statusCode(403).body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
        execute(connection, "GET", map("key", "ro:existing")).statusCode(200).body("ok", is(true))
                .body("result", equalTo("readable"));
        Events.post("/execute", map("connection", connection, "batch", List.of(
                map("operation", "SET", "params", map("key", "ro:batch", "value", "x")),
                map("operation", "GET", "params", map("key", "ro:existing")))))
                .statusCode(200).body("results[0].error.code", equalTo("COMMAND_NOT_ALLOWED"))
                .body("results[1].result", equalTo("readable"));
        try (RespClient client = redis.client()) {
            assertThat(client.call("EXISTS", "ro:new", "ro:counter", "ro:batch"), equalTo(0L));
            assertThat(client.callString("GET", "ro:existing"), equalTo("readable"));
        }
    }
}
