package dev.redisfn.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A started function: its process, its execute URL and the time from process start to its first served call. */
record StartedFunction(Process process, String url, double firstServedMs) {

    /**
     * Starts the packaged function ({@code quarkus-run.jar}) in its own directory {@code app} (where
     * the class-data archive and the AOT cache are looked up, as in the container image) on
     * {@code port}, and waits until it serves {@code probe}.
     */
    static StartedFunction start(Processes processes, String name, String java, List<String> jvmOptions, Path app,
            Map<String, String> env, int port, String probe) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-jar");
        command.add("quarkus-run.jar");
        long started = System.nanoTime();
        Process process = processes.start(name, command, env, app);
        double firstServedMs;
        try {
            firstServedMs = firstServed(port, probe, started, process);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; see " + processes.dir().resolve(name + ".log"), e);
        }
        return new StartedFunction(process, "http://127.0.0.1:" + port + "/execute", firstServedMs);
    }

    /**
     * Polls with a plain socket and a hand-written request until an execute answers 200: a JDK
     * HTTP client's own first request in this driver does start-up work of its own, which would
     * count against the function.
     */
    private static double firstServed(int port, String body, long startedNanos, Process process)
            throws InterruptedException {
        byte[] request = ("POST /execute HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
        long deadline = startedNanos + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request);
                byte[] status = socket.getInputStream().readNBytes(12); // "HTTP/1.1 200"
                if (new String(status, StandardCharsets.US_ASCII).endsWith(" 200")) {
                    return (System.nanoTime() - startedNanos) / 1e6;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the function exited with " + process.exitValue() + " before serving");
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the function did not serve a request within 60 s");
    }
}
