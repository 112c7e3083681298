package dev.redisfn.response;

import dev.redisfn.model.ConnectorException;

/**
 * A failed call on its way to the HTTP layer: the error plus what the error response needs to
 * look like the caller's request (the operation name, the output format).
 */
public final class CallFailure extends RuntimeException {

    private final ConnectorException error;
    private final String operation;
    private final OutputFormat format;

    public CallFailure(ConnectorException error, String operation, OutputFormat format) {
        super(error.getMessage(), null, false, false);
        this.error = error;
        this.operation = operation;
        this.format = format;
    }

    public ConnectorException error() {
        return error;
    }

    public String operation() {
        return operation;
    }

    public OutputFormat format() {
        return format;
    }
}
