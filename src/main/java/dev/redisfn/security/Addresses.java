package dev.redisfn.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * IP literal parsing the way resolvers read it, so that a policy sees the address a socket
 * would reach: {@code 2852039166}, {@code 0251.0376.0251.0376} and {@code 0xa9.254.169.254}
 * are all 169.254.169.254, and {@code ::ffff:169.254.169.254} is that IPv4 address too.
 */
final class Addresses {

    private Addresses() {
    }

    /** The address a literal denotes (not yet {@link #normalize normalized}), or null for a host name. */
    static InetAddress literal(String host) {
        String text = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (text.indexOf(':') >= 0) {
            try {
                return InetAddress.getByName(text);
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
     * IPv4-translated ({@code ::ffff:0:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}, which makes
     * the unspecified {@code ::} 0.0.0.0), NAT64 ({@code 64:ff9b::/96} and the local-use
     * {@code 64:ff9b:1::/48} read as /96), 6to4 ({@code 2002::/16}) and Teredo ({@code 2001::/32},
     * its client address); {@code ::1} stays the IPv6 loopback.
     */
    static InetAddress normalize(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] bytes = v6.getAddress();
            if (carriesIpv4(bytes) || isNat64(bytes)) {
                return v4(bytes[12], bytes[13], bytes[14], bytes[15], address);
            }
            if (is6to4(bytes)) {
                return v4(bytes[2], bytes[3], bytes[4], bytes[5], address);
            }
            if (isTeredo(bytes)) {
                return v4((byte) ~bytes[12], (byte) ~bytes[13], (byte) ~bytes[14], (byte) ~bytes[15], address);
            }
        }
        return address;
    }

    /**
     * Every address {@code address} may reach: itself (a NAT64, 6to4 or Teredo address is connected to
     * as given), its {@link #normalize normal form} and, for the local-use NAT64 prefix, whose layout
     * depends on the prefix length its operator chose (RFC 6052: /48, /56, /64 or /96), the IPv4
     * address of each layout — a deny rule must catch any of them.
     */
    static List<InetAddress> forms(InetAddress address) {
        Set<InetAddress> forms = new LinkedHashSet<>(List.of(address, normalize(address)));
        if (address instanceof Inet6Address v6 && isLocalNat64(v6.getAddress())) {
            byte[] b = v6.getAddress();
            // RFC 6052 skips byte 8 (bits 64-71) in every layout shorter than /96
            forms.addAll(List.of(v4(b[6], b[7], b[9], b[10], address), v4(b[7], b[9], b[10], b[11], address),
                    v4(b[9], b[10], b[11], b[12], address)));
        }
        return List.copyOf(forms);
    }

    /**
     * The address to connect to: an IPv4-mapped, -translated or -compatible IPv6 address as its IPv4
     * address (the same socket either way); translated forms (NAT64, 6to4, Teredo) stay as given, since
     * only the network's translator can reach their IPv4 address.
     */
    static InetAddress connectable(InetAddress address) {
        if (address instanceof Inet6Address v6 && carriesIpv4(v6.getAddress())) {
            return normalize(address);
        }
        return address;
    }

    private static InetAddress v4(byte a, byte b, byte c, byte d, InetAddress fallback) {
        try {
            return Inet4Address.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            return fallback;
        }
    }

    /** 64:ff9b::/96 (well-known) or 64:ff9b:1::/48 (local use, RFC 8215). */
    private static boolean isNat64(byte[] b) {
        boolean wellKnown = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xFF) == 0xff && (b[3] & 0xFF) == 0x9b;
        if (!wellKnown) {
            return false;
        }
        for (int i = 4; i < 12; i++) {
            if (b[i] != 0) {
                return isLocalNat64(b);
            }
        }
        return true;
    }

    private static boolean isLocalNat64(byte[] b) {
        return b[0] == 0 && b[1] == 0x64 && (b[2] & 0xFF) == 0xff && (b[3] & 0xFF) == 0x9b && b[4] == 0 && b[5] == 1;
    }

    private static boolean is6to4(byte[] b) {
        return b[0] == 0x20 && b[1] == 0x02;
    }

    private static boolean isTeredo(byte[] b) {
        return b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0;
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
