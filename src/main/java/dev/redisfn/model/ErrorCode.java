package dev.redisfn.model;

/**
 * Every error the connector can answer with, its HTTP status and whether a flow may retry the
 * same call unchanged (docs/design.md, "Results and errors").
 */
public enum ErrorCode {
    INVALID_REQUEST(400, false),
    UNKNOWN_OPERATION(400, false),
    INVALID_CONNECTION(400, false),
    CROSS_SLOT(400, false),
    UNAUTHORIZED(401, false),
    COMMAND_NOT_ALLOWED(403, false),
    TARGET_NOT_ALLOWED(403, false),
    /** The caller's API key does not cover this connection or this kind of operation. */
    SCOPE_NOT_ALLOWED(403, false),
    /** The request body did not arrive within the body timeouts. */
    REQUEST_TIMEOUT(408, true),
    /** A key an atomic batch watched changed before EXEC: nothing was applied; run it again. */
    CONFLICT(409, true),
    PAYLOAD_TOO_LARGE(413, false),
    AUTH_FAILED(422, false),
    WRONG_TYPE(422, false),
    REDIS_ERROR(422, false),
    /** The call's Redis replies are larger than {@code connector.limits.reply-size}; read them in parts. */
    REPLY_TOO_LARGE(422, false),
    CONNECTION_FAILED(502, true),
    /** The function serves as many calls, bodies or large replies as its memory allows; retry after a moment. */
    OVERLOADED(503, true),
    TIMEOUT(504, true),
    INTERNAL(500, false);

    private final int httpStatus;
    private final boolean retryable;

    ErrorCode(int httpStatus, boolean retryable) {
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return retryable;
    }
}
