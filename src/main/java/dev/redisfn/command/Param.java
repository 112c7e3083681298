package dev.redisfn.command;

import java.util.List;

/**
 * One named parameter of an operation. The same name means the same thing in every operation
 * ({@code key}, {@code ttlSeconds}, {@code members} ...); {@link Params} holds the shared ones.
 */
public record Param(String name, ParamType type, boolean required, Object defaultValue, List<String> allowed,
        String description) {

    public Param {
        allowed = allowed == null ? List.of() : List.copyOf(allowed);
    }

    public static Param required(String name, ParamType type, String description) {
        return new Param(name, type, true, null, null, description);
    }

    public static Param optional(String name, ParamType type, String description) {
        return new Param(name, type, false, null, null, description);
    }

    public Param withDefault(Object value) {
        return new Param(name, type, false, value, allowed, description);
    }

    public Param asOptional() {
        return new Param(name, type, false, defaultValue, allowed, description);
    }

    public Param oneOf(String... values) {
        return new Param(name, type, required, defaultValue, List.of(values), description);
    }

    /** This parameter made required: a default would never apply, so the catalogue shows none. */
    public Param asRequired() {
        return new Param(name, type, true, null, allowed, description);
    }

    public Param describedAs(String text) {
        return new Param(name, type, required, defaultValue, allowed, text);
    }
}
