package dev.redisfn.deploy;

import static dev.redisfn.function.Events.map;
import static dev.redisfn.function.Events.with;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.StandaloneRedis;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The platform's side: health endpoints that answer UP without any Redis, and Prometheus metrics
 * with a timer per operation, mode and outcome plus the client cache's meters — none of which
 * carries a password or an address.
 */
@QuarkusTest
public class HealthAndMetricsTest {

    private static final String SECRET = "metrics-never-see-this-Qx7";

    @Test
    public void livenessAndReadinessAreUpWithoutAnyRedis() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("redis-connector"))
                .body("checks.name", not(hasItem("Redis connection health check")));
        // a call to an unreachable Redis does not make the function unready
        Events.execute(map("host", "127.0.0.1", "port", 1), "PING", map()).statusCode(502);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    public void executeCallsAreTimedByOperationModeAndOutcome() {
        String before = metrics();
        Events.execute(Events.standalone(), "SET", map("key", "metrics:k", "value", "v")).statusCode(200);
        Events.execute(Events.standalone(), "GET", map("key", "metrics:k")).statusCode(200);
        Events.execute(Events.standalone(), "LPUSH", map("key", "metrics:k", "value", "x")).statusCode(422);
        Events.execute(Events.standalone(), "FLYTOTHEMOON", map()).statusCode(400);
        Events.post("/execute", map("connection", Events.standalone(), "batch", List.of(
                map("operation", "GET", "params", map("key", "metrics:k")), map("operation", "NOPE")))).statusCode(200);
        Events.post("/test-connection", map("connection", Events.standalone())).statusCode(200);
        given().contentType("application/json").body("{not json").post("/execute").then().statusCode(400);

        String metrics = metrics();
        assertCounted(before, metrics, "connector_operation_seconds_count", "mode=\"standalone\"", "operation=\"GET\"",
                "outcome=\"OK\"");
        assertCounted(before, metrics, "connector_operation_seconds_count", "operation=\"LPUSH\"", "outcome=\"WRONG_TYPE\"");
        assertCounted(before, metrics, "connector_operation_seconds_count", "operation=\"NONE\"",
                "outcome=\"UNKNOWN_OPERATION\"");
        assertCounted(before, metrics, "connector_operation_seconds_count", "operation=\"BATCH\"", "outcome=\"PARTIAL\"");
        assertCounted(before, metrics, "connector_operation_seconds_count", "operation=\"NONE\"", "outcome=\"INVALID_REQUEST\"");
        assertCounted(before, metrics, "connector_test_connection_seconds_count", "mode=\"standalone\"", "outcome=\"OK\"");
        assertFalse(metrics.contains("FLYTOTHEMOON"), "a caller's text never becomes a tag value");
        for (String meter : List.of("connector_cache_size", "connector_cache_hits_total", "connector_cache_misses_total",
                "connector_cache_evictions_total")) {
            assertTrue(Pattern.compile("(?m)^" + meter + "(\\{[^}]*\\})? [0-9.E]+$").matcher(metrics).find(),
                    meter + " is exported");
        }
    }

    @Test
    public void aNewConfigCountsOneCacheMissAndItsNextCallOneHit() {
        Map<String, Object> fresh = with(Events.standalone(), "clientName", "metrics-" + System.nanoTime());
        double hits = counter("connector_cache_hits_total");
        double misses = counter("connector_cache_misses_total");
        Events.execute(fresh, "PING", map()).statusCode(200);
        assertEquals(misses + 1, counter("connector_cache_misses_total"), "misses after the first call");
        assertEquals(hits, counter("connector_cache_hits_total"), "hits after the first call");
        Events.execute(fresh, "PING", map()).statusCode(200);
        assertEquals(hits + 1, counter("connector_cache_hits_total"), "hits after the second call");
        assertEquals(misses + 1, counter("connector_cache_misses_total"), "misses after the second call");
    }

    private static double counter(String meter) {
        Matcher sample = Pattern.compile("(?m)^" + meter + "(\\{[^}]*\\})? ([0-9.E]+)$").matcher(metrics());
        assertTrue(sample.find(), meter + " is exported");
        return Double.parseDouble(sample.group(2));
    }

    @Test
    public void noPasswordOrAddressOfACallAppearsInTheMetrics() {
        String before = metrics();
        Events.execute(with(Events.standalone(), "password", SECRET), "GET", map("key", "k")).statusCode(422);
        Events.execute(with(Events.standalone(), "username", "metrics-user", "password", SECRET), "GET",
                map("key", "k")).statusCode(422);
        Events.post("/test-connection", map("connection", with(Events.standalone(), "password", SECRET)))
                .statusCode(200);
        Events.execute(Events.standalone(), "PING", map()).statusCode(200);
        String metrics = metrics();
        assertFalse(metrics.contains(SECRET), "a password in the metrics");
        assertFalse(metrics.contains(StandaloneRedis.PASSWORD), "a password in the metrics");
        assertFalse(metrics.contains("metrics-user"), "a user name in the metrics");
        assertFalse(metrics.contains(":" + RedisTopologies.standalone().port()), "an address in the metrics");
        assertCounted(before, metrics, "connector_operation_seconds_count", "operation=\"GET\"", "outcome=\"AUTH_FAILED\"");
    }

    static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The samples of {@code meter} whose labels include every one of {@code labels} count more in {@code after}. */
    static void assertCounted(String before, String after, String meter, String... labels) {
        if (count(after, meter, labels) <= count(before, meter, labels)) {
            throw new AssertionError("no new " + meter + " sample with " + List.of(labels) + " in\n" + grep(after, meter));
        }
    }

    /** The sum of the samples of {@code meter} whose labels include every one of {@code labels}. */
    private static double count(String metrics, String meter, String... labels) {
        Matcher lines = Pattern.compile("(?m)^" + Pattern.quote(meter) + "\\{([^}]*)\\} ([0-9.E]+)$").matcher(metrics);
        double sum = 0;
        while (lines.find()) {
            String found = lines.group(1);
            boolean all = true;
            for (String label : labels) {
                all &= found.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(lines.group(2));
            }
        }
        return sum;
    }

    private static String grep(String metrics, String meter) {
        StringBuilder lines = new StringBuilder();
        metrics.lines().filter(line -> line.startsWith(meter)).forEach(line -> lines.append(line).append('\n'));
        return lines.toString();
    }
}
