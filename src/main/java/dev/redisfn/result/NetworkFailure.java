package dev.redisfn.result;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * A failure of the connection rather than of a command — refused, reset, a TLS handshake, a peer
 * that does not speak RESP — as a code, a coarse message (no banner, no timing, no socket-level
 * text) and a hint that starts with the field to fix.
 */
record NetworkFailure(ErrorCode code, String message, String hint) {

    /** Vert.x's cluster client: every seed failed; each seed's failure follows on its own line. */
    private static final String NO_SEED = "Cannot connect to any of the provided endpoints";
    private static final String HOST_PORT_HINT =
            "host/port: nothing answers there — check the address, the port and network access";

    /** The failure's meaning when it is one of the connection, or null when it is not. */
    static NetworkFailure of(Throwable cause) {
        if (cause instanceof ErrorType error) {
            return fromClient(error);
        }
        if (isHandshakeTimeout(cause)) {
            return failed("the TLS handshake did not complete",
                    "tls: the TLS handshake did not complete — is TLS enabled on the server?");
        }
        if (cause instanceof ConnectTimeoutException || cause instanceof TimeoutException) {
            String detail = cause instanceof TimeoutException && cause.getMessage() != null ? ": " + cause.getMessage() : "";
            return new NetworkFailure(ErrorCode.TIMEOUT, "timed out" + detail,
                    cause instanceof ConnectTimeoutException ? HOST_PORT_HINT : null);
        }
        if (cause instanceof SSLException) {
            return failed("TLS handshake failed",
                    "tls: the TLS handshake failed — check tls.caCertPem, the server certificate's hostname, or tls.insecure");
        }
        String text = cause.getMessage() == null ? "" : cause.getMessage();
        if (text.startsWith(NO_SEED)) {
            return noSeed(text);
        }
        return fromSocket(cause, text);
    }

    private static NetworkFailure fromSocket(Throwable cause, String text) {
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return failed("connection refused or unreachable", HOST_PORT_HINT);
        }
        if (cause instanceof UnknownHostException) {
            return failed("unknown host", "host: the name does not resolve");
        }
        if (isReset(text)) {
            return failed("the server reset the connection",
                    "tls: the server dropped the connection at once — if it requires TLS set tls, otherwise check host/port");
        }
        if (cause instanceof ClosedChannelException || isClosed(text)) {
            return closed();
        }
        if (cause instanceof ConnectionPoolTooBusyException || text.contains("Connection pool reached max wait")) {
            return failed(text, null);
        }
        if (cause instanceof IOException || text.contains("Failed to connect")) {
            return failed("the connection failed", HOST_PORT_HINT);
        }
        return null;
    }

    /** Errors the Redis client raises itself, not replies of a server. */
    private static NetworkFailure fromClient(ErrorType error) {
        if (error.is("ILLEGAL_STATE")) {
            // the reply parser met bytes that are not RESP: an HTTP server, a TLS port, another service
            return failed("the server at the address does not speak the Redis protocol",
                    "host/port: something other than Redis answers there (or it expects TLS) — check the address and port");
        }
        if (error.is("CONNECTION_CLOSED")) {
            return closed();
        }
        return null;
    }

    /** Says "refused" only when every seed refused; otherwise the seeds answered but could not serve. */
    private static NetworkFailure noSeed(String text) {
        List<String> seeds = Arrays.stream(text.split("\n")).skip(1).toList();
        if (!seeds.isEmpty() && seeds.stream().allMatch(NetworkFailure::isRefusal)) {
            return failed("connection refused or unreachable: no cluster seed accepts connections",
                    "nodes: nothing answers at the seed addresses — check the addresses, the ports and network access");
        }
        if (!seeds.isEmpty() && seeds.stream().anyMatch(seed -> seed.contains("SSL"))) {
            return failed("TLS handshake failed with the cluster seeds",
                    "tls: the TLS handshake failed — is TLS enabled on the server? check tls.caCertPem, or tls.insecure");
        }
        return failed("no cluster node could serve the call: the seeds are unreachable, not cluster nodes,"
                + " or the cluster is down", "nodes/mode: check that nodes lists nodes of a Redis Cluster whose"
                + " cluster_state is ok; POST /test-connection gives each node's verdict");
    }

    private static boolean isRefusal(String seed) {
        String lower = seed.toLowerCase(Locale.ROOT);
        return lower.contains("connection refused") || lower.contains("no route to host")
                || lower.contains("connecttimeoutexception") || lower.contains("unknownhostexception");
    }

    /** Netty's handshake timeout, which Vert.x may report wrapped in another SSLException. */
    private static boolean isHandshakeTimeout(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException
                    || (t instanceof SSLException && t.getMessage() != null && t.getMessage().contains("handshake timed out"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isReset(String text) {
        return text.toLowerCase(Locale.ROOT).contains("connection reset");
    }

    private static boolean isClosed(String text) {
        return text.contains("Connection is closed") || text.contains("Connection closed") || text.contains("Client is closed");
    }

    private static NetworkFailure closed() {
        return failed("connection closed by the server",
                "host/port: the server closed the connection — check that Redis runs there and whether it requires tls");
    }

    private static NetworkFailure failed(String message, String hint) {
        return new NetworkFailure(ErrorCode.CONNECTION_FAILED, message, hint);
    }

    ConnectorException toException() {
        return new ConnectorException(code, message, hint);
    }
}
