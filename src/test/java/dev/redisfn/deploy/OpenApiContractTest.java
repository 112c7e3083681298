package dev.redisfn.deploy;

import static dev.redisfn.function.Events.map;
import static dev.redisfn.function.Events.with;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.redisfn.function.Events;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisTopologies;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * {@code /q/openapi} serves exactly {@code META-INF/openapi.yaml}, and real responses of the
 * running function — successes, a batch, errors, a verdict, the catalogue, a CloudEvent reply —
 * conform to the schemas it documents for their path and status.
 */
@QuarkusTest
public class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonNode document;
    private SchemaValidator validator;

    @BeforeEach
    void loadServedDocument() throws IOException {
        String served = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        document = JSON.readTree(served);
        validator = new SchemaValidator(document);
    }

    @Test
    public void theServedDocumentIsTheStaticContract() throws IOException {
        JsonNode written;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/openapi.yaml")) {
            written = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        assertEquals(Set.of("/execute", "/test-connection", "/operations", "/"), names(document.get("paths")));
        assertEquals(written.get("paths"), document.get("paths"), "paths are served as written");
        assertEquals(written.get("components"), document.get("components"), "components are served as written");
        assertEquals(written.get("info"), document.get("info"));
    }

    @Test
    public void theContractNamesEveryFieldTheFunctionAccepts() throws ReflectiveOperationException {
        assertEquals(staticSet("dev.redisfn.config.ConnectionParser", "FIELDS"),
                names(validator.at("/components/schemas/ConnectionConfig/properties")));
        assertEquals(staticSet("dev.redisfn.config.TlsSettings", "FIELDS"),
                names(validator.at("/components/schemas/TlsSettings/properties")));
        assertEquals(staticSet("dev.redisfn.config.AuthSettings", "FIELDS"),
                names(validator.at("/components/schemas/AuthSettings/properties")));
        assertEquals(staticSet("dev.redisfn.request.RequestDecoder", "EXECUTE_FIELDS"),
                names(validator.at("/components/schemas/ExecuteRequest/properties")));
        Set<String> codes = new TreeSet<>();
        validator.at("/components/schemas/ErrorCode/enum").forEach(code -> codes.add(code.asText()));
        Set<String> declared = new TreeSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            declared.add(code.name());
            assertTrue(document.at("/paths/~1execute/post/responses").has(Integer.toString(code.httpStatus())),
                    "POST /execute documents status " + code.httpStatus() + " of " + code);
        }
        assertEquals(declared, codes);
    }

    @Test
    public void executeResponsesConform() {
        Events.execute(Events.standalone(), "SET", map("key", "oas:k", "value", "v")).statusCode(200);
        conforms("/execute", 200, Events.execute(Events.standalone(), "GET", map("key", "oas:k")).statusCode(200));
        conforms("/execute", 200, Events.execute(Events.standalone(), "GET", map("key", "oas:missing")).statusCode(200));
        conforms("/execute", 200, Events.execute(Events.standalone(), "HGETALL", map("key", "oas:h")).statusCode(200));
        conforms("/execute", 200, Events.post("/execute", map("connection", Events.standalone(), "batch", List.of(
                map("operation", "INCR", "params", map("key", "oas:n")),
                map("operation", "GET", "params", map("key", "oas:n")),
                map("operation", "NOPE")))).statusCode(200));
        conforms("/execute", 200, Events.post("/execute", map("connection", Events.standalone(), "operation", "GET",
                "params", map("key", "oas:k"), "output", "tencent")).statusCode(200));
        conforms("/execute", 422, Events.execute(Events.standalone(), "LPUSH", map("key", "oas:k", "value", "x"))
                .statusCode(422));
        conforms("/execute", 422, Events.post("/execute", map("connection", Events.standalone(), "operation", "LPUSH",
                "params", map("key", "oas:k", "value", "x"), "output", "tencent")).statusCode(422));
        conforms("/execute", 400, Events.execute(Events.standalone(), "FLYTOTHEMOON", map()).statusCode(400));
        conforms("/execute", 400, Events.post("/execute", map("connection", Events.standalone(), "operation", "GET",
                "parms", map())).statusCode(400));
        conforms("/execute", 422, Events.execute(with(Events.standalone(), "password", "wrong"), "PING", map())
                .statusCode(422));
        conforms("/execute", 502, Events.execute(map("host", "127.0.0.1", "port", 1), "PING", map()).statusCode(502));
    }

    @Test
    public void testConnectionAndCatalogueResponsesConform() {
        conforms("/test-connection", 200, Events.post("/test-connection", map("connection", Events.standalone()))
                .statusCode(200));
        conforms("/test-connection", 200, Events.post("/test-connection",
                map("connection", with(Events.standalone(), "password", "wrong"))).statusCode(200));
        conforms("/test-connection", 200, Events.post("/test-connection", map("connection", with(Events.sentinel(),
                "nodes", RedisTopologies.sentinel().sentinelNodes() + ",127.0.0.1:" + Ports.free())))
                .statusCode(200).body("warnings.size()", equalTo(1)));
        conforms("/test-connection", 400, Events.post("/test-connection", map("connection", map("mode", "ring")))
                .statusCode(400));
        Set<String> kinds = new TreeSet<>();
        validator.at("/components/schemas/NodeCheck/properties/kind/enum").forEach(kind -> kinds.add(kind.asText()));
        assertEquals(Set.of("data", "master", "replica", "sentinel", "seed"), kinds, "every kind test-connection reports");
        conforms("/test-connection", 200, Events.post("/test-connection", map("connection", with(Events.sentinel(),
                "readFrom", "replica"))).statusCode(200).body("nodes.kind", hasItems("master", "sentinel", "replica")));
        conforms("/test-connection", 200, Events.post("/test-connection", map("connection", with(Events.cluster(),
                "readFrom", "preferReplica"))).statusCode(200).body("nodes.kind", hasItems("seed", "replica")));
        Response catalogue = given().get("/operations").then().statusCode(200).extract().response();
        conforms("get", "/operations", 200, catalogue.contentType(), catalogue.asString());
        Response hashes = given().get("/operations?group=hash").then().statusCode(200).extract().response();
        conforms("get", "/operations", 200, hashes.contentType(), hashes.asString());
    }

    @Test
    public void aCloudEventReplyConforms() throws IOException {
        Response reply = given().contentType(CloudEventsTest.STRUCTURED).body(map("specversion", "1.0", "id", "oas-1",
                "source", "/test", "type", "dev.redisfn.execute", "data", map("connection", Events.standalone(),
                        "operation", "PING"))).post("/execute").then().statusCode(200).extract().response();
        conforms("post", "/execute", 200, reply.contentType(), reply.asString());
        List<String> problems = validator.validate(validator.at("/components/schemas/ExecuteReply"),
                JSON.readTree(reply.asString()).get("data"));
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    public void theValidatorRejectsWhatTheContractDoesNot() throws IOException {
        JsonNode error = JSON.readTree("{\"ok\": false, \"error\": {\"code\": \"WRONG_TYPE\", \"message\": \"m\","
                + " \"retryable\": false}}");
        assertTrue(validator.validate(validator.at("/components/schemas/ErrorReply"), error).isEmpty());
        assertFalse(validator.validate(validator.at("/components/schemas/ExecuteReply"), error).isEmpty());
        assertFalse(validator.validate(validator.at("/components/schemas/ErrorReply"),
                JSON.readTree("{\"ok\": false, \"error\": {\"code\": \"OOPS\", \"message\": \"m\", \"retryable\": false}}"))
                .isEmpty());
        assertFalse(validator.validate(validator.at("/components/schemas/OperationResult"),
                JSON.readTree("{\"ok\": true, \"operation\": \"GET\", \"result\": 1, \"durationMs\": 1, \"extra\": 1}"))
                .isEmpty());
        assertFalse(validator.validate(validator.at("/components/schemas/BatchResult"),
                JSON.readTree("{\"ok\": true, \"results\": [{\"result\": 1}], \"durationMs\": 1}")).isEmpty());
    }

    private void conforms(String path, int status, io.restassured.response.ValidatableResponse response) {
        Response extracted = response.extract().response();
        conforms("post", path, status, extracted.contentType(), extracted.asString());
    }

    private void conforms(String method, String path, int status, String contentType, String body) {
        JsonNode documented = document.at("/paths/" + path.replace("/", "~1") + "/" + method + "/responses/" + status);
        assertFalse(documented.isMissingNode(), method + " " + path + " does not document status " + status);
        String mediaType = contentType.split(";")[0].trim();
        JsonNode media = validator.resolve(documented).path("content").path(mediaType);
        assertFalse(media.isMissingNode(), method + " " + path + " " + status + " does not document " + mediaType);
        try {
            List<String> problems = validator.validate(media.get("schema"), JSON.readTree(body));
            assertTrue(problems.isEmpty(), method + " " + path + " " + status + ": " + problems + " in " + body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> staticSet(String className, String field) throws ReflectiveOperationException {
        java.lang.reflect.Field f = Class.forName(className).getDeclaredField(field);
        f.setAccessible(true);
        return new TreeSet<>((Set<String>) f.get(null));
    }
}
