package dev.redisfn.reliability;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.redisfn.connection.ClientCache;
import dev.redisfn.function.Events;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.ServerStats;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;

/** At shutdown the client cache closes every client it holds, so the server sees every connection go. */
@QuarkusTest
class ShutdownTest extends PrivateRedisTest {

    @Inject
    ClientCache cache;

    @Test
    void closeAllClosesTheServerConnectionsOfEveryCachedClient() {
        List<String> names = List.of("shutdown-a", "shutdown-b", "shutdown-c");
        for (String name : names) {
            Map<String, Object> connection = map("host", "127.0.0.1", "port", redis.port(), "password",
                    StandaloneRedis.PASSWORD, "clientName", name);
            execute(connection, "SET", map("key", "shutdown:" + name, "value", name)).statusCode(200).body("result", is(true));
            // an atomic batch leases a pooled connection of its own: it must be closed too
            Events.post("/execute", map("connection", connection, "atomic", true, "batch",
                    List.of(map("operation", "INCR", "params", map("key", "shutdown:n:" + name)))))
                    .statusCode(200).body("ok", is(true)).body("results[0].result", equalTo(1));
        }
        try (RespClient admin = redis.client()) {
            long named = ServerStats.clientsNamed(admin, name -> name.startsWith("shutdown-"));
            long connected = ServerStats.connectedClients(admin);
            System.out.printf("shutdown: before closeAll %d named connector connections, %d connections in all%n",
                    named, connected - 1);
            assertThat("named connector connections before closeAll", named, greaterThanOrEqualTo((long) names.size()));

            cache.closeAll();

            Waits.until("every connector connection to " + redis + " to close", Duration.ofSeconds(10),
                    () -> ServerStats.clientsNamed(admin, name -> name.startsWith("shutdown-")) == 0
                            && ServerStats.connectedClients(admin) == 1);
            assertThat(cache.size(), equalTo(0L));
        }
        // the cache is still usable afterwards: the next call builds a fresh client
        execute(map("host", "127.0.0.1", "port", redis.port(), "password", StandaloneRedis.PASSWORD, "clientName",
                "shutdown-a"), "GET", map("key", "shutdown:shutdown-a")).statusCode(200).body("result", equalTo("shutdown-a"));
    }
}
