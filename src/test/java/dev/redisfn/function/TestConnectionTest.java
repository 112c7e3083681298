package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static dev.redisfn.function.Events.with;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.NotRedisServer;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisCluster;
import dev.redisfn.testsupport.RedisProcess;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.SentinelSet;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;

/** test-connection verdicts: each says what is wrong and names the field to fix (docs/design.md, "test-connection"). */
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
                .body("ok", is(true)).body("role", equalTo("cluster")).body("nodes.size()", equalTo(3))
                .body("nodes.role", everyItem(equalTo("master"))).body("$", not(hasKey("warnings")));
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
    void databaseOutOfRangeIsNamedNotCorrect() {
        Events.post("/test-connection", map("connection", with(Events.standalone(), "database", 20)))
                .statusCode(200).body("ok", is(false)).body("code", equalTo("REDIS_ERROR"))
                .body("hint", startsWith("database:")).body("message", containsString("DB index is out of range"))
                .body("nodes[0].reachable", is(true)).body("nodes[0].role", equalTo("master"));
    }

    @Test
    void anAclUserThatMayNotSelectIsToldWhichGrantIsMissingAndOneWithoutInfoIsWarned() {
        try (RespClient admin = RedisTopologies.standalone().client()) {
            admin.call("ACL", "SETUSER", "tc-noselect", "reset", "on", ">tc-noselect-pw", "~*", "+@all", "-select");
            admin.call("ACL", "SETUSER", "tc-noinfo", "reset", "on", ">tc-noinfo-pw", "~*", "+@all", "-info");
        }
        try {
            Events.post("/test-connection", map("connection", with(Events.standalone(), "username", "tc-noselect",
                    "password", "tc-noselect-pw", "database", 3)))
                    .statusCode(200).body("ok", is(false)).body("hint", startsWith("database: the ACL user may not SELECT"))
                    .body(not(containsString("tc-noselect-pw")));
            Events.post("/test-connection", map("connection", with(Events.standalone(), "username", "tc-noinfo",
                    "password", "tc-noinfo-pw")))
                    // a least-privilege user without INFO works: the verdict passes and says what it could not check
                    .statusCode(200).body("ok", is(true)).body("role", equalTo("master"))
                    .body("warnings", hasItem(startsWith("username: the ACL user may not run INFO")))
                    .body(not(containsString("tc-noinfo-pw")));
        } finally {
            try (RespClient admin = RedisTopologies.standalone().client()) {
                admin.call("ACL", "DELUSER", "tc-noselect", "tc-noinfo");
            }
        }
    }

    @Test
    void databaseInRangeIsCorrect() {
        Events.post("/test-connection", map("connection", with(Events.standalone(), "database", 15)))
                .statusCode(200).body("ok", is(true)).body("message", equalTo("Connection configuration is correct"));
    }

    @Test
    void sentinelMasterDatabaseOutOfRangeIsNamed() {
        Events.post("/test-connection", map("connection", with(Events.sentinel(), "database", 20)))
                .statusCode(200).body("ok", is(false)).body("code", equalTo("REDIS_ERROR"))
                .body("hint", startsWith("database:"));
    }

    @Test
    void sentinelModePointedAtADataNodeSaysItIsNoSentinel() {
        int port = RedisTopologies.standalone().port();
        Events.post("/test-connection", map("connection", map("mode", "sentinel", "nodes", "127.0.0.1:" + port,
                "password", StandaloneRedis.PASSWORD)))
                .statusCode(200).body("ok", is(false)).body("code", equalTo("INVALID_CONNECTION"))
                .body("hint", startsWith("nodes:")).body("hint", containsString("not sentinels"))
                .body("nodes[0].kind", equalTo("sentinel")).body("nodes[0].role", equalTo("master"))
                .body("nodes[0].reachable", is(true)).body(not(containsString(StandaloneRedis.PASSWORD)));
    }

    @Test
    void sentinelsReportTheirObservedRole() {
        Events.post("/test-connection", map("connection", Events.sentinel())).statusCode(200)
                .body("ok", is(true)).body("$", not(hasKey("warnings")))
                .body("nodes.findAll { it.kind == 'sentinel' }.role", everyItem(equalTo("sentinel")))
                .body("nodes.find { it.kind == 'master' }.role", equalTo("master"));
    }

    @Test
    void unreachableSentinelIsAWarningAndHasNoRole() throws IOException {
        String dead = "127.0.0.1:" + Ports.free();
        Map<String, Object> connection = with(Events.sentinel(), "nodes",
                RedisTopologies.sentinel().sentinelNodes() + "," + dead);
        Events.post("/test-connection", map("connection", connection)).statusCode(200)
                .body("ok", is(true)).body("message", equalTo("Connection configuration is correct"))
                .body("warnings.size()", equalTo(1)).body("warnings[0]", startsWith("nodes: " + dead + " is unreachable"))
                .body("nodes.find { it.address == '" + dead + "' }.reachable", is(false))
                .body("nodes.find { it.address == '" + dead + "' }.role", nullValue());
    }

    @Test
    void clusterSeedsReportTheirOwnRole() {
        RedisCluster cluster = RedisTopologies.cluster();
        String replica = "127.0.0.1:" + cluster.replicaPorts().get(0);
        String master = "127.0.0.1:" + cluster.masterPorts().get(0);
        Events.post("/test-connection", map("connection", with(Events.cluster(), "nodes", List.of(master, replica))))
                .statusCode(200).body("ok", is(true)).body("role", equalTo("cluster"))
                .body("nodes.find { it.address == '" + master + "' }.role", equalTo("master"))
                .body("nodes.find { it.address == '" + replica + "' }.role", equalTo("slave"))
                .body("$", not(hasKey("warnings")));
    }

    @Test
    void clusterWithADeadSeedWarns() throws IOException {
        String dead = "127.0.0.1:" + Ports.free();
        List<String> seeds = new ArrayList<>(List.of(RedisTopologies.cluster().nodes().split(",")));
        seeds.add(dead);
        Events.post("/test-connection", map("connection", with(Events.cluster(), "nodes", seeds))).statusCode(200)
                .body("ok", is(true)).body("warnings.size()", equalTo(1))
                .body("warnings[0]", startsWith("nodes: " + dead + " is unreachable"))
                .body("nodes.find { it.address == '" + dead + "' }.reachable", is(false))
                .body("nodes.find { it.address == '" + dead + "' }.role", nullValue());
    }

    @Test
    void clusterStateFailHintNamesNodes() throws IOException {
        // a cluster-enabled node that serves no slot reports cluster_state:fail
        try (RedisProcess lone = RedisProcess.start("lone-cluster-node", Ports.freeWithBus(),
                List.of("cluster-enabled yes", "cluster-config-file nodes.conf"))) {
            Events.post("/test-connection", map("connection", map("mode", "cluster", "nodes", lone.address())))
                    .statusCode(200).body("ok", is(false)).body("code", equalTo("CONNECTION_FAILED"))
                    .body("hint", startsWith("nodes: the cluster reports cluster_state:fail"))
                    .body("nodes[0].role", equalTo("master"));
        }
    }

    @Test
    void standaloneOnAReplicaWarnsThatWritesFail() {
        SentinelSet set = RedisTopologies.sentinel();
        int masterPort = set.masterPort();
        RedisProcess replica = set.master().port() == masterPort ? set.replica() : set.master();
        Events.post("/test-connection", map("connection", map("host", "127.0.0.1", "port", replica.port(),
                "password", SentinelSet.PASSWORD)))
                .statusCode(200).body("ok", is(true)).body("role", equalTo("slave"))
                .body("warnings.size()", equalTo(1)).body("warnings[0]", startsWith("host:"))
                .body("warnings[0]", containsString("READONLY"));
    }

    @Test
    void standaloneOnAMasterHasNoWarnings() {
        Events.post("/test-connection", map("connection", Events.standalone())).statusCode(200)
                .body("ok", is(true)).body("$", not(hasKey("warnings")));
    }

    /** A server that takes the connection and answers nothing (CLIENT PAUSE) is reachable but silent, not "unreachable". */
    @Test
    void aServerThatAcceptsButDoesNotAnswerIsSaidToBeBusy() {
        try (RedisProcess paused = RedisProcess.start("paused", Ports.free(), List.of());
                RespClient admin = new RespClient(paused.port())) {
            admin.call("CLIENT", "PAUSE", "3000", "ALL");
            Events.post("/test-connection", map("connection", map("host", "127.0.0.1", "port", paused.port(),
                    "connectTimeoutMs", 300, "commandTimeoutMs", 300)))
                    .statusCode(200).body("ok", is(false)).body("code", equalTo("TIMEOUT"))
                    .body("message", containsString("accepted the connection but answered nothing"))
                    .body("hint", startsWith("commandTimeoutMs: the server accepted the connection but did not answer"))
                    .body("nodes[0].reachable", is(true));
        }
    }

    @Test
    void aServerStillLoadingItsDataIsNamedAndACallOnItIsRetryable() throws Exception {
        // DEBUG RELOAD with a delay per key keeps a real server in its loading state until the delay is lifted;
        // it answers events while loading every 1 KB, with -LOADING to the commands that need the data set
        try (RedisProcess loading = RedisProcess.start("loading", Ports.free(), List.of("enable-debug-command yes",
                "loading-process-events-interval-bytes 1024"));
                RespClient admin = new RespClient(loading.port())) {
            admin.call("DEBUG", "POPULATE", "20000");
            admin.call("CONFIG", "SET", "key-load-delay", "5000");
            Thread reload = new Thread(() -> {
                try (RespClient reloader = new RespClient(loading.port(), null, null, Duration.ofMinutes(3))) {
                    reloader.call("DEBUG", "RELOAD");
                }
            }, "debug-reload");
            reload.start();
            try (RespClient probe = new RespClient(loading.port())) {
                Waits.until("the server reports LOADING", Duration.ofSeconds(20), () -> isLoading(probe));
                Events.post("/test-connection", map("connection", map("mode", "cluster", "nodes", loading.address())))
                        .statusCode(200).body("ok", is(false)).body("code", equalTo("REDIS_ERROR"))
                        .body("message", containsString("LOADING"))
                        .body("hint", equalTo("host/port: " + loading.address() + " is still loading its data set — try again shortly"));
                Events.post("/execute", map("connection", map("host", "127.0.0.1", "port", loading.port()),
                        "operation", "GET", "params", map("key", "key:1")))
                        .statusCode(503).header("Retry-After", "1").body("error.code", equalTo("REDIS_ERROR"))
                        .body("error.retryable", is(true)).body("error.message", containsString("LOADING"));
            } finally {
                try (RespClient lift = new RespClient(loading.port())) {
                    lift.call("CONFIG", "SET", "key-load-delay", "0");
                }
                reload.join(Duration.ofMinutes(3).toMillis());
            }
        }
    }

    private static boolean isLoading(RespClient probe) {
        try {
            probe.call("PING");
            return false;
        } catch (RespClient.RedisError e) {
            return e.code().equals("LOADING");
        }
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
