package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A loopback server that answers every read with the same bytes — or, given none, reads and never
 * answers: a peer that claims to be Redis and is not, such as one answering a connection's first
 * PING with the header of an array of a billion elements.
 */
public final class AnsweringServer extends LoopbackServer {

    private final byte[] answer;

    private AnsweringServer(byte[] answer) {
        this.answer = answer;
    }

    /** A server answering each read with {@code answer} (RESP as text). */
    public static AnsweringServer answering(String answer) {
        AnsweringServer server = new AnsweringServer(answer.getBytes(StandardCharsets.US_ASCII));
        server.start("answering");
        return server;
    }

    /** A server that takes connections and what they send, and answers nothing. */
    public static AnsweringServer silent() {
        AnsweringServer server = new AnsweringServer(new byte[0]);
        server.start("silent");
        return server;
    }

    @Override
    void serve(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (in.read(buffer) > 0) {
            if (answer.length > 0) {
                socket.getOutputStream().write(answer);
                socket.getOutputStream().flush();
            }
        }
    }
}
