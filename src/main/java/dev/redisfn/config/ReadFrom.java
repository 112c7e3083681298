package dev.redisfn.config;

import java.util.Locale;

import dev.redisfn.model.ConnectorException;

/**
 * Which nodes serve the operations that only read. Writes always go to the master. A replica may
 * lag its master by a moment (asynchronous replication): a read from it may not yet see a write
 * that just succeeded.
 */
public enum ReadFrom {
    /** Every command on the master. */
    MASTER,
    /** Reads on a replica; a call fails when no replica is reachable. */
    REPLICA,
    /** Reads on a replica while one is reachable, otherwise on the master. */
    PREFER_REPLICA;

    /** Parses {@code readFrom} as users type it ({@code preferReplica}, {@code prefer-replica}, {@code replica} ...). */
    public static ReadFrom parse(String value, String field) {
        if (value == null || value.isBlank()) {
            return MASTER;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "master", "primary" -> MASTER;
            case "replica", "slave" -> REPLICA;
            case "preferreplica", "replicapreferred" -> PREFER_REPLICA;
            default -> throw ConnectorException.invalidConnection(field,
                    "unknown value '" + value + "' (accepted: master, replica, preferReplica)");
        };
    }
}
