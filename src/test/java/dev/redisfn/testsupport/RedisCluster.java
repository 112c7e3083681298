package dev.redisfn.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A six-node Redis Cluster (three masters with slots 0-5460, 5461-10922, 10923-16383, one replica
 * each), {@code requirepass}/{@code masterauth} {@link #PASSWORD}, node timeout 2 s. Formed through
 * {@link RespClient} only (no redis-cli).
 */
public final class RedisCluster implements AutoCloseable {

    public static final String HOST = RespClient.HOST;
    public static final String PASSWORD = "cluster-secret-pw";
    public static final int SLOTS = 16384;
    public static final int NODE_TIMEOUT_MS = 2000;
    private static final int[][] RANGES = {{0, 5460}, {5461, 10922}, {10923, 16383}};

    /** JVM-wide record: nodes (six node records: masters 0-2, replicas 3-5, replica i+3 of master i), closed. */
    private final Map<String, Object> rec;

    RedisCluster(Map<String, Object> rec) {
        this.rec = rec;
    }

    Map<String, Object> record() {
        return rec;
    }

    /** Starts and forms a new, unshared cluster (most tests want {@link RedisTopologies#cluster()} instead). */
    public static RedisCluster start() {
        List<RedisProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                int port = Ports.freeWithBus();
                started.add(RedisProcess.launch((i < 3 ? "cluster-master-" : "cluster-replica-") + (i % 3 + 1), port, List.of(
                        "cluster-enabled yes",
                        "cluster-config-file nodes.conf",
                        "cluster-node-timeout " + NODE_TIMEOUT_MS,
                        "requirepass " + PASSWORD,
                        "masterauth " + PASSWORD,
                        "cluster-require-full-coverage yes",
                        "cluster-allow-replica-migration no",
                        // a replica appears in CLUSTER SLOTS once its offset is not 0: the master's pings move it
                        "repl-ping-replica-period 1"), false));
            }
            for (RedisProcess p : started) {
                p.awaitReady();
            }
            Map<String, Object> rec = new ConcurrentHashMap<>();
            List<Map<String, Object>> recs = new ArrayList<>();
            for (RedisProcess p : started) {
                recs.add(p.record());
            }
            rec.put("nodes", List.copyOf(recs));
            RedisCluster cluster = new RedisCluster(rec);
            cluster.form();
            return cluster;
        } catch (RuntimeException | Error e) {
            RedisProcess.stopAllQuietly(started, e);
            throw e;
        }
    }

    private void form() {
        List<RedisProcess> nodes = processes();
        List<RedisProcess> masters = nodes.subList(0, 3);
        List<RedisProcess> replicas = nodes.subList(3, 6);
        String[] masterIds = new String[3];
        for (int i = 0; i < 3; i++) {
            try (RespClient c = client(masters.get(i).port())) {
                // distinct epochs up front, as redis-cli does, instead of relying on collision resolution
                c.call("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
                c.call("CLUSTER", "ADDSLOTSRANGE", Integer.toString(RANGES[i][0]), Integer.toString(RANGES[i][1]));
                masterIds[i] = c.callString("CLUSTER", "MYID");
            }
        }
        RedisProcess first = nodes.get(0);
        for (RedisProcess n : nodes.subList(1, 6)) {
            try (RespClient c = client(n.port())) {
                c.call("CLUSTER", "MEET", HOST, Integer.toString(first.port()), Integer.toString(first.port() + 10000));
            }
        }
        Waits.until("every cluster node to list 6 nodes in CLUSTER NODES", Waits.DEFAULT, () -> {
            for (RedisProcess n : nodes) {
                giveUpIfDead(n);
                if (knownNodes(clusterNodes(n.port())) != 6) {
                    return false;
                }
            }
            return true;
        }, this::logTails);
        for (int i = 0; i < 3; i++) {
            RedisProcess r = replicas.get(i);
            String id = masterIds[i];
            Waits.until(r + " to accept CLUSTER REPLICATE " + id, Waits.DEFAULT, () -> {
                giveUpIfDead(r);
                try (RespClient c = client(r.port())) {
                    return "OK".equals(c.call("CLUSTER", "REPLICATE", id));
                }
            }, r::logTail);
        }
        Waits.until("every node of the cluster to see the three replicas as slaves", Waits.DEFAULT, () -> {
            for (RedisProcess n : nodes) {
                giveUpIfDead(n);
                String view = clusterNodes(n.port());
                for (RedisProcess r : replicas) {
                    if (!flagsOf(view, r.port()).contains("slave")) {
                        return false;
                    }
                }
            }
            return true;
        }, this::logTails);
        awaitHealthy(Waits.DEFAULT);
    }

    /**
     * Waits until every node reports cluster_state:ok and lists 6 nodes of which 3 masters and 3
     * replicas, none flagged fail/pfail/handshake, every replica's link to its master is up, and
     * CLUSTER SLOTS lists a replica for every range. Use after a failover and restart.
     */
    public void awaitHealthy(Duration deadline) {
        List<RedisProcess> nodes = processes();
        Waits.until("cluster " + nodes() + ": every node to report cluster_state:ok, 3 masters + 3 replicas,"
                + " no failing node, and every replica master_link_status:up", deadline, () -> {
                    for (RedisProcess n : nodes) {
                        giveUpIfDead(n);
                        try (RespClient c = client(n.port())) {
                            String info = c.callString("CLUSTER", "INFO");
                            if (!"ok".equals(RespClient.infoField(info, "cluster_state"))) {
                                return false;
                            }
                            String view = c.callString("CLUSTER", "NODES");
                            int masters = 0;
                            int slaves = 0;
                            for (String line : view.split("\n")) {
                                String[] f = line.trim().split(" ");
                                if (f.length < 3) {
                                    continue;
                                }
                                String flags = f[2];
                                if (flags.contains("fail") || flags.contains("handshake") || flags.contains("noaddr")) {
                                    return false;
                                }
                                if (flags.contains("master")) {
                                    masters++;
                                } else if (flags.contains("slave")) {
                                    slaves++;
                                }
                            }
                            if (masters != 3 || slaves != 3) {
                                return false;
                            }
                            String repl = c.callString("INFO", "replication");
                            if ("slave".equals(RespClient.infoField(repl, "role"))
                                    && !"up".equals(RespClient.infoField(repl, "master_link_status"))) {
                                return false;
                            }
                            for (Object range : (List<?>) c.call("CLUSTER", "SLOTS")) {
                                if (((List<?>) range).size() < 4) {
                                    return false;
                                }
                            }
                        }
                    }
                    return true;
                }, this::logTails);
    }

    public void awaitHealthy() {
        awaitHealthy(Waits.DEFAULT);
    }

    private static void giveUpIfDead(RedisProcess p) {
        if (!p.isAlive()) {
            throw new Waits.GiveUp(p + " died\n" + p.logTail());
        }
    }

    /** A client authenticated with {@link #PASSWORD} to the node on {@code port}. */
    public static RespClient client(int port) {
        return new RespClient(port, null, PASSWORD);
    }

    private static String clusterNodes(int port) {
        try (RespClient c = client(port)) {
            return c.callString("CLUSTER", "NODES");
        }
    }

    /** Nodes in a CLUSTER NODES text, not counting ones still in handshake. */
    private static int knownNodes(String view) {
        int n = 0;
        for (String line : view.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length >= 3 && !f[2].contains("handshake")) {
                n++;
            }
        }
        return n;
    }

    /** The flags field of the node listening on {@code port} in a CLUSTER NODES text, or "". */
    private static String flagsOf(String view, int port) {
        String addr = HOST + ":" + port + "@";
        for (String line : view.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length >= 3 && f[1].startsWith(addr)) {
                return f[2];
            }
        }
        return "";
    }

    private String logTails() {
        return processes().stream().map(RedisProcess::logTail).collect(Collectors.joining());
    }

    public String host() {
        return HOST;
    }

    /** All six ports: masters then replicas, as started. */
    public List<Integer> ports() {
        return processes().stream().map(RedisProcess::port).collect(Collectors.toUnmodifiableList());
    }

    /** The ports started as masters (after a failover a replica may have taken over). */
    public List<Integer> masterPorts() {
        return ports().subList(0, 3);
    }

    /** The ports started as replicas; replica i replicates master i. */
    public List<Integer> replicaPorts() {
        return ports().subList(3, 6);
    }

    /** The three masters as seeds: "127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3". */
    public String nodes() {
        return masterPorts().stream().map(p -> HOST + ":" + p).collect(Collectors.joining(","));
    }

    public RedisProcess process(int port) {
        for (RedisProcess p : processes()) {
            if (p.port() == port) {
                return p;
            }
        }
        throw new IllegalArgumentException("no node of this cluster on port " + port);
    }

    public List<RedisProcess> processes() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> l = (List<Map<String, Object>>) rec.get("nodes");
        return l.stream().map(RedisProcess::new).collect(Collectors.toUnmodifiableList());
    }

    /** Hash slot of {@code key} (CRC16/XMODEM mod 16384, honouring {@code {hash tags}}). */
    public static int slot(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int start = -1;
        for (int i = 0; i < k.length; i++) {
            if (k[i] == '{') {
                start = i;
                break;
            }
        }
        int from = 0;
        int to = k.length;
        if (start >= 0) {
            for (int j = start + 1; j < k.length; j++) {
                if (k[j] == '}') {
                    if (j > start + 1) {
                        from = start + 1;
                        to = j;
                    }
                    break;
                }
            }
        }
        return crc16(k, from, to) & (SLOTS - 1);
    }

    static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (b[i] & 0xff) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xffff;
            }
        }
        return crc;
    }

    /** Port of the node currently serving {@code slot} as master, per CLUSTER SLOTS of a live node. */
    public int masterPortForSlot(int slot) {
        RuntimeException last = null;
        for (RedisProcess n : processes()) {
            if (!n.isAlive()) {
                continue;
            }
            try (RespClient c = client(n.port())) {
                for (Object o : c.callList("CLUSTER", "SLOTS")) {
                    List<?> range = (List<?>) o;
                    if ((Long) range.get(0) <= slot && slot <= (Long) range.get(1)) {
                        return ((Long) ((List<?>) range.get(2)).get(1)).intValue();
                    }
                }
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no live node of " + nodes() + " knows a master for slot " + slot, last);
    }

    /** Port of the master currently serving {@code key}. */
    public int masterPortForKey(String key) {
        return masterPortForSlot(slot(key));
    }

    boolean isClosed() {
        return Boolean.TRUE.equals(rec.get("closed"));
    }

    @Override
    public void close() {
        rec.put("closed", Boolean.TRUE);
        RedisProcess.stopAll(processes());
    }

    @Override
    public String toString() {
        return "RedisCluster[" + nodes() + "]";
    }
}
