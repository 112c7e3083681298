package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.RedisCluster;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ClusterCatalogueTest extends CatalogueContract {

    @Override
    Map<String, Object> connection() {
        return Events.cluster();
    }

    @Override
    void publish(String channel, String message) {
        RespClient.once(RedisTopologies.cluster().masterPorts().get(2), null, RedisCluster.PASSWORD, "PUBLISH", channel, message);
    }

    @Test
    void clusterOneSlotOperationsAcrossSlotsAreRefusedBeforeSending() {
        execute(connection(), "SET", map("key", "cs:a", "value", "1"));
        execute(connection(), "RENAME", map("key", "cs:a", "newKey", "cs:b")).statusCode(400)
                .body("error.code", equalTo("CROSS_SLOT")).body("error.message", containsString("cs:a"))
                .body("error.message", containsString("cs:b"));
        execute(connection(), "SINTERSTORE", map("destination", "cs:d", "keys", List.of("cs:x", "cs:y"))).statusCode(400)
                .body("error.code", equalTo("CROSS_SLOT"));
        execute(connection(), "MSETNX", map("entries", map("cs:p", "1", "cs:q", "2"))).statusCode(400)
                .body("error.code", equalTo("CROSS_SLOT"));
        execute(connection(), "GET", map("key", "cs:b")).statusCode(200).body("result", org.hamcrest.Matchers.nullValue());
        execute(connection(), "GET", map("key", "cs:a")).statusCode(200).body("result", equalTo("1"));
    }

    @Test
    void clusterDbsizeAndKeysCoverEveryMaster() {
        for (int i = 0; i < 30; i++) {
            execute(connection(), "SET", map("key", "allmasters:" + i, "value", "v"));
        }
        execute(connection(), "KEYS", map("pattern", "allmasters:*")).statusCode(200)
                .body("result.keys.size()", equalTo(30));
    }
}
