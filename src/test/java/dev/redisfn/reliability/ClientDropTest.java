package dev.redisfn.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.ConnectionParser;
import dev.redisfn.connection.ClientCache;
import dev.redisfn.connection.Target;
import dev.redisfn.testsupport.PrivateRedisTest;
import dev.redisfn.testsupport.StandaloneRedis;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A broken connection drops the client it broke on, and only that one: a call that fails late on
 * a client already replaced leaves the replacement in the cache.
 */
@QuarkusTest
class ClientDropTest extends PrivateRedisTest {

    @Inject
    ClientCache cache;

    @Test
    void droppingAReplacedClientLeavesItsReplacementCached() throws Exception {
        ConnectionConfig config = ConnectionParser.parse(new ObjectMapper().createObjectNode()
                .put("host", "127.0.0.1").put("port", redis.port()).put("password", StandaloneRedis.PASSWORD)
                .put("clientName", "drop-test"));
        Target first = cache.get(config);
        cache.drop(first);
        assertThat("the dropped client left the cache", cache.cache().getIfPresent(config.cacheKey()), nullValue());

        Target replacement = cache.get(config);
        assertThat(replacement, not(sameInstance(first)));
        cache.drop(first); // a late failure of a call that still ran on the first client
        assertThat(cache.cache().getIfPresent(config.cacheKey()), sameInstance(replacement));
    }
}
