package dev.redisfn.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.Fields;
import dev.redisfn.model.Suggestions;

import io.vertx.core.buffer.Buffer;

/**
 * The {@code params} of one operation call, checked against the operation's declared parameters:
 * unknown names, missing required ones and wrong types are INVALID_REQUEST naming the parameter.
 */
public final class Args {

    private static final Fields F = Fields.request("params.");

    /** Parameters that name keys, wherever an operation takes them. */
    private static final List<String> SLOT_KEY_PARAMS = List.of("key", "keys", "destination", "source", "newKey");

    private final ObjectNode node;
    private final Map<String, Param> declared;
    private final Encoding encoding;

    Args(Operation operation, ObjectNode node) {
        this.node = node;
        this.declared = operation.paramsByName();
        node.fieldNames().forEachRemaining(name -> {
            if (!declared.containsKey(name)) {
                throw F.invalid(name, "unknown parameter for " + operation.name()
                        + Suggestions.accepted(name, declared.keySet()));
            }
        });
        this.encoding = Encoding.parse(F.string(node.get("encoding"), "encoding"));
        for (Param param : declared.values()) {
            if (param.required() && !given(param)) {
                throw F.invalid(param.name(), "required by " + operation.name());
            }
        }
    }

    /** Present; a stored value may be JSON null when the call's values are JSON. */
    private boolean given(Param param) {
        JsonNode value = node.get(param.name());
        return !Fields.isAbsent(value) || (value != null && param.type() == ParamType.VALUE && encoding == Encoding.JSON);
    }

    public Encoding encoding() {
        return encoding;
    }

    public String key() {
        return string("key");
    }

    public List<String> keys() {
        return strings("keys");
    }

    /** {@code keys}, or the single {@code key}, for operations that take either. */
    public List<String> keyList() {
        return stringsOrOne("keys", "key");
    }

    /** {@code <plural>} as a list, or the single {@code <singular>}, for operations that take either. */
    public List<String> stringsOrOne(String plural, String singular) {
        if (has(plural)) {
            requireNot(plural, singular);
            return strings(plural);
        }
        if (has(singular)) {
            return List.of(string(singular));
        }
        throw F.invalid(plural, "required (or give a single " + singular + ")");
    }

    /** {@code values} as stored values, or the single {@code value}. */
    public List<Buffer> valuesOrOne() {
        if (has("values")) {
            requireNot("values", "value");
            return values("values");
        }
        if (has("value")) {
            return List.of(value("value"));
        }
        throw F.invalid("values", "required (or give a single value)");
    }

    /**
     * A call that gives both forms of one parameter — {@code plural}, and the {@code single} form's
     * parameters (member + score) — would lose one of them silently.
     */
    void requireNot(String plural, String... single) {
        for (String name : single) {
            if (has(name)) {
                throw F.invalid(name, "give " + plural + " or " + String.join(" + ", single) + ", not both");
            }
        }
    }

    /** Every key this call names, for the one-slot checks of cluster mode. */
    public List<String> slotKeys() {
        List<String> found = new ArrayList<>();
        for (String name : SLOT_KEY_PARAMS) {
            JsonNode value = node.get(name);
            if (value != null && value.isTextual()) {
                found.add(value.textValue());
            } else if (value != null && value.isArray()) {
                value.forEach(element -> found.add(element.asText()));
            }
        }
        for (String keyed : List.of("entries", "streams")) {
            JsonNode object = node.get(keyed);
            if (object != null && object.isObject()) {
                object.fieldNames().forEachRemaining(found::add);
            }
        }
        return found;
    }

    /** Fills in a generated value (a lock token) so that the result can report it. */
    String defaultTo(String name, String generated) {
        if (!has(name)) {
            node.put(name, generated);
        }
        return string(name);
    }

    public boolean has(String name) {
        return !Fields.isAbsent(node.get(name));
    }

    public JsonNode raw(String name) {
        return node.get(name);
    }

    public String string(String name) {
        String value = F.string(node.get(name), name);
        if (value == null) {
            Object fallback = defaultOf(name);
            value = fallback == null ? null : fallback.toString();
        }
        checkAllowed(name, value);
        if (value != null && value.isEmpty()) {
            Param param = declared.get(name);
            if (param != null && param.nonEmpty()) {
                throw F.invalid(name, "must not be empty");
            }
        }
        return value;
    }

    public Long integer(String name) {
        Long value = F.integer(node.get(name), name);
        if (value == null) {
            return (Long) defaultOf(name);
        }
        Param param = declared.get(name);
        String outOfRange = param == null ? null : param.outOfRange(value);
        if (outOfRange != null) {
            throw F.invalid(name, outOfRange);
        }
        return value;
    }

    /**
     * An integer parameter as the decimal text a command argument carries: numbers go to Redis as
     * text, never through {@code Request.arg(long)} (NumericArgumentsTest says why).
     */
    public String digits(String name) {
        return Long.toString(integer(name));
    }

    /**
     * A wait a call asks for, with its declared default, within 0..max: for the dispatcher's
     * deadline, before the operation checks the value itself.
     */
    public long waitMillis(String name, long max) {
        Long value = F.integer(node.get(name), name);
        value = value != null ? value : (Long) defaultOf(name);
        return value == null ? 0 : Math.max(0, Math.min(max, value));
    }

    /**
     * A number parameter as the exact decimal text a command argument carries (INCRBYFLOAT's increment,
     * which Redis adds in long double): checked as {@link #number} checks it, but never sent through a double.
     */
    public String decimal(String name) {
        Double checked = number(name);
        JsonNode value = node.get(name);
        if (value != null && value.isNumber()) {
            return value.decimalValue().toString();
        }
        String text = value != null && value.isTextual() ? value.textValue().trim() : "";
        return Fields.isDecimal(text) ? text : Commands.score(checked);
    }

    public Double number(String name) {
        Double value = F.number(node.get(name), name);
        return value != null ? value : defaultOf(name) == null ? null : ((Number) defaultOf(name)).doubleValue();
    }

    public boolean flag(String name) {
        Boolean value = F.bool(node.get(name), name);
        return value != null ? value : Boolean.TRUE.equals(defaultOf(name));
    }

    /** A non-empty list of strings. */
    public List<String> strings(String name) {
        List<String> values = F.strings(node.get(name), name, false);
        if (values == null || values.isEmpty()) {
            throw F.invalid(name, "must hold at least one element");
        }
        return values;
    }

    /** A stored value, encoded as the call's {@code encoding} says. */
    public Buffer value(String name) {
        JsonNode value = node.get(name);
        if (value == null || (value.isNull() && encoding != Encoding.JSON)) {
            throw F.invalid(name, "required");
        }
        return encoding.encode(value, name);
    }

    /** A non-empty list of stored values. */
    public List<Buffer> values(String name) {
        JsonNode array = node.get(name);
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw F.invalid(name, "expected a non-empty array");
        }
        List<Buffer> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            values.add(encoding.encode(array.get(i), name + "[" + i + "]"));
        }
        return values;
    }

    /** A non-empty JSON object, e.g. the {@code fields} of HSET. */
    public ObjectNode object(String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isObject() || value.isEmpty()) {
            throw F.invalid(name, "expected a non-empty object" + (value == null || value.isObject() ? ""
                    : ", got " + Fields.describe(value)));
        }
        return (ObjectNode) value;
    }

    public ConnectorException invalid(String name, String problem) {
        return F.invalid(name, problem);
    }

    /** An object inside a parameter ({@code members[0]}) names only {@code accepted} fields, as params do. */
    void requireOnly(JsonNode object, String at, List<String> accepted) {
        F.requireOnly(object, at + ".", accepted);
    }

    private Object defaultOf(String name) {
        Param param = declared.get(name);
        return param == null ? null : param.defaultValue();
    }

    private void checkAllowed(String name, String value) {
        Param param = declared.get(name);
        if (value != null && param != null && !param.allowed().isEmpty()
                && param.allowed().stream().noneMatch(allowed -> allowed.equalsIgnoreCase(value))) {
            throw F.invalid(name, "'" + value + "' is not one of " + param.allowed());
        }
    }
}
