package dev.redisfn.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Sentinel-managed Redis: one master and one replica (both {@code requirepass}/{@code masterauth}
 * {@link #PASSWORD}) watched by three sentinels (quorum 2, down-after 1 s, failover-timeout 5 s) that
 * have NO password of their own.
 */
public final class SentinelSet implements AutoCloseable {

    public static final String HOST = RespClient.HOST;
    public static final String MASTER_NAME = "mymaster";
    public static final String PASSWORD = "sentinel-data-pw";
    public static final int QUORUM = 2;

    /** JVM-wide record: master, replica (node records), sentinels (list of node records), closed. */
    private final Map<String, Object> rec;

    SentinelSet(Map<String, Object> rec) {
        this.rec = rec;
    }

    Map<String, Object> record() {
        return rec;
    }

    /** Starts a new, unshared set (most tests want {@link RedisTopologies#sentinel()} instead). */
    public static SentinelSet start() {
        List<RedisProcess> started = new ArrayList<>();
        try {
            int masterPort = Ports.free();
            int replicaPort = Ports.free();
            List<String> data = List.of("requirepass " + PASSWORD, "masterauth " + PASSWORD);
            RedisProcess master = RedisProcess.launch("sentinel-master", masterPort, data, false);
            started.add(master);
            List<String> replicaConf = new ArrayList<>(data);
            replicaConf.add("replicaof " + HOST + " " + masterPort);
            RedisProcess replica = RedisProcess.launch("sentinel-replica", replicaPort, replicaConf, false);
            started.add(replica);
            master.awaitReady();
            replica.awaitReady();
            awaitLinkUp(replica, master);

            // sentinels start after the replica is attached, so their first INFO of the master already lists it
            List<RedisProcess> sentinels = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                int port = Ports.free();
                RedisProcess s = RedisProcess.launch("sentinel-" + i, port, List.of(
                        "sentinel resolve-hostnames no",
                        "sentinel monitor " + MASTER_NAME + " " + HOST + " " + masterPort + " " + QUORUM,
                        "sentinel auth-pass " + MASTER_NAME + " " + PASSWORD,
                        "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                        "sentinel failover-timeout " + MASTER_NAME + " 5000",
                        "sentinel parallel-syncs " + MASTER_NAME + " 1"), true);
                started.add(s);
                sentinels.add(s);
            }
            for (RedisProcess s : sentinels) {
                s.awaitReady();
            }
            Map<String, Object> rec = new ConcurrentHashMap<>();
            rec.put("master", master.record());
            rec.put("replica", replica.record());
            List<Map<String, Object>> srecs = new ArrayList<>();
            for (RedisProcess s : sentinels) {
                srecs.add(s.record());
            }
            rec.put("sentinels", List.copyOf(srecs));
            SentinelSet set = new SentinelSet(rec);
            set.awaitHealthy(masterPort, Waits.DEFAULT);
            return set;
        } catch (RuntimeException | Error e) {
            RedisProcess.stopAllQuietly(started, e);
            throw e;
        }
    }

    private static void awaitLinkUp(RedisProcess replica, RedisProcess master) {
        Waits.until(replica + " to report master_link_status:up (master " + master.address() + ")", Waits.DEFAULT,
                () -> {
                    giveUpIfDead(replica, master);
                    String info = (String) RespClient.once(replica.port(), null, PASSWORD, "INFO", "replication");
                    return "up".equals(RespClient.infoField(info, "master_link_status"));
                }, () -> replica.logTail() + master.logTail());
    }

    private static void giveUpIfDead(RedisProcess... ps) {
        for (RedisProcess p : ps) {
            if (!p.isAlive()) {
                throw new Waits.GiveUp(p + " died\n" + p.logTail());
            }
        }
    }

    /**
     * Waits until every sentinel names {@code expectedMasterPort} as master of {@link #MASTER_NAME} and
     * sees 1 replica and 2 other sentinels, and the data node that is not the master reports its link to it up.
     */
    public void awaitHealthy(int expectedMasterPort, Duration deadline) {
        List<RedisProcess> sentinels = sentinels();
        Waits.until("every sentinel to report master " + HOST + ":" + expectedMasterPort
                        + " with num-slaves=1 and num-other-sentinels=2", deadline, () -> {
                    giveUpIfDead(sentinels.toArray(new RedisProcess[0]));
                    for (RedisProcess s : sentinels) {
                        try (RespClient c = new RespClient(s.port())) {
                            List<Object> addr = c.callList("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
                            if (addr == null || !String.valueOf(expectedMasterPort).equals(addr.get(1))) {
                                return false;
                            }
                            Map<String, String> m = RespClient.pairs(c.callList("SENTINEL", "master", MASTER_NAME));
                            if (!"2".equals(m.get("num-other-sentinels")) || !"1".equals(m.get("num-slaves"))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }, () -> sentinels.stream().map(RedisProcess::logTail).collect(Collectors.joining()));
        RedisProcess master = processOnPort(expectedMasterPort);
        for (RedisProcess p : List.of(master(), replica())) {
            if (!p.equals(master) && p.isAlive()) {
                awaitLinkUp(p, master);
            }
        }
    }

    /**
     * Brings a data node back after {@link RedisProcess#kill()}: restarts it, points it at the current
     * master with REPLICAOF (what the sentinels would do themselves, but only after ~10 s) and waits until
     * the set is healthy again. If the sentinels still name this node as master (no failover happened),
     * it is just restarted as master.
     */
    public void restartAsReplica(RedisProcess node) {
        if (node.isSentinel()) {
            throw new IllegalArgumentException(node + " is a sentinel; use restart()");
        }
        node.restart();
        int master = masterPort();
        if (master != node.port()) {
            try (RespClient c = new RespClient(node.port(), null, PASSWORD)) {
                c.call("REPLICAOF", HOST, Integer.toString(master));
            }
        }
        awaitHealthy(master, Waits.DEFAULT);
    }

    /** Like {@link #awaitHealthy(int, Duration)} for whatever master the sentinels currently name. */
    public void awaitHealthy() {
        awaitHealthy(masterPort(), Waits.DEFAULT);
    }

    public String host() {
        return HOST;
    }

    public List<Integer> sentinelPorts() {
        return sentinels().stream().map(RedisProcess::port).collect(Collectors.toUnmodifiableList());
    }

    /** "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3". */
    public String sentinelNodes() {
        return sentinels().stream().map(RedisProcess::address).collect(Collectors.joining(","));
    }

    /** The master's port as a sentinel reports it now (it changes after a failover). */
    public int masterPort() {
        RuntimeException last = null;
        for (RedisProcess s : sentinels()) {
            if (!s.isAlive()) {
                continue;
            }
            try (RespClient c = new RespClient(s.port())) {
                List<Object> addr = c.callList("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
                if (addr != null) {
                    return Integer.parseInt((String) addr.get(1));
                }
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no sentinel of " + sentinelNodes() + " names a master for " + MASTER_NAME, last);
    }

    /** The process that was started as master (after a failover it may be the replica). */
    public RedisProcess master() {
        return node("master");
    }

    /** The process that was started as replica. */
    public RedisProcess replica() {
        return node("replica");
    }

    /** The process that currently is master according to the sentinels. */
    public RedisProcess currentMaster() {
        return processOnPort(masterPort());
    }

    public List<RedisProcess> sentinels() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> l = (List<Map<String, Object>>) rec.get("sentinels");
        return l.stream().map(RedisProcess::new).collect(Collectors.toUnmodifiableList());
    }

    /** The data node or sentinel listening on {@code port}. */
    public RedisProcess processOnPort(int port) {
        for (RedisProcess p : all()) {
            if (p.port() == port) {
                return p;
            }
        }
        throw new IllegalArgumentException("no process of this sentinel set on port " + port);
    }

    public List<RedisProcess> all() {
        List<RedisProcess> l = new ArrayList<>();
        l.add(master());
        l.add(replica());
        l.addAll(sentinels());
        return l;
    }

    @SuppressWarnings("unchecked")
    private RedisProcess node(String key) {
        return new RedisProcess((Map<String, Object>) rec.get(key));
    }

    boolean isClosed() {
        return Boolean.TRUE.equals(rec.get("closed"));
    }

    /** Stops sentinels first, then the data nodes. */
    @Override
    public void close() {
        rec.put("closed", Boolean.TRUE);
        List<RedisProcess> order = new ArrayList<>(sentinels());
        order.add(replica());
        order.add(master());
        RedisProcess.stopAll(order);
    }

    @Override
    public String toString() {
        return "SentinelSet[" + MASTER_NAME + ", sentinels " + sentinelNodes() + "]";
    }
}
