package dev.redisfn.bench;

import java.util.ArrayList;
import java.util.List;

/** The function's request bodies, addressed at the Redis on {@code redisPort}. */
record Requests(int redisPort) {

    /** The value every benchmark stores and reads: 100 bytes. */
    static final String VALUE = "x".repeat(100);

    String connection() {
        return "{\"host\":\"127.0.0.1\",\"port\":" + redisPort + "}";
    }

    String body(String operation, String params, String clientName) {
        String connection = clientName == null ? connection()
                : "{\"host\":\"127.0.0.1\",\"port\":" + redisPort + ",\"clientName\":\"" + clientName + "\"}";
        return "{\"connection\":" + connection + ",\"operation\":\"" + operation + "\",\"params\":" + params + "}";
    }

    /** GET of the 100-byte value at {@code bench:k}. */
    String get() {
        return body("GET", "{\"key\":\"bench:k\"}", null);
    }

    /** SET of a 100-byte value at {@code bench:s}. */
    String set() {
        return body("SET", "{\"key\":\"bench:s\",\"value\":\"" + VALUE + "\"}", null);
    }

    /** One batch of {@code size} GETs. */
    String batch(int size) {
        StringBuilder batch = new StringBuilder("{\"connection\":" + connection() + ",\"batch\":[");
        for (int i = 0; i < size; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"operation\":\"GET\",\"params\":{\"key\":\"bench:k\"}}");
        }
        return batch.append("]}").toString();
    }

    /** GETs under {@code configs} distinct configs (distinct client names). */
    List<String> rotating(int configs) {
        List<String> bodies = new ArrayList<>(configs);
        for (int i = 0; i < configs; i++) {
            bodies.add(body("GET", "{\"key\":\"bench:k\"}", "bench-" + i));
        }
        return bodies;
    }
}
