package dev.redisfn.response;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One operation as the catalogue publishes it; {@code category} is the API key category that may run
 * it, {@code params} a JSON Schema an integration console can draw a form from.
 */
@RegisterForReflection
public record CatalogueEntry(String name, String group, String access, String category, String command,
        String description, boolean enabled, ObjectNode params) {
}
