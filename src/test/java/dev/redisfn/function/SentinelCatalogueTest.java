package dev.redisfn.function;

import java.util.Map;

import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.SentinelSet;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SentinelCatalogueTest extends CatalogueContract {

    @Override
    Map<String, Object> connection() {
        return Events.sentinel();
    }

    @Override
    void publish(String channel, String message) {
        RespClient.once(RedisTopologies.sentinel().masterPort(), null, SentinelSet.PASSWORD, "PUBLISH", channel, message);
    }
}
