package dev.redisfn.connection;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key hashing: a key's slot is CRC16 (XMODEM) of the key — or of its hash tag, the
 * part between the first {@code {} and the next {@code }}, when that part is not empty — modulo
 * 16384. {@code SlotsTest} checks it against the slots a real cluster reports (CLUSTER KEYSLOT).
 */
public final class Slots {

    public static final int COUNT = 16384;
    private static final int[] TABLE = table();

    private Slots() {
    }

    public static int of(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        int from = 0;
        int to = bytes.length;
        int open = indexOf(bytes, (byte) '{', 0);
        if (open >= 0) {
            int close = indexOf(bytes, (byte) '}', open + 1);
            if (close > open + 1) {
                from = open + 1;
                to = close;
            }
        }
        return crc16(bytes, from, to) & (COUNT - 1);
    }

    static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The CRC16-CCITT (XMODEM, polynomial 0x1021) table. */
    private static int[] table() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            table[i] = crc & 0xFFFF;
        }
        return table;
    }
}
