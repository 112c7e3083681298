package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static dev.redisfn.function.Events.with;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Captures every log record of calls that fail around a password — DEBUG ones too, which an operator
 * may turn on — and proves the password never appears.
 */
@QuarkusTest
class LogSecretsTest {

    private static final String SECRET = "s3cret-never-logged-Zq9";

    @Test
    void failingCallsNeverLogThePassword() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                StringBuilder line = new StringBuilder(record.getLevel() + " " + record.getMessage());
                if (record.getParameters() != null) {
                    for (Object parameter : record.getParameters()) {
                        line.append(' ').append(parameter);
                    }
                }
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    line.append(' ').append(trace);
                }
                lines.add(line.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        List<Logger> debugged = List.of(Logger.getLogger("dev.redisfn"), Logger.getLogger("io.vertx.redis"));
        List<Level> levels = debugged.stream().map(Logger::getLevel).toList();
        debugged.forEach(logger -> logger.setLevel(Level.FINE)); // DEBUG, for this test only
        try {
            org.jboss.logging.Logger.getLogger(LogSecretsTest.class).info("log capture is on");
            execute(with(Events.standalone(), "password", SECRET), "GET", map("key", "k")).statusCode(422);
            execute(with(Events.standalone(), "username", "nobody", "password", SECRET), "GET", map("key", "k"))
                    .statusCode(422);
            Events.post("/test-connection", map("connection", with(Events.standalone(), "password", SECRET)))
                    .statusCode(200);
            Events.post("/test-connection", map("connection", with(Events.sentinel(), "password", SECRET,
                    "sentinelPassword", SECRET))).statusCode(200);
            execute(with(Events.cluster(), "password", SECRET), "GET", map("key", "k")).statusCode(422);
            execute(map("host", "127.0.0.1", "port", 1, "password", SECRET), "PING", map()).statusCode(502);
            given().contentType(ContentType.JSON).body("{\"connection\":{\"password\": " + SECRET + "}}")
                    .post("/execute").then().statusCode(400);
            given().contentType(ContentType.JSON).body("{\"connection\":{\"password\":\"" + SECRET + "\",\"port\":\"x\"}}")
                    .post("/execute").then().statusCode(400);
        } finally {
            root.removeHandler(capture);
            for (int i = 0; i < debugged.size(); i++) {
                debugged.get(i).setLevel(levels.get(i));
            }
        }
        assertTrue(lines.stream().anyMatch(line -> line.contains("log capture is on")), "the capture saw nothing");
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("DEBUG ") && line.contains("failed")),
                "the capture saw no DEBUG record of a failed call: " + lines);
        for (String line : lines) {
            assertFalse(line.contains(SECRET), "a log line carries the password: " + line);
        }
    }
}
