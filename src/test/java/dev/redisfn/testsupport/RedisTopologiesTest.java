package dev.redisfn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Starts the three shared topologies and checks them with nothing but {@link RespClient}. */
class RedisTopologiesTest {

    @Test
    void standaloneAcceptsPasswordAndAclUserAndRejectsWrongPassword() {
        StandaloneRedis redis = RedisTopologies.standalone();
        assertNotEquals(6379, redis.port());
        assertEquals("127.0.0.1", redis.host());
        assertTrue(redis.process().isAlive());

        try (RespClient c = new RespClient(redis.port(), null, StandaloneRedis.PASSWORD)) {
            assertEquals("PONG", c.call("PING"));
            assertEquals("OK", c.call("SET", "std:key", "v1"));
            assertEquals("v1", c.call("GET", "std:key"));
            assertEquals("default", c.call("ACL", "WHOAMI"));
        }
        try (RespClient c = new RespClient(redis.port(), StandaloneRedis.ACL_USER, StandaloneRedis.ACL_PASSWORD)) {
            assertEquals("PONG", c.call("PING"));
            assertEquals("app", c.call("ACL", "WHOAMI"));
        }
        RespClient.RedisError wrong = assertThrows(RespClient.RedisError.class,
                () -> new RespClient(redis.port(), null, "not-the-password").close());
        assertEquals("WRONGPASS", wrong.code(), wrong.getMessage());
        assertThrows(RespClient.RedisError.class,
                () -> new RespClient(redis.port(), StandaloneRedis.ACL_USER, StandaloneRedis.PASSWORD).close());
        try (RespClient c = new RespClient(redis.port())) {
            RespClient.RedisError noAuth = assertThrows(RespClient.RedisError.class, () -> c.call("GET", "std:key"));
            assertEquals("NOAUTH", noAuth.code(), noAuth.getMessage());
        }

        // once per JVM: the second request hands out the same server
        assertEquals(redis.port(), RedisTopologies.standalone().port());
        assertSame(redis.process().record(), RedisTopologies.standalone().process().record());
    }

    @Test
    void sentinelNamesTheMasterAndTheMasterIsMaster() {
        SentinelSet set = RedisTopologies.sentinel();
        List<Integer> sentinels = set.sentinelPorts();
        assertEquals(3, sentinels.size());
        assertEquals("127.0.0.1:" + sentinels.get(0) + ",127.0.0.1:" + sentinels.get(1) + ",127.0.0.1:" + sentinels.get(2),
                set.sentinelNodes());

        for (int port : sentinels) {
            try (RespClient s = new RespClient(port)) { // sentinels have no password
                List<Object> addr = s.callList("SENTINEL", "get-master-addr-by-name", SentinelSet.MASTER_NAME);
                assertEquals(List.of("127.0.0.1", Integer.toString(set.master().port())), addr);
                Map<String, String> master = RespClient.pairs(s.callList("SENTINEL", "master", SentinelSet.MASTER_NAME));
                assertEquals("2", master.get("num-other-sentinels"));
                assertEquals("1", master.get("num-slaves"));
            }
        }
        assertEquals(set.master().port(), set.masterPort());

        try (RespClient m = new RespClient(set.masterPort(), null, SentinelSet.PASSWORD)) {
            assertEquals("master", m.callList("ROLE").get(0));
            assertEquals("OK", m.call("SET", "sentinel:key", "v"));
        }
        try (RespClient r = new RespClient(set.replica().port(), null, SentinelSet.PASSWORD)) {
            assertEquals("slave", r.callList("ROLE").get(0));
            Waits.until("sentinel:key to reach the replica", Waits.DEFAULT, () -> "v".equals(r.call("GET", "sentinel:key")));
        }
        try (RespClient anonymous = new RespClient(set.masterPort())) {
            assertThrows(RespClient.RedisError.class, () -> anonymous.call("GET", "sentinel:key"));
        }
    }

    @Test
    void clusterIsOkAndServesKeysOnTheRightMaster() {
        RedisCluster cluster = RedisTopologies.cluster();
        assertEquals(6, cluster.ports().size());
        assertEquals(3, cluster.masterPorts().size());
        assertTrue(cluster.ports().stream().noneMatch(p -> p == 6379));

        for (int port : cluster.ports()) {
            try (RespClient c = RedisCluster.client(port)) {
                assertEquals("ok", RespClient.infoField(c.callString("CLUSTER", "INFO"), "cluster_state"));
            }
        }

        String key = "cluster:" + UUID.randomUUID();
        int slot = RedisCluster.slot(key);
        try (RespClient any = RedisCluster.client(cluster.masterPorts().get(0))) {
            assertEquals(Long.valueOf(slot), any.call("CLUSTER", "KEYSLOT", key));
        }
        int owner = slot <= 5460 ? cluster.masterPorts().get(0)
                : slot <= 10922 ? cluster.masterPorts().get(1) : cluster.masterPorts().get(2);
        assertEquals(owner, cluster.masterPortForKey(key));
        try (RespClient c = RedisCluster.client(owner)) {
            assertEquals("OK", c.call("SET", key, "value"));
            assertEquals("value", c.call("GET", key));
        }

        // any other master redirects with -MOVED <slot> 127.0.0.1:<owner>
        int other = cluster.masterPorts().stream().filter(p -> p != owner).findFirst().orElseThrow();
        try (RespClient c = RedisCluster.client(other)) {
            RespClient.RedisError moved = assertThrows(RespClient.RedisError.class, () -> c.call("GET", key));
            assertEquals("MOVED " + slot + " 127.0.0.1:" + owner, moved.getMessage());
        }
        // and the owner's replica has it too
        int replica = cluster.replicaPorts().get(cluster.masterPorts().indexOf(owner));
        try (RespClient c = RedisCluster.client(replica)) {
            c.call("READONLY");
            Waits.until(key + " to reach replica " + replica, Waits.DEFAULT, () -> "value".equals(c.call("GET", key)));
        }
    }
}
