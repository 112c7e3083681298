package dev.redisfn.response;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One node as test-connection saw it: a data node, a sentinel or a cluster node. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeCheck(String address, String kind, boolean reachable, String role, String version,
        Double latencyMs, String error) {
}
