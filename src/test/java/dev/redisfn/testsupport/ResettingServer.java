package dev.redisfn.testsupport;

import java.io.IOException;
import java.net.Socket;

/** A loopback server that accepts each connection and resets it at once (a TCP RST, not a FIN). */
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
    }
}
