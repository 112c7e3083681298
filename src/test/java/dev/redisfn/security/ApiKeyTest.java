package dev.redisfn.security;

import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.function.Events;
import dev.redisfn.function.ExecuteFunction;
import dev.redisfn.function.OperationsFunction;
import dev.redisfn.function.TestConnectionFunction;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** connector.api-key: every function needs "Authorization: Bearer <key>"; the platform's /q/ endpoints stay open. */
@QuarkusTest
@TestProfile(ApiKeyTest.WithApiKey.class)
class ApiKeyTest {

    static final String KEY = "test-key-123";

    public static class WithApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.api-key", KEY);
        }
    }

    private static Map<String, Object> ping() {
        return map("connection", Events.standalone(), "operation", "PING");
    }

    private static RequestSpecification json() {
        return given().contentType(ContentType.JSON);
    }

    @Inject
    ExecuteFunction execute;
    @Inject
    TestConnectionFunction testConnection;
    @Inject
    OperationsFunction operations;

    /** A Funqy binding carries no Authorization header: with keys configured, the functions refuse it too. */
    @Test
    void theFunqyFunctionsThemselvesRefuseACallWithoutAKey() {
        JsonNode event = new ObjectMapper().valueToTree(ping());
        List<Supplier<?>> calls = List.of(() -> execute.execute(event).await().atMost(Duration.ofSeconds(10)),
                () -> testConnection.testConnection(event).await().atMost(Duration.ofSeconds(10)),
                () -> operations.operations(null));
        for (Supplier<?> call : calls) {
            ConnectorException refused = assertThrows(ConnectorException.class, call::get);
            assertEquals(ErrorCode.UNAUTHORIZED, refused.code());
        }
    }

    @Test
    void missingAuthorizationIs401UnauthorizedJsonOnEveryFunction() {
        json().body(ping()).when().post("/execute").then().statusCode(401).contentType(ContentType.JSON)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("ok", is(false)).body("error.code", equalTo("UNAUTHORIZED")).body("error.retryable", is(false));
        json().body(map("connection", Events.standalone())).when().post("/test-connection").then().statusCode(401)
                .body("error.code", equalTo("UNAUTHORIZED"));
        given().when().get("/operations").then().statusCode(401).body("error.code", equalTo("UNAUTHORIZED"));
    }

    @Test
    void wrongKeyOrWrongSchemeIs401WithoutEchoingWhatWasSent() {
        for (String header : List.of("Bearer nope-987", "test-key-123", "Basic dGVzdC1rZXktMTIz", "Bearer test-key-1234",
                "Bearer test-key-12", "Bearer ")) {
            json().header("Authorization", header).body(ping()).when().post("/execute").then().statusCode(401)
                    .body("error.code", equalTo("UNAUTHORIZED")).body(not(containsString("nope-987")))
                    .body(not(containsString(KEY)));
        }
    }

    @Test
    void rightBearerKeyIsServed() {
        json().header("Authorization", "Bearer " + KEY).body(ping()).when().post("/execute").then().statusCode(200)
                .body("ok", is(true)).body("result", equalTo("PONG"));
        json().header("Authorization", "Bearer " + KEY).body(map("connection", Events.standalone()))
                .when().post("/test-connection").then().statusCode(200).body("ok", is(true));
        given().header("Authorization", "Bearer " + KEY).when().get("/operations").then().statusCode(200)
                .body("count", org.hamcrest.Matchers.greaterThan(0));
        for (String scheme : List.of("bearer ", "BEARER ")) { // a scheme's name is case-insensitive; the key is not
            json().header("Authorization", scheme + KEY).body(ping()).when().post("/execute").then().statusCode(200);
            json().header("Authorization", scheme + KEY.toUpperCase(java.util.Locale.ROOT)).body(ping()).when()
                    .post("/execute").then().statusCode(401);
        }
    }

    @Test
    void dotSegmentsThroughTheOpenPlatformPathsDoNotSkipTheKey() throws Exception {
        String body = new ObjectMapper().writeValueAsString(ping());
        for (String path : List.of("/q/../execute", "/q/%2e%2e/execute", "/q/health/../../execute", "/q/./../test-connection")) {
            assertThat(path, rawPost(path, body, ""), startsWith("HTTP/1.1 401"));
        }
        assertThat("a binary CloudEvent", rawPost("/q/../", body, "ce-specversion: 1.0\r\nce-type: dev.redisfn.execute\r\n"
                + "ce-source: test\r\nce-id: 1\r\n"), startsWith("HTTP/1.1 401"));
    }

    /** The request exactly as written: HTTP clients (REST Assured's too) remove dot segments before sending. */
    private static String rawPost(String path, String body, String headers) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + headers
                    + "Content-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void healthEndpointsAreNotBehindTheKey() {
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
