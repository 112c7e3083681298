package dev.redisfn.deploy;

import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * A broker delivers a CloudEvent again after 404, 409, 429 and 5xx and never after another 4xx: a
 * failed CloudEvent call answers the status that makes it do so exactly when the error is retryable,
 * while the same failure over plain HTTP keeps its code's status.
 */
@QuarkusTest
class CloudEventRedeliveryTest extends PrivateRedisTest {

    /** Calls to a paused server time out after 300 ms; other calls have the default 5 s. */
    private static Map<String, Object> connection(boolean quick) {
        return map("host", "127.0.0.1", "port", redis.port(), "password", StandaloneRedis.PASSWORD,
                "commandTimeoutMs", quick ? 300 : 5000, "clientName", quick ? "redelivery-quick" : "redelivery");
    }

    private static Map<String, Object> call(boolean quick, String operation, Map<String, Object> params) {
        return map("connection", connection(quick), "operation", operation, "params", params);
    }

    @Test
    void aWriteThatTimedOutIsNotDeliveredAgainWhileATimedOutReadIs() throws Exception {
        Events.execute(connection(true), "SET", map("key", "redelivery:n", "value", "1")).statusCode(200);
        try (RespClient admin = redis.client()) {
            admin.call("CLIENT", "PAUSE", "2000", "ALL");
            try {
                timeOutWhilePaused();
            } finally {
                admin.call("CLIENT", "UNPAUSE");
            }
        }
    }

    private static void timeOutWhilePaused() throws Exception {
        // at once, so that all three are sent on the connection made before the pause
        CompletableFuture<ValidatableResponse> eventWrite = CompletableFuture.supplyAsync(() -> CloudEventsTest.binary(
                "dev.redisfn.execute", UUID.randomUUID().toString(), call(true, "INCR", map("key", "redelivery:n"))));
        CompletableFuture<ValidatableResponse> eventRead = CompletableFuture.supplyAsync(() -> CloudEventsTest.binary(
                "dev.redisfn.execute", UUID.randomUUID().toString(), call(true, "GET", map("key", "redelivery:n"))));
        CompletableFuture<ValidatableResponse> plainWrite = CompletableFuture.supplyAsync(() -> Events.execute(
                connection(true), "INCR", map("key", "redelivery:n")));
        eventWrite.get(10, TimeUnit.SECONDS).statusCode(422).body("error.code", equalTo("TIMEOUT"))
                .body("error.retryable", is(false)).body("error.message", startsWith("no answer from Redis within"));
        eventRead.get(10, TimeUnit.SECONDS).statusCode(504).body("error.code", equalTo("TIMEOUT"))
                .body("error.retryable", is(true));
        plainWrite.get(10, TimeUnit.SECONDS).statusCode(504).body("error.code", equalTo("TIMEOUT"))
                .body("error.retryable", is(false));
    }

    @Test
    void aBusyServerIsARetryableRedisErrorThatABrokerRetries() throws Exception {
        Events.execute(connection(false), "PING", map()).statusCode(200);
        try (RespClient admin = redis.client(); RespClient scripted = redis.client()) {
            admin.call("CONFIG", "SET", "busy-reply-threshold", "50");
            CompletableFuture<Object> script = CompletableFuture.supplyAsync(() -> scripted.call("EVAL",
                    "local s = redis.call('TIME')[1] while redis.call('TIME')[1] - s < 20 do end return 1", "0"));
            try {
                Waits.until("the server answers BUSY", Duration.ofSeconds(10), () -> String.valueOf(
                        tryPing(admin)).startsWith("BUSY"));
                CloudEventsTest.structured("dev.redisfn.execute", UUID.randomUUID().toString(),
                        call(false, "GET", map("key", "redelivery:n"))).statusCode(503).header("Retry-After", "1")
                        .body("error.code", equalTo("REDIS_ERROR")).body("error.retryable", is(true))
                        .body("error.message", startsWith("BUSY"));
                // over plain HTTP too: a platform that retries 5xx retries it, when Retry-After says
                Events.execute(connection(false), "GET", map("key", "redelivery:n")).statusCode(503).header("Retry-After", "1")
                        .body("error.code", equalTo("REDIS_ERROR")).body("error.retryable", is(true));
            } finally {
                admin.call("SCRIPT", "KILL");
                script.handle((done, failed) -> null).get(10, TimeUnit.SECONDS);
                admin.call("CONFIG", "SET", "busy-reply-threshold", "5000");
            }
        }
    }

    private static Object tryPing(RespClient client) {
        try {
            return client.call("PING");
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
