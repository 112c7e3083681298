package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listening socket nobody should connect to: {@link #connections()} says how many connections
 * reached it (the kernel completes them in the backlog even before anyone accepts). Proves that a
 * refused target was refused before the connector opened a socket.
 */
public final class ConnectionWitness implements AutoCloseable {

    private final ServerSocketChannel channel;
    private int connections;

    private ConnectionWitness(ServerSocketChannel channel) {
        this.channel = channel;
    }

    /** Listens on a free port of {@code address} (a loopback address such as 127.0.0.1 or 127.0.0.2). */
    public static ConnectionWitness listen(String address) {
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 50);
            channel.configureBlocking(false);
            return new ConnectionWitness(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    /** Connects to the witness once, as a control that it does count connections; returns {@link #connections()}. */
    public int selfCheck() {
        try (SocketChannel probe = SocketChannel.open(channel.getLocalAddress())) {
            return connections();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return channel.socket().getLocalPort();
    }

    /** Connections that reached this socket so far (accepted and closed here). */
    public int connections() {
        try {
            for (SocketChannel accepted = channel.accept(); accepted != null; accepted = channel.accept()) {
                connections++;
                accepted.close();
            }
            return connections;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
