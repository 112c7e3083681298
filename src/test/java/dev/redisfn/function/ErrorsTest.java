package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static dev.redisfn.function.Events.with;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.testsupport.AnnouncingRedis;
import dev.redisfn.testsupport.AnsweringServer;
import dev.redisfn.testsupport.NotRedisServer;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisCluster;
import dev.redisfn.testsupport.RedisProcess;
import dev.redisfn.testsupport.RedisTopologies;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;

/** Every error code of docs/design.md, "Results and errors" that a caller can cause, with its HTTP status, as JSON without a stack trace. */
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
    void numbersBeyondADoubleAndNullWeightsAre400NotInfinityOr500() throws JsonProcessingException {
        String connection = new ObjectMapper().writeValueAsString(Events.standalone());
        given().contentType(ContentType.JSON).body("{\"connection\": " + connection + ", \"operation\": \"ZADD\","
                + " \"params\": {\"key\": \"z:huge\", \"member\": \"m\", \"score\": 1e400}}").when().post("/execute")
                .then().statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", startsWith("params.score")).body("error.message", containsString("\"inf\""));
        execute(Events.standalone(), "ZADD", map("key", "z:huge", "member", "m", "score", "-1e999")).statusCode(400)
                .body("error.message", startsWith("params.score"));
        execute(Events.standalone(), "EXPIRE", map("key", "z:huge", "ttlSeconds", new java.math.BigInteger("18446744073709551616")))
                .statusCode(400).body("error.message", startsWith("params.ttlSeconds: the integer is beyond 64 bits"));
        execute(Events.standalone(), "ZUNIONSTORE", map("destination", "z:d", "keys", List.of("z:a"),
                "weights", Collections.singletonList(null))).statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", containsString("weights[0]"));
    }

    /** A number a value is given as keeps its digits: no trip through a double, no Infinity stored as JSON. */
    @Test
    void numbersStoredAsValuesKeepTheirDigits() throws JsonProcessingException {
        String connection = new ObjectMapper().writeValueAsString(Events.standalone());
        Map<String, String> stored = Map.of("12345678901234567890.5", "12345678901234567890.5", "1.10", "1.10",
                "100.0", "100.0", "1e400", "1E+400", "7", "7");
        stored.forEach((given, kept) -> {
            given().contentType(ContentType.JSON).body("{\"connection\": " + connection + ", \"operation\": \"SET\","
                    + " \"params\": {\"key\": \"num:kept\", \"value\": " + given + "}}").when().post("/execute")
                    .then().statusCode(200);
            execute(Events.standalone(), "GET", map("key", "num:kept")).statusCode(200).body("result", equalTo(kept));
        });
        given().contentType(ContentType.JSON).body("{\"connection\": " + connection + ", \"operation\": \"SET\","
                + " \"params\": {\"key\": \"num:json\", \"encoding\": \"json\", \"value\": {\"a\": 1e400, \"b\": 1.10}}}")
                .when().post("/execute").then().statusCode(200);
        String json = given().contentType(ContentType.JSON).body(map("connection", Events.standalone(), "operation", "GET",
                "params", map("key", "num:json", "encoding", "json"))).when().post("/execute").then().statusCode(200)
                .extract().asString();
        assertThat(json, containsString("{\"a\":1E+400,\"b\":1.10}"));
    }

    @Test
    void aLoneSurrogateIs400NotAQuestionMarkInRedis() throws JsonProcessingException {
        String connection = new ObjectMapper().writeValueAsString(Events.standalone());
        for (String params : List.of("{\"key\": \"k\\ud800\", \"value\": \"v\"}", "{\"key\": \"k\", \"value\": \"a\\udc00b\"}",
                "{\"key\": \"k\", \"encoding\": \"json\", \"value\": {\"a\": [\"\\ud83d\"]}}")) {
            given().contentType(ContentType.JSON).body("{\"connection\": " + connection + ", \"operation\": \"SET\","
                    + " \"params\": " + params + "}").when().post("/execute").then().statusCode(400)
                    .body("error.code", equalTo("INVALID_REQUEST")).body("error.message", containsString("lone surrogate"));
        }
        given().contentType(ContentType.JSON).body("{\"connection\": " + connection + ", \"operation\": \"SET\","
                + " \"params\": {\"key\": \"surrogate:pair\", \"value\": \"\\ud83d\\ude00\"}}").when().post("/execute")
                .then().statusCode(200);
        execute(Events.standalone(), "GET", map("key", "surrogate:pair")).body("result", equalTo("\ud83d\ude00"));
    }

    @Test
    void cloudMetadataEndpointsAreRefusedByDefault() {
        for (String host : List.of("169.254.169.254", "fd00:ec2::254", "100.100.100.200")) {
            execute(map("host", host, "port", 80), "PING", map()).statusCode(403)
                    .body("error.code", equalTo("TARGET_NOT_ALLOWED"));
        }
    }

    @Test
    void paramsBesideABatchAre400RatherThanIgnored() {
        Events.post("/execute", map("connection", Events.standalone(), "params", map("key", "x"),
                "batch", List.of(map("operation", "GET", "params", map("key", "x"))))).statusCode(400)
                .body("error.message", startsWith("params: a batch gives each operation its own params"));
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
    void aMisspelledNameIsAnsweredWithTheNameMeant() {
        execute(Events.standalone(), "HGETAL", map("key", "h")).statusCode(400)
                .body("error.code", equalTo("UNKNOWN_OPERATION"))
                .body("error.message", containsString("no operation named 'HGETAL'; did you mean 'HGETALL'?"));
        execute(Events.standalone(), "EXPIRE", map("key", "k", "seconds", 5)).statusCode(400)
                .body("error.message", startsWith("params.seconds: unknown parameter for EXPIRE; did you mean 'ttlSeconds'?"));
        execute(with(Events.standalone(), "pasword", "x"), "PING", map()).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION"))
                .body("error.message", startsWith("connection.pasword: unknown field; did you mean 'password'?"));
        Events.post("/execute", map("connection", Events.standalone(), "operation", "GET", "parms", map("key", "k")))
                .statusCode(400).body("error.message", startsWith("parms: unknown field; did you mean 'params'? (accepted:"));
        execute(Events.standalone(), "FLYTOTHEMOON", map()).statusCode(400)
                .body("error.message", not(containsString("did you mean")));
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
                "127.0.0.1:" + connection.get("port")), "PING", map()).statusCode(200).body("result", equalTo("PONG"));
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
    void aMasterNameNoSentinelMonitorsIs502ButNotRetryable() {
        execute(Events.with(Events.sentinel(), "masterName", "nosuchmaster"), "PING", map()).statusCode(502)
                .body("error.code", equalTo("CONNECTION_FAILED")).body("error.retryable", is(false))
                .body("error.hint", startsWith("masterName: no sentinel knows a master named 'nosuchmaster'"));
    }

    @Test
    void silentServerIs504TimeoutWithinCommandTimeout() throws IOException {
        List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = Ports.serverSocket()) {
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
            // the server never answered a connection's first PING, so no command reached it: a write may be retried
            execute(map("host", "127.0.0.1", "port", silent.getLocalPort(), "commandTimeoutMs", 300), "INCR",
                    map("key", "n")).statusCode(504).body("error.code", equalTo("TIMEOUT"))
                    .body("error.retryable", is(true))
                    .body("error.message", equalTo("no connection to 127.0.0.1:" + silent.getLocalPort() + " was ready"
                            + " within 300 ms: the server did not accept it or answer its first commands (PING, AUTH,"
                            + " SELECT); nothing was sent"))
                    .body("error.hint", startsWith("host/port: "));
            // as sentinels: the deadline passes while they are asked for the master, which the error says
            execute(map("mode", "sentinel", "nodes", "127.0.0.1:" + silent.getLocalPort(), "commandTimeoutMs", 300),
                    "SET", map("key", "k", "value", "v")).statusCode(504).body("error.code", equalTo("TIMEOUT"))
                    .body("error.message", containsString("named no master")).body("error.hint", startsWith("nodes:"));
            // as a cluster: the deadline passes while no node answers CLUSTER SLOTS, so nothing was sent
            execute(map("mode", "cluster", "nodes", "127.0.0.1:" + silent.getLocalPort(), "commandTimeoutMs", 300),
                    "INCR", map("key", "n")).statusCode(504).body("error.code", equalTo("TIMEOUT"))
                    .body("error.retryable", is(true))
                    .body("error.message", equalTo("no node of the cluster (1 given) answered CLUSTER SLOTS within 300"
                            + " ms, so where to send the command was not known; nothing was sent"))
                    .body("error.hint", startsWith("nodes: nodes that drop connections"));
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
    void aConnectionOverItsSizeLimitIs413WithoutItsSecrets() {
        Map<String, Object> big = new java.util.HashMap<>(Events.standalone());
        big.put("password", "secret-" + "p".repeat(17_000));
        for (var answer : List.of(execute(big, "PING", map()), Events.post("/test-connection", map("connection", big)))) {
            answer.statusCode(413).body("error.code", equalTo("PAYLOAD_TOO_LARGE"))
                    .body("error.message", containsString("connector.limits.connection-size"))
                    .body(not(containsString("secret-")));
        }
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "x".repeat(1_100_000);
        execute(Events.standalone(), "SET", map("key", "big", "value", big)).statusCode(413)
                .body("error.code", equalTo("PAYLOAD_TOO_LARGE"));
    }

    @Test
    void unknownPathIs404AsJsonNamingTheFunctions() {
        given().when().get("/nothing-here").then().statusCode(404).contentType(ContentType.JSON)
                .body("ok", is(false)).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", allOf(containsString("GET /nothing-here"), containsString("POST /execute"),
                        containsString("POST /test-connection"), containsString("GET|POST /operations")));
    }

    /** What Vert.x Web refuses before any route — no Host, a target that is not a path — is the caller's 4xx. */
    @Test
    void aRequestWithoutHostOrWithoutAPathIsA4xxNotAnInternalError() throws IOException {
        for (String request : List.of("GET * HTTP/1.1\r\nHost: x\r\n\r\n", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST execute HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                "POST /execute HTTP/1.1\r\nContent-Length: 0\r\n\r\n")) {
            try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readNBytes(512), StandardCharsets.US_ASCII);
                assertThat(request, answer, anyOf(startsWith("HTTP/1.1 400"), startsWith("HTTP/1.1 404")));
                assertThat(answer, allOf(containsString("\"INVALID_REQUEST\""), not(containsString("INTERNAL"))));
            }
        }
    }

    @Test
    void getOnAPostOnlyFunctionIs405WithAllowHeader() {
        for (String path : List.of("/execute", "/test-connection")) {
            given().when().get(path).then().statusCode(405).contentType(ContentType.JSON).header("Allow", "POST")
                    .body("error.code", equalTo("INVALID_REQUEST"))
                    .body("error.message", equalTo("GET " + path + ": method not allowed; use POST"));
        }
        given().when().put("/operations").then().statusCode(405).header("Allow", "GET, HEAD, POST")
                .body("error.message", containsString("use GET, HEAD or POST"));
    }

    @Test
    void headOnTheCatalogueAnswersGetsHeadersWithoutTheBody() {
        byte[] head = given().when().head("/operations").then().statusCode(200).contentType(ContentType.JSON)
                .header("X-Request-Id", notNullValue()).extract().body().asByteArray();
        assertThat(head.length, equalTo(0));
    }

    @Test
    void aNumberBeyondWhatBigDecimalHoldsIsA400WhereverItIs() throws Exception {
        String connection = new ObjectMapper().writeValueAsString(Events.standalone());
        for (String body : List.of(
                "{\"connection\": " + connection + ", \"operation\": \"SET\", \"params\": {\"key\": \"k\", \"value\": 1e99999999999}}",
                "{\"connection\": {\"host\": \"127.0.0.1\", \"port\": 1e9999999999}, \"operation\": \"PING\"}",
                "{\"connection\": " + connection + ", \"batch\": [{\"operation\": \"LRANGE\", \"params\": {\"key\": \"k\","
                        + " \"start\": 1e2147483648, \"stop\": 1}}]}")) {
            given().contentType(ContentType.JSON).body(body).when().post("/execute").then().statusCode(400)
                    .body("error.code", equalTo("INVALID_REQUEST"))
                    .body("error.message", equalTo("the request body is beyond what the JSON reader takes (nesting, number"
                            + " or string length)"));
        }
        given().contentType(ContentType.JSON).body("{\"connection\": {\"host\": \"127.0.0.1\", \"port\": 1e9999999999}}")
                .when().post("/test-connection").then().statusCode(400).body("error.code", equalTo("INVALID_REQUEST"));
    }

    @Test
    void emptyBodyIsReadAsNoEvent() {
        for (String path : List.of("/execute", "/test-connection")) {
            given().contentType(ContentType.JSON).body("").when().post(path).then().statusCode(400)
                    .contentType(ContentType.JSON).body("error.code", equalTo("INVALID_REQUEST"))
                    .body("error.message", equalTo("the request body must be a JSON object"));
        }
        // no filter, as GET /operations
        given().contentType(ContentType.JSON).body("").when().post("/operations").then().statusCode(200)
                .body("count", greaterThan(100));
    }

    @Test
    void operationsBodyThatIsValidJsonButNotAnObjectSaysSo() {
        given().contentType(ContentType.JSON).body("[1,2]").when().post("/operations").then().statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", equalTo("the request body must be a JSON object, got an array"));
        given().contentType(ContentType.JSON).body("\"str\"").when().post("/operations").then().statusCode(400)
                .body("error.message", equalTo("the request body must be a JSON object, got a string"));
        given().contentType(ContentType.JSON).body("{\"group\":").when().post("/operations").then().statusCode(400)
                .body("error.message", equalTo("the request body is not valid JSON"));
    }

    @Test
    void illTypedOperationAndConnectionAre400NamingTheField() {
        Events.post("/execute", map("connection", Events.standalone(), "operation", 123)).statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", equalTo("operation: expected a string, got a number"));
        Events.post("/execute", map("connection", "x", "operation", "GET")).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION"))
                .body("error.message", startsWith("connection: expected an object"));
    }

    @Test
    void formEncodedBodyOver2KiBIsReadAsJson() {
        String value = "v".repeat(4096);
        for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")) {
            given().config(asText()).contentType(type).body(json(map("connection", Events.standalone(),
                    "operation", "SET", "params", map("key", "form:big", "value", value)))).when().post("/execute").then()
                    .statusCode(200).body("result", is(true));
            // an unknown field padded past 2 KiB: the answer proves the body was read as JSON
            given().config(asText()).contentType(type)
                    .body(json(map("connection", Events.standalone(), "pad", value)))
                    .when().post("/test-connection").then().statusCode(400)
                    .body("error.message", startsWith("pad: unknown field"));
        }
        given().config(asText()).contentType("application/x-www-form-urlencoded")
                .body(json(map("group", "hash", "pad", value)))
                .when().post("/operations").then().statusCode(400).body("error.message", startsWith("pad: unknown field"));
    }

    /** A caller's mistake, as test-connection says too: 400 naming the mode, not a 502 a retry could never mend. */
    @Test
    void clusterModeAtANonClusterNodeIs400NamingTheModeWithoutClaimingARefusal() {
        execute(with(Events.standalone(), "mode", "cluster", "host", null, "port", null,
                "nodes", "127.0.0.1:" + Events.standalone().get("port")), "PING", map()).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION")).body("error.retryable", is(false))
                .body("error.message", allOf(containsString("is not a cluster node"), not(containsString("refused"))))
                .body("error.hint", startsWith("mode:"));
    }

    /** Each mode pointed at a server of another kind: 400 with the field to fix, never a 502 that a broker retries. */
    @Test
    void aServerOfAnotherKindThanTheModeIs400NamingTheFieldToFix() {
        RedisCluster cluster = RedisTopologies.cluster();
        int node = cluster.masterPorts().get(0);
        String elsewhere = "mode-mistake:0";
        for (int i = 1; cluster.masterPortForKey(elsewhere) == node; i++) {
            elsewhere = "mode-mistake:" + i;
        }
        execute(map("host", "127.0.0.1", "port", node, "password", RedisCluster.PASSWORD), "GET", map("key", elsewhere))
                .statusCode(400).body("error.code", equalTo("INVALID_CONNECTION")).body("error.retryable", is(false))
                .body("error.message", containsString("Redis Cluster node")).body("error.hint", startsWith("mode:"));
        execute(with(Events.sentinel(), "nodes", "127.0.0.1:" + Events.standalone().get("port")), "PING", map())
                .statusCode(400).body("error.code", equalTo("INVALID_CONNECTION")).body("error.retryable", is(false))
                .body("error.hint", startsWith("nodes:"));
        // without a password: the sentinels have none, and would refuse the cluster's before CLUSTER SLOTS
        execute(with(Events.cluster(), "nodes", RedisTopologies.sentinel().sentinelNodes(), "password", null), "PING", map())
                .statusCode(400).body("error.code", equalTo("INVALID_CONNECTION")).body("error.hint", startsWith("mode:"));
        // test-connection says the same
        Events.post("/test-connection", map("connection", with(Events.cluster(), "nodes",
                RedisTopologies.sentinel().sentinelNodes(), "password", null))).statusCode(200).body("ok", is(false))
                .body("code", equalTo("INVALID_CONNECTION")).body("hint", startsWith("mode:"));
        // and a standalone config at a sentinel, asked for data, is told which mode it has
        Map<String, Object> sentinelAsStandalone = map("host", "127.0.0.1",
                "port", RedisTopologies.sentinel().sentinelPorts().get(0));
        execute(sentinelAsStandalone, "GET", map("key", "mode-mistake")).statusCode(422)
                .body("error.code", equalTo("REDIS_ERROR")).body("error.hint", startsWith("mode: the server does not know"));
        // the unknown command's message quotes the key: words in it do not make it a refused password
        execute(sentinelAsStandalone, "GET", map("key", "noauth-wrongpass")).statusCode(422)
                .body("error.code", equalTo("REDIS_ERROR")).body("error.hint", startsWith("mode: the server does not know"));
    }

    @Test
    void noPasswordAndNoDatabaseSaySoWithTheField() {
        execute(with(Events.standalone(), "password", null), "PING", map()).statusCode(422)
                .body("error.code", equalTo("AUTH_FAILED")).body("error.message", containsString("requires a password"))
                .body("error.hint", startsWith("password:"));
        execute(with(Events.standalone(), "database", 200), "PING", map()).statusCode(422)
                .body("error.code", equalTo("REDIS_ERROR")).body("error.hint", startsWith("database:"));
    }

    @Test
    void clusterInStateFailIs502WithoutClaimingARefusal() throws IOException {
        try (RedisProcess node = RedisProcess.start("errors-cluster-fail", Ports.free(),
                List.of("cluster-enabled yes", "cluster-config-file nodes.conf", "cluster-port " + Ports.free()))) {
            // one cluster node that serves no slot: cluster_state:fail
            execute(map("mode", "cluster", "nodes", List.of("127.0.0.1:" + node.port())), "GET", map("key", "k"))
                    .statusCode(502).body("error.code", equalTo("CONNECTION_FAILED"))
                    .body("error.message", not(containsString("refused"))).body("error.hint", startsWith("nodes/mode"));
        }
    }

    @Test
    void clusterSeedsThatRefuseAreSaidToRefuse() throws IOException {
        execute(map("mode", "cluster", "nodes", List.of("127.0.0.1:" + Ports.free())), "PING", map()).statusCode(502)
                .body("error.code", equalTo("CONNECTION_FAILED")).body("error.message", containsString("refused"))
                .body("error.hint", startsWith("nodes"));
    }

    @Test
    void aServerThatDoesNotSpeakRedisIs502WithoutItsBanner() throws IOException {
        try (NotRedisServer http = NotRedisServer.start()) {
            execute(map("host", "127.0.0.1", "port", http.port()), "GET", map("key", "k")).statusCode(502)
                    .body("error.code", equalTo("CONNECTION_FAILED")).body("error.retryable", is(true))
                    .body("error.message", equalTo("the server at the address does not speak the Redis protocol"))
                    .body("error.hint", startsWith("host/port"))
                    .body(not(containsString(NotRedisServer.BANNER))).body(not(containsString("RESP")));
        }
    }

    /** A node a cluster announces is no host/port of the config: the hint names nodes. */
    @Test
    void aFailingNodeOfAClusterIsHintedAsNodes() throws IOException {
        try (NotRedisServer http = NotRedisServer.start();
                AnnouncingRedis seed = AnnouncingRedis.announcing("127.0.0.1", http.port())) {
            execute(map("mode", "cluster", "nodes", List.of("127.0.0.1:" + seed.port())), "GET", map("key", "k"))
                    .statusCode(502).body("error.code", equalTo("CONNECTION_FAILED"))
                    .body("error.message", equalTo("the server at the address does not speak the Redis protocol"))
                    .body("error.hint", startsWith("nodes: something other than Redis answers there"));
        }
    }

    /** A master the sentinels name that never answers on a connection got nothing: the error says so, retryable. */
    @Test
    void aNamedMasterThatNeverAnswersIs504NothingSent() {
        try (AnsweringServer master = AnsweringServer.silent();
                AnnouncingRedis sentinel = AnnouncingRedis.announcing("127.0.0.1", master.port())) {
            execute(map("mode", "sentinel", "nodes", List.of("127.0.0.1:" + sentinel.port()), "commandTimeoutMs", 300),
                    "INCR", map("key", "n")).statusCode(504).body("error.code", equalTo("TIMEOUT"))
                    .body("error.retryable", is(true))
                    .body("error.message", startsWith("no connection to 127.0.0.1:" + master.port() + " was ready"))
                    .body("error.message", endsWith("nothing was sent"))
                    .body("error.hint", startsWith("nodes: "));
        }
    }

    /** REST Assured sends form and multipart bodies as the text they are, as curl -d does. */
    private static RestAssuredConfig asText() {
        return RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                .encodeContentTypeAs("application/x-www-form-urlencoded", ContentType.TEXT)
                .encodeContentTypeAs("multipart/form-data", ContentType.TEXT));
    }

    private static String json(Object body) {
        try {
            return new ObjectMapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
