package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A loopback server that answers whatever it reads with an HTTP error and a banner, and keeps the
 * connection open: what a connector meets when a Redis address points at a web server.
 */
public final class NotRedisServer extends LoopbackServer {

    /** Must never reach a caller: connection errors stay coarse (docs/design.md, "Target policy"). */
    public static final String BANNER = "secret-banner/9.9";

    private NotRedisServer() {
    }

    public static NotRedisServer start() {
        NotRedisServer http = new NotRedisServer();
        http.start("not-redis");
        return http;
    }

    @Override
    void serve(Socket socket) throws IOException {
        byte[] reply = ("HTTP/1.1 400 Bad Request\r\nServer: " + BANNER + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (in.read(buffer) > 0) {
            socket.getOutputStream().write(reply);
            socket.getOutputStream().flush();
        }
    }
}
