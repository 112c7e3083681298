package dev.redisfn.command;

/** The JSON type of a parameter, as the catalogue publishes it (JSON Schema {@code type}). */
public enum ParamType {
    STRING("string"),
    INTEGER("integer"),
    NUMBER("number"),
    BOOLEAN("boolean"),
    STRING_ARRAY("array"),
    ARRAY("array"),
    OBJECT("object"),
    /** A stored value: a string, or any JSON value with {@code "encoding": "json"}. */
    VALUE(null);

    private final String jsonType;

    ParamType(String jsonType) {
        this.jsonType = jsonType;
    }

    /** The JSON Schema type name, or null when any JSON value is accepted. */
    public String jsonType() {
        return jsonType;
    }
}
