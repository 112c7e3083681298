package dev.redisfn.connection;

import dev.redisfn.model.ConnectorException;

/**
 * A command that never left: the connection it was to go on could not be opened. Unlike a failure
 * in flight, it is safe to send again elsewhere (a cluster node that died was replaced); callers
 * above the connection layer see {@link #error()} (see {@link Failures#toConnectorException}).
 */
final class NotSent extends RuntimeException {

    private final ConnectorException error;

    NotSent(ConnectorException error) {
        super(error.getMessage(), null, false, false);
        this.error = error;
    }

    ConnectorException error() {
        return error;
    }
}
