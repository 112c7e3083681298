package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A server on a free loopback port that hands each connection to {@link #serve} on a thread of
 * its own: the base of the fake servers that show what the connector does with a peer that is
 * not the Redis it expects.
 */
abstract class LoopbackServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());

    LoopbackServer() {
        server = Ports.serverSocket();
    }

    /** Starts accepting; called once the subclass is fully built. */
    final void start(String name) {
        Thread acceptor = new Thread(this::acceptAll, name + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Answers one connection until the peer hangs up. */
    abstract void serve(Socket socket) throws IOException;

    private void acceptAll() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException closed) {
                return;
            }
            accepted.add(socket);
            Thread session = new Thread(() -> {
                try (socket) {
                    serve(socket);
                } catch (IOException gone) {
                    // the peer went away, or close() closed the socket
                }
            }, getClass().getSimpleName() + "-session");
            session.setDaemon(true);
            session.start();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            synchronized (accepted) {
                for (Socket socket : accepted) {
                    socket.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
