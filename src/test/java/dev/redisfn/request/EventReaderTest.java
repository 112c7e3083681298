package dev.redisfn.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.redisfn.command.Call;
import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.response.OutputFormat;
import dev.redisfn.security.KeyScope;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The fast route reads an execute event from its bytes ({@link EventReader#read}), Funqy hands
 * over a tree: both must decode every event alike, the first time and when the connection's
 * bytes are known.
 */
@QuarkusTest
class EventReaderTest {

    /** An allowance that takes whatever a tree asks for: these tests are about what is read, not its weight. */
    private static final TreeAllowance FREE = (bytes, weight) -> {
    };

    private static final String CONNECTION = "{\"host\":\"127.0.0.1\",\"port\":%d}";

    @Inject
    RequestDecoder decoder;

    @Inject
    EventReader reader;

    @Inject
    ObjectMapper mapper;

    /** What a decoded event comes to: the request's parts, or the error a caller would see. */
    private record Outcome(ConnectionConfig connection, List<String> operations, boolean atomic, int waitReplicas,
            OutputFormat output, String error) {
    }

    private static Outcome outcome(Callable<ExecuteRequest> decode) throws Exception {
        try {
            ExecuteRequest request = decode.call();
            List<Call> calls = request.isBatch() ? request.batch() : List.of(request.call());
            return new Outcome(request.connection(), calls.stream()
                    .map(call -> call.error() != null ? call.error().getMessage() : call.operation().name()).toList(),
                    request.atomic(), request.waitReplicas(), request.output(), null);
        } catch (ConnectorException e) {
            return new Outcome(null, null, false, 0, null, e.code() + ": " + e.getMessage());
        }
    }

    private void decodesAsTheTree(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Outcome expected = outcome(() -> decoder.execute(EventReader.Event.of(mapper.readTree(body)), KeyScope.ALL));
        assertEquals(expected, outcome(() -> decoder.execute(reader.read(body, FREE), KeyScope.ALL)), json);
        assertEquals(expected, outcome(() -> decoder.execute(reader.read(body, FREE), KeyScope.ALL)), "again: " + json);
    }

    private static String connection() {
        return CONNECTION.formatted(ThreadLocalRandom.current().nextInt(20_000, 60_000));
    }

    @Test
    void everyShapeOfEventDecodesAsItsTree() throws Exception {
        String connection = connection();
        for (String json : List.of(
                "{\"connection\":" + connection + ",\"operation\":\"GET\",\"params\":{\"key\":\"k\"}}",
                "{ \"connection\" : " + connection + " , \"operation\" : \"GET\", \"params\": {\"key\": \"k\"} }",
                "{\"operation\":\"SET\",\"params\":{\"key\":\"k\",\"value\":\"v\"},\"connection\":" + connection + "}",
                "{\"connection\":{\"host\":\"127.0.0.\\u0031\",\"port\":6390},\"operation\":\"GET\",\"params\":{\"key\":\"k\"}}",
                "{\"connection\":" + connection + ",\"connectionRef\":\"local\",\"operation\":\"PING\"}",
                "{\"connection\":\"redis://127.0.0.1:6390\",\"operation\":\"PING\"}",
                "{\"connection\":null,\"operation\":\"PING\"}",
                "{\"connection\":{\"port\":\"six\"},\"operation\":\"GET\",\"params\":{\"key\":\"k\"}}",
                "{\"connection\":{\"port\":\"six\"},\"opration\":\"GET\"}",
                "{\"connection\":{\"host\":\"127.0.0.1\",\"port\":6390,\"tls\":{\"enabled\":[1,{\"x\":2}]}},\"operation\":\"PING\"}",
                "{\"connection\":" + connection + ",\"batch\":[{\"operation\":\"GET\",\"params\":{\"key\":\"a\"}},"
                        + "{\"operation\":\"NOPE\"}],\"atomic\":false,\"output\":\"standard\"}",
                "{\"connection\":" + connection + ",\"operation\":\"SET\",\"params\":{\"key\":\"k\",\"value\":\"v\"},"
                        + "\"waitReplicas\":1}",
                "{\"connection\":" + connection + "}",
                "{}", "[1,2]", "\"execute\"", "null")) {
            decodesAsTheTree(json);
        }
    }

    /** {@code {...}garbage}: Jackson's tree reader would stop at the object; the event is refused as not JSON. */
    @Test
    void contentAfterTheObjectIsRefused() {
        for (String json : List.of("{\"connection\":" + connection() + ",\"operation\":\"GET\"} trailing",
                "{\"operation\":\"PING\"}{}", "[1] 2")) {
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> reader.read(json.getBytes(StandardCharsets.UTF_8), FREE), json);
        }
    }

    /** A field twice in one object — the event, its connection or its params — is refused, naming the field. */
    @Test
    void aFieldGivenTwiceIsRefusedByName() {
        String connection = connection();
        for (String[] event : new String[][] {
                {"{\"connection\":{\"host\":\"a.invalid\"},\"connection\":" + connection + ",\"operation\":\"PING\"}", "connection"},
                {"{\"connection\":" + connection + ",\"operation\":\"GET\",\"operation\":\"PING\"}", "operation"},
                {"{\"connection\":{\"host\":\"127.0.0.1\",\"host\":\"10.0.0.1\"},\"operation\":\"PING\"}", "host"},
                {"{\"connection\":" + connection + ",\"operation\":\"SET\",\"params\":{\"key\":\"k\",\"key\":\"last\"}}", "key"},
                {"{\"connectionRef\":\"a\",\"connectionRef\":\"b\",\"operation\":\"PING\"}", "connectionRef"},
                {"{\"connection\":\"redis://h\",\"connection\":" + connection + ",\"operation\":\"PING\"}", "connection"},
                {"{\"connection\":" + connection + ",\"operation\":\"HSET\",\"params\":{\"key\":\"k\","
                        + "\"fields\":{\"a\":1,\"b\":{\"c\":2,\"c\":3}}}}", "c"},
                {"{\"connection\":" + connection + ",\"batch\":[{\"operation\":\"GET\",\"operation\":\"DEL\"}]}", "operation"},
                {"[{\"operation\":\"GET\",\"operation\":\"DEL\"}]", "operation"}}) {
            java.io.IOException failure = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> reader.read(event[0].getBytes(StandardCharsets.UTF_8), FREE), event[0]);
            assertEquals("the request body gives the field '" + event[1] + "' twice in one object; give each field once",
                    EventReader.notJson("the request body", failure).getMessage());
            assertEquals("the event is not valid JSON",
                    EventReader.notJson("the event", new java.io.IOException("unexpected end")).getMessage());
        }
        String deep = "{\"connection\":" + connection + ",\"operation\":\"PING\",\"params\":{\"x\":"
                + "[".repeat(5_000) + "]".repeat(5_000) + "}}";
        java.io.IOException tooDeep = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> reader.read(deep.getBytes(StandardCharsets.UTF_8), FREE));
        assertEquals("the request body is beyond what the JSON reader takes (nesting, number or string length)",
                EventReader.notJson("the request body", tooDeep).getMessage());
    }

    /** Strings, booleans, nulls and an object of them are read without Jackson's tree reader: to the same nodes. */
    @Test
    void theRestOfTheEventIsTheTreeJacksonReads() throws Exception {
        String connection = connection();
        for (String rest : List.of(
                "\"operation\":\"SET\",\"params\":{\"key\":\"k\\u00e9\",\"value\":null,\"nx\":true,\"xx\":false}",
                "\"operation\":\"SET\",\"params\":{\"key\":\"k\",\"ttlSeconds\":12,\"px\":1.5e3}",
                "\"operation\":\"HSET\",\"params\":{\"key\":\"k\",\"fields\":{\"a\":{\"b\":[1,\"2\",null]}},"
                        + "\"big\":123456789012345678901234,\"long\":12345678901}",
                "\"operation\":\"MGET\",\"params\":{\"keys\":[\"a\",\"b\"]},\"output\":\"tencent-compat\",\"atomic\":null",
                "\"operation\":[\"GET\"],\"params\":[{\"key\":\"k\"}],\"waitReplicas\":-1",
                "\"operation\":7,\"params\":\"key\",\"extra\":{}")) {
            String json = "{\"connection\":" + connection + "," + rest + "}";
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            ObjectNode expected = (ObjectNode) mapper.readTree(body);
            expected.remove("connection");
            for (int time = 0; time < 2; time++) { // the connection not yet known, then known
                EventReader.Event read = reader.read(body, FREE);
                outcome(() -> decoder.execute(read, KeyScope.ALL));
                ObjectNode tree = ((ObjectNode) read.tree()).deepCopy();
                tree.remove("connection");
                assertEquals(expected, tree, json);
                assertEquals(expected.toString(), tree.toString(), "the same node types: " + json);
            }
        }
    }

    @Test
    void aConnectionIsKnownByItsExactBytesOnceAnEventWithItDecoded() throws Exception {
        String connection = connection();
        byte[] body = ("{\"connection\":" + connection + ",\"operation\":\"PING\"}").getBytes(StandardCharsets.UTF_8);
        EventReader.Event first = reader.read(body, FREE);
        assertNull(first.known(), "a connection never seen is decoded from its tree");
        decoder.execute(first, KeyScope.ALL);
        EventReader.Event second = reader.read(body, FREE);
        assertNotNull(second.known(), "the same bytes find the config decoded the first time");
        assertNull(second.tree().get("connection"), "no tree is built for a known connection");
        assertEquals(decoder.execute(first, KeyScope.ALL).connection(),
                decoder.execute(second, KeyScope.ALL).connection());

        byte[] spaced = ("{\"connection\": " + connection + ",\"operation\":\"PING\"}").getBytes(StandardCharsets.UTF_8);
        byte[] otherOrder = ("{\"operation\":\"PING\",\"connection\":" + connection + "}").getBytes(StandardCharsets.UTF_8);
        assertNotNull(reader.read(spaced, FREE).known(), "spaces outside the object are not part of it");
        assertNotNull(reader.read(otherOrder, FREE).known());
        byte[] reordered = ("{\"connection\":{\"port\":" + connection.substring(connection.lastIndexOf(':') + 1, connection.length() - 1)
                + ",\"host\":\"127.0.0.1\"},\"operation\":\"PING\"}").getBytes(StandardCharsets.UTF_8);
        assertNull(reader.read(reordered, FREE).known(), "other bytes are another key, even for the same config");
    }

    @Test
    void callersTakingTurnsEachFindTheirOwnConfig() throws Exception {
        String one = connection();
        String other = CONNECTION.formatted(60_001);
        byte[] first = ("{\"connection\":" + one + ",\"operation\":\"PING\"}").getBytes(StandardCharsets.UTF_8);
        byte[] second = ("{\"connection\":" + other + ",\"operation\":\"PING\"}").getBytes(StandardCharsets.UTF_8);
        ConnectionConfig firstConfig = decoder.execute(reader.read(first, FREE), KeyScope.ALL).connection();
        ConnectionConfig secondConfig = decoder.execute(reader.read(second, FREE), KeyScope.ALL).connection();
        for (int turn = 0; turn < 3; turn++) {
            assertEquals(firstConfig, reader.read(first, FREE).known());
            assertEquals(secondConfig, reader.read(second, FREE).known());
            assertEquals(secondConfig, reader.read(second, FREE).known(), "the last one again");
        }
        assertEquals(60_001, secondConfig.nodes().get(0).port());
    }

    @Test
    void aConnectionThatFailsToDecodeIsNotRemembered() throws Exception {
        byte[] body = "{\"connection\":{\"port\":\"six\"},\"operation\":\"PING\"}".getBytes(StandardCharsets.UTF_8);
        outcome(() -> decoder.execute(reader.read(body, FREE), KeyScope.ALL));
        assertNull(reader.read(body, FREE).known());
    }

    /**
     * What a tree takes past its body's bytes is asked of the allowance as the tree is read — of an
     * event, of a body that is not an object, of a connection object read for the first time — and a
     * refusal ends the read with the allowance's own error; the usual event asks for nothing.
     */
    @Test
    void aTreeIsWeighedAndReservedAsItIsRead() throws Exception {
        String empties = "[" + "{},".repeat(20_000) + "{}]";
        List<byte[]> heavy = List.of(
                ("{\"operation\":\"SET\",\"params\":{\"key\":\"k\",\"encoding\":\"json\",\"value\":" + empties + "}}")
                        .getBytes(StandardCharsets.UTF_8),
                empties.getBytes(StandardCharsets.UTF_8),
                ("{\"connection\":{\"host\":\"h\",\"nodes\":" + empties + "},\"operation\":\"PING\"}")
                        .getBytes(StandardCharsets.UTF_8));
        for (byte[] body : heavy) {
            long[] reserved = {0};
            reader.read(body, (bytes, weight) -> reserved[0] += bytes);
            assertTrue(reserved[0] >= 20_001 * 128L - CountedParser.FREE - body.length,
                    reserved[0] + " reserved for 20,001 objects in " + body.length + " bytes");
            ConnectorException refused = new ConnectorException(ErrorCode.OVERLOADED, "no room");
            assertSame(refused, assertThrows(ConnectorException.class, () -> reader.read(body, (bytes, weight) -> {
                throw refused;
            })));
        }
        byte[] usual = ("{\"connection\":{\"host\":\"127.0.0.1\",\"port\":6390,\"password\":\"secret\"},"
                + "\"operation\":\"MSET\",\"params\":{\"values\":{\"a\":\"1\",\"b\":\"2\"}}}").getBytes(StandardCharsets.UTF_8);
        reader.read(usual, (bytes, weight) -> fail("the usual event reserved " + bytes + " bytes"));
    }
}
