package dev.redisfn.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes a benchmark run starts: each writes its output to {@code <dir>/<name>.log}, and
 * whatever is still running at the end is stopped ({@link #close()}, also from a shutdown hook).
 */
final class Processes implements AutoCloseable {

    private final Path dir;
    private final List<Process> started = new ArrayList<>();

    Processes(Path dir) {
        this.dir = dir;
    }

    /** Where the logs go (and the files the run writes). */
    Path dir() {
        return dir;
    }

    /** Starts {@code command} in {@code workDir} (null: this one), its output to {@code <name>.log}. */
    synchronized Process start(String name, List<String> command, Map<String, String> env, Path workDir)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toAbsolutePath().toFile());
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** Stops a process this run started. */
    synchronized void stop(Process process) {
        stopNow(process);
        started.remove(process);
    }

    /** Forgets a process that ended by itself. */
    synchronized void forget(Process process) {
        started.remove(process);
    }

    @Override
    public synchronized void close() {
        new ArrayList<>(started).forEach(Processes::stopNow);
        started.clear();
    }

    private static void stopNow(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (port != 6379) {
                    return port;
                }
            }
        }
    }

    static void waitForPort(int port, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException(what + " did not open port " + port + " within 30 s");
    }
}
