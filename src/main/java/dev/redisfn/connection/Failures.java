package dev.redisfn.connection;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jboss.logging.Logger;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.RedisErrors;
import dev.redisfn.transport.ReplyGuard;

/**
 * Turns whatever failed — a Redis error reply, a socket problem, a timeout — into a
 * {@link ConnectorException} with the right code. Messages stay coarse for connection problems
 * (no banner, no timing) and never carry a password.
 */
public final class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class);
    private static final String CREDENTIALS_HINT = "password: check username and password (WRONGPASS also when the"
            + " user does not exist or is off)";

    private Failures() {
    }

    /** Like {@link #toConnectorException} but never null: anything unrecognised is a logged INTERNAL error. */
    public static ConnectorException classify(Throwable failure) {
        ConnectorException mapped = toConnectorException(failure);
        return mapped != null ? mapped : internal(failure);
    }

    /**
     * A refusal of credentials as the config's caller must read it: with {@code auth} there is no
     * password to check, the token its provider made was refused.
     */
    public static ConnectorException ofCredentials(ConnectionConfig config, ConnectorException refused) {
        if (config.auth() == null || refused == null || refused.code() != ErrorCode.AUTH_FAILED || refused.hint() == null
                || !refused.hint().startsWith("password:")) {
            return refused;
        }
        return refused.withHint("auth: Redis refused the token the provider made — check that username names the ACL"
                + " user the token is for (aws-iam: an IAM-enabled user; token-file: the file's content is its password)");
    }

    /** Logs a bug under a fresh id — the exception, never the event — and returns the error to answer. */
    public static ConnectorException internal(Throwable failure) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(failure, "internal error %s", id);
        return ConnectorException.internal(id);
    }

    /**
     * A call's deadline passed while the server had not yet accepted a first connection, or not
     * answered on it: nothing was sent, so a write may be retried as safely as a read.
     */
    static ConnectorException notConnected(ConnectionConfig config, HostAndPort address, long deadlineMs) {
        return new ConnectorException(ErrorCode.TIMEOUT, "no connection to " + address + " was ready within "
                + deadlineMs + " ms: the server did not accept it" + (config.tls().enabled() ? ", finish its TLS handshake"
                : "") + " or answer its first commands (PING, AUTH, SELECT); nothing was sent",
                "host/port: a firewall that drops connections, a wrong address, a paused or busy server"
                        + failsSooner(config, "a connection nobody accepts fails"));
    }

    /**
     * A cluster call's deadline passed while no node had yet answered CLUSTER SLOTS: a call is sent
     * only once the map says where, so nothing was sent and a write may be retried as safely as a read.
     */
    static ConnectorException noSlotMap(ConnectionConfig config, long deadlineMs) {
        return new ConnectorException(ErrorCode.TIMEOUT, "no node of the cluster (" + config.nodes().size()
                + " given) answered CLUSTER SLOTS within " + deadlineMs + " ms, so where to send the command was not"
                + " known; nothing was sent", "host/port: nodes that drop connections, wrong addresses, paused or busy"
                + " servers" + failsSooner(config, "nodes nobody accepts fail"));
    }

    /** The end of a not-connected TIMEOUT's hint: a connect timeout below the command timeout tells it apart sooner. */
    private static String failsSooner(ConnectionConfig config, String what) {
        return "; with connectTimeoutMs (" + config.connectTimeoutMs() + ") below commandTimeoutMs, " + what
                + " sooner, as CONNECTION_FAILED";
    }

    public static ConnectorException toConnectorException(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ConnectorException known) {
            return known;
        }
        if (cause instanceof NotSent notSent) {
            return notSent.error();
        }
        NetworkFailure network = NetworkFailure.of(cause);
        if (network != null) {
            return network.toException();
        }
        return RedisErrors.isErrorReply(cause) ? fromRedis(cause) : null;
    }

    /**
     * A failure of a command on a connection that stays in the pipeline of the call: a connection
     * that closed or was reset under the command is not an answer of Redis but a broken connection,
     * and says so — without the TLS hint of a connection dropped at once, when the server had
     * answered on it before (it was restarted or shut down, not misconfigured).
     */
    static Throwable transport(Throwable failure, boolean established) {
        boolean closed = RedisErrors.isConnectionClosed(failure);
        if (established && (closed || !RedisErrors.isErrorReply(failure) && failure instanceof IOException)) {
            return NetworkFailure.lost().toException();
        }
        return closed ? classify(failure) : failure;
    }

    static Throwable transport(Throwable failure) {
        return transport(failure, false);
    }

    /**
     * A connection could not be opened (or readied): its commands never left. {@code answeredBefore}:
     * the server had answered at this address, so a connection it drops at once is a restart or a
     * shutdown, not a TLS mismatch.
     */
    static NotSent notSent(Throwable failure, boolean answeredBefore) {
        if (failure instanceof NotSent already) {
            return already;
        }
        NetworkFailure network = answeredBefore ? NetworkFailure.of(unwrap(failure)) : null;
        return new NotSent(network != null && network.kind() == NetworkFailure.Kind.DROPPED
                ? NetworkFailure.droppedAfterAnswering().toException() : classify(failure));
    }

    /**
     * A short description of a failure that is safe to return: no stack, no credentials. Known failures
     * and Redis' error replies are described in words; any other exception's own message could say
     * anything, so it is logged under a fresh id and described by its type and that id.
     */
    public static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ConnectorException known) {
            return known.getMessage();
        }
        if (cause instanceof NotSent notSent) {
            return notSent.error().getMessage();
        }
        NetworkFailure network = NetworkFailure.of(cause);
        if (network != null) {
            return network.message();
        }
        if (RedisErrors.isErrorReply(cause)) {
            return cause.getMessage();
        }
        String id = UUID.randomUUID().toString();
        LOG.warnf(cause, "unexpected failure %s", id);
        return cause.getClass().getSimpleName() + " (logged as " + id + ")";
    }

    /** Whether a command failed for want of a node — it could not be reached, or its connection broke — not by Redis' answer. */
    static boolean isUnreachable(Throwable failure) {
        if (failure instanceof NotSent) {
            return true;
        }
        ConnectorException mapped = toConnectorException(failure);
        return mapped != null && mapped.code() == ErrorCode.CONNECTION_FAILED && !RedisErrors.isErrorReply(failure);
    }

    /** Whether Redis rejected the credentials, however it said so. */
    static boolean isAuthProblem(Throwable failure) {
        ConnectorException mapped = toConnectorException(failure);
        return mapped != null && mapped.code() == ErrorCode.AUTH_FAILED;
    }

    private static ConnectorException fromRedis(Throwable error) {
        String message = error.getMessage();
        return switch (RedisErrors.code(error)) {
            case "WRONGTYPE" -> new ConnectorException(ErrorCode.WRONG_TYPE, withoutScriptLocation(message));
            case "WRONGPASS" -> new ConnectorException(ErrorCode.AUTH_FAILED,
                    "Redis rejected the credentials: " + message, CREDENTIALS_HINT);
            case "NOAUTH" -> new ConnectorException(ErrorCode.AUTH_FAILED, "the server requires a password and the"
                    + " connection authenticated with none: " + message,
                    "password: give the server's password (and username for an ACL user)");
            case "MOVED", "ASK" -> ConnectorException.notRetryable(ErrorCode.INVALID_CONNECTION, "the server is a Redis"
                    + " Cluster node, and another node serves the key's slot: " + message,
                    "mode: use mode cluster, with this node among nodes");
            case "READONLY" -> new ConnectorException(ErrorCode.REDIS_ERROR, message,
                    "host/port: the server is a read-only replica; write to its master, or use mode sentinel");
            case "CROSSSLOT" -> new ConnectorException(ErrorCode.CROSS_SLOT, message);
            case "CLUSTERDOWN" -> new ConnectorException(ErrorCode.CONNECTION_FAILED, message, "nodes: a slot has no"
                    + " master (cluster_state:fail) until a replica takes over or the master returns — retry shortly;"
                    + " POST /test-connection names the node");
            case "MASTERDOWN" -> new ConnectorException(ErrorCode.CONNECTION_FAILED, message, "nodes: the replica lost"
                    + " its master and serves no stale data (replica-serve-stale-data no) — retry shortly");
            case "LOADING", "TRYAGAIN", "BUSY" -> ConnectorException.retryableRedisError(message);
            case ReplyGuard.TOO_LARGE -> new ConnectorException(ErrorCode.REPLY_TOO_LARGE, "the reply of Redis is larger than"
                    + " connector.limits.reply-size allows", READ_IN_PARTS);
            case "REPLYBUDGET" -> new ConnectorException(ErrorCode.OVERLOADED, "the function is reading as many large"
                    + " replies as its memory allows; retry shortly", "connector.limits.reply-budget bounds them");
            case "NOPERM" -> new ConnectorException(ErrorCode.REDIS_ERROR, message, "username: the ACL user may not run"
                    + " this command or touch this key — grant it on the server (ACL SETUSER), or use another user");
            case "OOM" -> new ConnectorException(ErrorCode.REDIS_ERROR, message, "host/port: the server is at its"
                    + " maxmemory and evicts nothing (noeviction) — free memory, raise maxmemory or set an eviction policy");
            case "MISCONF" -> new ConnectorException(ErrorCode.REDIS_ERROR, message, "host/port: the server refuses writes"
                    + " because it cannot save its snapshot — see its log and fix its disk or dir");
            case "DENIED" -> new ConnectorException(ErrorCode.REDIS_ERROR, firstSentence(message), "host/port: the server"
                    + " runs in protected mode and accepts no client from another address while it has no password —"
                    + " give it one (requirepass) and set password here");
            // an unknown command first: its message quotes the command's arguments, which may say anything
            default -> RedisErrors.saysUnknownCommand(message)
                    ? new ConnectorException(ErrorCode.REDIS_ERROR, message, "mode: the server does not know"
                            + " this command — a sentinel knows almost none (use mode sentinel), an older Redis"
                            + " lacks newer ones")
                    : RedisErrors.saysCredentialsRefused(message)
                            ? new ConnectorException(ErrorCode.AUTH_FAILED, "Redis rejected the credentials: " + message,
                                    CREDENTIALS_HINT)
                    : RedisErrors.saysNoSuchDatabase(message)
                            ? new ConnectorException(ErrorCode.REDIS_ERROR, message, "database: the server has fewer"
                                    + " databases (its 'databases' setting, 16 by default)")
                            : new ConnectorException(ErrorCode.REDIS_ERROR, message);
        };
    }

    /**
     * Redis' fixed WRONGTYPE text without the " script: &lt;sha&gt;, on @user_script:1." a script adds: a helper
     * that runs one (CAS, RATELIMIT ...) answers as the plain command does.
     */
    private static String withoutScriptLocation(String message) {
        int script = message.indexOf(" script: ");
        return script < 0 ? message : message.substring(0, script);
    }

    /** How to read a value or a collection too large for one reply. */
    public static final String READ_IN_PARTS = "read it in parts: GETRANGE for a string, LRANGE with a range for a list,"
            + " HSCAN / SSCAN / ZSCAN for a hash, set or sorted set, SCAN for keys, XRANGE with a count for a stream";

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || (cause instanceof RuntimeException && cause.getClass() == RuntimeException.class))
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Redis' protected-mode refusal is a page of advice: its first sentence says what happened. */
    private static String firstSentence(String message) {
        int end = message.indexOf(". ");
        return end > 0 ? message.substring(0, end + 1) : message;
    }
}
