package dev.redisfn.config;

import dev.redisfn.model.ConnectorException;

/** One node address. IPv6 literals are written in brackets: {@code [::1]:6379}. */
public record HostAndPort(String host, int port) {

    public static final int DEFAULT_PORT = 6379;
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile(
            "[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})|[0-9A-Fa-f:.]{2,45}");

    public HostAndPort {
        if (host == null || !HOST.matcher(host).matches() || host.indexOf(':') >= 0 && !isIpv6Literal(host)) {
            throw ConnectorException.invalidConnection("host", "'" + shown(host) + "' is not a host name or IP address");
        }
    }

    /**
     * Whether text of hex digits, ':' and '.' is an IPv6 address (one with an IPv4 tail, such as NAT64's
     * 64:ff9b::8.8.8.8, included). This runs on an event loop, so nothing may be looked up: the JDK parses
     * text that starts with a hex digit or ':' as a literal and never resolves it, and other text (".:1")
     * is no literal.
     */
    private static boolean isIpv6Literal(String host) {
        char first = host.charAt(0);
        if (Character.digit(first, 16) < 0 && first != ':') {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(host) != null;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Parses {@code host}, {@code host:port} or {@code [v6]:port}; {@code field} names the input in errors. */
    public static HostAndPort parse(String text, String field) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw ConnectorException.invalidConnection(field, "empty address");
        }
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw ConnectorException.invalidConnection(field, "unbalanced '[' in address '" + shown(value) + "'");
            }
            String host = value.substring(1, close);
            String rest = value.substring(close + 1);
            return new HostAndPort(host, rest.isEmpty() ? DEFAULT_PORT : port(rest.substring(1), field));
        }
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            return new HostAndPort(value, DEFAULT_PORT);
        }
        if (value.indexOf(':') != colon) {
            return new HostAndPort(value, DEFAULT_PORT); // a bare IPv6 literal
        }
        return new HostAndPort(value.substring(0, colon), port(value.substring(colon + 1), field));
    }

    public static int checkPort(long port, String field) {
        if (port < 1 || port > 65535) {
            throw ConnectorException.invalidConnection(field, "port " + port + " is outside 1-65535");
        }
        return (int) port;
    }

    private static int port(String text, String field) {
        try {
            return checkPort(Long.parseLong(text.trim()), field);
        } catch (NumberFormatException e) {
            throw ConnectorException.invalidConnection(field, "port '" + shown(text) + "' is not a number");
        }
    }

    /** Text of a rejected address as an error may quote it: clipped, and with any user:password@ part hidden. */
    private static String shown(String text) {
        if (text == null) {
            return "";
        }
        int at = text.lastIndexOf('@');
        String hidden = at >= 0 ? "****" + text.substring(at) : text;
        return hidden.length() > 64 ? hidden.substring(0, 64) + "..." : hidden;
    }

    /** The address as a {@code redis://} URI authority. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return authority();
    }
}
