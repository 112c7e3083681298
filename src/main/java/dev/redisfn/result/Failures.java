package dev.redisfn.result;

import java.net.ConnectException;
import java.util.Locale;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Turns whatever failed — a Redis error reply, a socket problem, a timeout — into a
 * {@link ConnectorException} with the right code. Messages stay coarse for connection problems
 * (no banner, no timing) and never carry a password.
 */
public final class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class);

    private Failures() {
    }

    /** Like {@link #toConnectorException} but never null: anything unrecognised is a logged INTERNAL error. */
    public static ConnectorException classify(Throwable failure) {
        ConnectorException mapped = toConnectorException(failure);
        return mapped != null ? mapped : internal(failure);
    }

    /** Logs a bug under a fresh id — the exception, never the event — and returns the error to answer. */
    public static ConnectorException internal(Throwable failure) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(failure, "internal error %s", id);
        return ConnectorException.internal(id);
    }

    public static ConnectorException toConnectorException(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ConnectorException known) {
            return known;
        }
        if (cause instanceof ConnectException && cause.getMessage() != null && rejectedCredentials(cause.getMessage())) {
            // the cluster client reports every seed's failure in one ConnectException
            return new ConnectorException(ErrorCode.AUTH_FAILED, "Redis rejected the credentials",
                    "password: check username and password");
        }
        NetworkFailure network = NetworkFailure.of(cause);
        if (network != null) {
            return network.toException();
        }
        return cause instanceof ErrorType error ? fromRedis(error) : null;
    }

    /** A short description of a failure that is safe to return: no stack, no credentials. */
    public static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ConnectorException known) {
            return known.getMessage();
        }
        NetworkFailure network = NetworkFailure.of(cause);
        if (network != null) {
            return network.message();
        }
        if (cause instanceof ErrorType error) {
            return error.getMessage();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    private static ConnectorException fromRedis(ErrorType error) {
        String message = error.getMessage();
        String prefix = message.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        return switch (prefix) {
            case "WRONGTYPE" -> new ConnectorException(ErrorCode.WRONG_TYPE, message);
            case "WRONGPASS", "NOAUTH" -> new ConnectorException(ErrorCode.AUTH_FAILED,
                    "Redis rejected the credentials: " + message, "password: check username and password");
            case "CROSSSLOT" -> new ConnectorException(ErrorCode.CROSS_SLOT, message);
            case "CLUSTERDOWN", "MASTERDOWN" -> new ConnectorException(ErrorCode.CONNECTION_FAILED, message);
            case "LOADING", "TRYAGAIN", "BUSY" -> ConnectorException.retryableRedisError(message);
            default -> isAuthError(message)
                    ? new ConnectorException(ErrorCode.AUTH_FAILED, "Redis rejected the credentials: " + message,
                            "password: check username and password")
                    : new ConnectorException(ErrorCode.REDIS_ERROR, message);
        };
    }

    private static boolean rejectedCredentials(String message) {
        return message.contains("WRONGPASS") || message.contains("NOAUTH") || isAuthError(message);
    }

    private static boolean isAuthError(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        return lower.contains("invalid password") || lower.contains("invalid username-password")
                || lower.contains("without any password configured");
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException
                || (cause instanceof RuntimeException && cause.getClass() == RuntimeException.class))
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof io.vertx.core.impl.NoStackTraceThrowable && cause.getCause() != null) {
            return cause.getCause();
        }
        return cause;
    }
}
