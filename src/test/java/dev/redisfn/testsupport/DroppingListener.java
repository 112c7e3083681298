package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port whose connects get no answer, as an address that drops packets: a listener that
 * never accepts, its one-place accept queue filled, so that the kernel drops the next SYNs and a
 * client's connect lasts until its own timeout.
 */
public final class DroppingListener implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> filling = new ArrayList<>();

    private DroppingListener() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 8; i++) { // the queue takes one or two before the kernel starts dropping
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 300);
                filling.add(socket);
            } catch (IOException full) {
                socket.close();
                return;
            }
        }
        throw new IllegalStateException("the listener's accept queue never filled");
    }

    public static DroppingListener start() {
        try {
            return new DroppingListener();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : filling) {
            socket.close();
        }
        server.close();
    }
}
