package dev.redisfn.observe;

import java.util.logging.Handler;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

import io.quarkus.runtime.StartupEvent;

/**
 * Switches the console log to {@link JsonLogFormatter} when {@code connector.log.json} is true
 * (a container platform's log collector then reads one JSON object per line). The Quarkus
 * extension for this, quarkus-logging-json, cannot be used: its build-time part for this Quarkus
 * version is not in the package registry this project builds from.
 */
@ApplicationScoped
public class JsonLogging {

    private final boolean enabled;

    public JsonLogging(LogSettings settings) {
        this.enabled = settings.json();
    }

    void install(@Observes @Priority(1) StartupEvent started) {
        if (enabled) {
            for (Handler handler : LogContext.getLogContext().getLogger("").getHandlers()) {
                useJson(handler);
            }
        }
    }

    /** The console handler sits inside Quarkus' delayed (and maybe an async) handler: walk down to it. */
    private static void useJson(Handler handler) {
        if (handler instanceof ConsoleHandler console) {
            console.setFormatter(new JsonLogFormatter());
        } else if (handler instanceof ExtHandler parent) {
            for (Handler child : parent.getHandlers()) {
                useJson(child);
            }
        }
    }
}
