package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** {@code GET /operations}: the catalogue an integration console draws its forms from. */
@QuarkusTest
class OperationsCatalogueTest {

    @Test
    void catalogueListsEveryOperationWithJsonSchemaParameters() {
        given().when().get("/operations").then().statusCode(200)
                .body("count", greaterThan(100))
                .body("operations.name", hasItems("GET", "SET", "HGETALL", "ZRANGE", "SCAN", "LOCK.ACQUIRE"))
                .body("operations.find { it.name == 'SET' }.access", equalTo("write"))
                .body("operations.find { it.name == 'SET' }.group", equalTo("string"))
                .body("operations.find { it.name == 'SET' }.params.type", equalTo("object"))
                .body("operations.find { it.name == 'SET' }.params.additionalProperties", is(false))
                .body("operations.find { it.name == 'SET' }.params.required", hasItems("key", "value"))
                .body("operations.find { it.name == 'SET' }.params.properties.condition.enum", hasItems("NX", "XX"))
                .body("operations.find { it.name == 'SET' }.params.properties.ttlSeconds.type", equalTo("integer"))
                .body("operations.find { it.name == 'GET' }.access", equalTo("read"))
                .body("operations.find { it.name == 'GET' }.category", equalTo("read"))
                .body("operations.find { it.name == 'SET' }.category", equalTo("write"))
                .body("operations.find { it.name == 'FLUSHALL' }.category", equalTo("admin"))
                .body("operations.find { it.name == 'EVAL' }.access", equalTo("write"))
                .body("operations.find { it.name == 'EVAL' }.category", equalTo("admin"))
                .body("operations.find { it.name == 'FLUSHALL' }.enabled", is(false))
                .body("operations.find { it.name == 'GET' }.enabled", is(true))
                .body("operations.find { it.name == 'INCRBY' }.params.required", hasItems("key", "increment"))
                .body("operations.find { it.name == 'INCRBY' }.params.properties.increment.default", nullValue())
                .body("operations.find { it.name == 'DECRBY' }.params.properties.decrement.default", equalTo(1))
                // the ranges the operations enforce, in the schema a flow builder validates against
                .body("operations.find { it.name == 'BLPOP' }.params.properties.waitMs.minimum", equalTo(1))
                .body("operations.find { it.name == 'BLPOP' }.params.properties.waitMs.maximum", equalTo(60_000))
                .body("operations.find { it.name == 'STREAM.CONSUME' }.params.properties.count.maximum", equalTo(10_000))
                .body("operations.find { it.name == 'STREAM.CONSUME' }.params.properties.blockMs.minimum", equalTo(0))
                .body("operations.find { it.name == 'SUBSCRIBE' }.params.properties.maxMessages.maximum", equalTo(10_000))
                .body("operations.find { it.name == 'SRANDMEMBER' }.params.properties.count.minimum", equalTo(-10_000))
                .body("operations.find { it.name == 'KEYS' }.params.properties.limit.maximum", equalTo(10_000))
                .body("operations.find { it.name == 'SETRANGE' }.params.properties.offset.minimum", equalTo(0))
                .body("operations.find { it.name == 'SETRANGE' }.params.properties.offset", not(hasKey("maximum")))
                // one of two forms, neither required alone: what a form filled with the required fields alone still needs
                .body("operations.find { it.name == 'DEL' }.params.oneOf.required", equalTo(List.of(List.of("keys"), List.of("key"))))
                .body("operations.find { it.name == 'ZADD' }.params.oneOf[1].required", equalTo(List.of("member", "score")))
                .body("operations.find { it.name == 'HSET' }.params.oneOf[1].required", equalTo(List.of("field", "value")))
                .body("operations.find { it.name == 'GET' }.params", not(hasKey("oneOf")))
                // two such choices: a centre and a shape
                .body("operations.find { it.name == 'GEOSEARCH' }.params.allOf[0].oneOf.required",
                        equalTo(List.of(List.of("fromMember"), List.of("longitude", "latitude"))))
                .body("operations.find { it.name == 'GEOSEARCH' }.params.allOf[1].oneOf.required",
                        equalTo(List.of(List.of("radius"), List.of("width", "height"))))
                .body("operations.find { it.name == 'LPOP' }.params.properties.count.minimum", equalTo(1))
                // an array's elements, so that a console can draw them
                .body("operations.find { it.name == 'ZADD' }.params.properties.members.items.required",
                        equalTo(List.of("member", "score")))
                .body("operations.find { it.name == 'ZADD' }.params.properties.members.items.properties.score.type",
                        equalTo("number"))
                .body("operations.find { it.name == 'ZUNIONSTORE' }.params.properties.weights.items.type", equalTo("number"))
                .body("operations.find { it.name == 'SET' }.params.properties.ttlSeconds.minimum", equalTo(1))
                .body("operations.find { it.name == 'EXPIRE' }.params.properties.ttlSeconds", not(hasKey("minimum")))
                .body("operations.find { it.name == 'IDEMPOTENCY' }.params.properties.value.default", equalTo("1"));
    }

    @Test
    void theReadmeCountsTheOperationsTheCatalogueLists() throws java.io.IOException {
        java.util.regex.Matcher stated = java.util.regex.Pattern.compile("lists every operation \\((\\d+)\\)")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("README.md")));
        org.junit.jupiter.api.Assertions.assertTrue(stated.find(), "README states how many operations there are");
        given().when().get("/operations").then().statusCode(200).body("count", equalTo(Integer.parseInt(stated.group(1))));
    }

    @Test
    void readmeCatalogueTableListsEachGroupsOperationsExactly() throws Exception {
        List<Map<String, String>> operations = given().when().get("/operations").then().statusCode(200)
                .extract().path("operations");
        Set<String> names = new TreeSet<>();
        operations.forEach(operation -> names.add(operation.get("name")));
        String readme = Files.readString(Path.of("README.md"));
        String table = readme.substring(readme.indexOf("| group | operations |"));
        Matcher rows = Pattern.compile("(?m)^\\| ([a-z-]+) \\| (.+) \\|$")
                .matcher(table.substring(table.indexOf('\n') + 1, table.indexOf("\n\n")));
        int checked = 0;
        while (rows.find()) {
            Set<String> listed = new TreeSet<>();
            Matcher word = Pattern.compile("[A-Z][A-Z0-9.]+").matcher(rows.group(2));
            while (word.find()) {
                if (names.contains(word.group())) {
                    listed.add(word.group());
                }
            }
            Set<String> inGroup = new TreeSet<>();
            String group = rows.group(1);
            operations.stream().filter(operation -> operation.get("group").equals(group))
                    .forEach(operation -> inGroup.add(operation.get("name")));
            if (!group.equals("tencent")) { // named in its own table, in docs/design.md
                assertEquals(inGroup, listed, "README's row of group " + group);
                checked++;
            }
        }
        assertTrue(checked >= 10, "README catalogue rows found: " + checked);
    }

    @Test
    void groupFilterAcceptsSingularAndPlural() {
        given().queryParam("group", "hash").when().get("/operations").then().statusCode(200)
                .body("operations.group", everyItem(equalTo("hash"))).body("operations.name", hasItem("HGETALL"));
        given().queryParam("group", "hashes").when().get("/operations").then().statusCode(200)
                .body("operations.group", everyItem(equalTo("hash")));
        given().queryParam("group", "zset").when().get("/operations").then().statusCode(200)
                .body("operations.group", everyItem(equalTo("sorted-set"))).body("count", greaterThan(20));
    }

    @Test
    void anUnknownQueryParameterOrFieldIsRefusedNotIgnored() {
        given().queryParam("grop", "hash").when().get("/operations").then().statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", startsWith("grop: unknown query parameter of the operations catalogue; did you mean 'group'?"));
        Events.post("/operations", map("grp", "hash")).statusCode(400).body("error.message", startsWith("grp: unknown field"));
        Events.post("/operations", map("group", "hash")).statusCode(200).body("operations.group", everyItem(equalTo("hash")));
    }

    @Test
    void unknownGroupIsRefusedWithTheGroupsThatExist() {
        given().queryParam("group", "nosuch").when().get("/operations").then().statusCode(400)
                .body("error.code", equalTo("INVALID_REQUEST"))
                .body("error.message", startsWith("group: no group named 'nosuch' (groups: key, string, list, hash"));
    }

    @Test
    void redisStyleSubcommandNamesFindTheirDottedOperation() {
        Events.execute(Events.standalone(), "XGROUP CREATE", map("key", "catalogue:stream", "group", "g", "mkStream", true))
                .statusCode(200).body("operation", equalTo("XGROUP.CREATE")).body("result", is(true));
        Events.execute(Events.standalone(), "config get", map("parameter", "maxmemory")).statusCode(403)
                .body("error.code", equalTo("COMMAND_NOT_ALLOWED"));
    }
}
