package dev.redisfn.observe;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * One JSON object per log line, in the field names of Quarkus' JSON log format: {@code timestamp},
 * {@code level}, {@code loggerName}, {@code threadName}, {@code message}, {@code mdc} (where the
 * call's {@code requestId} is) and, for a failure, {@code exception} with its stack trace.
 * Written with Jackson's streaming generator: no reflection, so it works in a native image too.
 */
public final class JsonLogFormatter extends Formatter {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("loggerName", record.getLoggerName());
            if (record instanceof ExtLogRecord ext) {
                json.writeStringField("threadName", ext.getThreadName());
                json.writeStringField("message", ext.getFormattedMessage());
                writeMdc(json, ext.getMdcCopy());
            } else {
                json.writeStringField("message", formatMessage(record));
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.writeStringField("exception", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a log line as JSON", e);
        }
        return line.append(System.lineSeparator()).toString();
    }

    private static void writeMdc(JsonGenerator json, Map<String, String> mdc) throws IOException {
        if (mdc == null || mdc.isEmpty()) {
            return;
        }
        json.writeObjectFieldStart("mdc");
        for (Map.Entry<String, String> entry : mdc.entrySet()) {
            json.writeStringField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }
}
