package dev.redisfn.testsupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of test classes that need a sentinel set of their own — one whose master they kill or hang:
 * started before the class's first test, stopped after its last (a base class for the reason
 * {@link PrivateRedisTest} gives).
 */
public abstract class PrivateSentinelTest {

    protected static SentinelSet sentinels;

    @BeforeAll
    static void startPrivateSentinelSet() {
        sentinels = SentinelSet.start();
    }

    @AfterAll
    static void stopPrivateSentinelSet() {
        if (sentinels != null) {
            sentinels.close();
            sentinels = null;
        }
    }
}
