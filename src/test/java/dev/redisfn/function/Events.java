package dev.redisfn.function;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redisfn.testsupport.RedisCluster;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.SentinelSet;
import dev.redisfn.testsupport.StandaloneRedis;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Builds events the way a flow sends them and posts them to the function, as the README's curl examples do. */
public final class Events {

    private Events() {
    }

    public static Map<String, Object> standalone() {
        StandaloneRedis redis = RedisTopologies.standalone();
        return map("mode", "standalone", "host", "127.0.0.1", "port", redis.port(), "password", StandaloneRedis.PASSWORD);
    }

    public static Map<String, Object> sentinel() {
        SentinelSet sentinel = RedisTopologies.sentinel();
        return map("mode", "sentinel", "nodes", sentinel.sentinelNodes(), "masterName", SentinelSet.MASTER_NAME,
                "password", SentinelSet.PASSWORD);
    }

    public static Map<String, Object> cluster() {
        RedisCluster cluster = RedisTopologies.cluster();
        return map("mode", "cluster", "nodes", List.of(cluster.nodes().split(",")), "password", RedisCluster.PASSWORD);
    }

    public static ValidatableResponse execute(Map<String, Object> connection, String operation, Map<String, Object> params) {
        return post("/execute", map("connection", connection, "operation", operation, "params", params));
    }

    public static ValidatableResponse post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    /** A map from alternating keys and values, keeping their order (nulls allowed, unlike Map.of). */
    public static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    public static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.putAll(map(keysAndValues));
        return copy;
    }
}
