package dev.redisfn.response;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import dev.redisfn.model.ErrorBody;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The answer to one operation: {@code {"ok": true, "operation": "GET", "result": "alice", "durationMs": 0.41}}.
 * Inside a batch the same shape is used without {@code operation} and {@code durationMs}.
 * {@code result} is a JSON node so that a Redis nil stays an explicit {@code null}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonSerialize(using = OperationResultSerializer.class)
public record OperationResult(boolean ok, String operation, JsonNode result, ErrorBody error, Double durationMs)
        implements Reply {

    public static OperationResult success(String operation, JsonNode result, Double durationMs) {
        return new OperationResult(true, operation, result, null, durationMs);
    }

    public static OperationResult failure(String operation, ErrorBody error) {
        return new OperationResult(false, operation, null, error, null);
    }
}
