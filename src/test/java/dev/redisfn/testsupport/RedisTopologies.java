package dev.redisfn.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The shared Redis topologies of a test run: each is started on first request and then reused by
 * every test in this JVM — also by {@code @QuarkusTest}s, whose class loaders get their own copies of
 * these classes (the state is JVM-wide, see {@link Shared}). Everything is stopped by
 * {@link #stopAll()}, which runs when the JUnit launcher session closes
 * ({@link RedisTopologiesSessionListener}) and, as a fallback, from a JVM shutdown hook.
 *
 * <p>If a test {@code close()}s a shared topology, the next request starts a fresh one. A test that
 * kills a node must bring it back itself ({@link RedisProcess#restart()},
 * {@link SentinelSet#restartAsReplica(RedisProcess)}, then {@code awaitHealthy()}) so later tests find
 * the topology healthy.
 */
public final class RedisTopologies {

    private RedisTopologies() {
    }

    public static StandaloneRedis standalone() {
        return shared("standalone", StandaloneRedis::start, StandaloneRedis::record, StandaloneRedis::new,
                StandaloneRedis::isClosed, s -> "port " + s.port());
    }

    public static SentinelSet sentinel() {
        return shared("sentinel", SentinelSet::start, SentinelSet::record, SentinelSet::new, SentinelSet::isClosed,
                s -> "master " + s.master().port() + ", replica " + s.replica().port() + ", sentinels " + s.sentinelPorts());
    }

    public static RedisCluster cluster() {
        return shared("cluster", RedisCluster::start, RedisCluster::record, RedisCluster::new, RedisCluster::isClosed,
                c -> "masters " + c.masterPorts() + ", replicas " + c.replicaPorts());
    }

    private static <T> T shared(String key, Supplier<T> start, Function<T, Map<String, Object>> toRecord,
            Function<Map<String, Object>, T> fromRecord, Predicate<T> closed, Function<T, String> describe) {
        Map<String, Object> state = Shared.map();
        String recKey = "topology." + key;
        synchronized (Shared.lock(recKey)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> rec = (Map<String, Object>) state.get(recKey);
            if (rec != null) {
                T existing = fromRecord.apply(rec);
                if (!closed.test(existing)) {
                    return existing;
                }
                state.remove(recKey, rec);
            }
            if (Shared.shuttingDown()) {
                throw new IllegalStateException("JVM is shutting down; not starting the " + key + " topology");
            }
            Shared.ensureShutdownHook();
            long t0 = System.nanoTime();
            T started = start.get();
            state.put(recKey, toRecord.apply(started));
            System.out.printf(Locale.ROOT, "[redis-testsupport] %s topology up in %.2fs (%s)%n", key,
                    (System.nanoTime() - t0) / 1e9, describe.apply(started));
            return started;
        }
    }

    /**
     * Stops every redis-server this JVM started (the shared topologies and any other {@link RedisProcess})
     * and forgets the topologies; a later request starts them again. Safe to call repeatedly.
     */
    public static void stopAll() {
        Map<String, Object> state = Shared.map();
        List<String> keys = new ArrayList<>();
        for (String k : state.keySet()) {
            if (k.startsWith("topology.")) {
                keys.add(k);
            }
        }
        for (String k : keys) {
            Object rec = state.remove(k);
            if (rec instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) rec;
                m.put("closed", Boolean.TRUE);
            }
        }
        long t0 = System.nanoTime();
        int n = Shared.stopAllNodes();
        if (n > 0) {
            System.out.printf(Locale.ROOT, "[redis-testsupport] stopped %d redis-server process(es) in %.2fs%n", n,
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
