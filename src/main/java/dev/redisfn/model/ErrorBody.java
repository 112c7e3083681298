package dev.redisfn.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The {@code error} object of a failed result. {@code id} is set only for INTERNAL errors. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String code, String message, boolean retryable, String hint, String id) {
}
