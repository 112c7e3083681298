package dev.redisfn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.observe.JsonLogFormatter;

/** One log record, one line of JSON in Quarkus' field names, the request id under {@code mdc}. */
class JsonLogFormatterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRecordIsOneJsonLineWithItsMdc() throws IOException {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "execute %s failed: %s", ExtLogRecord.FormatStyle.PRINTF,
                "dev.redisfn.function.ExecuteFunction");
        record.setParameters(new Object[] { "GET", "WRONG_TYPE" });
        record.setLoggerName("dev.redisfn.function.ExecuteFunction");
        record.setMdc(Map.of("requestId", "flow-1"));
        String line = new JsonLogFormatter().format(record);
        assertTrue(line.endsWith(System.lineSeparator()));
        assertEquals(1, line.strip().lines().count(), "one line");
        JsonNode json = JSON.readTree(line);
        assertEquals("INFO", json.get("level").asText());
        assertEquals("dev.redisfn.function.ExecuteFunction", json.get("loggerName").asText());
        assertEquals("execute GET failed: WRONG_TYPE", json.get("message").asText());
        assertEquals("flow-1", json.at("/mdc/requestId").asText());
        assertTrue(json.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), json.get("timestamp").asText());
        assertFalse(json.has("exception"));
    }

    @Test
    void quotesNewlinesAndAnExceptionStayInsideTheOneLine() throws IOException {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "internal error \"x\"\nsecond line",
                ExtLogRecord.FormatStyle.NO_FORMAT, "test");
        record.setThrown(new IllegalStateException("boom"));
        String line = new JsonLogFormatter().format(record);
        assertEquals(1, line.strip().lines().count(), line);
        JsonNode json = JSON.readTree(line);
        assertEquals("internal error \"x\"\nsecond line", json.get("message").asText());
        assertTrue(json.get("exception").asText().contains("IllegalStateException: boom"));
        assertFalse(json.has("mdc"));
    }
}
