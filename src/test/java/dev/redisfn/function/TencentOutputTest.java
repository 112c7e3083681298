package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** {@code "output": "tencent"}: the existing iPaaS connector's envelope, so its flows migrate unchanged. */
@QuarkusTest
class TencentOutputTest {

    private static Object call(String operation, Object params) {
        return map("connection", Events.standalone(), "operation", operation, "params", params, "output", "tencent");
    }

    @Test
    void successCarriesThePayloadAndAnEmptyError() {
        Events.post("/execute", call("push-to-list", map("key", "tc:list", "value", "a", "left", true))).statusCode(200)
                .body("payload", equalTo(1)).body("$", org.hamcrest.Matchers.hasKey("error")).body("error", nullValue());
        Events.post("/execute", call("pop-from-list", map("key", "tc:list", "left", true))).statusCode(200)
                .body("payload", equalTo("a"));
        Events.post("/execute", call("tencent.exists", map("key", "tc:list"))).statusCode(200).body("payload", equalTo(0));
    }

    @Test
    void failureHasAnEmptyPayloadAndCodeWithDescription() {
        Events.post("/execute", call("SET", map("key", "tc:str", "value", "x"))).statusCode(200).body("payload", is(true));
        Events.post("/execute", call("HGET", map("key", "tc:str", "field", "f"))).statusCode(422)
                .body("payload", equalTo("")).body("error.Code", equalTo("WRONG_TYPE"))
                .body("error.Description", org.hamcrest.Matchers.containsString("WRONGTYPE"));
        Events.post("/execute", call("NOPE", map())).statusCode(400)
                .body("payload", equalTo("")).body("error.Code", equalTo("UNKNOWN_OPERATION"));
    }
}
