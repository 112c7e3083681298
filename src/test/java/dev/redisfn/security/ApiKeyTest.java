package dev.redisfn.security;

import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
    }

    @Test
    void healthEndpointsAreNotBehindTheKey() {
        given().when().get("/q/health").then().statusCode(not(equalTo(401)));
        given().when().get("/q/health/live").then().statusCode(not(equalTo(401)));
    }
}
