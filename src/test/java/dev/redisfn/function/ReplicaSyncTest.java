package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static dev.redisfn.function.Events.with;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
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
 * A replica out of sync with its master serves what it has — old data while its link is down,
 * nothing while its first sync runs — and the sentinels and the cluster learn of it only seconds
 * later: reads ({@code readFrom}) skip it by its own ROLE, and come back once it is in sync again.
 * The replica's link is broken by making it log in to its master as a user that does not exist
 * ({@code masteruser}), which neither the sentinels nor the cluster act on; every test mends it.
 */
@QuarkusTest
class ReplicaSyncTest {

    private static final Duration NOTICED = Duration.ofSeconds(15);

    @Test
    void sentinelReadsSkipAReplicaWhoseLinkIsDownAndComeBackOnceItSyncs() {
        SentinelSet sentinel = RedisTopologies.sentinel();
        Map<String, Object> replicaOnly = with(Events.sentinel(), "readFrom", "replica", "clientName", "sync-replica");
        Map<String, Object> prefer = with(Events.sentinel(), "readFrom", "preferReplica", "clientName", "sync-prefer");
        String key = "sync:sentinel";
        execute(Events.sentinel(), "SET", map("key", key, "value", "old")).statusCode(200);
        try (RespClient replica = new RespClient(sentinel.replica().port(), null, SentinelSet.PASSWORD)) {
            Waits.until("the replica to have the write", NOTICED, () -> "old".equals(replica.callString("GET", key)));
            execute(replicaOnly, "GET", map("key", key)).statusCode(200).body("result", equalTo("old"));
            execute(prefer, "GET", map("key", key)).statusCode(200).body("result", equalTo("old"));
            breakLink(replica);
            try {
                Waits.until("reads to leave the replica out of sync", NOTICED,
                        () -> execute(replicaOnly, "GET", map("key", key)).extract().statusCode() == 502);
                execute(replicaOnly, "GET", map("key", key)).statusCode(502).body("error.code", equalTo("CONNECTION_FAILED"))
                        .body("error.message", containsString("none in sync")).body("error.retryable", is(true));
                execute(Events.sentinel(), "SET", map("key", key, "value", "new")).statusCode(200);
                assertThat("the replica still serves the old value", replica.callString("GET", key), equalTo("old"));
                Waits.until("preferReplica to read on the master", NOTICED,
                        () -> "new".equals(execute(prefer, "GET", map("key", key)).extract().path("result")));
                List<String> errors = Events.post("/test-connection", map("connection", replicaOnly)).statusCode(200)
                        .body("ok", is(false)).body("message", containsString("no replica serves reads"))
                        .extract().path("nodes.findAll { it.kind == 'replica' }.error");
                assertThat(errors, hasItem(containsString("not in sync with its master (ROLE state connect")));
            } finally {
                mendLink(replica);
            }
        }
        Waits.until("reads to come back to the replica once it is in sync", NOTICED,
                () -> "new".equals(execute(replicaOnly, "GET", map("key", key)).extract().path("result")));
    }

    @Test
    void clusterReadsSkipAReplicaWhoseLinkIsDown() {
        RedisCluster cluster = RedisTopologies.cluster();
        Map<String, Object> replicaOnly = with(Events.cluster(), "readFrom", "replica", "clientName", "sync-cluster");
        String key = "sync:cluster";
        execute(Events.cluster(), "SET", map("key", key, "value", "old")).statusCode(200);
        int replicaPort = ReadFromTest.replicaOf(cluster, cluster.masterPortForKey(key));
        try (RespClient replica = RedisCluster.client(replicaPort)) {
            replica.call("READONLY");
            Waits.until("the replica to have the write", NOTICED, () -> "old".equals(replica.callString("GET", key)));
            execute(replicaOnly, "GET", map("key", key)).statusCode(200).body("result", equalTo("old"));
            breakLink(replica);
            try {
                execute(Events.cluster(), "SET", map("key", key, "value", "new")).statusCode(200);
                // the map, and the replicas' state with it, is read again every 5 s while reads go to replicas
                Waits.until("reads to leave the replica out of sync", NOTICED,
                        () -> execute(replicaOnly, "GET", map("key", key)).extract().statusCode() == 502);
                execute(replicaOnly, "GET", map("key", key)).statusCode(502)
                        .body("error.message", containsString("none is in sync"));
                assertThat("the replica still serves the old value", replica.callString("GET", key), equalTo("old"));
            } finally {
                mendLink(replica);
            }
        }
        Waits.until("reads to come back to the replica once it is in sync", NOTICED,
                () -> "new".equals(execute(replicaOnly, "GET", map("key", key)).extract().path("result")));
    }

    /** The replica logs in to its master as a user that does not exist, and its link is cut: it retries in vain. */
    private static void breakLink(RespClient replica) {
        replica.call("CONFIG", "SET", "masteruser", "no-such-replication-user");
        replica.call("CLIENT", "KILL", "TYPE", "master");
        Waits.until("the replica's link to be down", NOTICED, () -> !"connected".equals(linkState(replica)));
    }

    private static void mendLink(RespClient replica) {
        replica.call("CONFIG", "SET", "masteruser", "");
        Waits.until("the replica to be in sync again", NOTICED, () -> "connected".equals(linkState(replica)));
    }

    private static String linkState(RespClient replica) {
        return String.valueOf(((List<?>) replica.call("ROLE")).get(3));
    }
}
