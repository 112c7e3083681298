package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.PrivateClusterTest;
import dev.redisfn.testsupport.RedisCluster;

import io.quarkus.test.junit.QuarkusTest;

/**
 * test-connection with {@code readFrom} in cluster mode checks every master's slots: one replica
 * answering for another master's slots is not enough. On a cluster of its own, one of whose
 * replicas it stops.
 */
@QuarkusTest
class ReadFromVerdictTest extends PrivateClusterTest {

    private static Map<String, Object> connection(String readFrom) {
        return map("mode", "cluster", "nodes", List.of(cluster.nodes().split(",")), "password", RedisCluster.PASSWORD,
                "connectTimeoutMs", 1000, "readFrom", readFrom);
    }

    @Test
    void aMasterWhoseReplicaIsDownFailsReadFromReplicaAndWarnsPreferReplica() {
        Events.post("/test-connection", map("connection", connection("replica"))).statusCode(200)
                .body("ok", is(true)).body("warnings", nullValue());

        // replica 1 replicates master 1, which serves slots 5461-10922; the other two replicas still answer
        cluster.process(cluster.replicaPorts().get(1)).stop();
        String master = RedisCluster.HOST + ":" + cluster.masterPorts().get(1);

        Events.post("/test-connection", map("connection", connection("replica"))).statusCode(200)
                .body("ok", is(false)).body("code", equalTo("CONNECTION_FAILED"))
                .body("message", allOf(containsString(master), containsString("5461-10922")))
                .body("hint", allOf(startsWith("readFrom: "), containsString("preferReplica")));
        Events.post("/test-connection", map("connection", connection("preferReplica"))).statusCode(200)
                .body("ok", is(true)).body("warnings", hasSize(1))
                .body("warnings", hasItem(allOf(startsWith("readFrom: "), containsString(master),
                        containsString("5461-10922"), containsString("master"))));
        Events.post("/test-connection", map("connection", connection("master"))).statusCode(200)
                .body("ok", is(true)).body("warnings", nullValue());
    }
}
