package dev.redisfn.testsupport;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A fake Redis on loopback that announces one node of the test's choosing: as the master of every
 * slot when asked as a cluster seed (CLUSTER SLOTS), as the master of any name when asked as a
 * sentinel (ROLE, SENTINEL GET-MASTER-ADDR-BY-NAME); its CLUSTER INFO says cluster_state:ok. What a hostile or misconfigured server could
 * send to point the connector, password included, at an address the target policy denies. It
 * answers HELLO with an error (so clients fall back to AUTH), everything else with OK.
 */
public final class AnnouncingRedis extends LoopbackServer {

    private final String announcedHost;
    private final int announcedPort;

    private AnnouncingRedis(String announcedHost, int announcedPort) {
        this.announcedHost = announcedHost;
        this.announcedPort = announcedPort;
    }

    public static AnnouncingRedis announcing(String host, int port) {
        AnnouncingRedis redis = new AnnouncingRedis(host, port);
        redis.start("announcing-redis");
        return redis;
    }

    @Override
    void serve(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        OutputStream out = socket.getOutputStream();
        for (List<String> command = read(in); command != null; command = read(in)) {
            out.write(answer(command).getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private String answer(List<String> command) {
        String name = command.isEmpty() ? "" : command.get(0).toUpperCase(Locale.ROOT);
        if (name.equals("HELLO")) {
            return "-ERR unknown command 'HELLO'\r\n";
        }
        if (name.equals("CLUSTER") && command.size() > 1 && command.get(1).equalsIgnoreCase("SLOTS")) {
            return "*1\r\n*3\r\n:0\r\n:16383\r\n*3\r\n$" + announcedHost.length() + "\r\n" + announcedHost + "\r\n:"
                    + announcedPort + "\r\n$40\r\n" + "f".repeat(40) + "\r\n";
        }
        if (name.equals("CLUSTER") && command.size() > 1 && command.get(1).equalsIgnoreCase("INFO")) {
            return bulk("cluster_state:ok\r\n");
        }
        if (name.equals("SENTINEL") && command.size() > 1 && command.get(1).equalsIgnoreCase("GET-MASTER-ADDR-BY-NAME")) {
            return "*2\r\n" + bulk(announcedHost) + bulk(String.valueOf(announcedPort));
        }
        if (name.equals("ROLE")) {
            return "*2\r\n" + bulk("sentinel") + "*1\r\n" + bulk("mymaster");
        }
        return "+OK\r\n";
    }

    private static String bulk(String text) {
        return "$" + text.length() + "\r\n" + text + "\r\n";
    }

    /** One RESP command (an array of bulk strings), or null at the end of the stream. */
    private static List<String> read(DataInputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            return null;
        }
        int count = Integer.parseInt(header.substring(1));
        List<String> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = Integer.parseInt(line(in).substring(1));
            byte[] bytes = new byte[length + 2];
            in.readFully(bytes);
            parts.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
        }
        return parts;
    }

    private static String line(DataInputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                text.append((char) c);
            }
        }
        return text.toString();
    }
}
