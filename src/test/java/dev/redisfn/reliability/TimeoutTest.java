package dev.redisfn.reliability;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** commandTimeoutMs bounds every call, and one stuck server does not slow calls to another. */
@QuarkusTest
class TimeoutTest extends PrivateRedisTest {

    private static final int COMMAND_TIMEOUT_MS = 300;
    private static final long MARGIN_MS = 1500; // under the 3 s pause: the timeout answered, not the pause's end

    @Test
    void pausedServerAnswers504WithinCommandTimeoutWhileAnotherConfigStaysFast() throws Exception {
        Map<String, Object> paused = map("host", "127.0.0.1", "port", redis.port(), "password", StandaloneRedis.PASSWORD,
                "commandTimeoutMs", COMMAND_TIMEOUT_MS, "clientName", "timeout-paused");
        Map<String, Object> other = Events.standalone();
        // both clients exist before the pause: what is measured is the command, not the connect
        execute(paused, "SET", map("key", "timeout:first", "value", "first")).statusCode(200).body("result", is(true));
        execute(paused, "SET", map("key", "timeout:second", "value", "second")).statusCode(200).body("result", is(true));
        execute(other, "PING", map()).statusCode(200).body("result", equalTo("PONG"));

        try (RespClient admin = redis.client()) {
            admin.call("CLIENT", "PAUSE", "3000", "ALL");
        }
        long started = System.nanoTime();
        CompletableFuture<ExtractableResponse<Response>> stuck = CompletableFuture.supplyAsync(
                () -> execute(paused, "GET", map("key", "timeout:first")).extract());
        CompletableFuture<ExtractableResponse<Response>> stuckWrite = CompletableFuture.supplyAsync(
                () -> execute(paused, "INCR", map("key", "timeout:counter")).extract());

        long otherStarted = System.nanoTime();
        execute(other, "PING", map()).statusCode(200).body("ok", is(true)).body("result", equalTo("PONG"));
        // well inside the 3 s pause: it did not wait for the paused server (a busy machine may take its time)
        assertThat("a call to another config while the first server is paused (ms)", millisSince(otherStarted),
                lessThan(2000L));

        ExtractableResponse<Response> timedOut = stuck.get(10, TimeUnit.SECONDS);
        long stuckMillis = millisSince(started);
        assertThat(timedOut.statusCode(), equalTo(504));
        assertThat(timedOut.path("ok"), is(false));
        assertThat(timedOut.path("error.code"), equalTo("TIMEOUT"));
        assertThat(timedOut.path("error.retryable"), is(true));
        assertThat("GET on the paused server (ms)", stuckMillis, lessThan(COMMAND_TIMEOUT_MS + MARGIN_MS));
        System.out.printf("timeout: paused GET answered 504 after %d ms (commandTimeoutMs %d)%n", stuckMillis,
                COMMAND_TIMEOUT_MS);
        ExtractableResponse<Response> writeTimedOut = stuckWrite.get(10, TimeUnit.SECONDS);
        assertThat(writeTimedOut.statusCode(), equalTo(504));
        assertThat("a write that timed out may still be applied: a retry could apply it twice",
                writeTimedOut.path("error.retryable"), is(false));
        assertThat(writeTimedOut.path("error.message"), containsString("the write may have been applied"));

        // the pause ends on its own (CLIENT UNPAUSE would be paused too); a PING returns once it has
        Waits.until("the CLIENT PAUSE on " + redis + " to end", Duration.ofSeconds(10),
                () -> "PONG".equals(RespClient.once(redis.port(), null, StandaloneRedis.PASSWORD, "PING")));
        // the late reply to the timed-out GET must not be handed to the next caller on that connection
        execute(paused, "GET", map("key", "timeout:second")).statusCode(200).body("result", equalTo("second"));
        execute(paused, "GET", map("key", "timeout:first")).statusCode(200).body("result", equalTo("first"));
        // ... and the timed-out INCR did reach Redis once the pause ended
        execute(paused, "GET", map("key", "timeout:counter")).statusCode(200).body("result", equalTo("1"));
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
