package dev.redisfn.security;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import dev.redisfn.testsupport.ConnectionWitness;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.StandaloneRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With an allow list, only the listed address is reachable, however it is spelled; its neighbours are not. */
@QuarkusTest
@TestProfile(TargetAllowListTest.OnlyLoopbackOne.class)
class TargetAllowListTest {

    public static class OnlyLoopbackOne implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.targets.allow", "127.0.0.1");
        }
    }

    private static Map<String, Object> standalone(String host) {
        return map("host", host, "port", RedisTopologies.standalone().port(), "password", StandaloneRedis.PASSWORD);
    }

    @Test
    void theAllowedAddressWorksAlsoSpelledInHexOrDecimal() {
        for (String host : List.of("127.0.0.1", "0x7f000001", "2130706433", "127.1", "::ffff:127.0.0.1")) {
            execute(standalone(host), "PING", map()).statusCode(200).body("ok", is(true)).body("result", equalTo("PONG"));
        }
        Events.post("/test-connection", map("connection", standalone("127.0.0.1"))).statusCode(200).body("ok", is(true));
    }

    @BeforeEach
    void warmUp() {
        TargetPolicyTest.warmUpRefusals("127.0.0.3");
    }

    @Test
    void aNeighbourOfTheAllowedAddressIs403InEverySpellingAndNeverConnected() {
        try (ConnectionWitness witness = ConnectionWitness.listen("127.0.0.2")) {
            assertThat("the witness counts a connection", witness.selfCheck(), equalTo(1));
            for (String host : List.of("127.0.0.2", "2130706434", "0x7f000002", "0177.0.0.2", "127.2", "::ffff:127.0.0.2",
                    "[::ffff:7f00:2]")) {
                Map<String, Object> connection = map("host", host, "port", witness.port());
                TargetPolicyTest.refusedFast(host, () -> execute(connection, "PING", map()));
                TargetPolicyTest.refusedFast(host, () -> Events.post("/test-connection", map("connection", connection)));
            }
            assertThat("connections that reached 127.0.0.2:" + witness.port() + " (1: the self-check alone)",
                    witness.connections(), equalTo(1));
        }
    }
}
