package dev.redisfn.reliability;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Generates malformed, mistyped, oversized and random events for {@code /execute} and
 * {@code /test-connection} from a seeded {@link Random}, so a failure can be replayed.
 *
 * <p>Whatever it generates stays fast to answer: connections point only at the private server or
 * at closed loopback ports; timeouts it sets are small or invalid; what takes waitMs waits briefly;
 * counts and offsets are small or at the edges Redis rejects (so no multi-gigabyte replies);
 * host names are IP literals, {@code localhost}, {@code .invalid} names or junk the parser refuses.
 */
final class HostileEvents {

    /** One generated request: where it goes, its bytes, and a short description of its shape for reports. */
    record Event(String path, byte[] body, String shape) {

        String excerpt() {
            String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return shape + " (" + body.length + " bytes): " + text.replace("\n", "\\n");
        }
    }

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> EXECUTE_FIELDS = List.of("connection", "connectionRef", "operation", "params", "batch",
            "atomic", "output", "waitReplicas");
    static final List<String> CONNECTION_FIELDS = List.of("mode", "host", "port", "nodes", "masterName", "username",
            "password", "sentinelUsername", "sentinelPassword", "database", "tls", "connectTimeoutMs",
            "commandTimeoutMs", "uri", "clientName");
    private static final List<String> HOSTS = List.of("127.0.0.1", "localhost", "::1", "[::1]", "[::1", "::ffff:127.0.0.1",
            "0.0.0.0", "169.254.169.254", "[::ffff:a9fe:a9fe]", "2852039166", "0x7f000001", "0177.0.0.1", "256.1.1.1",
            "1.2.3.4.5", "no-such-host.invalid", "-bad-", "a b", "host:port:extra", "", " ", "😀.example", "127.0.0.1:",
            "127.0.0.1:99999", "[::1]:abc", "fe80::1", "ffff::", "::");
    private static final List<String> MODES = List.of("standalone", "sentinel", "cluster", "NonCluster", "single",
            "STANDALONE", "ring", "", "cluster ", "Sentinel");
    private static final List<String> WORDS = List.of("GET", "standalone", "true", "false", "null", "1e3", "-1", "NaN",
            "%s%n%x", "${jndi:ldap://x/a}", "<script>alert(1)</script>", "' OR 1=1 --", "\r\nFLUSHALL\r\n",
            "*1\r\n$8\r\nFLUSHALL\r\n", "../../etc/passwd", "\u0000", "\u202eevil", "🙂", "ⅷ",
            "k0", "k1", "k2", "h0", "l0", "s0", "z0", "json", "base64", "utf8", "NX", "XX", "inf", "-inf");
    private static final List<String> ENCODINGS = List.of("utf8", "base64", "json", "UTF8", "latin1", "");

    private final Random random;
    private final List<String> operations;
    private final Map<String, List<String>> paramsOf;
    private final List<String> paramNames;
    private final int serverPort;
    private final String password;
    private final List<Integer> closedPorts;

    HostileEvents(long seed, Map<String, List<String>> paramsOf, int serverPort, String password, List<Integer> closedPorts) {
        this.random = new Random(seed);
        this.paramsOf = paramsOf;
        this.operations = new ArrayList<>(paramsOf.keySet());
        this.paramNames = paramsOf.values().stream().flatMap(List::stream).distinct().sorted().toList();
        this.serverPort = serverPort;
        this.password = password;
        this.closedPorts = closedPorts;
    }

    Event next() {
        int kind = random.nextInt(100);
        if (kind < 5) {
            return execute("random JSON tree", value(4));
        }
        if (kind < 8) {
            return bytes("/execute", "invalid UTF-8", invalidUtf8(json(validEvent())));
        }
        if (kind < 9) {
            // a lone surrogate as a JSON escape: valid JSON, not valid Unicode
            String text = new String(json(validEvent()), StandardCharsets.UTF_8)
                    .replace("\"fuzz:", "\"" + pick(List.of("\\ud800", "\\udfff", "\\ud800\\ud800")) + "fuzz:");
            return bytes("/execute", "lone surrogate escape", text.getBytes(StandardCharsets.UTF_8));
        }
        if (kind < 10) {
            byte[] whole = json(validEvent());
            return bytes("/execute", "truncated JSON", java.util.Arrays.copyOf(whole, random.nextInt(whole.length)));
        }
        if (kind < 12) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            return bytes(random.nextBoolean() ? "/execute" : "/test-connection", "random bytes", junk);
        }
        if (kind < 14) {
            return deepNesting();
        }
        if (kind < 15) {
            return huge();
        }
        if (kind < 33) {
            return mutated();
        }
        if (kind < 50) {
            return randomOperation();
        }
        if (kind < 60) {
            return batch();
        }
        if (kind < 68) {
            return execute("valid event", validEvent());
        }
        return testConnection();
    }

    // ---- event kinds -------------------------------------------------------------------------

    private Event mutated() {
        ObjectNode event = validEvent();
        int where = random.nextInt(3);
        if (where == 0) {
            String field = pick(EXECUTE_FIELDS);
            if (random.nextInt(5) == 0) {
                event.remove(field);
                return execute("valid event without " + field, event);
            }
            event.set(field, field.equals("waitReplicas") ? smallInteger() : value(2));
            return execute("valid event with " + field + " of a random type", event);
        }
        ObjectNode target = where == 1 ? (ObjectNode) event.get("connection") : (ObjectNode) event.get("params");
        String field = where == 1 ? pick(CONNECTION_FIELDS) : pick(paramNames);
        if (random.nextInt(6) == 0) {
            field = randomString();
        }
        target.set(field, safeValue(field, 2));
        return execute("valid event with " + (where == 1 ? "connection." : "params.") + "<" + field + "> mistyped", event);
    }

    private Event randomOperation() {
        ObjectNode event = F.objectNode();
        event.set("connection", validConnection());
        String name;
        int how = random.nextInt(10);
        if (how < 6) {
            name = randomCase(pick(operations));
        } else if (how < 7) {
            name = pick(List.of("SHUTDOWN", "DEBUG", "CONFIG", "FLUSHALL", "MONITOR", "EVAL", "SCRIPT", "KEYS", "MIGRATE"));
        } else {
            name = randomString();
        }
        event.put("operation", name);
        if (random.nextInt(8) != 0) {
            event.set("params", randomParams(name));
        } else {
            event.set("params", value(2));
        }
        if (random.nextInt(10) == 0) {
            event.put("output", pick(List.of("standard", "tencent", "TENCENT", "xml", "")));
        }
        return execute("operation <" + clip(name) + "> with random params", event);
    }

    private Event batch() {
        ObjectNode event = F.objectNode();
        event.set("connection", validConnection());
        ArrayNode items = event.putArray("batch");
        int size = random.nextInt(50) == 0 ? 1001 : random.nextInt(25);
        for (int i = 0; i < size; i++) {
            int what = random.nextInt(8);
            if (what < 3) {
                items.add(validCall());
            } else if (what < 5) {
                ObjectNode item = F.objectNode();
                String name = randomCase(pick(operations));
                item.put("operation", name);
                item.set("params", randomParams(name));
                items.add(item);
            } else if (what == 5) {
                ObjectNode item = validCall();
                item.set(random.nextBoolean() ? "batch" : randomString(), value(1));
                items.add(item);
            } else {
                items.add(value(2));
            }
        }
        if (random.nextBoolean()) {
            event.set("atomic", random.nextInt(3) == 0 ? value(1) : F.booleanNode(random.nextBoolean()));
        }
        if (random.nextInt(6) == 0) {
            event.put("operation", "GET");
        }
        return execute("batch of " + size + " with junk", event);
    }

    private Event testConnection() {
        int how = random.nextInt(10);
        if (how == 0) {
            return bytes("/test-connection", "random JSON tree", json(value(3)));
        }
        ObjectNode event = F.objectNode();
        ObjectNode connection = F.objectNode();
        String mode = pick(MODES);
        connection.put("mode", mode);
        if (how < 5) {
            ArrayNode nodes = connection.putArray("nodes");
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                nodes.add("127.0.0.1:" + pick(closedPorts));
            }
        } else if (how < 7) {
            connection.put("host", "127.0.0.1").put("port", (int) (random.nextBoolean() ? serverPort : pick(closedPorts)));
            if (random.nextBoolean()) {
                connection.put("password", random.nextBoolean() ? password : randomString());
            }
        } else {
            connection.set(pick(CONNECTION_FIELDS), safeValue("host", 1));
            connection.set(pick(CONNECTION_FIELDS), safeValue(pick(CONNECTION_FIELDS), 1));
        }
        connection.put("connectTimeoutMs", 200).put("commandTimeoutMs", 500);
        if (random.nextInt(5) == 0) {
            connection.set("tls", random.nextBoolean() ? F.booleanNode(true) : value(1));
        }
        if (random.nextInt(4) == 0) {
            connection.put("masterName", randomString());
        }
        event.set("connection", connection);
        if (random.nextInt(8) == 0) {
            event.set(random.nextBoolean() ? "connectionRef" : randomString(), value(1));
        }
        return bytes("/test-connection", "test-connection, mode <" + clip(mode) + ">", json(event));
    }

    private Event deepNesting() {
        int depth = pick(List.of(50, 500, 999, 1001, 5000, 100_000));
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        boolean objects = random.nextBoolean();
        for (int i = 0; i < depth; i++) {
            open.append(objects ? "{\"a\":" : "[");
            close.append(objects ? "}" : "]");
        }
        String nested = open + "1" + close;
        String body;
        switch (random.nextInt(3)) {
            case 0 -> body = nested;
            case 1 -> body = "{\"connection\":" + connectionJson() + ",\"operation\":\"SET\",\"params\":{\"key\":\"deep\","
                    + "\"encoding\":\"json\",\"value\":" + nested + "}}";
            default -> body = "{\"connection\":" + nested + "}";
        }
        return bytes(random.nextInt(4) == 0 ? "/test-connection" : "/execute", "nesting depth " + depth,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private Event huge() {
        int size = pick(List.of(64 * 1024, 512 * 1024, 1_050_000, 2 * 1024 * 1024));
        String big = "x".repeat(size);
        ObjectNode event = validEvent();
        String where = pick(List.of("params.value", "params.key", "operation", "connection.host", "connection.password",
                "connection.clientName", "output"));
        switch (where) {
            case "params.value" -> {
                event.put("operation", "SET");
                ((ObjectNode) event.get("params")).put("key", "huge").put("value", big);
            }
            case "params.key" -> ((ObjectNode) event.get("params")).put("key", big);
            case "connection.host", "connection.password", "connection.clientName" ->
                ((ObjectNode) event.get("connection")).put(where.substring("connection.".length()), big);
            default -> event.put(where, big);
        }
        return execute(size + "-character string in " + where, event);
    }

    // ---- building blocks -----------------------------------------------------------------------

    private ObjectNode validEvent() {
        ObjectNode event = F.objectNode();
        event.set("connection", validConnection());
        ObjectNode call = validCall();
        event.setAll(call);
        return event;
    }

    private ObjectNode validConnection() {
        ObjectNode connection = F.objectNode();
        connection.put("host", "127.0.0.1").put("port", serverPort).put("password", password)
                .put("connectTimeoutMs", 500).put("commandTimeoutMs", pick(List.of(300, 500, 1000)))
                .put("clientName", "fuzz-" + random.nextInt(4));
        return connection;
    }

    private String connectionJson() {
        return new String(json(validConnection()), StandardCharsets.UTF_8);
    }

    private ObjectNode validCall() {
        String key = "fuzz:" + pick(List.of("k0", "k1", "k2", "s", "h", "l", "z"));
        ObjectNode call = F.objectNode();
        ObjectNode params = F.objectNode().put("key", key);
        switch (random.nextInt(6)) {
            case 0 -> call.put("operation", "GET");
            case 1 -> {
                call.put("operation", "SET");
                params.put("value", randomString());
            }
            case 2 -> call.put("operation", "INCR");
            case 3 -> {
                call.put("operation", "HSET");
                params.put("field", "f").put("value", "v");
            }
            case 4 -> {
                call.put("operation", "LPUSH");
                params.putArray("values").add("a").add("b");
            }
            default -> call.put("operation", "EXISTS");
        }
        call.set("params", params);
        return call;
    }

    /** Parameters for an operation: some of its own (and sometimes unknown ones), each with a random value. */
    private ObjectNode randomParams(String operation) {
        List<String> own = paramsOf.getOrDefault(operation.toUpperCase(java.util.Locale.ROOT), List.of());
        ObjectNode params = F.objectNode();
        for (String name : own) {
            if (random.nextInt(3) != 0) {
                params.set(name, safeValue(name, 1));
            }
        }
        if (random.nextInt(5) == 0) {
            String name = random.nextBoolean() ? pick(paramNames) : randomString();
            params.set(name, safeValue(name, 1));
        }
        if (own.contains("waitMs") && !params.has("waitMs")) { // SUBSCRIBE, the blocking pops: a brief wait
            params.put("waitMs", 50);
        }
        return params;
    }

    /** A random value, except where a value could make the answer legitimately slow or huge. */
    private JsonNode safeValue(String field, int depth) {
        switch (field) {
            case "waitMs":
                return pick(List.of(F.numberNode(-1), F.numberNode(0), F.numberNode(1), F.numberNode(50),
                        F.textNode("50"), F.textNode("abc"), F.numberNode(1.5), F.numberNode(1_000_000_000_000L),
                        F.booleanNode(true), F.nullNode()));
            case "connectTimeoutMs", "commandTimeoutMs":
                return pick(List.of(F.numberNode(0), F.numberNode(-1), F.numberNode(120_001), F.numberNode(300),
                        F.textNode("300"), F.textNode("ten"), F.numberNode(2.5), F.booleanNode(false), F.objectNode()));
            case "host":
                return random.nextInt(4) == 0 ? value(1) : F.textNode(pick(HOSTS));
            case "nodes":
                return random.nextBoolean() ? F.textNode(pick(HOSTS) + "," + pick(HOSTS))
                        : F.arrayNode().add(pick(HOSTS)).add(value(0));
            case "uri":
                return F.textNode(pick(List.of("redis://:pw@127.0.0.1:" + pick(closedPorts), "rediss://[::1]:1/0",
                        "redis-sentinel://127.0.0.1:" + pick(closedPorts) + "/m", "http://127.0.0.1/", "redis://",
                        "redis://user:p%ZZ@127.0.0.1:1/x", "redis://127.0.0.1:" + serverPort + "/99999")));
            case "port":
                return random.nextBoolean() ? F.numberNode(pick(closedPorts)) : value(0);
            case "mode":
                return random.nextBoolean() ? F.textNode(pick(MODES)) : value(1);
            case "encoding":
                return random.nextBoolean() ? F.textNode(pick(ENCODINGS)) : value(0);
            default:
                return value(depth);
        }
    }

    /** A random JSON value; {@code depth} bounds arrays and objects inside it. */
    private JsonNode value(int depth) {
        switch (random.nextInt(depth <= 0 ? 7 : 9)) {
            case 0:
                return F.nullNode();
            case 1:
                return F.booleanNode(random.nextBoolean());
            case 2:
                return F.numberNode(smallOrEdgeInteger());
            case 3:
                return F.numberNode(pick(List.of(0.5, -0.0, 1e308, -1e-308, 3.14159, 1e15 + 0.5)));
            case 4:
                return F.textNode(randomString());
            case 5:
                return F.numberNode(new BigInteger("9".repeat(20 + random.nextInt(40))));
            case 6:
                return F.textNode(pick(WORDS));
            case 7: {
                ArrayNode array = F.arrayNode();
                for (int i = 0, n = random.nextInt(5); i < n; i++) {
                    array.add(value(depth - 1));
                }
                return array;
            }
            default: {
                ObjectNode object = F.objectNode();
                for (int i = 0, n = random.nextInt(5); i < n; i++) {
                    String name = random.nextBoolean() ? pick(random.nextBoolean() ? EXECUTE_FIELDS : CONNECTION_FIELDS)
                            : random.nextBoolean() ? pick(paramNames) : randomString();
                    object.set(name, safeValue(name, depth - 1));
                }
                return object;
            }
        }
    }

    /** Small numbers, or edges Redis refuses; never a count that would make Redis build a huge reply. */
    private long smallOrEdgeInteger() {
        return random.nextInt(6) == 0 ? pick(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L << 53))
                : random.nextInt(2001) - 1000;
    }

    private JsonNode smallInteger() {
        return random.nextBoolean() ? F.numberNode(random.nextInt(20) - 2) : value(0);
    }

    /** Random text that never forms a host name by accident (so no DNS look-ups), or tricky known words. */
    private String randomString() {
        int how = random.nextInt(10);
        if (how < 3) {
            return pick(WORDS);
        }
        StringBuilder text = new StringBuilder();
        int length = how == 9 ? 1000 + random.nextInt(9000) : random.nextInt(20);
        for (int i = 0; i < length; i++) {
            int c = random.nextInt(4) == 0 ? random.nextInt(0x3000) : 0x20 + random.nextInt(0x5f);
            if (Character.isSurrogate((char) c) && random.nextBoolean()) {
                c = 'x';
            }
            text.append((char) c);
        }
        return text.append(' ').append((char) ('!' + random.nextInt(14))).toString();
    }

    private String randomCase(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return random.nextInt(10) == 0 ? " " + out + " " : out.toString();
    }

    private byte[] invalidUtf8(byte[] valid) {
        byte[][] bad = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}};
        String text = new String(valid, StandardCharsets.UTF_8);
        int quote = text.indexOf("\"fuzz:");
        int at = quote >= 0 ? quote + 2 : random.nextInt(valid.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(valid, 0, at);
        out.writeBytes(bad[random.nextInt(bad.length)]);
        out.write(valid, at, valid.length - at);
        return out.toByteArray();
    }

    private Event execute(String shape, JsonNode event) {
        return bytes("/execute", shape, json(event));
    }

    private static Event bytes(String path, String shape, byte[] body) {
        return new Event(path, body, shape);
    }

    private static byte[] json(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String clip(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
