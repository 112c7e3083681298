package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static dev.redisfn.function.Events.with;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.RedisCluster;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.SentinelSet;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code readFrom}: read-only operations go to a replica (its own command counters prove it),
 * writes to the master, and test-connection reports the replicas it reached.
 */
@QuarkusTest
class ReadFromTest {

    /** How many GETs a node has served. */
    private static long gets(RespClient node) {
        return calls(node, "get");
    }

    /** How many times a node has run a command (INFO commandstats). */
    private static long calls(RespClient node, String command) {
        String stats = node.callString("INFO", "commandstats");
        for (String line : stats.split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                return Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void sentinelReadsGoToTheReplicaAndWritesToTheMaster() {
        SentinelSet sentinel = RedisTopologies.sentinel();
        Map<String, Object> connection = with(Events.sentinel(), "readFrom", "replica");
        execute(connection, "SET", map("key", "rf:sentinel", "value", "v1")).statusCode(200).body("result", is(true));
        try (RespClient replica = new RespClient(sentinel.replica().port(), null, SentinelSet.PASSWORD);
                RespClient master = new RespClient(sentinel.currentMaster().port(), null, SentinelSet.PASSWORD)) {
            Waits.until("the replica to have the write", Duration.ofSeconds(10),
                    () -> "v1".equals(replica.callString("GET", "rf:sentinel")));
            long onReplica = gets(replica);
            long onMaster = gets(master);
            for (int i = 0; i < 5; i++) {
                execute(connection, "GET", map("key", "rf:sentinel")).statusCode(200).body("result", equalTo("v1"));
            }
            assertThat("GETs served by the replica", gets(replica) - onReplica, greaterThan(4L));
            assertThat("no GET reached the master", gets(master) - onMaster, equalTo(0L));
        }
    }

    @Test
    void clusterReadsGoToTheSlotsReplica() {
        RedisCluster cluster = RedisTopologies.cluster();
        Map<String, Object> connection = with(Events.cluster(), "readFrom", "replica");
        String key = "rf:cluster";
        execute(connection, "SET", map("key", key, "value", "v2")).statusCode(200).body("result", is(true));
        int masterPort = cluster.masterPortForKey(key);
        int replicaPort = replicaOf(cluster, masterPort);
        try (RespClient replica = RedisCluster.client(replicaPort); RespClient master = RedisCluster.client(masterPort)) {
            replica.call("READONLY");
            Waits.until("the replica to have the write", Duration.ofSeconds(10),
                    () -> "v2".equals(replica.callString("GET", key)));
            long onReplica = gets(replica);
            long onMaster = gets(master);
            for (int i = 0; i < 5; i++) {
                execute(connection, "GET", map("key", key)).statusCode(200).body("result", equalTo("v2"));
            }
            assertThat(gets(replica) - onReplica, greaterThan(4L));
            assertThat(gets(master) - onMaster, equalTo(0L));
        }
    }

    @Test
    void aClusterBatchThatWritesKeepsEvenItsSplitReadsOnTheMasters() {
        RedisCluster cluster = RedisTopologies.cluster();
        Map<String, Object> connection = with(Events.cluster(), "readFrom", "replica");
        List<String> keys = List.of("rf:batch:a", "rf:batch:b");
        assertThat(RedisCluster.slot(keys.get(0)) != RedisCluster.slot(keys.get(1)), is(true));
        Map<String, Object> read = map("operation", "MGET", "params", map("keys", keys));
        long before = mgetsOnReplicas(cluster);
        Events.post("/execute", map("connection", connection, "batch", List.of(
                map("operation", "SET", "params", map("key", keys.get(0), "value", "written")), read)))
                .statusCode(200).body("results[1].result", equalTo(java.util.Arrays.asList("written", null)));
        assertThat("a batch that writes reads its writes on the masters", mgetsOnReplicas(cluster) - before, equalTo(0L));
        Events.post("/execute", map("connection", connection, "batch", List.of(read))).statusCode(200)
                .body("results[0].ok", is(true)).body("results[0].result", equalTo(java.util.Arrays.asList("written", null)));
        assertThat("a batch that only reads goes to the replicas", mgetsOnReplicas(cluster) - before, greaterThan(0L));
    }

    /** MGETs served by the nodes that are replicas now (a failover test may have swapped roles). */
    private static long mgetsOnReplicas(RedisCluster cluster) {
        long calls = 0;
        for (int port : cluster.ports()) {
            try (RespClient node = RedisCluster.client(port)) {
                if ("slave".equals(RespClient.infoField(node.callString("INFO", "replication"), "role"))) {
                    calls += calls(node, "mget");
                }
            }
        }
        return calls;
    }

    @Test
    void testConnectionReportsTheReplicasItReached() {
        List<String> kinds = Events.post("/test-connection", map("connection", with(Events.sentinel(), "readFrom",
                "replica"))).statusCode(200).body("ok", is(true)).extract().path("nodes.kind");
        assertThat(kinds, hasItem("replica"));
        List<Boolean> reachable = Events.post("/test-connection", map("connection", with(Events.cluster(), "readFrom",
                "preferReplica"))).statusCode(200).body("ok", is(true)).extract().path("nodes.findAll { it.kind == 'replica' }.reachable");
        assertThat(reachable.size(), equalTo(3));
        assertThat(reachable, hasItem(true));
    }

    @Test
    void aStandaloneConfigCannotReadFromReplicasAndTheUriCarriesReadFrom() {
        execute(with(Events.standalone(), "readFrom", "replica"), "GET", map("key", "k")).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION")).body("error.message", containsString("readFrom"));
        execute(with(Events.sentinel(), "readFrom", "sometimes"), "GET", map("key", "k")).statusCode(400)
                .body("error.message", containsString("readFrom"));
        SentinelSet sentinel = RedisTopologies.sentinel();
        String uri = "redis-sentinel://:" + SentinelSet.PASSWORD + "@" + sentinel.sentinelNodes() + "/"
                + SentinelSet.MASTER_NAME + "?readFrom=preferReplica";
        execute(map("uri", uri), "SET", map("key", "rf:uri", "value", "u")).statusCode(200).body("result", is(true));
        execute(map("uri", uri), "PING", map()).statusCode(200).body("result", equalTo("PONG"));
    }

    /** A master name no sentinel monitors is the caller's mistake, whatever readFrom says: not retryable, hint masterName. */
    @Test
    void aMasterNameNoSentinelMonitorsIsNotAMissingReplica() {
        for (String readFrom : List.of("replica", "preferReplica", "master")) {
            execute(with(Events.sentinel(), "masterName", "no-such-master", "readFrom", readFrom), "GET", map("key", "k"))
                    .statusCode(502).body("error.code", equalTo("CONNECTION_FAILED")).body("error.retryable", is(false))
                    .body("error.hint", org.hamcrest.Matchers.startsWith("masterName: no sentinel knows"));
        }
    }

    static int replicaOf(RedisCluster cluster, int masterPort) {
        try (RespClient master = RedisCluster.client(masterPort)) {
            String myId = master.callString("CLUSTER", "MYID");
            for (int port : cluster.replicaPorts()) {
                try (RespClient node = RedisCluster.client(port)) {
                    String info = node.callString("INFO", "replication");
                    if (info.contains("master_port:" + masterPort) && !myId.isEmpty()) {
                        return port;
                    }
                }
            }
        }
        throw new IllegalStateException("no replica of " + masterPort);
    }
}
