package dev.redisfn.config;

import java.util.Locale;

import dev.redisfn.model.ConnectorException;

/** The Redis deployment a connection config points at. */
public enum Mode {
    STANDALONE,
    SENTINEL,
    CLUSTER;

    /** The lower-case name, as configs and metric tags spell it (computed once: it is tagged on every call). */
    private final String label = name().toLowerCase(Locale.ROOT);

    /** Parses {@code mode} as users type it, including the names iPaaS consoles use ({@code NonCluster}). */
    public static Mode parse(String value) {
        if (value == null || value.isBlank()) {
            return STANDALONE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "")) {
            case "standalone", "noncluster", "single", "singlenode", "server" -> STANDALONE;
            case "sentinel" -> SENTINEL;
            case "cluster" -> CLUSTER;
            default -> throw ConnectorException.invalidConnection("mode",
                    "unknown mode '" + value + "' (accepted: standalone, sentinel, cluster; NonCluster means standalone)");
        };
    }

    public String label() {
        return label;
    }
}
