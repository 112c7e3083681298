package dev.redisfn.request;

import java.util.Arrays;

/**
 * The bytes of an event's {@code connection} object, as the key of the config decoded from them.
 * A key read from a request body only views it; {@link #copy} makes the one a cache keeps. The
 * hash is computed when a cache first asks for it: a key compared with the last one alone needs none.
 */
public final class ConnectionBytes {

    private final byte[] bytes;
    private final int from;
    private final int to;
    private int hash;

    ConnectionBytes(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.from = from;
        this.to = to;
    }

    ConnectionBytes copy() {
        return new ConnectionBytes(Arrays.copyOfRange(bytes, from, to), 0, to - from);
    }

    int from() {
        return from;
    }

    int length() {
        return to - from;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 1;
            for (int i = from; i < to; i++) {
                h = 31 * h + bytes[i];
            }
            hash = h;
        }
        return h;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConnectionBytes that && Arrays.equals(bytes, from, to, that.bytes, that.from, that.to);
    }
}
