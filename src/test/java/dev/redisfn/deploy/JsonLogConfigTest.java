package dev.redisfn.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

import dev.redisfn.observe.JsonLogFormatter;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code connector.log.json=true} (env CONNECTOR_LOG_JSON) switches the console log to JSON. */
@QuarkusTest
@TestProfile(JsonLogConfigTest.JsonLogs.class)
class JsonLogConfigTest {

    public static class JsonLogs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.log.json", "true");
        }
    }

    @Test
    void theConsoleWritesJson() {
        List<ConsoleHandler> consoles = new ArrayList<>();
        for (Handler handler : LogContext.getLogContext().getLogger("").getHandlers()) {
            collect(handler, consoles);
        }
        assertTrue(!consoles.isEmpty(), "a console handler");
        for (ConsoleHandler console : consoles) {
            assertTrue(console.getFormatter() instanceof JsonLogFormatter, String.valueOf(console.getFormatter()));
        }
    }

    private static void collect(Handler handler, List<ConsoleHandler> consoles) {
        if (handler instanceof ConsoleHandler console) {
            consoles.add(console);
        } else if (handler instanceof ExtHandler parent) {
            for (Handler child : parent.getHandlers()) {
                collect(child, consoles);
            }
        }
    }
}
