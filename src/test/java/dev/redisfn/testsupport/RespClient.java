package dev.redisfn.testsupport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny blocking RESP2 client for 127.0.0.1, for test set-up and assertions.
 *
 * <p>{@link #call} returns {@code String} (simple and bulk strings, UTF-8), {@code Long} (integers),
 * {@code List<Object>} (arrays) or {@code null} (null bulk / null array). An error reply throws
 * {@link RedisError}; an error nested inside an array is returned as a {@link RedisError} element.
 * Not thread-safe; one connection per instance.
 */
public final class RespClient implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    /** An error reply ({@code -ERR ...}, {@code -WRONGPASS ...}, {@code -MOVED ...}); the message is the server's text. */
    public static final class RedisError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public RedisError(String message) {
            super(message);
        }

        /** The first word of the message: ERR, WRONGPASS, NOAUTH, MOVED, ... */
        public String code() {
            String m = getMessage();
            int sp = m.indexOf(' ');
            return sp < 0 ? m : m.substring(0, sp);
        }
    }

    private final int port;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean broken;

    /** Connects without authenticating. */
    public RespClient(int port) {
        this(port, null, null);
    }

    /** Connects and, when {@code password != null}, sends {@code AUTH [user] password}. */
    public RespClient(int port, String user, String password) {
        this(port, user, password, READ_TIMEOUT);
    }

    /** Like {@link #RespClient(int, String, String)} with a read timeout per reply. */
    public RespClient(int port, String user, String password, Duration readTimeout) {
        this.port = port;
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) readTimeout.toMillis());
            s.connect(new InetSocketAddress(Ports.loopback(), port), (int) CONNECT_TIMEOUT.toMillis());
            this.socket = s;
            this.in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            this.out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
        } catch (IOException e) {
            closeQuietly(s);
            throw new UncheckedIOException("cannot connect to " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
        if (password != null) {
            try {
                if (user == null) {
                    call("AUTH", password);
                } else {
                    call("AUTH", user, password);
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    /** One command, one connection: connect, authenticate, call, close. */
    public static Object once(int port, String user, String password, String... args) {
        try (RespClient c = new RespClient(port, user, password)) {
            return c.call(args);
        }
    }

    /** True if something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean isOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(Ports.loopback(), port), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if a Redis answers PING on {@code port} at all (an error reply such as NOAUTH counts: it is up). */
    public static boolean answers(int port) {
        try (RespClient c = new RespClient(port, null, null, Duration.ofSeconds(2))) {
            try {
                c.call("PING");
            } catch (RedisError e) {
                // NOAUTH and the like: the server is up and talking
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    /** Sends one command and reads its reply. */
    public Object call(String... args) {
        if (broken) {
            throw new IllegalStateException("connection to " + HOST + ":" + port + " is broken by an earlier I/O error");
        }
        try {
            write(args);
            Object reply = read();
            if (reply instanceof RedisError) {
                throw (RedisError) reply;
            }
            return reply;
        } catch (IOException e) {
            broken = true;
            throw new UncheckedIOException("I/O error talking to " + HOST + ":" + port + " (" + args[0] + "): " + e.getMessage(), e);
        }
    }

    /** Reads the next reply without sending a command: what MONITOR pushes, one line per command the server runs. */
    public Object next() {
        try {
            return read();
        } catch (IOException e) {
            broken = true;
            throw new UncheckedIOException("I/O error reading from " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** {@link #call} expecting a string reply (or null). */
    public String callString(String... args) {
        Object r = call(args);
        if (r != null && !(r instanceof String)) {
            throw new IllegalStateException(args[0] + " replied " + r + ", not a string");
        }
        return (String) r;
    }

    /** {@link #call} expecting an array reply. */
    @SuppressWarnings("unchecked")
    public List<Object> callList(String... args) {
        Object r = call(args);
        if (r != null && !(r instanceof List)) {
            throw new IllegalStateException(args[0] + " replied " + r + ", not an array");
        }
        return (List<Object>) r;
    }

    /** The value of {@code field} in an INFO text ({@code field:value} lines), or null. */
    public static String infoField(String info, String field) {
        if (info == null) {
            return null;
        }
        String prefix = field + ":";
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    /** A flat field/value list (as SENTINEL MASTER replies) as an ordered map of strings. */
    public static Map<String, String> pairs(List<Object> flat) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(String.valueOf(flat.get(i)), flat.get(i + 1) == null ? null : String.valueOf(flat.get(i + 1)));
        }
        return m;
    }

    @Override
    public void close() {
        broken = true;
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    private void write(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("no command");
        }
        out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = (a == null ? "" : a).getBytes(StandardCharsets.UTF_8);
            out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by server");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new RedisError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(len);
                if (b.length < len || in.read() != '\r' || in.read() != '\n') {
                    throw new EOFException("truncated bulk string");
                }
                return new String(b, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read());
                }
                return list;
            }
            default:
                throw new IOException("unexpected RESP type byte '" + (char) type + "' (" + type + ")");
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed by server");
            }
            if (c == '\r') {
                int n = in.read();
                if (n == '\n') {
                    return buf.toString(StandardCharsets.UTF_8);
                }
                buf.write(c);
                if (n < 0) {
                    throw new EOFException("connection closed by server");
                }
                buf.write(n);
            } else {
                buf.write(c);
            }
        }
    }
}
