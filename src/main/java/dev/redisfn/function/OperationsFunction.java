package dev.redisfn.function;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.redisfn.operation.Catalogue;
import dev.redisfn.operation.Operation;
import dev.redisfn.result.CatalogueEntry;
import dev.redisfn.result.CatalogueReply;
import dev.redisfn.security.CommandPolicy;
import io.quarkus.funqy.Funq;

/** {@code GET /operations}: the catalogue, with each operation's parameters as JSON Schema. */
public class OperationsFunction {

    private final Catalogue catalogue;
    private final CommandPolicy policy;

    public OperationsFunction(Catalogue catalogue, CommandPolicy policy) {
        this.catalogue = catalogue;
        this.policy = policy;
    }

    @Funq("operations")
    public CatalogueReply operations(OperationsQuery query) {
        String group = query == null ? null : query.getGroup();
        Collection<Operation> selected = group == null || group.isBlank() ? catalogue.all() : catalogue.group(group);
        List<CatalogueEntry> entries = new ArrayList<>(selected.size());
        selected.forEach(operation -> entries.add(CatalogueEntry.of(operation, policy.permits(operation))));
        return new CatalogueReply(entries.size(), entries);
    }
}
