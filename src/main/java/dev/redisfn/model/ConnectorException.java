package dev.redisfn.model;


/**
 * The one exception type of the connector: an {@link ErrorCode}, a message safe to show to the
 * caller (never a password) and, where known, a hint naming what to fix.
 * It carries no stack trace: it is an answer, not a bug.
 */
public final class ConnectorException extends RuntimeException {

    private final ErrorCode code;
    private final String hint;
    private final Boolean retryable;
    private final String errorId;

    public ConnectorException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public ConnectorException(ErrorCode code, String message, String hint) {
        this(code, message, hint, null);
    }

    private ConnectorException(ErrorCode code, String message, String hint, Boolean retryable) {
        this(code, message, hint, retryable, null);
    }

    private ConnectorException(ErrorCode code, String message, String hint, Boolean retryable, String errorId) {
        super(message, null, false, false);
        this.code = code;
        this.hint = hint;
        this.retryable = retryable;
        this.errorId = errorId;
    }

    /** A bug on our side: the caller gets the id under which it was logged. */
    public static ConnectorException internal(String errorId) {
        return new ConnectorException(ErrorCode.INTERNAL,
                "internal error; it was logged with id " + errorId, null, false, errorId);
    }

    /** A Redis error whose retryability differs from its code's default (LOADING, TRYAGAIN, ...). */
    public static ConnectorException retryableRedisError(String message) {
        return new ConnectorException(ErrorCode.REDIS_ERROR, message, null, true);
    }

    /** A write that happened but did not reach enough replicas in time: a retry would write it again. */
    public static ConnectorException notReplicated(String message) {
        return new ConnectorException(ErrorCode.TIMEOUT, message, "waitReplicas: check the replicas' links, or lower it",
                false);
    }

    /**
     * No answer within the deadline. After a write was sent it may have been applied, so a retry
     * could apply it twice (INCR, LPUSH ...): only reads are marked retryable.
     */
    public static ConnectorException timeout(String message, boolean writeSent) {
        String hint = "commandTimeoutMs: raise it, or check the server's load";
        return writeSent
                ? new ConnectorException(ErrorCode.TIMEOUT, message + "; the write may have been applied: retry only if"
                        + " the operation is idempotent", hint, false)
                : new ConnectorException(ErrorCode.TIMEOUT, message, hint);
    }

    /** A failure of its code's kind that a retry cannot mend (a master name no sentinel monitors). */
    public static ConnectorException notRetryable(ErrorCode code, String message, String hint) {
        return new ConnectorException(code, message, hint, false);
    }

    public static ConnectorException invalidRequest(String message) {
        return new ConnectorException(ErrorCode.INVALID_REQUEST, message);
    }

    public static ConnectorException invalidConnection(String field, String problem) {
        return new ConnectorException(ErrorCode.INVALID_CONNECTION, "connection." + field + ": " + problem);
    }

    /** The same error, found at {@code at} (a batch item, a watched key): its retryability and id kept. */
    public ConnectorException at(String at, String after, String otherHint) {
        return new ConnectorException(code, at + ": " + getMessage() + after, otherHint, retryable, errorId);
    }

    /** This error with another hint, all else kept. */
    public ConnectorException withHint(String otherHint) {
        return new ConnectorException(code, getMessage(), otherHint, retryable, errorId);
    }

    public ErrorCode code() {
        return code;
    }

    public String hint() {
        return hint;
    }

    public boolean retryable() {
        return retryable != null ? retryable : code.retryable();
    }

    public ErrorBody toBody() {
        return new ErrorBody(code.name(), getMessage(), retryable(), hint, errorId);
    }
}
