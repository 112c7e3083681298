package dev.redisfn.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP literal parsing the way resolvers read it, so that a policy sees the address a socket
 * would reach: {@code 2852039166}, {@code 0251.0376.0251.0376} and {@code 0xa9.254.169.254}
 * are all 169.254.169.254, and {@code ::ffff:169.254.169.254} is that IPv4 address too.
 */
final class Addresses {

    private Addresses() {
    }

    /** The address a literal denotes, or null for a host name. */
    static InetAddress literal(String host) {
        String text = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (text.indexOf(':') >= 0) {
            try {
                return normalize(InetAddress.getByName(text));
            } catch (UnknownHostException e) {
                return null;
            }
        }
        byte[] v4 = inetAton(text);
        if (v4 == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * IPv6 forms that carry an IPv4 address become that address: IPv4-mapped ({@code ::ffff:a.b.c.d}),
     * IPv4-translated ({@code ::ffff:0:a.b.c.d}) and IPv4-compatible ({@code ::a.b.c.d}, which makes
     * the unspecified {@code ::} 0.0.0.0); {@code ::1} stays the IPv6 loopback.
     */
    static InetAddress normalize(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] bytes = v6.getAddress();
            if (carriesIpv4(bytes)) {
                try {
                    return Inet4Address.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
                } catch (UnknownHostException e) {
                    return address;
                }
            }
        }
        return address;
    }

    private static boolean carriesIpv4(byte[] bytes) {
        for (int i = 0; i < 8; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        int b8 = bytes[8] & 0xFF, b9 = bytes[9] & 0xFF, b10 = bytes[10] & 0xFF, b11 = bytes[11] & 0xFF;
        boolean mapped = b8 == 0 && b9 == 0 && b10 == 0xFF && b11 == 0xFF;
        boolean translated = b8 == 0xFF && b9 == 0xFF && b10 == 0 && b11 == 0;
        boolean compatible = b8 == 0 && b9 == 0 && b10 == 0 && b11 == 0
                && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && bytes[15] == 1);
        return mapped || translated || compatible;
    }

    /** inet_aton: 1 to 4 parts, each decimal, 0x-hex or 0-octal; the last part fills the remaining bytes. */
    static byte[] inetAton(String text) {
        if (text.isEmpty() || text.endsWith(".")) {
            return null;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long value = number(parts[i]);
            if (value == null) {
                return null;
            }
            values[i] = value;
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
            address |= values[i] << (24 - 8 * i);
        }
        long last = values[parts.length - 1];
        int lastBits = 8 * (5 - parts.length);
        if (last >= (1L << lastBits)) {
            return null;
        }
        address |= last;
        return new byte[] {(byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address};
    }

    private static Long number(String part) {
        try {
            if (part.startsWith("0x") || part.startsWith("0X")) {
                return part.length() > 2 && part.length() <= 10 ? Long.parseLong(part.substring(2), 16) : null;
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return part.length() <= 12 ? Long.parseLong(part.substring(1), 8) : null;
            }
            return part.matches("\\d{1,10}") ? Long.parseLong(part) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
