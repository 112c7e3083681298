package dev.redisfn.response;

import java.util.Locale;

import dev.redisfn.model.ConnectorException;

/** The response envelope a caller asked for with {@code "output"}. */
public enum OutputFormat {
    /** docs/design.md, "Results and errors": {@code {"ok", "operation", "result" | "error", "durationMs"}}. */
    STANDARD,
    /** The existing iPaaS connector's {@code {"payload", "error": {"Code", "Description"}}}. */
    TENCENT;

    public static OutputFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return STANDARD;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "standard", "default" -> STANDARD;
            case "tencent" -> TENCENT;
            default -> throw ConnectorException.invalidRequest(
                    "output: unknown value '" + value + "' (accepted: standard, tencent)");
        };
    }
}
