package dev.redisfn.request;

import java.util.List;

import dev.redisfn.command.Call;
import dev.redisfn.command.Watch;
import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.response.OutputFormat;

/**
 * A decoded {@code execute} event: its connection, one call or a batch ({@code atomic}, with the keys
 * it {@code watch}es), the replicas that must acknowledge its writes, and the envelope to answer in.
 */
public record ExecuteRequest(ConnectionConfig connection, Call call, List<Call> batch, boolean atomic, Watch watch,
        int waitReplicas, OutputFormat output) {

    public boolean isBatch() {
        return batch != null;
    }
}
