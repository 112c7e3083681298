package dev.redisfn.connection;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.redisfn.config.ConnectorSettings;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * For trying the function out ({@code mvn -Plocal -DskipTests package quarkus:run}): starts a throw-away
 * redis-server on loopback beside it and stops it on shutdown. The binary is {@code REDIS_SERVER},
 * the static one shipped in {@code org.signal:embedded-redis} (on the classpath in the local
 * Maven profile only), or {@code redis-server} on the PATH. Off in every other profile.
 */
@ApplicationScoped
public class LocalRedis {

    private static final Logger LOG = Logger.getLogger(LocalRedis.class);
    private static final String DIR_PREFIX = "redis-connector-local";
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    private final ConnectorSettings.LocalRedis settings;
    private Process process;
    private Path dir;

    @Inject
    public LocalRedis(ConnectorSettings settings) {
        this(settings.localRedis());
    }

    LocalRedis(ConnectorSettings.LocalRedis settings) {
        this.settings = settings;
    }

    void start(@Observes StartupEvent event) throws IOException, InterruptedException {
        if (!settings.enabled()) {
            return;
        }
        int port = settings.port();
        Path pidFile = pidFile(port);
        if (isOpen(port) && !stopLeftOver(pidFile, port)) {
            LOG.warnf("local Redis: 127.0.0.1:%d is taken by a server this function did not start; the connection"
                    + " \"local\" uses it (stop that server, or set connector.local-redis.port)", port);
            return;
        }
        Path dir = Files.createTempDirectory(DIR_PREFIX);
        this.dir = dir;
        process = new ProcessBuilder(binary(dir).toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString(),
                "--pidfile", pidFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!isOpen(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String said = lastLines(dir.resolve("redis.log")) + lastLines(dir.resolve("stdout.log"));
                stop(null); // a start that failed leaves no server, pid file or directory behind either
                throw new IllegalStateException("local Redis did not start on port " + port + ": " + said.strip());
            }
            Thread.sleep(50);
        }
        LOG.infof("local Redis listening on 127.0.0.1:%d (connectionRef \"local\")", port);
    }

    /**
     * Where the server's pid is kept while it runs, so that a run killed without its shutdown (SIGKILL)
     * does not leave the next one a stale server with old data: that one is found by its pid and stopped.
     */
    static Path pidFile(int port) {
        return TMP.resolve(DIR_PREFIX + "-" + port + ".pid");
    }

    /** Stops the redis-server an earlier local run started on {@code port}, if that is what listens there. */
    private static boolean stopLeftOver(Path pidFile, int port) throws IOException, InterruptedException {
        if (!Files.isRegularFile(pidFile)) {
            return false;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle leftOver = ProcessHandle.of(pid).orElse(null);
        Path binary = leftOver == null ? null : leftOver.info().command().map(Path::of).orElse(null);
        if (binary == null || !binary.endsWith("redis-server")) {
            return false;
        }
        LOG.warnf("local Redis: stopping the redis-server (pid %d) that an earlier run left on 127.0.0.1:%d", pid, port);
        leftOver.destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (isOpen(port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the redis-server left on port " + port + " (pid " + pid + ") did not stop");
            }
            Thread.sleep(50);
        }
        // the shipped binary ran from that run's own directory, which holds its logs too
        Path leftDir = binary.getParent();
        if (leftDir != null && leftDir.getFileName().toString().startsWith(DIR_PREFIX) && leftDir.getParent().equals(TMP)) {
            deleteTree(leftDir);
        }
        return true;
    }

    /** Stops the server and removes its directory (the copied binary, its logs): a local run leaves nothing behind. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException, IOException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(pidFile(settings.port()));
        }
        if (dir != null) {
            deleteTree(dir);
        }
    }

    /** What the server wrote last to a log of its own (why it did not start). */
    private static String lastLines(Path log) throws IOException {
        if (!Files.isRegularFile(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 3), lines.size())) + "\n";
    }

    /** The directory of the server this run started (its binary and logs); null when it started none. */
    Path directory() {
        return dir;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return; // removed already: by the next run, or by whoever cleans the temp directory
        }
        try (java.util.stream.Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static Path binary(Path dir) throws IOException {
        String configured = System.getenv("REDIS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String resource = "redis-server-7.0.15-" + os() + "-" + arch();
        try (InputStream shipped = LocalRedis.class.getClassLoader().getResourceAsStream(resource)) {
            if (shipped != null) {
                Path target = dir.resolve("redis-server");
                Files.copy(shipped, target, StandardCopyOption.REPLACE_EXISTING);
                target.toFile().setExecutable(true);
                return target;
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no redis-server: set REDIS_SERVER or run with the local Maven profile (-Plocal)");
    }

    private static String os() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
    }

    private static String arch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return List.of("aarch64", "arm64").contains(arch) ? "arm64" : "amd64";
    }

    private static boolean isOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
