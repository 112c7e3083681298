package dev.redisfn.function;

import java.util.List;

import dev.redisfn.connection.ConnectionConfig;
import dev.redisfn.operation.Call;
import dev.redisfn.result.OutputFormat;

/** A decoded {@code execute} event: one call, or a batch. */
public record ExecuteRequest(ConnectionConfig connection, Call call, List<Call> batch, boolean atomic,
        int waitReplicas, OutputFormat output) {

    public boolean isBatch() {
        return batch != null;
    }
}
