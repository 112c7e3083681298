package dev.redisfn.connection;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.RedisErrors;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;

/**
 * A failure of the connection rather than of a command — refused, reset, a TLS handshake, a peer
 * that does not speak RESP — as a code, a coarse message (no banner, no timing, no socket-level
 * text) and a hint that starts with the field to fix.
 */
record NetworkFailure(ErrorCode code, Kind kind, String message, String hint) {

    /** What a cluster's seeds said, read by {@link #noSeed}: nothing accepted, or TLS failed. */
    enum Kind {
        REFUSED, TLS_FAILED, /** The server's certificate was refused: a config problem no retry mends. */ CERTIFICATE,
        /** Reset or closed by the server as soon as it was made. */ DROPPED, OTHER
    }

    /** The hint of a node that accepted the connection and answered nothing: see {@link SilentNode}. */
    static final String SILENT_HINT = "commandTimeoutMs: the server accepted the connection but did not answer in time"
            + " — it may be busy (a long script, CLIENT PAUSE, DEBUG SLEEP) or overloaded; check it, or raise commandTimeoutMs";
    static final String HOST_PORT_HINT =
            "host/port: nothing answers there — check the address, the port and network access";

    /** The failure's meaning when it is one of the connection, or null when it is not. */
    static NetworkFailure of(Throwable cause) {
        if (RedisErrors.isErrorReply(cause)) {
            return fromClient(cause);
        }
        if (RedisErrors.isHandshakeTimeout(cause)) {
            return failed("the TLS handshake did not complete",
                    "tls: the TLS handshake did not complete — is TLS enabled on the server?");
        }
        if (cause instanceof SilentNode) {
            return new NetworkFailure(ErrorCode.TIMEOUT, Kind.OTHER, cause.getMessage(), SILENT_HINT);
        }
        if (cause instanceof ConnectTimeoutException) {
            return new NetworkFailure(ErrorCode.TIMEOUT, Kind.OTHER, "the connection was not accepted within"
                    + " connectTimeoutMs (nothing answered the TCP handshake: a firewall dropping it, or an address"
                    + " not reachable from here)", HOST_PORT_HINT);
        }
        if (cause instanceof TimeoutException) {
            return new NetworkFailure(ErrorCode.TIMEOUT, Kind.OTHER, "timed out"
                    + (cause.getMessage() != null ? ": " + cause.getMessage() : ""), null);
        }
        if (cause instanceof SSLException) {
            NetworkFailure certificate = certificate(cause);
            return certificate != null ? certificate : new NetworkFailure(ErrorCode.CONNECTION_FAILED, Kind.TLS_FAILED,
                    "TLS handshake failed", "tls: the TLS handshake failed — check tls.caCertPem, the server"
                            + " certificate's hostname, or tls.insecure");
        }
        return fromSocket(cause, cause.getMessage() == null ? "" : cause.getMessage());
    }

    /**
     * The JDK's verdict on the server's certificate, read from the handshake failure's causes: an
     * issuer the trusted CAs do not vouch for, or a certificate that does not name the host. Both are
     * decided here, on this side, so naming them reveals nothing about the server beyond its certificate.
     */
    private static NetworkFailure certificate(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException) {
                return new NetworkFailure(ErrorCode.CONNECTION_FAILED, Kind.CERTIFICATE, "TLS handshake failed: the"
                        + " server's certificate is not signed by a trusted CA", "tls.caCertPem: give the CA that signed"
                                + " the server's certificate (without it the JVM's trust store decides; tls.insecure"
                                + " only for a test server)");
            }
            if (cause instanceof CertificateException && RedisErrors.saysNameNotInCertificate(cause.getMessage())) {
                return new NetworkFailure(ErrorCode.CONNECTION_FAILED, Kind.CERTIFICATE, "TLS handshake failed: the"
                        + " server's certificate does not name the host connected to", "host: connect by a name (or"
                                + " address) the certificate lists, or set tls.verifyHostname false");
            }
        }
        return null;
    }

    private static NetworkFailure fromSocket(Throwable cause, String text) {
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return new NetworkFailure(ErrorCode.CONNECTION_FAILED, Kind.REFUSED, "connection refused or unreachable",
                    HOST_PORT_HINT);
        }
        if (cause instanceof UnknownHostException) {
            return failed("unknown host", "host: the name does not resolve");
        }
        if (RedisErrors.saysReset(text)) {
            return new NetworkFailure(ErrorCode.CONNECTION_FAILED, Kind.DROPPED, "the server reset the connection",
                    "tls: the server dropped the connection at once — if it requires TLS set tls, otherwise check host/port");
        }
        if (cause instanceof ClosedChannelException || RedisErrors.saysClosed(text)) {
            return closed();
        }
        if (cause instanceof ConnectionPoolTooBusyException || RedisErrors.saysPoolBusy(text)) {
            return failed(text, null);
        }
        if (cause instanceof IOException) {
            return failed("the connection failed", HOST_PORT_HINT);
        }
        return null;
    }

    /** Errors the Redis client raises itself, not replies of a server. */
    private static NetworkFailure fromClient(Throwable error) {
        if (RedisErrors.isNotRedis(error)) {
            // the reply parser met bytes that are not RESP: an HTTP server, a TLS port, another service
            return failed("the server at the address does not speak the Redis protocol",
                    "host/port: something other than Redis answers there (or it expects TLS) — check the address and port");
        }
        if (RedisErrors.isConnectionClosed(error)) {
            return closed();
        }
        return null;
    }

    /**
     * No cluster seed gave a slot map. Says "refused" only when every seed refused; otherwise the
     * seeds answered but could not serve (not cluster nodes, cluster down).
     */
    static NetworkFailure noSeed(List<Throwable> seedFailures) {
        List<NetworkFailure> failures = seedFailures.stream().map(NetworkFailure::of).toList();
        if (!failures.isEmpty() && failures.stream().allMatch(f -> f != null && f.kind() == Kind.REFUSED)) {
            return failed("connection refused or unreachable: no cluster seed accepts connections",
                    "nodes: nothing answers at the seed addresses — check the addresses, the ports and network access");
        }
        if (!seedFailures.isEmpty() && seedFailures.stream().allMatch(RedisErrors::isNotRedis)) {
            return failed("the servers at the seed addresses do not speak the Redis protocol", "nodes: something other"
                    + " than Redis answers there (or it expects TLS) — check the addresses and ports");
        }
        NetworkFailure certificate = failures.stream().filter(f -> f != null && f.kind() == Kind.CERTIFICATE)
                .findFirst().orElse(null);
        if (certificate != null) {
            return certificate;
        }
        if (failures.stream().anyMatch(f -> f != null && f.kind() == Kind.TLS_FAILED)) {
            return failed("TLS handshake failed with the cluster seeds",
                    "tls: the TLS handshake failed — is TLS enabled on the server? check tls.caCertPem, or tls.insecure");
        }
        return failed("no cluster node could serve the call: the seeds are unreachable, not cluster nodes,"
                + " or the cluster is down", "nodes/mode: check that nodes lists nodes of a Redis Cluster whose"
                + " cluster_state is ok; POST /test-connection gives each node's verdict");
    }

    private static NetworkFailure closed() {
        return new NetworkFailure(ErrorCode.CONNECTION_FAILED, Kind.DROPPED, "connection closed by the server",
                "host/port: the server closed the connection — check that Redis runs there and whether it requires tls");
    }

    /** A new connection dropped at once by a server that had answered at the address before. */
    static NetworkFailure droppedAfterAnswering() {
        return failed("the server dropped a new connection at once; it answered at this address before (a restart or"
                + " a shutdown)", "host/port: check that Redis runs there; a new connection is made on the next call");
    }

    /**
     * An established connection — the server had answered on it — closed under a command: Redis was
     * restarted or shut down, or a network path dropped it. Nothing about TLS: it worked before.
     */
    static NetworkFailure lost() {
        return failed("the connection to Redis closed while the call was in flight (a restart, a shutdown or"
                + " the network)", "host/port: Redis closed an established connection — check that"
                + " it runs and is reachable; a new connection is made on the next call");
    }

    private static NetworkFailure failed(String message, String hint) {
        return new NetworkFailure(ErrorCode.CONNECTION_FAILED, Kind.OTHER, message, hint);
    }

    ConnectorException toException() {
        return kind == Kind.CERTIFICATE ? ConnectorException.notRetryable(code, message, hint)
                : new ConnectorException(code, message, hint);
    }
}
