package dev.redisfn.response;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.util.RawValue;

import dev.redisfn.model.ErrorBody;

class OperationResultSerializerTest {

    /** Puts Jackson's bean serializer back for OperationResult: the reference the hand-written one must match. */
    @JsonSerialize(using = JsonSerializer.None.class)
    private interface BeanSerialized {
    }

    private final ObjectMapper handWritten = new ObjectMapper();
    private final ObjectMapper bean = new ObjectMapper().addMixIn(OperationResult.class, BeanSerialized.class);

    @Test
    void writesTheSameJsonAsTheBeanSerializerForEveryShape() throws Exception {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        List<OperationResult> shapes = List.of(
                OperationResult.success("GET", nodes.textNode("alice \"quoted\" é"), 0.41),
                OperationResult.success("GET", NullNode.instance, 12.0),
                OperationResult.success("HGETALL", nodes.objectNode().put("f", "v").set("n", nodes.arrayNode().add(1)), 3.5),
                OperationResult.success(null, nodes.numberNode(7), null),
                OperationResult.success("JSON.GET", nodes.rawValueNode(new RawValue("{\"stored\":[1,{}]}")), 0.2),
                OperationResult.success(null, NullNode.instance, null),
                OperationResult.failure("HGET", new ErrorBody("WRONG_TYPE", "WRONGTYPE ...", false, "params.key: a string", null)),
                OperationResult.failure(null, new ErrorBody("INTERNAL", "internal error", false, null, "0f3c")));
        for (OperationResult shape : shapes) {
            String expected = bean.writeValueAsString(shape);
            assertEquals(expected, handWritten.writeValueAsString(shape));
            // inside a batch's list, too
            assertEquals("[" + expected + "]", handWritten.writeValueAsString(List.of(shape)));
        }
    }

    @Test
    void keepsAnExplicitNullResultForARedisNil() throws Exception {
        assertEquals("{\"ok\":true,\"operation\":\"GET\",\"result\":null,\"durationMs\":1.25}",
                handWritten.writeValueAsString(OperationResult.success("GET", NullNode.instance, 1.25)));
    }
}
