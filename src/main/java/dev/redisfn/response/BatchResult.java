package dev.redisfn.response;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer to a batch: one item per request, in the caller's order; {@code ok} when every item succeeded. */
@RegisterForReflection
public record BatchResult(boolean ok, List<OperationResult> results, double durationMs) implements Reply {

    public static BatchResult of(List<OperationResult> results, double durationMs) {
        boolean ok = results.stream().allMatch(OperationResult::ok);
        return new BatchResult(ok, results, durationMs);
    }
}
