package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A TCP relay in front of a real redis-server that, once armed, holds a client's EXEC back, lets
 * everything before it through, and runs an action (which waits until Redis has run those commands,
 * then has another client change a key) before EXEC follows: a deterministic "a watched key changed
 * before EXEC". Everything else passes unchanged in both directions.
 */
public final class InterposingProxy implements AutoCloseable {

    /** EXEC as a client encodes it (the Redis client sends command names in lower case; compared ignoring case). */
    private static final byte[] EXEC = "*1\r\n$4\r\nexec\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final int redisPort;
    private final AtomicReference<IntConsumer> beforeExec = new AtomicReference<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private InterposingProxy(int redisPort) throws IOException {
        this.redisPort = redisPort;
        this.server = Ports.serverSocket();
        Thread acceptor = new Thread(this::accept, "interposing-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static InterposingProxy to(int redisPort) {
        try {
            return new InterposingProxy(redisPort);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * Runs {@code action} before the next EXEC any client sends, once the bytes before that EXEC are
     * on their way to Redis; the action gets the local port of the relay's connection to Redis (its
     * {@code addr} in CLIENT LIST), to wait until Redis has run them.
     */
    public void beforeNextExec(IntConsumer action) {
        beforeExec.set(action);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                sockets.add(client);
                sockets.add(redis);
                pump(redis.getInputStream(), client.getOutputStream(), "answers");
                relayCommands(client, redis);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relayCommands(Socket client, Socket redis) {
        Thread thread = new Thread(() -> {
            try (InputStream in = client.getInputStream(); OutputStream out = redis.getOutputStream()) {
                byte[] buffer = new byte[64 * 1024];
                // the end of the previous read: an EXEC may arrive split over two reads
                byte[] carry = new byte[0];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    byte[] seen = new byte[carry.length + n];
                    System.arraycopy(carry, 0, seen, 0, carry.length);
                    System.arraycopy(buffer, 0, seen, carry.length, n);
                    int exec = indexOf(seen, seen.length, EXEC);
                    IntConsumer action = exec >= 0 ? beforeExec.getAndSet(null) : null;
                    if (action == null) {
                        out.write(buffer, 0, n);
                        out.flush();
                    } else {
                        // what of EXEC came in the previous read is with Redis already, which waits for the rest
                        int cut = Math.max(0, exec - carry.length);
                        out.write(buffer, 0, cut);
                        out.flush();
                        action.accept(redis.getLocalPort());
                        out.write(buffer, cut, n - cut);
                        out.flush();
                    }
                    carry = Arrays.copyOfRange(seen, Math.max(0, seen.length - (EXEC.length - 1)), seen.length);
                }
            } catch (IOException e) {
                // a side closed
            }
        }, "interposing-proxy-commands");
        thread.setDaemon(true);
        thread.start();
    }

    private static void pump(InputStream in, OutputStream out, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (in; out) {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // a side closed
            }
        }, "interposing-proxy-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private static int indexOf(byte[] buffer, int length, byte[] wanted) {
        outer:
        for (int i = 0; i + wanted.length <= length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (Character.toLowerCase(buffer[i + j]) != wanted[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
