package dev.redisfn.request;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Events are read strictly: a field given twice in one object is refused rather than the last one
 * winning, so that a gateway or policy that reads the first {@code operation} or {@code
 * connectionRef} of an event always sees the one that runs; and a number with a fraction or an
 * exponent is read exactly: as BigDecimal, trailing zeros kept, so that a value stored from one keeps
 * its digits (12345678901234567890.5, 1.10, 100.0) instead of passing through a double, and one
 * beyond a double (1e400) stays a number rather than becoming Infinity, which JSON has not.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** How Jackson's message of a duplicate begins ({@link EventReader} fails its own finds alike). */
    static final String DUPLICATE = "Duplicate field '";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    }

    /** The field a parse failure found twice, or null when it failed for another reason (Jackson's message, pinned by a test). */
    static String duplicated(Throwable failure) {
        if (failure instanceof JsonParseException parse && parse.getOriginalMessage() != null
                && parse.getOriginalMessage().startsWith(DUPLICATE)) {
            String rest = parse.getOriginalMessage().substring(DUPLICATE.length());
            int end = rest.indexOf('\'');
            return end < 0 ? null : rest.substring(0, end);
        }
        return null;
    }
}
