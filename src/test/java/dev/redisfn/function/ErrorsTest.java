package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static dev.redisfn.function.Events.with;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.Ports;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every error code of DESIGN.md §4 that a caller can cause, with its HTTP status, as JSON without a stack trace. */
@QuarkusTest
class ErrorsTest {

    @Test
    void malformedJsonIs400InvalidRequestAsJson() {
        given().contentType(ContentType.JSON).body("{\"connection\": {\"password\": hunter2").when().post("/execute")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("ok", is(false)).body("error.code", equalTo("INVALID_REQUEST"))
                .body(not(containsString("hunter2"))).body(not(containsString("at io.")));
    }

    @Test
    void nonObjectBodyAndMissingOperationAre400() {
        Events.post("/execute", List.of(1, 2)).statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", containsString("JSON object"));
        Events.post("/execute", map("connection", Events.standalone())).statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST")).body("error.message", containsString("operation"));
        given().contentType(ContentType.JSON).when().post("/execute").then().statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST"));
    }

    @Test
    void unknownTopLevelFieldAndUnknownParameterAre400NamingTheAcceptedOnes() {
        Events.post("/execute", map("connection", Events.standalone(), "operation", "GET", "parms", map()))
                .statusCode(400).body("error.message", containsString("parms")).body("error.message", containsString("params"));
        execute(Events.standalone(), "GET", map("key", "k", "feild", "x")).statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", allOf(containsString("params.feild"), containsString("accepted: key")));
    }

    @Test
    void missingAndIllTypedParametersAre400NamingTheParameter() {
        execute(Events.standalone(), "GET", map()).statusCode(400).body("error.message", containsString("params.key"));
        execute(Events.standalone(), "INCRBY", map("key", "k", "increment", "lots")).statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST")).body("error.message", containsString("params.increment"));
        execute(Events.standalone(), "SET", map("key", "k", "value", map("a", 1))).statusCode(400)
                .body("error.message", containsString("encoding"));
        execute(Events.standalone(), "SET", map("key", "k", "value", "v", "condition", "MAYBE")).statusCode(400)
                .body("error.message", containsString("params.condition"));
    }

    @Test
    void unknownOperationIs400() {
        execute(Events.standalone(), "FLYTOTHEMOON", map()).statusCode(400)
                .body("error.code", equalTo("UNKNOWN_OPERATION")).body("error.retryable", is(false))
                .body("error.message", containsString("FLYTOTHEMOON"));
    }

    @Test
    void invalidConnectionNamesTheField() {
        execute(map("mode", "cluster", "nodes", "127.0.0.1:7000", "database", 2), "PING", map()).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION")).body("error.message", containsString("connection.database"));
        execute(map("mode", "standalone"), "PING", map()).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION")).body("error.message", containsString("connection.host"));
        execute(map("mode", "ring", "host", "h"), "PING", map()).statusCode(400)
                .body("error.message", containsString("connection.mode"));
        execute(map("host", "h", "port", 70000), "PING", map()).statusCode(400)
                .body("error.message", containsString("connection.port"));
        execute(map("host", "h", "passwd", "x"), "PING", map()).statusCode(400)
                .body("error.message", allOf(containsString("connection.passwd"), containsString("password")));
        Events.post("/execute", map("connectionRef", "nowhere", "operation", "PING")).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION")).body("error.message", containsString("connectionRef"));
    }

    @Test
    void modeAliasesFromIntegrationConsolesWork() {
        Map<String, Object> connection = Events.standalone();
        for (String alias : List.of("NonCluster", "noncluster", "single", "STANDALONE")) {
            execute(with(connection, "mode", alias), "PING", map()).statusCode(200).body("result", equalTo("PONG"));
        }
        execute(with(connection, "mode", null, "host", null, "port", null, "nodes",
                "127.0.0.1:" + connection.get("port")), "PING", map()).statusCode(200);
        execute(map("uri", "redis://:" + connection.get("password") + "@127.0.0.1:" + connection.get("port") + "/0"),
                "PING", map()).statusCode(200).body("result", equalTo("PONG"));
    }

    @Test
    void wrongPasswordIs422AuthFailedWithoutThePassword() {
        execute(with(Events.standalone(), "password", "not-the-password-42"), "PING", map()).statusCode(422)
                .body("error.code", equalTo("AUTH_FAILED")).body("error.retryable", is(false))
                .body(not(containsString("not-the-password-42")));
    }

    @Test
    void aclUserAuthenticatesWithUsername() {
        execute(with(Events.standalone(), "username", dev.redisfn.testsupport.StandaloneRedis.ACL_USER, "password",
                dev.redisfn.testsupport.StandaloneRedis.ACL_PASSWORD), "SET", map("key", "acl:k", "value", "v"))
                .statusCode(200).body("result", is(true));
        execute(with(Events.standalone(), "username", dev.redisfn.testsupport.StandaloneRedis.ACL_USER), "PING", map())
                .statusCode(422).body("error.code", equalTo("AUTH_FAILED"));
    }

    @Test
    void redisErrorIs422WithRedisMessage() {
        execute(Events.standalone(), "SET", map("key", "err:text", "value", "abc"));
        execute(Events.standalone(), "INCR", map("key", "err:text")).statusCode(422)
                .body("error.code", equalTo("REDIS_ERROR")).body("error.message", containsString("not an integer"));
    }

    @Test
    void refusedConnectionIs502ConnectionFailedAndRetryable() throws IOException {
        int port = Ports.free();
        execute(map("host", "127.0.0.1", "port", port), "PING", map()).statusCode(502)
                .body("error.code", equalTo("CONNECTION_FAILED")).body("error.retryable", is(true));
    }

    @Test
    void silentServerIs504TimeoutWithinCommandTimeout() throws IOException {
        List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long started = System.nanoTime();
            execute(map("host", "127.0.0.1", "port", silent.getLocalPort(), "commandTimeoutMs", 300), "PING", map())
                    .statusCode(504).body("error.code", equalTo("TIMEOUT")).body("error.retryable", is(true));
            org.hamcrest.MatcherAssert.assertThat((System.nanoTime() - started) / 1_000_000L, lessThan(3_000L));
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void batchOverTheLimitIs413() {
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            batch.add(map("operation", "PING"));
        }
        Events.post("/execute", map("connection", Events.standalone(), "batch", batch)).statusCode(413)
                .body("error.code", equalTo("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "x".repeat(1_100_000);
        execute(Events.standalone(), "SET", map("key", "big", "value", big)).statusCode(413)
                .body("error.code", equalTo("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void unknownPathIs404AsJson() {
        given().when().get("/nothing-here").then().statusCode(404);
    }
}
