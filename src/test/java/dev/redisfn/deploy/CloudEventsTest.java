package dev.redisfn.deploy;

import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * The functions as CloudEvents: ce-type selects the function, the reply is a CloudEvent of the
 * function's response type (binary mode answers in headers, structured mode in the body), and
 * failures answer as on plain HTTP — the error's status with its JSON body.
 */
@QuarkusTest
public class CloudEventsTest {

    static final String STRUCTURED = "application/cloudevents+json";

    @Test
    public void binaryModeExecuteAnswersWithAResultEvent() {
        String id = UUID.randomUUID().toString();
        binary("dev.redisfn.execute", id, map("connection", Events.standalone(), "operation", "SET",
                "params", map("key", "ce:binary", "value", "alice")))
                .statusCode(200)
                .header("ce-type", "dev.redisfn.execute.result")
                .header("ce-source", "redis-connector-function")
                .header("ce-specversion", "1.0")
                .header("ce-id", not(emptyOrNullString()))
                .header("X-Request-Id", id)
                .contentType(startsWith("application/json"))
                .body("ok", is(true)).body("operation", equalTo("SET")).body("result", is(true));
        binary("dev.redisfn.execute", UUID.randomUUID().toString(), map("connection", Events.standalone(),
                "operation", "GET", "params", map("key", "ce:binary")))
                .statusCode(200).header("ce-type", "dev.redisfn.execute.result")
                .body("ok", is(true)).body("result", equalTo("alice"));
    }

    @Test
    public void structuredModeExecuteAnswersWithAStructuredResultEvent() {
        String id = "structured-" + UUID.randomUUID();
        Events.execute(Events.standalone(), "SET", map("key", "ce:structured", "value", "bob")).statusCode(200);
        structured("dev.redisfn.execute", id, map("connection", Events.standalone(), "operation", "GET",
                "params", map("key", "ce:structured")))
                .statusCode(200)
                .contentType(startsWith(STRUCTURED))
                .header("X-Request-Id", id)
                .body("specversion", equalTo("1.0"))
                .body("type", equalTo("dev.redisfn.execute.result"))
                .body("source", equalTo("redis-connector-function"))
                .body("id", not(emptyOrNullString()))
                .body("datacontenttype", equalTo("application/json"))
                .body("data.ok", is(true)).body("data.operation", equalTo("GET")).body("data.result", equalTo("bob"));
    }

    @Test
    public void batchAsACloudEventKeepsOneResultPerItem() {
        structured("dev.redisfn.execute", UUID.randomUUID().toString(), map("connection", Events.standalone(),
                "batch", java.util.List.of(map("operation", "DEL", "params", map("key", "ce:n")),
                        map("operation", "INCR", "params", map("key", "ce:n")),
                        map("operation", "FLYTOTHEMOON"))))
                .statusCode(200).body("type", equalTo("dev.redisfn.execute.result"))
                .body("data.ok", is(false)).body("data.results[1].result", equalTo(1))
                .body("data.results[2].error.code", equalTo("UNKNOWN_OPERATION"));
    }

    @Test
    public void testConnectionAndCatalogueAnswerWithTheirOwnResultTypes() {
        binary("dev.redisfn.test-connection", UUID.randomUUID().toString(), map("connection", Events.standalone()))
                .statusCode(200).header("ce-type", "dev.redisfn.test-connection.result")
                .body("ok", is(true)).body("mode", equalTo("standalone"));
        structured("dev.redisfn.operations", UUID.randomUUID().toString(), map("group", "hash"))
                .statusCode(200).body("type", equalTo("dev.redisfn.operations.result"))
                .body("data.count", greaterThan(0)).body("data.operations[0].group", equalTo("hash"));
    }

    @Test
    public void bareFunctionNamesSelectTheFunctionsToo() {
        binary("execute", UUID.randomUUID().toString(), map("connection", Events.standalone(), "operation", "PING"))
                .statusCode(200).header("ce-type", "dev.redisfn.execute.result").body("result", equalTo("PONG"));
        structured("test-connection", UUID.randomUUID().toString(), map("connection", Events.standalone()))
                .statusCode(200).body("type", equalTo("dev.redisfn.test-connection.result")).body("data.ok", is(true));
    }

    @Test
    public void anEventWithoutDataIsTheFunctionsNullInput() {
        structuredEvent("dev.redisfn.operations", UUID.randomUUID().toString(), null)
                .post("/operations").then().statusCode(200).body("data.count", greaterThan(100));
        binaryEvent("dev.redisfn.execute", UUID.randomUUID().toString()).post("/execute").then()
                .statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", containsString("JSON object"));
    }

    @Test
    public void theTypeNotThePathSelectsTheFunctionAsKnativeDeliversToTheRoot() {
        binaryEvent("dev.redisfn.execute", UUID.randomUUID().toString())
                .body(map("connection", Events.standalone(), "operation", "PING")).post("/")
                .then().statusCode(200).header("ce-type", "dev.redisfn.execute.result").body("result", equalTo("PONG"));
        structuredEvent("dev.redisfn.operations", UUID.randomUUID().toString(), map()).post("/execute")
                .then().statusCode(200).body("type", equalTo("dev.redisfn.operations.result"));
    }

    @Test
    public void aFailingCallAnswersItsStatusWithThePlainJsonError() {
        Events.execute(Events.standalone(), "SET", map("key", "ce:text", "value", "abc")).statusCode(200);
        binary("dev.redisfn.execute", UUID.randomUUID().toString(), map("connection", Events.standalone(),
                "operation", "LPUSH", "params", map("key", "ce:text", "value", "x")))
                .statusCode(422).contentType(ContentType.JSON).header("ce-type", nullValue())
                .body("ok", is(false)).body("error.code", equalTo("WRONG_TYPE")).body("error.retryable", is(false));
        structured("dev.redisfn.execute", UUID.randomUUID().toString(), map("connection",
                map("host", "127.0.0.1", "port", 1), "operation", "PING"))
                .statusCode(502).contentType(ContentType.JSON)
                .body("error.code", equalTo("CONNECTION_FAILED")).body("error.retryable", is(true));
        structured("dev.redisfn.execute", UUID.randomUUID().toString(), map("connection", Events.standalone(),
                "operation", "FLYTOTHEMOON")).statusCode(400).body("error.code", equalTo("UNKNOWN_OPERATION"));
    }

    @Test
    public void malformedEventsAre400InvalidRequestWithoutQuotingTheirData() {
        binary("dev.example.unknown", UUID.randomUUID().toString(), map("operation", "PING"))
                .statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", containsString("selects no function"))
                .body("error.message", containsString("dev.redisfn.execute"));
        given().header("ce-id", "1").header("ce-specversion", "1.0").header("ce-type", "dev.redisfn.execute")
                .contentType(ContentType.JSON).body(map("operation", "PING")).post("/execute")
                .then().statusCode(400).body("error.message", containsString("ce-source"));
        binaryEvent("dev.redisfn.execute", "2").body("{\"connection\": {\"password\": hunter2-secret").post("/execute")
                .then().statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body(not(containsString("hunter2-secret")));
        given().contentType(STRUCTURED).body("{\"specversion\": \"1.0\", \"data\": {\"password\": hunter2-secret")
                .post("/execute").then().statusCode(400).body(not(containsString("hunter2-secret")));
        given().contentType(STRUCTURED).body(map("specversion", "1.0", "id", "3", "source", "/test",
                "data", map("operation", "PING"))).post("/execute")
                .then().statusCode(400).body("error.message", containsString("type"));
        given().contentType(STRUCTURED).body(map("specversion", "1.0", "id", 3, "source", "/test",
                "type", "dev.redisfn.execute", "data", map("operation", "PING"))).post("/execute")
                .then().statusCode(400).body("error.message", startsWith("id: a CloudEvent attribute is a string, got"));
        structuredEvent("dev.redisfn.execute", "4", map()).contentType("application/cloudevents-batch+json")
                .post("/execute").then().statusCode(400).body("error.message", containsString("one event per request"));
        given().header("ce-id", "5").header("ce-specversion", "1.0").header("ce-type", "dev.redisfn.execute")
                .header("ce-source", "/test").contentType("text/plain").body("PING").post("/execute")
                .then().statusCode(400).body("error.message", containsString("application/json"));
    }

    @Test
    public void incompleteOrOddEventsAre400NotAPlainCallNorA500() {
        // ce-type without ce-id is an incomplete event, not a plain call to the path's function
        given().header("ce-type", "dev.redisfn.operations").header("ce-specversion", "1.0").header("ce-source", "/t")
                .contentType(ContentType.JSON).body(map("connection", Events.standalone(), "operation", "PING"))
                .post("/execute").then().statusCode(400).body("error.message", startsWith("ce-id: required"));
        given().header("ce-id", "6").header("ce-specversion", "9.9").header("ce-type", "dev.redisfn.execute")
                .header("ce-source", "/t").contentType(ContentType.JSON).body(map("operation", "PING")).post("/")
                .then().statusCode(400).body("error.message", startsWith("ce-specversion: CloudEvents 9.9 is not supported"));
        binaryEvent("dev.redisfn.execute", "7").body(" ").post("/").then().statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST"));
        binaryEvent("dev.redisfn.operations", "8").body("\"hash\"").post("/").then().statusCode(400)
                .body("error.message", startsWith("data: the operations query must be a JSON object"));
        given().contentType(STRUCTURED).body(map("specversion", "1.0", "id", "9", "source", "/t", "type", "dev.redisfn.operations",
                "data", java.util.List.of(1))).post("/").then().statusCode(400).body("error.code", equalTo("INVALID_REQUEST"));
        // a trailing slash is the same function, with the same checks
        given().header("ce-id", "10").header("ce-specversion", "1.0").header("ce-type", "dev.redisfn.execute")
                .contentType(ContentType.JSON).body(map("operation", "PING")).post("/execute/")
                .then().statusCode(400).body("error.message", containsString("ce-source"));
    }

    @Test
    public void aStructuredEventWithContentAfterItIs400InvalidRequest() {
        Map<String, Object> event = map("specversion", "1.0", "id", "11", "source", "/t", "type", "dev.redisfn.operations",
                "data", map("group", "hash"));
        for (String after : java.util.List.of(" garbage", "{\"x\":1}", "\n[]")) {
            given().contentType(STRUCTURED).body(json(event) + after).post("/").then()
                    .statusCode(400).contentType(ContentType.JSON).header("ce-type", nullValue())
                    .body("ok", is(false)).body("error.code", equalTo("INVALID_REQUEST"))
                    .body("error.message", equalTo("the CloudEvent is not valid JSON"));
        }
        given().contentType(STRUCTURED).body(json(event) + " \n").post("/").then().statusCode(200)
                .body("data.operations[0].group", equalTo("hash"));
    }

    @Test
    public void binaryEventDataWithContentAfterItIs400ForEveryFunction() {
        String connection = json(map("connection", Events.standalone()));
        binaryEvent("dev.redisfn.test-connection", "12").body(connection + "garbage").post("/").then()
                .statusCode(400).header("ce-type", nullValue()).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", equalTo("the CloudEvent's data is not valid JSON"));
        binaryEvent("dev.redisfn.operations", "13").body("{\"group\":\"hash\"} {\"x\":1}").post("/").then()
                .statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", equalTo("the CloudEvent's data is not valid JSON"));
        binaryEvent("dev.redisfn.execute", "14").body(json(map("connection", Events.standalone(), "operation", "PING"))
                + "garbage").post("/").then().statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", containsString("not valid JSON"));
        binaryEvent("dev.redisfn.test-connection", "15").body(connection + "\n").post("/").then()
                .statusCode(200).body("ok", is(true));
    }

    /** Binary mode's data type is Content-Type; a ce-datacontenttype (the binding sends none) naming other data is refused. */
    @Test
    public void aBinaryCeDatacontenttypeThatIsNotJsonIs400() {
        binaryEvent("dev.redisfn.execute", "16").header("ce-datacontenttype", "text/plain")
                .body(map("connection", Events.standalone(), "operation", "PING")).post("/").then()
                .statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", equalTo("ce-datacontenttype: a CloudEvent's data must be application/json"
                        + " (got text/plain)"));
        for (String json : java.util.List.of("application/json; charset=utf-8", "Application/JSON")) {
            binaryEvent("dev.redisfn.execute", "17").header("ce-datacontenttype", json)
                    .body(map("connection", Events.standalone(), "operation", "PING")).post("/").then()
                    .statusCode(200).body("result", equalTo("PONG"));
        }
    }

    @Test
    public void aJsonMediaTypeIsJsonByItsTypeNotByItsFirstLetters() {
        binaryEvent("dev.redisfn.execute", "19").header("ce-datacontenttype", "application/vnd.orders+json")
                .body(map("connection", Events.standalone(), "operation", "PING")).post("/").then()
                .statusCode(200).body("result", equalTo("PONG"));
        binaryEvent("dev.redisfn.execute", "20").header("ce-datacontenttype", "application/jsonx")
                .body(map("connection", Events.standalone(), "operation", "PING")).post("/").then()
                .statusCode(400).body("error.message", startsWith("ce-datacontenttype: a CloudEvent's data must be"));
    }

    @Test
    public void aStructuredEventIsReadAsOneWhateverCeHeadersComeAlong() {
        structuredEvent("dev.redisfn.execute", "21", map("connection", Events.standalone(), "operation", "PING"))
                .header("ce-id", "stray").post("/").then()
                .statusCode(200).contentType(startsWith(STRUCTURED)).body("data.result", equalTo("PONG"));
    }

    @Test
    public void aReplyCarriesTheIdOfTheEventItAnswersOrTheChainsCorrelationId() {
        binary("dev.redisfn.execute", "request-22", map("connection", Events.standalone(), "operation", "PING"))
                .statusCode(200).header("ce-correlationid", "request-22");
        binaryEvent("dev.redisfn.execute", "request-23").header("ce-correlationid", "order-42")
                .body(map("connection", Events.standalone(), "operation", "PING")).post("/").then()
                .statusCode(200).header("ce-correlationid", "order-42");
        structured("dev.redisfn.execute", "request-24", map("connection", Events.standalone(), "operation", "PING"))
                .statusCode(200).body("correlationid", equalTo("request-24"));
        Map<String, Object> event = map("specversion", "1.0", "id", "request-25", "source", "/flows/orders",
                "type", "dev.redisfn.execute", "correlationid", "order-42",
                "data", map("connection", Events.standalone(), "operation", "PING"));
        given().contentType(STRUCTURED).body(event).post("/").then().statusCode(200)
                .body("correlationid", equalTo("order-42")).body("id", not(equalTo("request-25")));
    }

    @Test
    public void aBinaryAttributeGivenTwiceIs400() {
        binaryEvent("dev.redisfn.execute", "18").header("ce-type", "dev.redisfn.operations")
                .body(map("connection", Events.standalone(), "operation", "PING")).post("/").then()
                .statusCode(400).body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", equalTo("ce-type: the CloudEvent attribute is given twice; give each attribute once"));
    }

    @Test
    public void plainHttpKeepsWorkingBesideTheCloudEventBinding() {
        given().contentType("text/plain").body("{\"connection\": " + json(Events.standalone()) + "}")
                .post("/test-connection").then().statusCode(200).contentType(ContentType.JSON)
                .header("ce-type", nullValue()).body("ok", is(true));
        given().get("/operations?group=hash").then().statusCode(200).body("operations[0].group", equalTo("hash"));
        given().contentType(ContentType.JSON).body(map()).put("/execute").then().statusCode(405)
                .body("error.code", equalTo("INVALID_REQUEST"));
    }

    static ValidatableResponse binary(String type, String id, Map<String, Object> data) {
        return binaryEvent(type, id).body(data).post("/execute").then();
    }

    static RequestSpecification binaryEvent(String type, String id) {
        return given().header("ce-id", id).header("ce-specversion", "1.0").header("ce-type", type)
                .header("ce-source", "/flows/orders").contentType(ContentType.JSON);
    }

    static ValidatableResponse structured(String type, String id, Map<String, Object> data) {
        return structuredEvent(type, id, data).post("/execute").then();
    }

    static RequestSpecification structuredEvent(String type, String id, Map<String, Object> data) {
        Map<String, Object> event = map("specversion", "1.0", "id", id, "source", "/flows/orders", "type", type,
                "datacontenttype", "application/json");
        if (data != null) {
            event.put("data", data);
        }
        return given().contentType(STRUCTURED).body(event);
    }

    static String json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
