package dev.redisfn.response;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The verdict of test-connection (docs/design.md, "test-connection"): always answered with HTTP 200; {@code ok}
 * says whether the config works, {@code code} and {@code hint} say what to fix when it does not;
 * {@code warnings} (absent when there are none) say what works but is degraded — an unreachable
 * sentinel or seed, a replica that will refuse writes — each starting with the field concerned.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionReport(boolean ok, String message, String code, String hint, List<String> warnings, String mode,
        String serverVersion, String role, List<NodeCheck> nodes, double durationMs) {

    public static final String SUCCESS = "Connection configuration is correct";
}
