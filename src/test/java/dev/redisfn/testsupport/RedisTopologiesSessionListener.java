package dev.redisfn.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops every redis-server of the test run when the JUnit launcher session closes (registered in
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}). The JVM shutdown hook
 * of {@link RedisTopologies} remains as a fallback.
 */
public class RedisTopologiesSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            RedisTopologies.stopAll();
        } catch (RuntimeException e) {
            System.err.println("[redis-testsupport] stopping redis-server processes failed: " + e);
        }
    }
}
