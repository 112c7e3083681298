package dev.redisfn.deploy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a JSON value against an OpenAPI 3.0 schema, for the subset the connector's contract uses:
 * {@code $ref}, {@code type}, {@code nullable}, {@code enum}, {@code required}, {@code properties},
 * {@code additionalProperties}, {@code items}, {@code oneOf} and {@code allOf}. Enough to prove that
 * real responses are what {@code META-INF/openapi.yaml} promises, without a validator library.
 */
public final class SchemaValidator {

    private final JsonNode document;

    public SchemaValidator(JsonNode document) {
        this.document = document;
    }

    /** The problems found, each with the JSON path of the value; empty when {@code value} conforms. */
    public List<String> validate(JsonNode schema, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "$", problems);
        return problems;
    }

    /** The node at a JSON pointer of the document, following a {@code $ref} found there. */
    public JsonNode at(String pointer) {
        JsonNode node = document.at(pointer);
        if (node.isMissingNode()) {
            throw new IllegalArgumentException("the document has nothing at " + pointer);
        }
        return resolve(node);
    }

    public JsonNode resolve(JsonNode node) {
        JsonNode resolved = node;
        while (resolved.has("$ref")) {
            String ref = resolved.get("$ref").asText();
            if (!ref.startsWith("#")) {
                throw new IllegalArgumentException("only local references are supported: " + ref);
            }
            resolved = document.at(ref.substring(1));
            if (resolved.isMissingNode()) {
                throw new IllegalArgumentException("dangling reference " + ref);
            }
        }
        return resolved;
    }

    private void check(JsonNode schemaNode, JsonNode value, String path, List<String> problems) {
        JsonNode schema = resolve(schemaNode);
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && schema.has("type")) {
                problems.add(path + ": null where " + schema.get("type").asText() + " is required");
            }
            return;
        }
        if (schema.has("allOf")) {
            for (JsonNode part : schema.get("allOf")) {
                check(part, value, path, problems);
            }
        }
        if (schema.has("oneOf")) {
            oneOf(schema.get("oneOf"), value, path, problems);
        }
        if (schema.has("type") && !hasType(value, schema.get("type").asText())) {
            problems.add(path + ": expected " + schema.get("type").asText() + ", got " + value.getNodeType());
            return;
        }
        if (schema.has("enum") && !contains(schema.get("enum"), value)) {
            problems.add(path + ": " + value + " is not one of " + schema.get("enum"));
        }
        if (value.isObject()) {
            object(schema, value, path, problems);
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private void oneOf(JsonNode alternatives, JsonNode value, String path, List<String> problems) {
        int matches = 0;
        List<String> rejections = new ArrayList<>();
        for (JsonNode alternative : alternatives) {
            List<String> own = new ArrayList<>();
            check(alternative, value, path, own);
            if (own.isEmpty()) {
                matches++;
            } else {
                rejections.add(own.toString());
            }
        }
        if (matches != 1) {
            problems.add(path + ": matches " + matches + " of the oneOf alternatives, not exactly one " + rejections);
        }
    }

    private void object(JsonNode schema, JsonNode value, String path, List<String> problems) {
        for (JsonNode name : schema.path("required")) {
            if (!value.has(name.asText())) {
                problems.add(path + ": required property " + name.asText() + " is missing");
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (Iterator<String> names = value.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (properties.has(name)) {
                check(properties.get(name), value.get(name), path + "." + name, problems);
            } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                problems.add(path + ": property " + name + " is not in the schema");
            } else if (additional != null && additional.isObject()) {
                check(additional, value.get(name), path + "." + name, problems);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalArgumentException("unknown schema type " + type);
        };
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode allowed : values) {
            if (allowed.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
