package dev.redisfn.testsupport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One redis-server with {@code requirepass} {@link #PASSWORD} (the {@code default} user) and an ACL user
 * {@link #ACL_USER} / {@link #ACL_PASSWORD} with all permissions.
 */
public final class StandaloneRedis implements AutoCloseable {

    public static final String HOST = RespClient.HOST;
    public static final String PASSWORD = "std-secret-pw";
    public static final String ACL_USER = "app";
    public static final String ACL_PASSWORD = "app-secret-pw";

    /** JVM-wide record: node (node record), closed. */
    private final Map<String, Object> rec;

    StandaloneRedis(Map<String, Object> rec) {
        this.rec = rec;
    }

    Map<String, Object> record() {
        return rec;
    }

    /** Starts a new, unshared instance (most tests want {@link RedisTopologies#standalone()} instead). */
    public static StandaloneRedis start() {
        int port = Ports.free();
        RedisProcess p = RedisProcess.start("standalone", port, List.of(
                "requirepass " + PASSWORD,
                "user " + ACL_USER + " on >" + ACL_PASSWORD + " ~* &* +@all"));
        try {
            Object pong = RespClient.once(port, null, PASSWORD, "PING");
            if (!"PONG".equals(pong)) {
                throw new IllegalStateException(p + " answered PING with " + pong + "\n" + p.logTail());
            }
        } catch (RuntimeException | Error e) {
            p.stopQuietly(e);
            throw e;
        }
        Map<String, Object> rec = new ConcurrentHashMap<>();
        rec.put("node", p.record());
        return new StandaloneRedis(rec);
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return process().port();
    }

    public RedisProcess process() {
        @SuppressWarnings("unchecked")
        Map<String, Object> node = (Map<String, Object>) rec.get("node");
        return new RedisProcess(node);
    }

    /** A client authenticated as the {@code default} user. */
    public RespClient client() {
        return new RespClient(port(), null, PASSWORD);
    }

    boolean isClosed() {
        return Boolean.TRUE.equals(rec.get("closed"));
    }

    /** Stops the server. If this is the shared instance, {@link RedisTopologies#standalone()} starts a new one next time. */
    @Override
    public void close() {
        rec.put("closed", Boolean.TRUE);
        process().stop();
    }

    @Override
    public String toString() {
        return "StandaloneRedis[" + HOST + ":" + port() + "]";
    }
}
