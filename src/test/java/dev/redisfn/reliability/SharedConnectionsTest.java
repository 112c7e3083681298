package dev.redisfn.reliability;

import static dev.redisfn.function.Events.map;
import static dev.redisfn.reliability.ConnectionReuseTest.body;
import static dev.redisfn.reliability.ConnectionReuseTest.connection;
import static dev.redisfn.reliability.ConnectionReuseTest.setAndGetConcurrently;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.FunctionHttp;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.ServerStats;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * How calls share connections: a quiet config keeps one, whichever event loop serves the call,
 * and calls beyond a connection's in-flight limit take a pooled connection instead of failing.
 * The limit is set to 3 here (batch.max-size 1 + MULTI/EXEC) so that 64 callers exceed it.
 */
@QuarkusTest
@TestProfile(SharedConnectionsTest.TinyInFlightLimit.class)
class SharedConnectionsTest extends PrivateRedisTest {

    public static class TinyInFlightLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.pool.max-in-flight", "1", "connector.batch.max-size", "1");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aQuietConfigKeepsOneServerConnectionWhicheverEventLoopServesTheCall() throws Exception {
        Map<String, Object> connection = connection("shared-quiet");
        try (RespClient admin = redis.client()) {
            long before = ServerStats.totalConnectionsReceived(admin);
            for (int i = 0; i < 8; i++) {
                // a new HTTP client is a new HTTP connection, which Vert.x hands to the next event loop
                FunctionHttp.Reply reply = new FunctionHttp(base).post("/execute", body(connection, "PING", map()));
                assertThat(reply.body(), reply.status(), equalTo(200));
            }
            assertThat("server connections opened by 8 calls over 8 HTTP connections",
                    ServerStats.totalConnectionsReceived(admin) - before, equalTo(1L));
            assertThat(ServerStats.clientsNamed(admin, "shared-quiet"::equals), equalTo(1L));
        }
    }

    @Test
    void callsBeyondTheInFlightLimitTakeAPooledConnectionAndAllSucceed() throws Exception {
        try (RespClient admin = redis.client()) {
            long before = ServerStats.totalConnectionsReceived(admin);
            List<String> failures = setAndGetConcurrently(new FunctionHttp(base), connection("shared-busy"), 64, 5);
            long opened = ServerStats.totalConnectionsReceived(admin) - before;
            System.out.printf("shared connections: 64 callers over a limit of 3 in flight opened %d server connections%n",
                    opened);
            assertThat("failed calls (first 10)", failures.subList(0, Math.min(10, failures.size())), empty());
            // more than the shared connections (at most one per event loop): the overflow took pooled ones
            assertThat(opened, greaterThan(4L));
        }
    }
}
