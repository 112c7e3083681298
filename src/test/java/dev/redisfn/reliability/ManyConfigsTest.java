package dev.redisfn.reliability;

import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.testsupport.FunctionHttp;
import dev.redisfn.testsupport.OpenFiles;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.ServerStats;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A thousand distinct configs through a cache of eight: evicted clients are closed, nothing leaks. */
@QuarkusTest
@TestProfile(ManyConfigsTest.SmallCache.class)
class ManyConfigsTest extends PrivateRedisTest {

    static final int CACHE_SIZE = 8;
    /** connector.pool.shared-connections' default: the most server connections one client keeps. */
    static final int CONNECTIONS_PER_CLIENT = 4;
    static final int CONFIGS = 1000;

    public static class SmallCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.cache.max-size", Integer.toString(CACHE_SIZE));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @Test
    void thousandDistinctConfigsLeaveAtMostTheCachedClientsConnectedAndNoFileDescriptorsBehind() throws Exception {
        assumeTrue(OpenFiles.supported(), "counting file descriptors needs /proc/self/fd (Linux)");
        FunctionHttp http = new FunctionHttp(base);
        http.post("/execute", request("many-warmup", "SET", "many:warmup")); // HTTP connection and classes in place
        try (RespClient admin = redis.client()) {
            long fdsBefore = OpenFiles.count();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < CONFIGS; i++) {
                FunctionHttp.Reply reply = http.post("/execute", request("many-" + i, "SET", "many:" + i));
                if (reply.status() != 200 || !reply.body().contains("\"result\":true")) {
                    failures.add("config " + i + ": " + reply.status() + " " + reply.body());
                }
            }
            assertThat("failed calls (first 10)", failures.subList(0, Math.min(10, failures.size())), empty());
            assertThat("keys written, one per config", admin.callList("KEYS", "many:*").size(), equalTo(CONFIGS + 1));

            long bound = (long) CACHE_SIZE * CONNECTIONS_PER_CLIENT;
            long margin = 4;
            // evicted clients close their connections (a moment after eviction); the server notices soon after
            Waits.until("connector connections to " + redis + " to settle at most " + bound + " + " + margin,
                    Duration.ofSeconds(15), () -> ServerStats.connectedClients(admin) - 1 <= bound + margin);
            long named = ServerStats.clientsNamed(admin, name -> name.startsWith("many-"));
            long connected = ServerStats.connectedClients(admin) - 1; // not counting this admin connection
            Waits.until("this JVM's open file descriptors to return near " + fdsBefore, Duration.ofSeconds(15),
                    () -> OpenFiles.count() - fdsBefore <= 50);
            long fdsAfter = OpenFiles.count();
            System.out.printf("many configs: %d configs through a cache of %d: %d connector connections open "
                    + "(%d named), file descriptors %d -> %d%n", CONFIGS, CACHE_SIZE, connected, named, fdsBefore, fdsAfter);
            assertThat("connections the server still has from the connector", connected, lessThanOrEqualTo(bound + margin));
            assertThat("connections of the 1,000 configs still open", named, lessThanOrEqualTo(bound));
            assertThat("file descriptors gained over the run", fdsAfter - fdsBefore, lessThanOrEqualTo(50L));
        }
    }

    @Test
    void concurrentCallersOverFourTimesMoreConfigsThanTheCacheHoldsAllSucceed() throws Exception {
        FunctionHttp http = new FunctionHttp(base);
        int callers = 16;
        int configs = CACHE_SIZE * 4;
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        // clients are evicted (and closed) while other callers are using them
                        String name = "churn-" + ((caller * 7 + i) % configs);
                        FunctionHttp.Reply reply = http.post("/execute", request(name, "SET", "churn:" + caller + ":" + i));
                        if (reply.status() != 200 || !reply.body().contains("\"result\":true")) {
                            failures.add(name + ": " + reply.status() + " " + reply.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("many configs: %d concurrent callers over %d configs (cache %d): %d failed calls%n", callers,
                configs, CACHE_SIZE, failures.size());
        assertThat("failed calls while clients were evicted under use (first 5)",
                failures.subList(0, Math.min(5, failures.size())), empty());
    }

    private static String request(String clientName, String operation, String key) throws Exception {
        return JSON.writeValueAsString(map("connection", map("host", "127.0.0.1", "port", redis.port(), "password",
                StandaloneRedis.PASSWORD, "clientName", clientName), "operation", operation,
                "params", map("key", key, "value", clientName)));
    }
}
