package dev.redisfn.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A redis-server this run starts on a free loopback port (the one shipped in embedded-redis, else
 * {@code REDIS_SERVER}, else the one on the PATH), and the driver's own connection to it.
 */
final class Redis {

    private final int port;
    /**
     * One connection for all of the driver's commands, opened once: a connection per command would be
     * counted in {@code total_connections_received} between two readings, as if the function had opened it.
     */
    private Socket socket;

    private Redis(int port) {
        this.port = port;
    }

    static Redis start(Processes processes, String name) throws Exception {
        int port = Processes.freePort();
        processes.start(name, List.of(binary(processes.dir()).toString(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no", "--maxclients", "20000"), Map.of(), null);
        Processes.waitForPort(port, name);
        return new Redis(port);
    }

    int port() {
        return port;
    }

    /** Sends one command and returns its raw reply (a simple, error, integer or bulk string reply). */
    synchronized String command(String... args) throws IOException {
        StringBuilder command = new StringBuilder("*" + args.length + "\r\n");
        for (String arg : args) {
            command.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        try {
            if (socket == null) {
                socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(5000);
            }
            socket.getOutputStream().write(command.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            int read;
            do {
                read = in.read(buffer);
                if (read > 0) {
                    reply.write(buffer, 0, read);
                }
            } while (read > 0 && !complete(reply.toByteArray()));
            return reply.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (socket != null) {
                socket.close();
                socket = null;
            }
            throw e;
        }
    }

    /** A field of {@code INFO}, -1 when absent. */
    long stat(String field) throws IOException {
        Matcher matcher = Pattern.compile(field + ":(\\d+)").matcher(command("INFO"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    private static boolean complete(byte[] reply) {
        int header = -1;
        for (int i = 0; i + 1 < reply.length; i++) {
            if (reply[i] == '\r' && reply[i + 1] == '\n') {
                header = i;
                break;
            }
        }
        if (header < 0) {
            return false;
        }
        if (reply[0] != '$') {
            return true;
        }
        int length = Integer.parseInt(new String(reply, 1, header - 1, StandardCharsets.US_ASCII));
        return length < 0 || reply.length >= header + 2 + length + 2;
    }

    private static Path binary(Path dir) throws IOException {
        String configured = System.getenv("REDIS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
        try (InputStream shipped = Redis.class.getClassLoader().getResourceAsStream("redis-server-7.0.15-" + os + "-" + arch)) {
            if (shipped != null) {
                Path binary = dir.resolve("redis-server");
                Files.copy(shipped, binary, StandardCopyOption.REPLACE_EXISTING);
                binary.toFile().setExecutable(true);
                return binary;
            }
        }
        Path onPath = Processes.onPath("redis-server");
        if (onPath == null) {
            throw new IllegalStateException("no redis-server: set REDIS_SERVER");
        }
        return onPath;
    }
}
