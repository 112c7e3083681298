package dev.redisfn.function;

import dev.redisfn.command.CatalogueListing;
import dev.redisfn.response.CatalogueReply;

import io.quarkus.funqy.Funq;

/** {@code operations}: the catalogue, with each operation's parameters as JSON Schema (a Funqy function). */
public class OperationsFunction {

    private final CatalogueListing listing;

    public OperationsFunction(CatalogueListing listing) {
        this.listing = listing;
    }

    @Funq("operations")
    public CatalogueReply operations(OperationsQuery query) {
        return listing.list(query == null ? null : query.getGroup());
    }
}
