package dev.redisfn.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * A redis-server that speaks only TLS ({@code port 0}, {@code tls-port}), with {@code requirepass}
 * {@link #PASSWORD}, the given server certificate and no client certificates required.
 */
public final class TlsRedis implements AutoCloseable {

    public static final String PASSWORD = "tls-secret-pw";

    private final RedisProcess process;

    private TlsRedis(RedisProcess process) {
        this.process = process;
    }

    /**
     * Starts it on a free port; {@code extraConfig} lines come last (e.g. {@code bind 127.0.0.1 127.0.0.2}).
     * Returns once it logged that it is ready and accepts TCP connections on the TLS port.
     */
    public static TlsRedis start(Certificates certs, List<String> extraConfig) {
        int port = Ports.free();
        List<String> config = new ArrayList<>(List.of(
                "port 0",
                "tls-port " + port,
                "tls-cert-file \"" + certs.certFile() + "\"",
                "tls-key-file \"" + certs.keyFile() + "\"",
                "tls-ca-cert-file \"" + certs.caFile() + "\"",
                "tls-auth-clients no",
                "requirepass " + PASSWORD));
        config.addAll(extraConfig);
        RedisProcess process = RedisProcess.launch("tls", port, config, false);
        try {
            Waits.until(process + " (TLS) to log 'Ready to accept connections' and accept TCP connections",
                    RedisProcess.START_TIMEOUT, () -> {
                        if (!process.isAlive()) {
                            throw new Waits.GiveUp(process + " exited during startup\n" + process.logTail());
                        }
                        return log(process).contains("Ready to accept connections") && RespClient.isOpen(port);
                    }, process::logTail);
        } catch (RuntimeException | Error e) {
            process.stopQuietly(e);
            throw e;
        }
        return new TlsRedis(process);
    }

    private static String log(RedisProcess process) {
        try {
            return Files.isRegularFile(process.logFile()) ? Files.readString(process.logFile(), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    public int port() {
        return process.port();
    }

    public RedisProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop();
    }
}
