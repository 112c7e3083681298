package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.PrivateClusterTest;
import dev.redisfn.testsupport.RedisCluster;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A cluster that does not require full coverage stays {@code cluster_state:ok} with slots nobody
 * serves, and the keys in them fail: test-connection says so instead of calling it correct. On a
 * cluster of its own, one of whose masters gives up slots.
 */
@QuarkusTest
class ClusterCoverageVerdictTest extends PrivateClusterTest {

    @Test
    void slotsNobodyServesAreAWarning() {
        Map<String, Object> connection = map("mode", "cluster", "nodes", List.of(cluster.nodes().split(",")),
                "password", RedisCluster.PASSWORD);
        Events.post("/test-connection", map("connection", connection)).statusCode(200)
                .body("ok", is(true)).body("warnings", nullValue());

        int owner = cluster.masterPortForSlot(16383);
        for (int port : cluster.ports()) {
            try (RespClient node = RedisCluster.client(port)) {
                node.call("CONFIG", "SET", "cluster-require-full-coverage", "no");
            }
        }
        try (RespClient node = RedisCluster.client(owner)) {
            List<String> delslots = new ArrayList<>(List.of("CLUSTER", "DELSLOTS"));
            for (int slot = 16000; slot < 16384; slot++) {
                delslots.add(Integer.toString(slot));
            }
            node.call(delslots.toArray(String[]::new));
            Waits.until("the master to serve 384 slots fewer", Duration.ofSeconds(10),
                    () -> "16000".equals(RespClient.infoField(node.callString("CLUSTER", "INFO"), "cluster_slots_ok")));
        }
        Events.post("/test-connection", map("connection", connection)).statusCode(200)
                .body("ok", is(true)).body("warnings", hasItem(allOf(startsWith("nodes: "),
                        containsString("16000 of 16384"), containsString("CLUSTERDOWN"))));
    }
}
