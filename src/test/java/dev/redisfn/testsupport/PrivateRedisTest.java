package dev.redisfn.testsupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of test classes that need a standalone server of their own — one they restart, count
 * connections on, or fill with data no other class should see: started before the class's first
 * test, stopped after its last. (A base class rather than a JUnit extension: {@code @QuarkusTest}
 * runs the tests on a copy of the class in Quarkus' class loader, and static lifecycle methods
 * of the class itself are what set the field that copy reads.)
 */
public abstract class PrivateRedisTest {

    protected static StandaloneRedis redis;

    @BeforeAll
    static void startPrivateServer() {
        redis = StandaloneRedis.start();
    }

    @AfterAll
    static void stopPrivateServer() {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
