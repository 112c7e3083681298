package dev.redisfn.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Pins what the weighing relies on: Jackson's tree reader takes every token of what it builds
 * through the parser it is given — by whichever of the parser's {@code next...} methods — so a
 * tree made through a {@link CountedParser} weighs exactly its tokens. If an upgrade of Jackson
 * reads another way, the weights here stop matching, and this fails.
 */
class CountedParserTest {

    private static final String DOCUMENT = "{\"a\":[1,2.5,\"text\",true,false,null,{\"b\":{}},[],[[-7]]],"
            + "\"c\":\"d\",\"e\":{\"f\":12345678901234567890,\"g\":1e3}}";

    private final JsonFactory factory = new JsonFactory();

    @Test
    void aTreeWeighsExactlyItsTokens() throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        long expected = plainWeight(DOCUMENT);
        try (CountedParser counted = new CountedParser(factory.createParser(DOCUMENT), (bytes, weight) -> {
        }, 0)) {
            JsonNode tree = mapper.readTree(counted);
            assertEquals(mapper.readTree(DOCUMENT), tree);
            assertEquals(expected, counted.weight(), "the tree reader through ObjectMapper.readTree");
        }
        try (CountedParser counted = new CountedParser(factory.createParser(DOCUMENT), (bytes, weight) -> {
        }, 0)) {
            mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(counted);
            assertEquals(expected, counted.weight(), "the tree reader through an ObjectReader");
        }
    }

    @Test
    void theAllowanceIsAskedOncePastTheFreeShareAndThenInSteps() throws IOException {
        String empties = "[" + "{},".repeat(2_000) + "{}]";
        long[] asked = {0, 0};
        try (CountedParser counted = new CountedParser(factory.createParser(empties), (bytes, weight) -> {
            asked[0]++;
            asked[1] += bytes;
        }, 0)) {
            new ObjectMapper().readTree(counted);
            long weight = plainWeight(empties);
            assertEquals(weight, counted.weight());
            assertEquals(weight - CountedParser.FREE, asked[1], CountedParser.STEP,
                    "what was reserved covers the weight past the free share, within a step");
            assertEquals((weight - CountedParser.FREE + CountedParser.STEP - 1) / CountedParser.STEP, asked[0],
                    "asked once per step");
        }
    }

    /** Text short enough is read unweighed: no JSON that long can weigh more than its free share. */
    @Test
    void shortTextIsReadUnweighedBecauseNoJsonOfItsLengthCouldPassTheFreeShare() throws IOException {
        for (String dense : new String[] {"[{},{},{}]", "{}", "[[],[]]", "[\"\",\"\"]", "[0,0,0]", "[1e1,0.5]",
            "{\"\":{},\"a\":[]}", "[true,null]"}) {
            assertTrue(plainWeight(dense) <= (long) CountedParser.MAX_WEIGHT_PER_BYTE * dense.length(), dense);
        }
        int longest = (int) (CountedParser.FREE / CountedParser.MAX_WEIGHT_PER_BYTE);
        String fits = "[" + "{},".repeat((longest - 3) / 3) + "{}]";
        assertFalse(CountedParser.over(factory.createParser(fits), fits.length(), (bytes, weight) -> {
        }, 0) instanceof CountedParser, fits.length() + " bytes");
        String longer = fits + " ".repeat(longest + 1 - fits.length());
        assertTrue(CountedParser.over(factory.createParser(longer), longer.length(), (bytes, weight) -> {
        }, 0) instanceof CountedParser, longer.length() + " bytes");
    }

    private long plainWeight(String json) throws IOException {
        long weight = 0;
        try (JsonParser plain = factory.createParser(json)) {
            for (JsonToken token = plain.nextToken(); token != null; token = plain.nextToken()) {
                weight += CountedParser.weightOf(token, plain);
            }
        }
        return weight;
    }
}
