package dev.redisfn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.deploy.ReadmeExamples.Example;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisProcess;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * README's curl examples work as written, in the order the README gives them, against the function
 * as {@code mvn -Plocal quarkus:run} sets it up: a fresh password-less Redis behind the named
 * connection {@code local} (here on a free port where the README says 16379, and the function on the
 * test port where it says 8080). Each answer has the status, headers and JSON fields the README shows:
 * no field more or less; a string with "..." and {@code durationMs} stand for any value, and a stream
 * entry id for the one Redis made, which later examples are sent with, as a reader would.
 */
@QuarkusTest
@WithTestResource(ReadmeExamplesTest.LocalRedis.class)
class ReadmeExamplesTest {

    /** An answer shown is one JSON value: a comment line run on into it would fail its parse. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern ENTRY_ID = Pattern.compile("\\d{10,}-\\d+");

    /** The local profile's Redis: started fresh for this class, stopped after it. */
    public static class LocalRedis implements QuarkusTestResourceLifecycleManager {
        private RedisProcess redis;

        @Override
        public Map<String, String> start() {
            redis = RedisProcess.start("readme-local", Ports.free(), List.of());
            return Map.of("connector.connections.local.host", "127.0.0.1",
                    "connector.connections.local.port", Integer.toString(redis.port()));
        }

        @Override
        public void stop() {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @TestHTTPResource("/")
    URL function;

    @Test
    void everyCurlExampleAnswersWhatTheReadmeShows() throws Exception {
        List<Example> examples = ReadmeExamples.read(Path.of("README.md"));
        assertTrue(examples.size() >= 10, "README curl examples found: " + examples.size());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, String> madeIds = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Example example : examples) {
            HttpResponse<String> response = http.send(request(example, madeIds), HttpResponse.BodyHandlers.ofString());
            String where = "README line " + example.line() + ": ";
            int expectedStatus = example.expectedStatus() == null ? 200 : example.expectedStatus();
            if (response.statusCode() != expectedStatus) {
                problems.add(where + "status " + response.statusCode() + ", README shows " + expectedStatus + ": "
                        + response.body());
                continue;
            }
            example.expectedHeaders().forEach((name, value) -> {
                String actual = response.headers().firstValue(name).orElse(null);
                if (actual == null || !(value.contains("...") || value.equals(actual))) {
                    problems.add(where + "header " + name + " is " + actual + ", README shows " + value);
                }
            });
            JsonNode actual = JSON.readTree(response.body());
            if (example.expectedJson() != null) {
                JsonNode expected = JSON.readTree(example.expectedJson().replace("[...]", "\"...\""));
                compare(where + "$", expected, actual, madeIds, problems);
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    private HttpRequest request(Example example, Map<String, String> madeIds) {
        String url = example.url().replace("localhost:8080", function.getHost() + ":" + function.getPort());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + url)).timeout(Duration.ofSeconds(30));
        example.headers().forEach(request::header);
        if (example.body() == null) {
            return request.GET().build();
        }
        // read when the test runs: an injected property would be required of every other test's application too
        String redisPort = ConfigProvider.getConfig().getValue("connector.connections.local.port", String.class);
        String body = example.body().replace("16379", redisPort);
        for (Map.Entry<String, String> id : madeIds.entrySet()) {
            body = body.replace(id.getKey(), id.getValue());
        }
        if (example.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            request.header("Content-Type", "application/x-www-form-urlencoded"); // what curl -d sends
        }
        return request.POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static void compare(String path, JsonNode expected, JsonNode actual, Map<String, String> madeIds,
            List<String> problems) {
        assertNotNull(expected, path);
        if (actual == null) {
            problems.add(path + " is missing");
        } else if (expected.isTextual() && expected.asText().contains("...")) {
            return; // any value
        } else if (path.endsWith(".durationMs")) {
            if (!actual.isNumber()) {
                problems.add(path + " is not a number: " + actual);
            }
        } else if (expected.isObject()) {
            if (!actual.isObject()) {
                problems.add(path + " is " + actual + ", README shows an object");
                return;
            }
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            actual.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!expected.has(name)) {
                    problems.add(path + "." + name + " is answered (" + actual.get(name) + ") but not in the README");
                } else {
                    compare(path + "." + name, expected.get(name), actual.get(name), madeIds, problems);
                }
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                problems.add(path + " is " + actual + ", README shows " + expected);
                return;
            }
            Iterator<JsonNode> actualItems = actual.elements();
            int index = 0;
            for (JsonNode item : expected) {
                compare(path + "[" + index++ + "]", item, actualItems.next(), madeIds, problems);
            }
        } else if (expected.isTextual() && actual.isTextual() && ENTRY_ID.matcher(expected.asText()).matches()
                && ENTRY_ID.matcher(actual.asText()).matches()) {
            String made = madeIds.putIfAbsent(expected.asText(), actual.asText());
            if (made != null && !made.equals(actual.asText())) {
                problems.add(path + " is " + actual + ", the id made earlier for the README's " + expected + " is " + made);
            }
        } else if (!expected.equals(actual)) {
            problems.add(path + " is " + actual + ", README shows " + expected);
        }
    }

    @Test
    void theReaderFindsEachExamplesPartsAsCurlWould() throws Exception {
        List<Example> examples = ReadmeExamples.read(Path.of("README.md"));
        Example binaryEvent = examples.stream().filter(Example::showsHeaders).findFirst().orElseThrow();
        assertEquals("POST", binaryEvent.method());
        assertEquals("dev.redisfn.execute", binaryEvent.headers().get("ce-type"));
        assertEquals(200, binaryEvent.expectedStatus());
        assertEquals("dev.redisfn.execute.result", binaryEvent.expectedHeaders().get("ce-type"));
        assertEquals(List.of("curl", "-d", "{\"a\": 1,\n \"b\": 2}", "x"),
                ReadmeExamples.words("curl \\\n -d '{\"a\": 1,\n \"b\": 2}' x"));
    }
}
