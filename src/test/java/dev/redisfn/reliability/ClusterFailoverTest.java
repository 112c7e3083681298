package dev.redisfn.reliability;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.PrivateClusterTest;
import dev.redisfn.testsupport.RedisCluster;
import dev.redisfn.testsupport.RedisProcess;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** A cluster that changes under the connector: a master killed and replaced, a slot moved during traffic. */
@QuarkusTest
class ClusterFailoverTest extends PrivateClusterTest {

    private static Map<String, Object> connection(String clientName) {
        return map("mode", "cluster", "nodes", List.of(cluster.nodes().split(",")), "password", RedisCluster.PASSWORD,
                "connectTimeoutMs", 1000, "commandTimeoutMs", 2000, "clientName", clientName);
    }

    @Test
    void afterAMasterIsKilledAndItsReplicaPromotedKeysOfEverySlotRangeAreServed() {
        Map<String, Object> connection = connection("cluster-failover");
        Map<Integer, List<String>> keysByMaster = keysByMaster("failover", 3);
        RedisProcess victim = cluster.process(cluster.masterPorts().get(0));
        int replicaPort = cluster.replicaPorts().get(0);
        assertThat("keys of the master to kill", keysByMaster.get(victim.port()), hasSize(3));
        for (List<String> keys : keysByMaster.values()) {
            for (String key : keys) {
                execute(connection, "SET", map("key", key, "value", "before-" + key)).statusCode(200).body("result", is(true));
            }
        }
        // the victim's keys must have reached its replica before the crash
        try (RespClient replica = RedisCluster.client(replicaPort)) {
            replica.call("READONLY");
            Waits.until("replica " + replicaPort + " to hold the victim's keys", Duration.ofSeconds(10),
                    () -> keysByMaster.get(victim.port()).stream()
                            .allMatch(key -> ("before-" + key).equals(replica.callString("GET", key))));
        }

        try {
            victim.kill();
            List<String> untyped = new ArrayList<>();
            String victimKey = keysByMaster.get(victim.port()).get(0);
            Waits.until("replica " + replicaPort + " to be promoted and the cluster to report ok", Duration.ofSeconds(30), () -> {
                // calls during the failover: failures are allowed, but only typed, retryable ones
                ExtractableResponse<Response> during = execute(connection, "GET", map("key", victimKey)).extract();
                if (during.statusCode() != 200 && !(during.statusCode() == 502 || during.statusCode() == 504)
                        || during.statusCode() != 200 && !Boolean.TRUE.equals(during.path("error.retryable"))) {
                    untyped.add(during.statusCode() + " " + during.asString());
                }
                // a refused connection to the dead master names it, with the slot, and what the cluster does next
                String message = during.statusCode() == 502 ? during.path("error.message") : null;
                if (message != null && message.contains("refused") && !(message.contains("hash slot")
                        && message.contains(String.valueOf(victim.port())))) {
                    untyped.add("unnamed: " + during.asString());
                }
                return clusterOk(replicaPort) && cluster.masterPortForKey(victimKey) == replicaPort;
            });
            assertThat("answers during the failover that are not 502/504 retryable", untyped, empty());

            // every call after the cluster is ok again must succeed, in every slot range
            List<String> failures = new ArrayList<>();
            for (List<String> keys : keysByMaster.values()) {
                for (String key : keys) {
                    check(failures, execute(connection, "GET", map("key", key)).extract(), "before-" + key);
                    check(failures, execute(connection, "SET", map("key", key, "value", "after-" + key)).extract(), true);
                    check(failures, execute(connection, "GET", map("key", key)).extract(), "after-" + key);
                }
            }
            System.out.printf(Locale.ROOT, "cluster failover: master %d killed, replica %d promoted; %d calls after, %d failed%n",
                    victim.port(), replicaPort, 9 * 3, failures.size());
            assertThat("failed calls after the failover", failures, empty());
        } finally {
            // leave the private cluster whole again: the old master comes back as a replica
            victim.restart();
            cluster.awaitHealthy(Duration.ofSeconds(30));
        }
    }

    /**
     * A master that hangs (SIGSTOP: no answer, no closed connection) while its replica is elected: the
     * calls that time out make the connector read the slot map again, from the other nodes first.
     */
    @Test
    void whileAMasterHangsItsReplicaIsFoundOnceElected() {
        Map<String, Object> connection = connection("cluster-hung");
        String key = "hung-master-key";
        execute(connection, "SET", map("key", key, "value", "before")).statusCode(200);
        RedisProcess hung = cluster.process(cluster.masterPortForKey(key));
        hung.pause();
        try {
            // the first call waits in vain, and its error names the node it waited for
            execute(connection, "SET", map("key", key, "value", "during")).statusCode(504)
                    .body("error.message", startsWith("no answer from the master of hash slot " + RedisCluster.slot(key)
                            + " (" + RedisCluster.HOST + ":" + hung.port() + ") within 2000 ms"));
            Waits.until("a write to the hung master's slot to succeed", Duration.ofSeconds(40),
                    () -> execute(connection, "SET", map("key", key, "value", "after")).extract().statusCode() == 200);
            List<Integer> holders = new ArrayList<>();
            for (RedisProcess node : cluster.processes()) {
                if (node != hung) {
                    try (RespClient c = RedisCluster.client(node.port())) {
                        if ("after".equals(c.callString("GET", key))) {
                            holders.add(node.port());
                        }
                    } catch (RuntimeException movedOrReplica) {
                        // MOVED from the nodes that do not own the slot
                    }
                }
            }
            assertThat("the node that serves the slot now holds the write", holders, hasSize(1));
        } finally {
            // the old master rejoins as a replica of the one elected in its place
            hung.resume();
            cluster.awaitHealthy(Duration.ofSeconds(30));
        }
    }

    @Test
    void movingASlotDuringTrafficCostsNoFailedCallBecauseMovedAndAskAreFollowed() throws Exception {
        Map<String, Object> connection = connection("cluster-migration");
        String key = "migrating-key";
        int slot = RedisCluster.slot(key);
        int source = cluster.masterPortForSlot(slot);
        int target = currentMasters().stream().filter(port -> port != source).findFirst().orElseThrow();
        String sourceId;
        String targetId;
        try (RespClient s = RedisCluster.client(source); RespClient t = RedisCluster.client(target)) {
            sourceId = s.callString("CLUSTER", "MYID");
            targetId = t.callString("CLUSTER", "MYID");
        }

        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<String> lastWritten = new AtomicReference<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread traffic = new Thread(() -> {
            for (int i = 0; running.get(); i++) {
                String value = "v" + i;
                check(failures, execute(connection, "SET", map("key", key, "value", value)).extract(), true);
                lastWritten.set(value);
                check(failures, execute(connection, "GET", map("key", key)).extract(), value);
                calls.addAndGet(2);
            }
        }, "cluster-migration-traffic");
        traffic.start();
        try {
            awaitMoreCalls(calls, "before the migration");
            try (RespClient s = RedisCluster.client(source); RespClient t = RedisCluster.client(target)) {
                t.call("CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", sourceId);
                s.call("CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", targetId);
                awaitMoreCalls(calls, "with the slot MIGRATING and the key still on the source");
                moveKeys(s, slot, target);
                awaitMoreCalls(calls, "with the key on the target and the slot still MIGRATING (ASK)");
                t.call("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId);
                s.call("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId);
                for (int other : currentMasters()) {
                    if (other != source && other != target) {
                        try (RespClient o = RedisCluster.client(other)) {
                            o.call("CLUSTER", "SETSLOT", Integer.toString(slot), "NODE", targetId);
                        }
                    }
                }
                awaitMoreCalls(calls, "after the slot moved (MOVED)");
            }
        } finally {
            running.set(false);
            traffic.join(10_000);
        }

        System.out.printf(Locale.ROOT, "cluster slot migration: slot %d moved %d -> %d under %d calls, %d failed%n",
                slot, source, target, calls.get(), failures.size());
        assertThat("failed calls while slot " + slot + " moved (first 5)", failures.subList(0, Math.min(5, failures.size())),
                empty());
        assertThat(cluster.masterPortForSlot(slot), equalTo(target));
        try (RespClient s = RedisCluster.client(source); RespClient t = RedisCluster.client(target)) {
            assertThat(s.call("CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot)), equalTo(0L));
            assertThat(t.callString("GET", key), equalTo(lastWritten.get()));
        }
        execute(connection, "GET", map("key", key)).statusCode(200).body("result", equalTo(lastWritten.get()));
    }

    /** MIGRATE every key of the slot from the source to the target, authenticating as the default user. */
    private static void moveKeys(RespClient source, int slot, int target) {
        while (true) {
            List<Object> keys = source.callList("CLUSTER", "GETKEYSINSLOT", Integer.toString(slot), "100");
            if (keys.isEmpty()) {
                return;
            }
            List<String> command = new ArrayList<>(List.of("MIGRATE", RedisCluster.HOST, Integer.toString(target), "", "0",
                    "5000", "AUTH2", "default", RedisCluster.PASSWORD, "KEYS"));
            keys.forEach(k -> command.add((String) k));
            Object reply = source.call(command.toArray(new String[0]));
            assertThat("MIGRATE " + keys, reply, not(equalTo(null)));
        }
    }

    private static void awaitMoreCalls(AtomicInteger calls, String phase) {
        int from = calls.get();
        Waits.until("20 more calls " + phase, Duration.ofSeconds(20), () -> calls.get() >= from + 20);
    }

    private static void check(List<String> failures, ExtractableResponse<Response> response, Object expected) {
        if (response.statusCode() != 200 || !expected.equals(response.path("result"))) {
            failures.add(response.statusCode() + " " + response.asString() + " (expected " + expected + ")");
        }
    }

    /** {@code count} keys per current master, keyed by the master's port. */
    private static Map<Integer, List<String>> keysByMaster(String prefix, int count) {
        Map<Integer, List<String>> keys = new LinkedHashMap<>();
        for (int master : currentMasters()) {
            keys.put(master, new ArrayList<>());
        }
        for (int i = 0; keys.values().stream().anyMatch(list -> list.size() < count); i++) {
            String key = prefix + ":" + i;
            List<String> list = keys.get(cluster.masterPortForKey(key));
            if (list.size() < count) {
                list.add(key);
            }
        }
        return keys;
    }

    /** Ports of the nodes that serve slots now, per CLUSTER SLOTS. */
    private static Set<Integer> currentMasters() {
        Set<Integer> masters = new TreeSet<>();
        for (int slot : new int[] {0, 5461, 10923}) {
            masters.add(cluster.masterPortForSlot(slot));
        }
        assertThat("masters serving the three slot ranges", masters.size(), greaterThanOrEqualTo(3));
        return masters;
    }

    private static boolean clusterOk(int port) {
        try (RespClient c = RedisCluster.client(port)) {
            return "ok".equals(RespClient.infoField(c.callString("CLUSTER", "INFO"), "cluster_state"));
        }
    }
}
