package dev.redisfn.reliability;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.PrivateSentinelTest;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.SentinelSet;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A failover the sentinels carry out while the old master still runs (SENTINEL FAILOVER, or a
 * master cut off from its sentinels): it keeps accepting writes until the sentinels demote it,
 * seconds later, and those writes are lost. The connector asks a sentinel about every second while
 * calls come, so its writes follow the new master soon after the sentinels announce it.
 */
@QuarkusTest
class SentinelSwitchTest extends PrivateSentinelTest {

    @Test
    void writesFollowAManualFailoverWithinSecondsOfItsAnnouncement() {
        Map<String, Object> connection = map("mode", "sentinel", "nodes", sentinels.sentinelNodes(),
                "masterName", SentinelSet.MASTER_NAME, "password", SentinelSet.PASSWORD, "clientName", "switch-writer");
        execute(connection, "SET", map("key", "switch:before", "value", "1")).statusCode(200).body("result", is(true));
        int oldMaster = sentinels.masterPort();
        try (RespClient sentinel = new RespClient(sentinels.sentinelPorts().get(0))) {
            sentinel.call("SENTINEL", "FAILOVER", SentinelSet.MASTER_NAME);
        }
        Waits.until("the sentinels to announce the new master", Duration.ofSeconds(30),
                () -> sentinels.masterPort() != oldMaster);
        long announced = System.nanoTime();
        int newMaster = sentinels.masterPort();
        assertThat(newMaster, not(oldMaster));
        int[] written = {0};
        try (RespClient direct = new RespClient(newMaster, null, SentinelSet.PASSWORD)) {
            Waits.until("a write through the function to land on the new master", Duration.ofSeconds(20), () -> {
                String key = "switch:after:" + written[0]++;
                int status = execute(connection, "SET", map("key", key, "value", key)).extract().statusCode();
                return status == 200 && key.equals(direct.call("GET", key));
            });
        }
        double seconds = (System.nanoTime() - announced) / 1e9;
        System.out.printf(Locale.ROOT, "sentinel switch followed %.1f s after the announcement (%d writes)%n", seconds,
                written[0]);
        assertThat("seconds from the sentinels' announcement to a write on the new master", seconds, lessThan(5.0)); // about a second, with room for a busy machine
    }
}
