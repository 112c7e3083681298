package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static dev.redisfn.function.Events.with;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.NotRedisServer;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisTopologies;
import io.quarkus.test.junit.QuarkusTest;

/** test-connection verdicts: each says what is wrong and names the field to fix (DESIGN.md §5). */
@QuarkusTest
class TestConnectionTest {

    @Test
    void standaloneVerdictReportsVersionAndRole() {
        Events.post("/test-connection", map("connection", Events.standalone())).statusCode(200)
                .body("ok", is(true)).body("message", equalTo("Connection configuration is correct"))
                .body("mode", equalTo("standalone")).body("serverVersion", equalTo("7.0.15"))
                .body("role", equalTo("master")).body("nodes[0].role", equalTo("master"));
    }

    @Test
    void wrongPasswordIsNamedWithoutEchoingIt() {
        Events.post("/test-connection", map("connection", with(Events.standalone(), "password", "wrong-pw-7731")))
                .statusCode(200).body("ok", is(false)).body("code", equalTo("AUTH_FAILED"))
                .body("hint", startsWith("password")).body(not(containsString("wrong-pw-7731")));
    }

    @Test
    void missingPasswordIsAnAuthProblem() {
        Events.post("/test-connection", map("connection", with(Events.standalone(), "password", null)))
                .statusCode(200).body("ok", is(false)).body("code", equalTo("AUTH_FAILED"));
    }

    @Test
    void unreachableNodeIsConnectionFailed() throws IOException {
        Events.post("/test-connection", map("connection", map("host", "127.0.0.1", "port", Ports.free())))
                .statusCode(200).body("ok", is(false)).body("code", equalTo("CONNECTION_FAILED"))
                .body("hint", containsString("host/port")).body("nodes[0].reachable", is(false));
    }

    @Test
    void sentinelVerdictChecksEverySentinelAndTheMaster() {
        Events.post("/test-connection", map("connection", Events.sentinel())).statusCode(200)
                .body("ok", is(true)).body("role", equalTo("master"))
                .body("nodes.kind", hasItem("master")).body("nodes.findAll { it.kind == 'sentinel' }.size()", equalTo(3))
                .body("nodes.reachable", everyItem(is(true)));
    }

    @Test
    void unknownMasterNameIsNamed() {
        Events.post("/test-connection", map("connection", with(Events.sentinel(), "masterName", "nosuchmaster")))
                .statusCode(200).body("ok", is(false)).body("code", equalTo("CONNECTION_FAILED"))
                .body("hint", startsWith("masterName"));
    }

    @Test
    void sentinelWrongDataPasswordIsAuthFailed() {
        Events.post("/test-connection", map("connection", with(Events.sentinel(), "password", "bad-data-pw")))
                .statusCode(200).body("ok", is(false)).body("code", equalTo("AUTH_FAILED"));
    }

    @Test
    void clusterVerdictChecksTheSeeds() {
        Events.post("/test-connection", map("connection", Events.cluster())).statusCode(200)
                .body("ok", is(true)).body("role", equalTo("cluster")).body("nodes.size()", equalTo(3));
    }

    @Test
    void clusterConfigPointedAtANonClusterNodeSaysSo() {
        int port = RedisTopologies.standalone().port();
        Events.post("/test-connection", map("connection", map("mode", "cluster", "nodes", "127.0.0.1:" + port,
                "password", dev.redisfn.testsupport.StandaloneRedis.PASSWORD)))
                .statusCode(200).body("ok", is(false)).body("code", equalTo("INVALID_CONNECTION"))
                .body("hint", startsWith("mode")).body("message", containsString("not a cluster node"));
    }

    @Test
    void standaloneConfigPointedAtAClusterNodeSaysSo() {
        int port = RedisTopologies.cluster().masterPorts().get(0);
        Events.post("/test-connection", map("connection", map("host", "127.0.0.1", "port", port,
                "password", dev.redisfn.testsupport.RedisCluster.PASSWORD)))
                .statusCode(200).body("ok", is(false)).body("hint", startsWith("mode"));
    }

    @Test
    void aServerThatDoesNotSpeakRedisIsNamedWithoutItsBanner() throws IOException {
        try (NotRedisServer http = NotRedisServer.start()) {
            Events.post("/test-connection", map("connection", map("host", "127.0.0.1", "port", http.port())))
                    .statusCode(200).body("ok", is(false)).body("code", equalTo("CONNECTION_FAILED"))
                    .body("message", containsString("does not speak the Redis protocol"))
                    .body("hint", startsWith("host/port")).body(not(containsString(NotRedisServer.BANNER)));
        }
    }
}
