package dev.redisfn.it;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.DeployedFunction;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisProcess;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.Waits;

/**
 * Stopping the function (SIGTERM, what a platform sends before it removes a container) lets the calls in
 * flight finish: their callers get their answers, and a write is never left with its outcome unknown.
 */
class GracefulShutdownIT {

    @Test
    void aCallInFlightWhenTheFunctionIsStoppedIsStillAnswered() throws Exception {
        try (RedisProcess redis = RedisProcess.start("graceful", Ports.free(), List.of());
                RespClient admin = new RespClient(redis.port());
                DeployedFunction function = DeployedFunction.start()) {
            String pop = "{\"connection\": {\"host\": \"127.0.0.1\", \"port\": " + redis.port() + "},"
                    + " \"operation\": \"BLPOP\", \"params\": {\"key\": \"graceful:jobs\", \"waitMs\": 20000}}";
            CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return function.post("/execute", "application/json", pop);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Waits.until("the BLPOP to wait in Redis", Duration.ofSeconds(30),
                    () -> admin.callString("CLIENT", "LIST").contains("cmd=blpop"));
            function.terminate();
            Waits.until("the function to wait for its call in flight", Duration.ofSeconds(30),
                    () -> function.log().contains("stopping: waiting up to 70 s for 1 call(s) in flight"));
            admin.call("RPUSH", "graceful:jobs", "job-1");
            HttpResponse<String> answered = waiting.get(30, TimeUnit.SECONDS);
            assertThat(answered.body(), answered.statusCode(), equalTo(200));
            assertThat(answered.body(), containsString("\"value\":\"job-1\""));
            assertThat("the function exits once its calls are answered", function.awaitExit(Duration.ofSeconds(30)),
                    notNullValue());
        }
    }
}
