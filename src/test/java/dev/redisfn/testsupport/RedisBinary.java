package dev.redisfn.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Finds the {@code redis-server} the tests run, in this order:
 * <ol>
 *   <li>environment variable {@code REDIS_SERVER} (path to a redis-server, 7.0 or later);</li>
 *   <li>the static binary in the test dependency {@code org.signal:embedded-redis:0.9.1}, extracted
 *       once to {@code target/redis-bin/} (JDK only: the jar's classes are not used);</li>
 *   <li>{@code redis-server} on {@code PATH}.</li>
 * </ol>
 */
public final class RedisBinary {

    /** Version of the binaries embedded-redis 0.9.1 ships. */
    static final String EMBEDDED_VERSION = "7.0.15";

    private static Path cached;

    private RedisBinary() {
    }

    /** Absolute path of an executable redis-server. */
    public static synchronized Path path() {
        if (cached == null) {
            cached = find();
        }
        return cached;
    }

    private static Path find() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            Path p = Paths.get(env.trim()).toAbsolutePath();
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new IllegalStateException("REDIS_SERVER=" + env + " is not an executable file");
            }
            return p;
        }
        String resource = embeddedResourceName();
        if (resource != null) {
            Path extracted = extract(resource);
            if (extracted != null) {
                return extracted;
            }
        }
        Path onPath = onPath("redis-server");
        if (onPath != null) {
            return onPath;
        }
        throw new IllegalStateException("no redis-server found: set REDIS_SERVER to one, or keep the test dependency "
                + "org.signal:embedded-redis:0.9.1 on the class path (it ships "
                + (resource != null ? resource : "binaries for linux/darwin amd64/arm64 only, not for "
                        + System.getProperty("os.name") + "/" + System.getProperty("os.arch"))
                + "), or put redis-server on PATH");
    }

    /** Name of the classpath resource for this os/arch, or null if embedded-redis has none. */
    static String embeddedResourceName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o;
        if (os.contains("linux")) {
            o = "linux";
        } else if (os.contains("mac") || os.contains("darwin")) {
            o = "darwin";
        } else {
            return null;
        }
        String a;
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            a = "amd64";
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            a = "arm64";
        } else {
            return null;
        }
        return "redis-server-" + EMBEDDED_VERSION + "-" + o + "-" + a;
    }

    private static URL findResource(String name) {
        ClassLoader[] loaders = {RedisBinary.class.getClassLoader(), Thread.currentThread().getContextClassLoader(),
                ClassLoader.getSystemClassLoader()};
        for (ClassLoader cl : loaders) {
            if (cl != null) {
                URL u = cl.getResource(name);
                if (u != null) {
                    return u;
                }
            }
        }
        return null;
    }

    /** Extracts the resource to target/redis-bin/ unless a copy of the same size is there; null if absent. */
    private static Path extract(String resource) {
        URL url = findResource(resource);
        if (url == null) {
            return null;
        }
        Path dir = Shared.targetDir().resolve("redis-bin");
        Path target = dir.resolve(resource);
        try {
            URLConnection conn = url.openConnection();
            conn.setUseCaches(false); // do not keep the jar open through the JarURLConnection cache
            long size = conn.getContentLengthLong();
            conn.getInputStream().close(); // opened only to release the jar again
            if (Files.isRegularFile(target) && size > 0 && Files.size(target) == size) {
                makeExecutable(target);
                return target;
            }
            Files.createDirectories(dir);
            // write beside it and rename: concurrent forks never see (or execute) a half-written file
            Path tmp = Files.createTempFile(dir, resource, ".part");
            try {
                URLConnection c2 = url.openConnection();
                c2.setUseCaches(false);
                try (InputStream in = c2.getInputStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                makeExecutable(tmp);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new IllegalStateException("cannot extract " + url + " to " + target + ": " + e, e);
        }
    }

    private static void makeExecutable(Path p) {
        File f = p.toFile();
        if (!f.canExecute() && !f.setExecutable(true, false)) {
            throw new IllegalStateException("cannot make " + p + " executable");
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Paths.get(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }
}
