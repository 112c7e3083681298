package dev.redisfn.function;

import dev.redisfn.command.CatalogueListing;
import dev.redisfn.response.CatalogueReply;
import dev.redisfn.security.ApiKeys;

import io.quarkus.funqy.Funq;

/**
 * {@code operations}: the catalogue, with each operation's parameters as JSON Schema (a Funqy
 * function; with API keys configured, refused as {@link ExecuteFunction} is).
 */
public class OperationsFunction {

    private final CatalogueListing listing;
    private final ApiKeys apiKeys;

    public OperationsFunction(CatalogueListing listing, ApiKeys apiKeys) {
        this.listing = listing;
        this.apiKeys = apiKeys;
    }

    @Funq("operations")
    public CatalogueReply operations(OperationsQuery query) {
        return listing.list(query == null ? null : query.getGroup(), apiKeys.scope(null));
    }
}
