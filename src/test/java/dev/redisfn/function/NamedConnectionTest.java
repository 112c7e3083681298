package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.StandaloneRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code connectionRef}: the password lives in the function's configuration, not in the event. */
@QuarkusTest
@TestProfile(NamedConnectionTest.OrdersConnection.class)
class NamedConnectionTest {

    public static class OrdersConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.connections.orders.host", "127.0.0.1",
                    "connector.connections.orders.port", Integer.toString(RedisTopologies.standalone().port()),
                    "connector.connections.orders.password", StandaloneRedis.PASSWORD,
                    "connector.connections.broken.mode", "cluster",
                    "connector.connections.broken.nodes", "127.0.0.1:1",
                    "connector.connections.broken.database", "4");
        }
    }

    @Test
    void eventNamesAConfiguredConnection() {
        Events.post("/execute", map("connectionRef", "orders", "operation", "SET",
                "params", map("key", "ref:k", "value", "v"))).statusCode(200).body("result", is(true));
        Events.post("/execute", map("connectionRef", "orders", "operation", "GET", "params", map("key", "ref:k")))
                .statusCode(200).body("result", equalTo("v"));
        Events.post("/test-connection", map("connectionRef", "orders")).statusCode(200).body("ok", is(true));
    }

    @Test
    void aMisspeltNameIsAnsweredWithTheConfiguredOneMeant() {
        Events.post("/execute", map("connectionRef", "order", "operation", "PING")).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION"))
                .body("error.message", equalTo("connectionRef: no connection named 'order' is configured;"
                        + " did you mean 'orders'? (configured: broken, orders)"));
    }

    @Test
    void aConfiguredConnectionIsCheckedLikeAnEventsOwn() {
        Events.post("/execute", map("connectionRef", "broken", "operation", "PING")).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION"));
        Events.post("/execute", map("connectionRef", "orders", "connection", Events.standalone(), "operation", "PING"))
                .statusCode(400).body("error.code", equalTo("INVALID_CONNECTION"));
    }
}
