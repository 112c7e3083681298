package dev.redisfn.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisProcess;
import dev.redisfn.testsupport.RespClient;

/** The local run's redis-server: fresh at each start, even after a run that was killed without its shutdown. */
class LocalRedisTest {

    private static ConnectorSettings.LocalRedis on(int port) {
        return new ConnectorSettings.LocalRedis() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int port() {
                return port;
            }
        };
    }

    @Test
    void aServerLeftByAKilledRunIsStoppedAndReplacedByAFreshOne() throws Exception {
        int port = Ports.free();
        LocalRedis killed = new LocalRedis(on(port));
        killed.start(null);
        LocalRedis next = new LocalRedis(on(port));
        try {
            try (RespClient client = new RespClient(port)) {
                client.call("SET", "left", "over");
            }
            // the first run ends without its shutdown, as after SIGKILL: its server is still there
            Path leftDir = killed.directory();
            next.start(null);
            try (RespClient client = new RespClient(port)) {
                assertNull(client.call("GET", "left"), "the next run's server starts empty");
            }
            assertFalse(Files.exists(leftDir), "the killed run's directory is gone: " + leftDir);
        } finally {
            next.stop(null);
            killed.stop(null);
        }
    }

    @Test
    void itsStopLeavesNoServerPidFileNorDirectory() throws Exception {
        int port = Ports.free();
        LocalRedis local = new LocalRedis(on(port));
        local.start(null);
        try (RespClient client = new RespClient(port)) {
            assertEquals("PONG", client.call("PING"));
        }
        Path dir = local.directory();
        assertTrue(Files.isDirectory(dir) && Files.isRegularFile(LocalRedis.pidFile(port)));
        local.stop(null);
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", port).close(), "nothing listens on " + port);
        assertFalse(Files.exists(dir), "its directory is gone: " + dir);
        assertFalse(Files.exists(LocalRedis.pidFile(port)), "its pid file is gone");
    }

    @Test
    void aPortTakenByAServerItDidNotStartIsLeftAlone() throws Exception {
        try (RedisProcess other = RedisProcess.start("local-taken", Ports.free(), List.of())) {
            try (RespClient client = new RespClient(other.port())) {
                client.call("SET", "kept", "yes");
            }
            LocalRedis local = new LocalRedis(on(other.port()));
            local.start(null);
            local.stop(null);
            try (RespClient client = new RespClient(other.port())) {
                assertEquals("yes", client.call("GET", "kept"), "the other server runs on, its data kept");
            }
        }
    }
}
