package dev.redisfn.transport;

import java.util.List;
import java.util.Locale;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * What the Vert.x Redis client means by the failures it reports: a Redis error reply (a
 * {@link Response} of type ERROR — Vert.x's error type is both a Throwable and a Response), or one
 * of the conditions the client, Netty or the socket signal only by a message or a wrapped type.
 * Each message and wrapping matched here is pinned by {@code RedisErrorsTest}, so an upgrade that
 * changes one fails there rather than misclassifying.
 */
public final class RedisErrors {

    /** A connection already holds its maximum of commands waiting for replies. */
    static final String QUEUE_FULL = "Redis waiting queue is full";
    /** Commands still waiting when a connection closed are failed with this error reply. */
    static final String CONNECTION_CLOSED = "CONNECTION_CLOSED";
    /** The reply parser met bytes that are not RESP (an HTTP server, a TLS port ...). */
    static final String ILLEGAL_STATE = "ILLEGAL_STATE";
    /** A command sent on a connection that is closed (by its client, or after the server closed it). */
    static final String CONNECTION_IS_CLOSED = "Connection is closed";
    /** A connection asked of a client that is closed. */
    static final String CLIENT_IS_CLOSED = "Client is closed";
    /** The pool of a client has no connection for a caller within its wait limit. */
    static final String POOL_BUSY = "Connection pool reached max wait";
    /** A TCP reset, lower-cased: the JDK's "Connection reset", Netty's native "... Connection reset by peer". */
    static final String RESET = "connection reset";
    /** What SELECT of a database the server does not have answers. */
    static final String NO_SUCH_DATABASE = "DB index is out of range";
    /** How an ACL refusal names SELECT (NOPERM ... 'select' ...). */
    static final String SELECT_REFUSED = "'select'";
    /** What a sentinel answers to SENTINEL replicas of a master name it does not monitor. */
    static final String NO_SUCH_MASTER = "No such master with that name";
    /** What a server outside Redis Cluster answers to CLUSTER commands. */
    static final String CLUSTER_DISABLED = "cluster support disabled";
    /** How Redis begins its answer to a command it does not know, lower-cased; the command's name follows, quoted. */
    static final String UNKNOWN_COMMAND = "unknown command '";
    /**
     * Redis refusing credentials, lower-cased: WRONGPASS (with "invalid username-password"), NOAUTH,
     * AUTH to a server without a password, and "ERR invalid password" of servers before ACLs (6.0).
     */
    static final List<String> CREDENTIALS_REFUSED = List.of("wrongpass", "noauth", "invalid password",
            "invalid username-password", "without any password configured");

    private RedisErrors() {
    }

    /** Whether Redis (or the client, for the conditions above) answered with an error reply. */
    public static boolean isErrorReply(Throwable failure) {
        return failure instanceof Response reply && reply.type() == ResponseType.ERROR;
    }

    /** The first word of an error reply ({@code WRONGTYPE}, {@code MOVED}, {@code NOAUTH} ...), upper-cased; null otherwise. */
    public static String code(Throwable failure) {
        if (!isErrorReply(failure) || failure.getMessage() == null) {
            return null;
        }
        String message = failure.getMessage();
        int space = message.indexOf(' ');
        return (space < 0 ? message : message.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    /** Whether the failure is an error reply with that first word. */
    public static boolean is(Throwable failure, String code) {
        return code.equals(code(failure));
    }

    public static boolean isQueueFull(Throwable failure) {
        return !isErrorReply(failure) && QUEUE_FULL.equals(failure.getMessage());
    }

    /** The connection closed while the command waited: a broken connection, not an answer of Redis. */
    public static boolean isConnectionClosed(Throwable failure) {
        return is(failure, CONNECTION_CLOSED);
    }

    /** The reply parser met bytes that are not RESP. */
    public static boolean isNotRedis(Throwable failure) {
        return is(failure, ILLEGAL_STATE);
    }

    /** A message saying the connection or client was closed. */
    public static boolean saysClosed(String message) {
        return message.contains(CONNECTION_IS_CLOSED) || message.contains(CLIENT_IS_CLOSED);
    }

    /** A message saying the peer reset the connection. */
    public static boolean saysReset(String message) {
        return message.toLowerCase(Locale.ROOT).contains(RESET);
    }

    /** A message of SELECT of a database the server does not have. */
    public static boolean saysNoSuchDatabase(String message) {
        return message != null && message.contains(NO_SUCH_DATABASE);
    }

    /** A NOPERM message of an ACL user that may not SELECT. */
    public static boolean saysSelectRefused(String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains(SELECT_REFUSED);
    }

    /** A sentinel's refusal of a question about a master name it does not monitor. */
    public static boolean saysNoSuchMaster(Throwable failure) {
        return isErrorReply(failure) && failure.getMessage() != null && failure.getMessage().contains(NO_SUCH_MASTER);
    }

    /** A message of a server that is not a cluster node, answering a CLUSTER command. */
    public static boolean saysClusterDisabled(String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains(CLUSTER_DISABLED);
    }

    /**
     * A message of a server that does not know {@code command} (lower case): a data node asked
     * SENTINEL, a sentinel asked CLUSTER or GET.
     */
    public static boolean saysUnknownCommand(String message, String command) {
        return message != null && message.toLowerCase(Locale.ROOT).contains(UNKNOWN_COMMAND + command + "'");
    }

    /**
     * The JDK's hostname check refusing a certificate that does not name the host ("No subject
     * alternative DNS name matching x found", "No subject alternative names matching IP address y
     * found", "No name matching x found"); pinned through a real handshake by {@code TlsTest}.
     */
    public static boolean saysNameNotInCertificate(String message) {
        return message != null && (message.startsWith("No subject alternative") || message.startsWith("No name matching"));
    }

    /** A message of a server that does not know the command it was sent, whichever it was. */
    public static boolean saysUnknownCommand(String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains(UNKNOWN_COMMAND);
    }

    /** A message of Redis refusing the credentials, however the server version words it. */
    public static boolean saysCredentialsRefused(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        for (String refused : CREDENTIALS_REFUSED) {
            if (lower.contains(refused)) {
                return true;
            }
        }
        return false;
    }

    /** Netty's TLS handshake timeout, which Vert.x reports wrapped in an SSLHandshakeException. */
    public static boolean isHandshakeTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return true;
            }
        }
        return false;
    }

    public static boolean saysPoolBusy(String message) {
        return message.contains(POOL_BUSY);
    }

    /** An error element of an array reply (inside EXEC's answer) as the failure it stands for. */
    public static Throwable asFailure(io.vertx.redis.client.Response errorReply) {
        return errorReply instanceof Throwable failure ? failure : new IllegalStateException(errorReply.toString());
    }
}
