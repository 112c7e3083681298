package dev.redisfn.response;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

class DurationsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void spellsEveryTwoDecimalDurationBelowTheLimitAsDoubleToStringDoes() {
        for (long hundredths = 0; hundredths < Durations.SPELLED_BELOW; hundredths++) {
            String expected = Double.toString(hundredths / 100.0);
            String spelled = Durations.spell(hundredths);
            if (!expected.equals(spelled)) {
                assertEquals(expected, spelled, "hundredths " + hundredths);
            }
        }
    }

    @Test
    void writesTheSameJsonAsJacksonForSpelledAndOtherValues() throws Exception {
        double[] values = { 0.0, 0.05, 0.4, 0.41, 1.0, 12.3, 99_999.99, 100_000.0, 123_456.78, 0.123, 1e-4, 2.5e7 };
        for (double millis : values) {
            String written = mapper.writeValueAsString(OperationResult.success("GET", NullNode.instance, millis));
            assertEquals("{\"ok\":true,\"operation\":\"GET\",\"result\":null,\"durationMs\":" + Double.toString(millis) + "}",
                    written, "durationMs " + millis);
        }
    }
}
