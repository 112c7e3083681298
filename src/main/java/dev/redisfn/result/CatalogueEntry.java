package dev.redisfn.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.operation.Operation;
import dev.redisfn.operation.Param;
import dev.redisfn.operation.ParamType;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One operation as the catalogue publishes it; {@code params} is a JSON Schema an integration console can draw a form from. */
@RegisterForReflection
public record CatalogueEntry(String name, String group, String access, String command, String description,
        boolean enabled, ObjectNode params) {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    public static CatalogueEntry of(Operation operation, boolean enabled) {
        return new CatalogueEntry(operation.name(), operation.group(), operation.access().name().toLowerCase(Locale.ROOT),
                operation.command(), operation.description(), enabled, schema(operation));
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
        if (!param.allowed().isEmpty()) {
            ArrayNode values = property.putArray("enum");
            param.allowed().forEach(values::add);
        }
        return property;
    }
}
