package dev.redisfn.connection;

import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import dev.redisfn.testsupport.Ports;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The README's first command as the application sees it: with {@code connector.local-redis.enabled}
 * (the {@code local} profile) the function starts its own redis-server, and the named connection
 * {@code local} reaches it (that the server goes with the function's shutdown: {@code LocalRedisTest}).
 */
@QuarkusTest
@TestProfile(LocalRunTest.LocalRun.class)
class LocalRunTest {

    public static class LocalRun implements QuarkusTestProfile {
        private static final String PORT = Integer.toString(Ports.free());

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.local-redis.enabled", "true", "connector.local-redis.port", PORT,
                    "connector.connections.local.host", "127.0.0.1", "connector.connections.local.port", PORT);
        }
    }

    @Test
    void theFunctionStartsTheRedisThatItsLocalConnectionNames() {
        Events.post("/execute", map("connectionRef", "local", "operation", "SET", "params",
                map("key", "local:run", "value", "up"))).statusCode(200).body("result", is(true));
        Events.post("/execute", map("connectionRef", "local", "operation", "GET", "params", map("key", "local:run")))
                .statusCode(200).body("result", equalTo("up"));
    }
}
