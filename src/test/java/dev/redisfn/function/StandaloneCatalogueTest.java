package dev.redisfn.function;

import java.util.Map;

import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.StandaloneRedis;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class StandaloneCatalogueTest extends CatalogueContract {

    @Override
    Map<String, Object> connection() {
        return Events.standalone();
    }

    @Override
    void publish(String channel, String message) {
        RespClient.once(RedisTopologies.standalone().port(), null, StandaloneRedis.PASSWORD, "PUBLISH", channel, message);
    }
}
