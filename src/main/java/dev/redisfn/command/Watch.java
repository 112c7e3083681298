package dev.redisfn.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The keys an atomic batch WATCHes. As a list they guard the batch while it is in flight; as an
 * object they carry the value the flow read from each key in an earlier call (JSON null: the key
 * did not exist), and the batch applies only if every key still holds it.
 */
public record Watch(List<String> keys, Map<String, JsonNode> values) {

    public static final Watch NONE = new Watch(List.of(), null);

    /** The list form: WATCH these keys before MULTI. */
    public static Watch keys(List<String> keys) {
        return new Watch(List.copyOf(keys), null);
    }

    /** The object form: each key with the value read from it, in the caller's order. */
    public static Watch values(Map<String, JsonNode> read) {
        Map<String, JsonNode> copy = Collections.unmodifiableMap(new LinkedHashMap<>(read));
        return new Watch(List.copyOf(copy.keySet()), copy);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Whether the keys must still hold the values read (the object form). */
    public boolean comparesValues() {
        return values != null;
    }
}
