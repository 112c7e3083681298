package dev.redisfn.testsupport;

import java.io.IOException;
import java.net.Socket;

/**
 * A loopback server that resets each connection (a TCP RST, not a FIN) as soon as the client has sent
 * its first bytes: the reset meets a request in flight, as a server that crashes under it. (A reset
 * right at accept raced the client's first write, which then failed as a closed channel instead.)
 */
public final class ResettingServer extends LoopbackServer {

    private ResettingServer() {
    }

    public static ResettingServer start() {
        ResettingServer server = new ResettingServer();
        server.start("resetting");
        return server;
    }

    @Override
    void serve(Socket socket) throws IOException {
        socket.setSoLinger(true, 0); // closing with a zero linger time sends RST
        socket.setSoTimeout(10_000);
        socket.getInputStream().read(); // the request has arrived: the close that follows resets it
    }
}
