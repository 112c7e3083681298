package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A loopback server that answers whatever it reads with an HTTP error and a banner, and keeps the
 * connection open: what a connector meets when a Redis address points at a web server.
 */
public final class NotRedisServer implements AutoCloseable {

    /** Must never reach a caller: connection errors stay coarse (DESIGN.md §8). */
    public static final String BANNER = "secret-banner/9.9";

    private final ServerSocket server;
    private final List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());

    private NotRedisServer(ServerSocket server) {
        this.server = server;
    }

    public static NotRedisServer start() throws IOException {
        NotRedisServer http = new NotRedisServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread acceptor = new Thread(http::acceptAll, "not-redis-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return http;
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.add(socket);
                Thread answer = new Thread(() -> answer(socket), "not-redis-answer");
                answer.setDaemon(true);
                answer.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void answer(Socket socket) {
        byte[] reply = ("HTTP/1.1 400 Bad Request\r\nServer: " + BANNER + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) > 0) {
                socket.getOutputStream().write(reply);
                socket.getOutputStream().flush();
            }
        } catch (IOException closed) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }
}
