package dev.redisfn.command;

import java.util.List;

/**
 * One named parameter of an operation. The same name means the same thing in every operation
 * ({@code key}, {@code ttlSeconds}, {@code members} ...); {@link Params} holds the shared ones.
 */
public record Param(String name, ParamType type, boolean required, Object defaultValue, List<String> allowed,
        String description, Long minimum, Long maximum, String itemType, List<String> itemFields) {

    public Param {
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
        itemFields = itemFields == null ? List.of() : List.copyOf(itemFields);
    }

    private Param(String name, ParamType type, boolean required, Object defaultValue, List<String> allowed,
            String description, Long minimum, Long maximum) {
        this(name, type, required, defaultValue, allowed, description, minimum, maximum, null, null);
    }

    public static Param required(String name, ParamType type, String description) {
        return new Param(name, type, true, null, null, description, null, null);
    }

    public static Param optional(String name, ParamType type, String description) {
        return new Param(name, type, false, null, null, description, null, null);
    }

    public Param withDefault(Object value) {
        return new Param(name, type, false, value, allowed, description, minimum, maximum, itemType, itemFields);
    }

    public Param asOptional() {
        return new Param(name, type, false, defaultValue, allowed, description, minimum, maximum, itemType, itemFields);
    }

    public Param oneOf(String... values) {
        return new Param(name, type, required, defaultValue, List.of(values), description, minimum, maximum, itemType, itemFields);
    }

    /** This parameter made required: a default would never apply, so the catalogue shows none. */
    public Param asRequired() {
        return new Param(name, type, true, null, allowed, description, minimum, maximum, itemType, itemFields);
    }

    public Param describedAs(String text) {
        return new Param(name, type, required, defaultValue, allowed, text, minimum, maximum, itemType, itemFields);
    }

    /** The range of an integer parameter: checked as the call reads it, shown in the catalogue's schema. */
    public Param between(long min, long max) {
        return new Param(name, type, required, defaultValue, allowed, description, min, max, itemType, itemFields);
    }

    /** An integer parameter with a lower bound only. */
    public Param atLeast(long min) {
        return new Param(name, type, required, defaultValue, allowed, description, min, null, itemType, itemFields);
    }

    /**
     * An array parameter's elements, for the catalogue's schema: of {@code elementType} ("number", "string",
     * "object"); an object's fields as "name:type", all required.
     */
    public Param withItems(String elementType, String... fields) {
        return new Param(name, type, required, defaultValue, allowed, description, minimum, maximum, elementType,
                List.of(fields));
    }

    /** A text parameter that may not be empty (a group or consumer name): its minimum length is 1. */
    public Param notEmpty() {
        return new Param(name, type, required, defaultValue, allowed, description, 1L, null, itemType, itemFields);
    }

    /** Whether a text parameter must have at least one character. */
    boolean nonEmpty() {
        return type == ParamType.STRING && minimum != null && minimum > 0;
    }

    /** Why {@code value} is outside this parameter's range, or null when it is inside (or there is no range). */
    String outOfRange(long value) {
        if (minimum != null && value < minimum || maximum != null && value > maximum) {
            return (maximum == null ? "must be " + minimum + " or more" : "must be between " + minimum + " and " + maximum)
                    + ", got " + value;
        }
        return null;
    }
}
