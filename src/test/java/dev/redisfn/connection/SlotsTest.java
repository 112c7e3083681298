package dev.redisfn.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.RedisCluster;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;

/** The connector's slot of a key is the one a real cluster reports (CLUSTER KEYSLOT), hash tags and UTF-8 included. */
class SlotsTest {

    @Test
    void slotsAreTheClustersOwn() {
        RedisCluster cluster = RedisTopologies.cluster();
        List<String> keys = new ArrayList<>(List.of("", "a", "123456789", "user:1", "{user:1}:a", "{user:1}:b", "a{}b",
                "{}", "{a", "a}b{c}", "{{x}}", "x{y}{z}", "ключ", "鍵:{標籤}", "emoji:\uD83D\uDE00"));
        for (int i = 0; i < 200; i++) {
            keys.add("key:" + i * 7919);
        }
        try (RespClient client = RedisCluster.client(cluster.masterPorts().get(0))) {
            for (String key : keys) {
                assertEquals(((Long) client.call("CLUSTER", "KEYSLOT", key)).intValue(), Slots.of(key), key);
            }
        }
        assertEquals(0x31C3, Slots.crc16("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 9),
                "CRC16/XMODEM check value");
    }
}
