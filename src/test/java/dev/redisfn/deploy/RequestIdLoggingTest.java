package dev.redisfn.deploy;

import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import dev.redisfn.pipeline.ExecutePipeline;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every call has a request id — the caller's {@code X-Request-Id}, else the CloudEvent's id, else a
 * generated one — echoed in the response and carried by the log lines the call writes, whichever
 * thread writes them: the event loop of the plain-JSON path, Funqy's worker for CloudEvents, a
 * Redis client's callback for a failure Redis answered.
 */
@QuarkusTest
public class RequestIdLoggingTest {

    /** A captured line: its message and the {@code requestId} of the MDC when it was written. */
    record Line(String message, String requestId) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final Logger functionLogger = Logger.getLogger(ExecutePipeline.class.getName());
    private Level previousLevel;
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            Object id = record instanceof ExtLogRecord ext ? ext.getMdc("requestId") : null;
            lines.add(new Line(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage(),
                    id == null ? null : id.toString()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheFunctionsLog() {
        previousLevel = functionLogger.getLevel();
        functionLogger.setLevel(Level.FINE); // the one line per failed call is written at DEBUG
        capture.setLevel(Level.ALL);
        functionLogger.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        functionLogger.removeHandler(capture);
        functionLogger.setLevel(previousLevel);
    }

    @Test
    public void theCallersIdIsEchoedAndInTheLogLinesOfAFailureRedisAnswered() {
        Events.execute(Events.standalone(), "SET", map("key", "rid:text", "value", "abc")).statusCode(200);
        given().header("X-Request-Id", "flow-42.step-7").contentType(ContentType.JSON)
                .body(map("connection", Events.standalone(), "operation", "LPUSH",
                        "params", map("key", "rid:text", "value", "x")))
                .post("/execute").then().statusCode(422).header("X-Request-Id", "flow-42.step-7");
        assertEquals("flow-42.step-7", failureLine("WRONG_TYPE").requestId());
    }

    @Test
    public void aDecodingFailureOnTheEventLoopCarriesTheId() {
        given().header("X-Request-Id", "decode-1").contentType(ContentType.JSON)
                .body(map("connection", Events.standalone(), "operation", "FLYTOTHEMOON"))
                .post("/execute").then().statusCode(400).header("X-Request-Id", "decode-1");
        Line line = failureLine("UNKNOWN_OPERATION");
        assertEquals("decode-1", line.requestId());
        assertFalse(line.message().contains("FLYTOTHEMOON"), "the line names the code, never the event");
    }

    @Test
    public void aCloudEventsIdIsTheRequestIdOnFunqysWorkerThread() {
        given().header("ce-id", "ce-7f3a").header("ce-specversion", "1.0").header("ce-type", "dev.redisfn.execute")
                .header("ce-source", "/flows/x").contentType(ContentType.JSON)
                .body(map("connection", map("host", "127.0.0.1", "port", 1), "operation", "PING"))
                .post("/execute").then().statusCode(502).header("X-Request-Id", "ce-7f3a");
        assertEquals("ce-7f3a", failureLine("CONNECTION_FAILED").requestId());
        given().contentType(CloudEventsTest.STRUCTURED).body(map("specversion", "1.0", "id", "structured-9",
                "source", "/flows/x", "type", "dev.redisfn.execute",
                "data", map("connection", Events.standalone(), "operation", "NOPE")))
                .post("/execute").then().statusCode(400).header("X-Request-Id", "structured-9");
        assertEquals("structured-9", failureLine("UNKNOWN_OPERATION").requestId());
    }

    @Test
    public void withoutAnIdOneIsGeneratedAndUsedForTheLogLines() {
        String id = given().contentType(ContentType.JSON)
                .body(map("connection", map("host", "127.0.0.1", "port", 1), "operation", "PING"))
                .post("/execute").then().statusCode(502)
                .header("X-Request-Id", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
                .extract().header("X-Request-Id");
        assertEquals(id, failureLine("CONNECTION_FAILED").requestId());
    }

    @Test
    public void anIdUnfitForALogLineIsReplaced() {
        String id = given().header("X-Request-Id", "evil\" injected=1").get("/operations?group=hash").then()
                .statusCode(200).extract().header("X-Request-Id");
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        given().get("/operations?group=hash").then().statusCode(200).header("X-Request-Id", matchesPattern(".{36}"));
    }

    @Test
    public void successesLogNothing() {
        given().header("X-Request-Id", "quiet-1").contentType(ContentType.JSON)
                .body(map("connection", Events.standalone(), "operation", "PING")).post("/execute")
                .then().statusCode(200).header("X-Request-Id", "quiet-1").body("result", equalTo("PONG"));
        assertTrue(lines.isEmpty(), lines.toString());
    }

    private Line failureLine(String code) {
        List<Line> failures = lines.stream().filter(line -> line.message().contains("failed: " + code)).toList();
        assertEquals(1, failures.size(), "one line for the failed call in " + lines);
        return failures.get(0);
    }
}
