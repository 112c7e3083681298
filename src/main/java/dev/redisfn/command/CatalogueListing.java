package dev.redisfn.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.response.CatalogueEntry;
import dev.redisfn.response.CatalogueReply;

/**
 * The catalogue as {@code GET /operations} publishes it: every operation (or one group's) with its
 * parameters as a JSON Schema an integration console can draw a form from, and whether this
 * deployment's command policy serves it.
 */
@Singleton
public class CatalogueListing {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Catalogue catalogue;
    private final CommandPolicy policy;

    public CatalogueListing(Catalogue catalogue, CommandPolicy policy) {
        this.catalogue = catalogue;
        this.policy = policy;
    }

    /** The whole catalogue, or one group's operations ({@code hash}, {@code hashes} and {@code HASH} name one group). */
    public CatalogueReply list(String group) {
        Collection<Operation> selected = group == null || group.isBlank() ? catalogue.all() : catalogue.group(group);
        List<CatalogueEntry> entries = new ArrayList<>(selected.size());
        selected.forEach(operation -> entries.add(entry(operation, policy.permits(operation))));
        return new CatalogueReply(entries.size(), entries);
    }

    static CatalogueEntry entry(Operation operation, boolean enabled) {
        return new CatalogueEntry(operation.name(), operation.group(), operation.access().name().toLowerCase(Locale.ROOT),
                operation.keyCategory().name().toLowerCase(Locale.ROOT), operation.command(), operation.description(),
                enabled, schema(operation));
    }

    private static ObjectNode schema(Operation operation) {
        ObjectNode schema = JSON.objectNode().put("type", "object").put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        List<String> required = new ArrayList<>();
        for (Param param : operation.paramsByName().values()) {
            properties.set(param.name(), property(param));
            if (param.required()) {
                required.add(param.name());
            }
        }
        ArrayNode names = schema.putArray("required");
        required.forEach(names::add);
        return schema;
    }

    private static ObjectNode property(Param param) {
        ObjectNode property = JSON.objectNode();
        if (param.type().jsonType() != null) {
            property.put("type", param.type().jsonType());
        }
        if (param.type() == ParamType.STRING_ARRAY) {
            property.putObject("items").put("type", "string");
        }
        if (param.description() != null) {
            property.put("description", param.description());
        }
        if (param.defaultValue() != null) {
            property.set("default", JSON.pojoNode(param.defaultValue()));
        }
        if (param.minimum() != null) {
            property.put("minimum", param.minimum());
        }
        if (param.maximum() != null) {
            property.put("maximum", param.maximum());
        }
        if (!param.allowed().isEmpty()) {
            ArrayNode values = property.putArray("enum");
            param.allowed().forEach(values::add);
        }
        return property;
    }
}
