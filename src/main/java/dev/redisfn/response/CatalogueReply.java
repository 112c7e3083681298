package dev.redisfn.response;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer of {@code GET /operations}. */
@RegisterForReflection
public record CatalogueReply(int count, List<CatalogueEntry> operations) {
}
