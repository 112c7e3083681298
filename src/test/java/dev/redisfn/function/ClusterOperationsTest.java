package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ClusterOperationsTest extends OperationContract {

    @Override
    Map<String, Object> connection() {
        return Events.cluster();
    }

    @Test
    void clusterMgetAcrossSlotsKeepsCallerOrder() {
        for (String name : List.of("x1", "x2", "x3", "x4", "x5")) {
            execute(connection(), "SET", map("key", key(name), "value", name));
        }
        execute(connection(), "MGET", map("keys", List.of(key("x5"), key("x1"), key("nope"), key("x3"), key("x2"))))
                .statusCode(200).body("result", contains("x5", "x1", null, "x3", "x2"));
        execute(connection(), "EXISTS", map("keys", List.of(key("x1"), key("x2"), key("x3"), key("nope"))))
                .body("result", equalTo(3));
        execute(connection(), "DEL", map("keys", List.of(key("x1"), key("x2"), key("x3"), key("x4"), key("x5"))))
                .body("result", equalTo(5));
    }

    @Test
    void clusterMsetAcrossSlotsStoresEveryKey() {
        execute(connection(), "MSET", map("entries", map(key("m1"), "1", key("m2"), "2", key("m3"), "3")))
                .statusCode(200).body("result", is(true));
        execute(connection(), "MGET", map("keys", List.of(key("m3"), key("m2"), key("m1")))).body("result", contains("3", "2", "1"));
    }

    @Test
    void clusterBlockingPopOverKeysOfSeveralSlotsIsRefusedBeforeWaiting() {
        execute(connection(), "BLPOP", map("keys", List.of(key("a1"), key("b2")), "waitMs", 10_000)).statusCode(400)
                .body("error.code", equalTo("CROSS_SLOT")).body("error.message", containsString(key("b2")));
        execute(connection(), "BLMOVE", map("source", key("a1"), "destination", key("b2"), "waitMs", 10_000))
                .statusCode(400).body("error.code", equalTo("CROSS_SLOT"));
    }

    @Test
    void clusterAtomicBatchAcrossSlotsIsRefusedBeforeSending() {
        Events.post("/execute", map("connection", connection(), "atomic", true, "batch", List.of(
                map("operation", "SET", "params", map("key", key("a1"), "value", "1")),
                map("operation", "SET", "params", map("key", key("b2"), "value", "2")))))
                .statusCode(400).body("error.code", equalTo("CROSS_SLOT"))
                .body("error.message", containsString(key("a1")));
        execute(connection(), "EXISTS", map("key", key("a1"))).body("result", is(false));
    }

    @Test
    void clusterBatchAcrossSlotsIsPipelinedPerItem() {
        Events.post("/execute", map("connection", connection(), "batch", List.of(
                map("operation", "SET", "params", map("key", key("p1"), "value", "1")),
                map("operation", "SET", "params", map("key", key("p2"), "value", "2")),
                map("operation", "MGET", "params", map("keys", List.of(key("p2"), key("p1")))))))
                .statusCode(200).body("ok", is(true)).body("results[2].result", contains("2", "1"));
    }
}
