package dev.redisfn.request;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Events are read strictly: a field given twice in one object is refused rather than the last one
 * winning, so that a gateway or policy that reads the first {@code operation} or {@code
 * connectionRef} of an event always sees the one that runs.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** How Jackson's message of a duplicate begins ({@link EventReader} fails its own finds alike). */
    static final String DUPLICATE = "Duplicate field '";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
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
