package dev.redisfn.testsupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of test classes that need a cluster of their own — one whose nodes they stop, kill or fail
 * over: started before the class's first test, stopped after its last (a base class for the reason
 * {@link PrivateRedisTest} gives).
 */
public abstract class PrivateClusterTest {

    protected static RedisCluster cluster;

    @BeforeAll
    static void startPrivateCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopPrivateCluster() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
