package dev.redisfn.command;

import dev.redisfn.model.ConnectorException;

/**
 * One operation with its checked arguments, or — inside a batch — the error that made it
 * invalid, so that the other calls of the batch still run.
 */
public record Call(Operation operation, Args args, ConnectorException error) {

    public static Call valid(Operation operation, Args args) {
        return new Call(operation, args, null);
    }

    public static Call invalid(ConnectorException error) {
        return new Call(null, null, error);
    }

    public boolean isInvalid() {
        return error != null;
    }
}
