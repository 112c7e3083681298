package dev.redisfn.function;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisProcess;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A server whose {@code default} user is open, with a least-privilege ACL user beside it: the
 * connector authenticates as the configured user on every connection — its own and test-connection's
 * probes — instead of running as the open default user, and a wrong password fails rather than
 * going unnoticed.
 */
@QuarkusTest
class OpenDefaultUserTest {

    private static final String READER = "reader";
    private static final String READER_PASSWORD = "reader-pw-4410";
    private static RedisProcess redis;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start("open-default", Ports.free(),
                List.of("user " + READER + " on >" + READER_PASSWORD + " ~* &* +@all -@write"));
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    private static Map<String, Object> as(String username, String password) {
        return map("host", redis.host(), "port", redis.port(), "username", username, "password", password);
    }

    @Test
    void theConfiguredUserIsTheOneThatRuns() {
        execute(as(READER, READER_PASSWORD), "GET", map("key", "open:k")).statusCode(200).body("ok", is(true));
        execute(as(READER, READER_PASSWORD), "SET", map("key", "open:k", "value", "v")).statusCode(422)
                .body("ok", is(false)).body("error.message", containsString("NOPERM"));
        execute(as(READER, READER_PASSWORD), "CAS", map("key", "open:k", "value", "v")).statusCode(422)
                .body("error.message", containsString("NOPERM"));
    }

    @Test
    void aWrongPasswordFailsInsteadOfRunningAsTheDefaultUser() {
        execute(as(READER, "wrong-pw-2291"), "GET", map("key", "open:k")).statusCode(422)
                .body("error.code", equalTo("AUTH_FAILED")).body(not(containsString("wrong-pw-2291")));
        Events.post("/test-connection", map("connection", as(READER, "wrong-pw-2291"))).statusCode(200)
                .body("ok", is(false)).body("code", equalTo("AUTH_FAILED")).body(not(containsString("wrong-pw-2291")));
    }

    @Test
    void aPasswordForAServerThatHasNoneIsNamed() {
        Events.post("/test-connection", map("connection", as(null, "stray-pw-0417"))).statusCode(200)
                .body("ok", is(false)).body("code", equalTo("AUTH_FAILED")).body(not(containsString("stray-pw-0417")));
    }

    @Test
    void testConnectionProbesAsTheConfiguredUser() {
        Events.post("/test-connection", map("connection", as(READER, READER_PASSWORD))).statusCode(200)
                .body("ok", is(true)).body("role", equalTo("master"));
    }
}
