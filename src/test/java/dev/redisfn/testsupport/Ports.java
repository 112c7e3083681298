package dev.redisfn.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports: never 6379 (the machine's own Redis), never the same port twice in this JVM. */
public final class Ports {

    /** Never handed out: the machine's own Redis and its cluster-bus / sentinel neighbours. */
    private static final Set<Integer> RESERVED = Set.of(6379, 16379, 26379);

    /** Cluster ports come from here, so that P and P+10000 both stay below the OS ephemeral range. */
    private static final int BUS_BASE_MIN = 11000;
    private static final int BUS_BASE_MAX = 22000;
    private static final int BUS_OFFSET = 10000;

    private Ports() {
    }

    /** A port nothing listens on at 127.0.0.1 right now, not yet issued in this JVM. */
    public static int free() {
        Set<Integer> issued = Shared.issuedPorts();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(loopback(), 0));
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("cannot open a server socket on 127.0.0.1: " + e, e);
            }
            if (!RESERVED.contains(port) && issued.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port found in 500 attempts");
    }

    /**
     * A server socket on 127.0.0.1 at a port {@link #free()} issues, not one the OS picks: a port issued
     * before — and announced by a fake server as a node nobody listens on — could otherwise come back as
     * this socket's own.
     */
    public static ServerSocket serverSocket() {
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                return new ServerSocket(free(), 50, loopback());
            } catch (IOException e) {
                last = e; // taken between the check and the bind: another port
            }
        }
        throw new java.io.UncheckedIOException(last);
    }

    /**
     * A port P such that P and P+10000 (its cluster bus port) are both free and neither was issued
     * before. Both lie below the usual ephemeral range (Linux 32768+, macOS 49152+), so outgoing
     * connections cannot grab them between this check and redis-server binding them.
     */
    public static int freeWithBus() {
        Set<Integer> issued = Shared.issuedPorts();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 2000; attempt++) {
            int port = rnd.nextInt(BUS_BASE_MIN, BUS_BASE_MAX);
            int bus = port + BUS_OFFSET;
            if (RESERVED.contains(port) || RESERVED.contains(bus) || issued.contains(port) || issued.contains(bus)) {
                continue;
            }
            if (bindable(port, bus)) {
                synchronized (issued) {
                    if (issued.contains(port) || issued.contains(bus)) {
                        continue;
                    }
                    issued.add(port);
                    issued.add(bus);
                }
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port pair P, P+10000 found in 2000 attempts");
    }

    private static boolean bindable(int... ports) {
        ServerSocket[] sockets = new ServerSocket[ports.length];
        try {
            for (int i = 0; i < ports.length; i++) {
                sockets[i] = new ServerSocket();
                sockets[i].setReuseAddress(false);
                sockets[i].bind(new InetSocketAddress(loopback(), ports[i]));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // nothing to do
                    }
                }
            }
        }
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
