package dev.redisfn.testsupport;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * JVM-wide state of this package, holding JDK types only.
 *
 * <p>Quarkus loads the classes of a {@code @QuarkusTest} (and everything under {@code src/test/java}
 * they use) again in its own class loader, once per application it boots. Plain static fields would
 * then give every such class loader its own "singletons" and its own redis-server processes. So the
 * state lives in the copy of this class that the system class loader holds (surefire puts
 * {@code target/test-classes} there); every other copy finds it by reflection. The values are JDK
 * types ({@link Process}, {@link Integer}, maps, lists), which are the same classes in every loader.
 */
final class Shared {

    /** The state itself; only the copy of this class in the system class loader has its map used. */
    private static final ConcurrentHashMap<String, Object> STATE = new ConcurrentHashMap<>();

    private static volatile ConcurrentHashMap<String, Object> resolved;
    private static volatile Class<?> canonical;

    private Shared() {
    }

    /** The JVM-wide state map. */
    static ConcurrentHashMap<String, Object> map() {
        ConcurrentHashMap<String, Object> m = resolved;
        if (m == null) {
            synchronized (Shared.class) {
                m = resolved;
                if (m == null) {
                    m = resolve();
                    resolved = m;
                }
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static ConcurrentHashMap<String, Object> resolve() {
        try {
            Class<?> c = Class.forName(Shared.class.getName(), true, ClassLoader.getSystemClassLoader());
            if (c == Shared.class) {
                canonical = Shared.class;
                return STATE;
            }
            Field f = c.getDeclaredField("STATE");
            f.setAccessible(true);
            ConcurrentHashMap<String, Object> m = (ConcurrentHashMap<String, Object>) f.get(null);
            canonical = c;
            return m;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // not on the system class path (some IDE set-ups): this class loader's copy is all there is
            canonical = Shared.class;
            return STATE;
        }
    }

    /** A JVM-wide monitor for {@code name}. */
    static Object lock(String name) {
        return map().computeIfAbsent("lock." + name, k -> new Object());
    }

    /** Every redis-server this JVM started, by {@code name-port}; values are node records. */
    @SuppressWarnings("unchecked")
    static ConcurrentHashMap<String, Map<String, Object>> nodes() {
        return (ConcurrentHashMap<String, Map<String, Object>>) map().computeIfAbsent("nodes", k -> new ConcurrentHashMap<String, Map<String, Object>>());
    }

    /** Every port {@link Ports} handed out in this JVM. */
    @SuppressWarnings("unchecked")
    static Set<Integer> issuedPorts() {
        return (Set<Integer>) map().computeIfAbsent("ports", k -> ConcurrentHashMap.<Integer>newKeySet());
    }

    static boolean shuttingDown() {
        return map().containsKey("shutting-down");
    }

    /** Registers, once per JVM, a shutdown hook that stops every redis-server started here. */
    static void ensureShutdownHook() {
        map(); // resolves `canonical`
        Class<?> c = canonical;
        if (c != null && c != Shared.class) {
            try {
                // let the system class loader's copy own the hook: a Quarkus class loader may be closed by then
                Method m = c.getDeclaredMethod("ensureShutdownHook");
                m.setAccessible(true);
                m.invoke(null);
                return;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through: register from this copy
            }
        }
        if (map().putIfAbsent("shutdown-hook", Boolean.TRUE) == null) {
            Runtime.getRuntime().addShutdownHook(new Thread(Shared::onShutdown, "redis-testsupport-shutdown"));
        }
    }

    private static void onShutdown() {
        map().put("shutting-down", Boolean.TRUE);
        int n = stopAllNodes();
        if (n > 0) {
            System.out.println("[redis-testsupport] shutdown hook stopped " + n + " redis-server process(es)");
        }
    }

    /**
     * Stops every registered redis-server: SIGTERM to all at once (they run with
     * {@code shutdown-on-sigterm nosave now}), then waits for each with a deadline, then SIGKILL.
     * JDK types only, no lambdas: this also runs from the shutdown hook. Returns how many were running.
     */
    static int stopAllNodes() {
        List<Map<String, Object>> recs = new ArrayList<>(nodes().values());
        List<Process> running = new ArrayList<>();
        for (Map<String, Object> rec : recs) {
            synchronized (rec) {
                Object p = rec.get("process");
                if (p instanceof Process && ((Process) p).isAlive()) {
                    ((Process) p).destroy();
                    running.add((Process) p);
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Process p : running) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (Process p : running) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return running.size();
    }

    /** The build directory ({@code target/}) every file of this package goes under. */
    static Path targetDir() {
        try {
            Path classes = Paths.get(Shared.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = classes.getParent();
            if (classes.getFileName().toString().equals("test-classes") && parent != null
                    && parent.getFileName().toString().equals("target")) {
                return parent.toAbsolutePath();
            }
        } catch (Exception e) {
            // not a plain directory on the class path (e.g. a Quarkus class loader): use the working directory
        }
        return Paths.get(System.getProperty("user.dir"), "target").toAbsolutePath();
    }

    /** Deletes {@code dir} and everything below it, if it exists. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + dir + ": " + e, e);
        }
    }
}
