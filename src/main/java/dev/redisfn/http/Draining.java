package dev.redisfn.http;

import java.time.Duration;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.redisfn.config.ConnectorSettings;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;

/**
 * A stopping function (SIGTERM) first lets its calls in flight finish — up to
 * {@code connector.limits.shutdown-timeout} — so that no caller is left not knowing whether its write
 * was applied; only then are the HTTP server and the Redis connections closed. It waits in Quarkus'
 * pre-shutdown phase ({@code quarkus.shutdown.delay-enabled}, with no delay of its own), while the
 * server still serves, on the calls the front door already counts: the wait costs a call nothing,
 * where Quarkus' {@code quarkus.shutdown.timeout} tracks every request a second time.
 */
@Singleton
class Draining {

    private static final Logger LOG = Logger.getLogger(Draining.class);

    private final Admission admission;
    private final Duration timeout;

    Draining(Admission admission, ConnectorSettings settings) {
        this.admission = admission;
        this.timeout = settings.limits().shutdownTimeout();
    }

    void stop(@Observes ShutdownDelayInitiatedEvent event) throws InterruptedException {
        int inFlight = admission.callsInFlight();
        if (inFlight > 0) {
            LOG.infof("stopping: waiting up to %d s for %d call(s) in flight", timeout.toSeconds(), inFlight);
        }
        if (!admission.drain(timeout)) {
            LOG.warnf("stopping: %d call(s) still in flight after %d s are cut off", admission.callsInFlight(),
                    timeout.toSeconds());
        }
    }
}
