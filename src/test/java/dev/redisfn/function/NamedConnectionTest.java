package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.StandaloneRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

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
                    "connector.connections.broken.database", "4",
                    // as src/main/knative/stream-poll.yaml asks of the deployment
                    "quarkus.funqy.knative-events.mapping.execute.trigger", "*");
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

    /**
     * src/main/knative/stream-poll.yaml: its PingSource's event, as the source sends it, runs the
     * consume through the named connection; the XACK event its comments tell the flow to answer
     * acknowledges what was read, and an entry left unacknowledged is taken over by a later poll.
     */
    @Test
    void theStreamPollManifestsEventsConsumeAndAcknowledge() throws IOException {
        JsonNode ping = manifest("PingSource").get("spec");
        Events.post("/execute", map("connectionRef", "orders", "operation", "DEL", "params", map("key", "orders")))
                .statusCode(200);
        String first = Events.post("/execute", map("connectionRef", "orders", "operation", "XADD",
                "params", map("key", "orders", "fields", map("order", "42")))).statusCode(200).extract().path("result");

        pingEvent(ping).then().statusCode(200).header("ce-type", "dev.redisfn.execute.result")
                .body("result.entries.id", contains(first)).body("result.entries[0].fields.order", equalTo("42"));
        // the flow answers for the entry it processed; the broker hands the answer to the function
        given().header("ce-id", UUID.randomUUID().toString()).header("ce-specversion", "1.0")
                .header("ce-source", "billing").header("ce-type", "dev.redisfn.execute").contentType(ContentType.JSON)
                .body(map("connectionRef", "orders", "operation", "XACK",
                        "params", map("key", "orders", "group", "billing", "ids", List.of(first))))
                .post("/").then().statusCode(200).body("result", equalTo(1));

        // an entry whose answer never came stays pending: the next poll does not read it again
        // before claimIdleMs, and no entry is read twice meanwhile
        String second = Events.post("/execute", map("connectionRef", "orders", "operation", "XADD",
                "params", map("key", "orders", "fields", map("order", "43")))).statusCode(200).extract().path("result");
        pingEvent(ping).then().statusCode(200).body("result.entries.id", contains(second));
        Events.post("/execute", map("connectionRef", "orders", "operation", "XPENDING",
                "params", map("key", "orders", "group", "billing"))).statusCode(200).body("result.count", equalTo(1));
        assertTrue(ping.get("data").asText().contains("\"claimIdleMs\""), "the poll takes over abandoned entries");
    }

    /** The resource of that kind in src/main/knative/stream-poll.yaml. */
    private static JsonNode manifest(String kind) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var parser = yaml.getFactory().createParser(Path.of("src/main/knative/stream-poll.yaml").toFile())) {
            for (var documents = yaml.readValues(parser, JsonNode.class); documents.hasNext();) {
                JsonNode document = documents.next();
                if (kind.equals(document.path("kind").asText())) {
                    return document;
                }
            }
        }
        throw new AssertionError("src/main/knative/stream-poll.yaml holds no " + kind);
    }

    /** The event a PingSource sends: binary mode, its fixed type, its spec's content type and data. */
    private static Response pingEvent(JsonNode spec) {
        return given().header("ce-id", UUID.randomUUID().toString()).header("ce-specversion", "1.0")
                .header("ce-source", "/apis/v1/namespaces/default/pingsources/orders-poll")
                .header("ce-type", "dev.knative.sources.ping").contentType(spec.get("contentType").asText())
                .body(spec.get("data").asText()).post("/");
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
