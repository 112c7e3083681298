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
import dev.redisfn.security.KeyScope;

/**
 * The catalogue as {@code GET /operations} publishes it: every operation (or one group's) with its
 * parameters as a JSON Schema an integration console can draw a form from, and whether this
 * deployment's command policy serves it.
 */
@Singleton
public class CatalogueListing {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /**
     * The one-or-several forms an operation takes exactly one of (README: "either form"; both are a 400),
     * each with what the single form needs beside it where the operation has it: a member's score or
     * coordinates, a field's value.
     */
    private static final List<List<String>> EITHER = List.of(List.of("keys", "key"), List.of("values", "value"),
            List.of("members", "member", "score", "longitude", "latitude"), List.of("fields", "field", "value"),
            List.of("elements", "element"), List.of("ids", "id"), List.of("channel", "pattern"),
            List.of("fromMember", "longitude", "latitude"), List.of("radius", "width", "height"));

    private final Catalogue catalogue;
    private final CommandPolicy policy;

    public CatalogueListing(Catalogue catalogue, CommandPolicy policy) {
        this.catalogue = catalogue;
        this.policy = policy;
    }

    /**
     * The whole catalogue, or one group's operations ({@code hash}, {@code hashes} and {@code HASH} name
     * one group), as the caller's API key sees it: an operation its scope refuses is not enabled for it.
     */
    public CatalogueReply list(String group, KeyScope scope) {
        Collection<Operation> selected = group == null || group.isBlank() ? catalogue.all() : catalogue.group(group);
        List<CatalogueEntry> entries = new ArrayList<>(selected.size());
        selected.forEach(operation -> entries.add(entry(operation,
                policy.permits(operation) && scope.allows(operation.keyCategory()))));
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
        List<ArrayNode> either = eitherForms(operation);
        if (either.size() == 1) {
            schema.set("oneOf", either.get(0));
        } else if (either.size() > 1) {
            ArrayNode all = schema.putArray("allOf");
            either.forEach(oneOf -> all.addObject().set("oneOf", oneOf));
        }
        return schema;
    }

    /** A {@code oneOf} for each choice of two forms the operation needs exactly one of, neither required alone. */
    private static List<ArrayNode> eitherForms(Operation operation) {
        List<ArrayNode> choices = new ArrayList<>();
        for (List<String> forms : EITHER) {
            Param many = operation.paramsByName().get(forms.get(0));
            Param one = operation.paramsByName().get(forms.get(1));
            if (many != null && one != null && !many.required() && !one.required()) {
                ArrayNode oneOf = JSON.arrayNode();
                oneOf.addObject().putArray("required").add(forms.get(0));
                ArrayNode single = oneOf.addObject().putArray("required").add(forms.get(1));
                forms.subList(2, forms.size()).stream().filter(operation.paramsByName()::containsKey).forEach(single::add);
                choices.add(oneOf);
            }
        }
        return choices;
    }

    private static ObjectNode property(Param param) {
        ObjectNode property = JSON.objectNode();
        if (param.type().jsonType() != null) {
            property.put("type", param.type().jsonType());
        }
        if (param.type() == ParamType.STRING_ARRAY) {
            property.putObject("items").put("type", "string");
        } else if (param.itemType() != null) {
            ObjectNode items = property.putObject("items").put("type", param.itemType());
            if (!param.itemFields().isEmpty()) {
                ObjectNode fields = items.putObject("properties");
                ArrayNode required = items.put("additionalProperties", false).putArray("required");
                for (String field : param.itemFields()) {
                    String[] nameAndType = field.split(":", 2);
                    fields.putObject(nameAndType[0]).put("type", nameAndType[1]);
                    required.add(nameAndType[0]);
                }
            }
        }
        if (param.description() != null) {
            property.put("description", param.description());
        }
        if (param.defaultValue() != null) {
            property.set("default", JSON.pojoNode(param.defaultValue()));
        }
        if (param.nonEmpty()) {
            property.put("minLength", param.minimum());
        } else if (param.minimum() != null) {
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
