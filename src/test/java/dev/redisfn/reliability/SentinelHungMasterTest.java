package dev.redisfn.reliability;

import static dev.redisfn.function.Events.map;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.PrivateSentinelTest;
import dev.redisfn.testsupport.RedisProcess;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.SentinelSet;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A master that hangs (SIGSTOP: it neither answers nor closes its connections) while the sentinels
 * promote its replica: the calls that time out make the connector ask the sentinels again, so writes
 * go to the new master — without the hung one coming back, and not to it when it does. And a
 * sentinel that hangs.
 */
@QuarkusTest
class SentinelHungMasterTest extends PrivateSentinelTest {

    private static Map<String, Object> connection() {
        return map("mode", "sentinel", "nodes", sentinels.sentinelNodes(), "masterName", SentinelSet.MASTER_NAME,
                "password", SentinelSet.PASSWORD, "connectTimeoutMs", 1000, "commandTimeoutMs", 1000);
    }

    @Test
    void writesFollowThePromotedReplicaWhileTheOldMasterHangs() {
        assertThat(set("hung:before"), equalTo(200));
        RedisProcess hung = sentinels.currentMaster();
        hung.pause();
        try {
            // the first call waits in vain, and its error names the master it waited for
            given().contentType(ContentType.JSON).body(map("connection", connection(), "operation", "GET",
                    "params", map("key", "hung:before"))).when().post("/execute").then().statusCode(504)
                    .body("error.message", startsWith("no answer from the master of '" + SentinelSet.MASTER_NAME + "' ("
                            + SentinelSet.HOST + ":" + hung.port() + ") within 1000 ms"))
                    .body("error.retryable", equalTo(true));
            int[] attempt = {0};
            Waits.until("a write to succeed while the old master hangs", Duration.ofSeconds(40),
                    () -> set("hung:after:" + ++attempt[0]) == 200);
            String written = "hung:after:" + attempt[0];
            int promoted = sentinels.masterPort();
            assertThat("the sentinels promoted the replica", promoted, not(equalTo(hung.port())));
            try (RespClient master = new RespClient(promoted, null, SentinelSet.PASSWORD)) {
                assertThat("the write is on the promoted master", master.callString("GET", written), equalTo(written));
            }
        } finally {
            hung.resume();
        }
    }

    /** The sentinels are asked at once: one that hangs, listed first, does not hold the call up. */
    @Test
    void aSentinelThatHangsListedFirstCostsNothing() {
        RedisProcess hung = sentinels.sentinels().get(0);
        hung.pause();
        try {
            Map<String, Object> connection = map("mode", "sentinel", "nodes", sentinels.sentinelNodes(),
                    "masterName", SentinelSet.MASTER_NAME, "password", SentinelSet.PASSWORD, "commandTimeoutMs", 2000,
                    "clientName", "hung-sentinel-first");
            assertThat("the first sentinel is the one that hangs", sentinels.sentinelNodes(),
                    startsWith(SentinelSet.HOST + ":" + hung.port()));
            given().contentType(ContentType.JSON).body(map("connection", connection, "operation", "SET",
                    "params", map("key", "hung:sentinel", "value", "v"))).when().post("/execute").then().statusCode(200);
        } finally {
            hung.resume();
        }
    }

    private static int set(String key) {
        return given().contentType(ContentType.JSON)
                .body(map("connection", connection(), "operation", "SET", "params", map("key", key, "value", key)))
                .when().post("/execute").then().extract().statusCode();
    }
}
