package dev.redisfn.function;

import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.redisfn.config.NamedConnections;
import dev.redisfn.connection.TokenProviders;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.Waits;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code auth}: a named connection whose password is a token — read from a mounted file that the
 * platform rotates, or an IAM token signed with the function's AWS identity — sent with AUTH as
 * each connection is made and again every {@code connector.auth.reauth-interval}; a connection in an
 * event may not carry {@code auth} unless the function allows it.
 */
@QuarkusTest
@TestProfile(CloudAuthTest.TokenConnections.class)
class CloudAuthTest {

    static final Path TOKEN_FILE = Path.of("target", "cloud-auth", "token").toAbsolutePath();

    public static class TokenConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the default AWS credential chain reads these first: an access key that signs, without an AWS account
            System.setProperty("aws.accessKeyId", "AKIDCLOUDAUTHTEST");
            System.setProperty("aws.secretAccessKey", "cloud-auth-test-secret-key");
            String port = Integer.toString(RedisTopologies.standalone().port());
            return Map.ofEntries(Map.entry("connector.auth.reauth-interval", "1S"),
                    Map.entry("connector.connections.filed.host", "127.0.0.1"),
                    Map.entry("connector.connections.filed.port", port),
                    Map.entry("connector.connections.filed.username", "cloud-file"),
                    Map.entry("connector.connections.filed.database", "3"),
                    Map.entry("connector.connections.filed.auth.provider", "token-file"),
                    Map.entry("connector.connections.filed.auth.path", TOKEN_FILE.toString()),
                    Map.entry("connector.connections.iam.host", "127.0.0.1"),
                    Map.entry("connector.connections.iam.port", port),
                    Map.entry("connector.connections.iam.username", "cloud-iam"),
                    Map.entry("connector.connections.iam.auth.provider", "aws-iam"),
                    Map.entry("connector.connections.iam.auth.cache-name", "Orders-Cache"),
                    Map.entry("connector.connections.iam.auth.region", "eu-west-1"),
                    // a MemoryDB cache has no serverless form: the provider refuses the config as it is first used
                    Map.entry("connector.connections.badiam.host", "127.0.0.1"),
                    Map.entry("connector.connections.badiam.port", port),
                    Map.entry("connector.connections.badiam.username", "cloud-iam"),
                    Map.entry("connector.connections.badiam.auth.provider", "aws-iam"),
                    Map.entry("connector.connections.badiam.auth.cache-name", "orders"),
                    Map.entry("connector.connections.badiam.auth.region", "eu-west-1"),
                    Map.entry("connector.connections.badiam.auth.serverless", "true"),
                    Map.entry("connector.connections.badiam.auth.service", "memorydb"));
        }
    }

    @Inject
    TokenProviders tokens;

    @Inject
    NamedConnections named;

    private static RespClient admin() {
        return RedisTopologies.standalone().client();
    }

    private static void writeToken(String token) throws IOException {
        Files.createDirectories(TOKEN_FILE.getParent());
        Path next = TOKEN_FILE.resolveSibling("token.next");
        Files.writeString(next, token + "\n", StandardCharsets.UTF_8);
        Files.move(next, TOKEN_FILE, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    @AfterAll
    static void dropUsers() {
        try (RespClient admin = admin()) {
            admin.call("ACL", "DELUSER", "cloud-file", "cloud-iam");
        }
    }

    @Test
    void aMountedTokenIsSentAndItsRotationPickedUp() throws IOException {
        String first = "t1-" + UUID.randomUUID();
        writeToken(first);
        try (RespClient admin = admin()) {
            admin.call("ACL", "SETUSER", "cloud-file", "reset", "on", ">" + first, "~*", "&*", "+@all");
            admin.call("ACL", "LOG", "RESET");
        }
        Events.post("/execute", map("connectionRef", "filed", "operation", "SET", "params", map("key", "tok:k",
                "value", "v"))).statusCode(200).body("result", is(true));
        try (RespClient admin = admin()) {
            admin.call("SELECT", "3");
            assertThat("AUTH with a token still selects the configured database", admin.callString("GET", "tok:k"),
                    equalTo("v"));
        }
        Events.post("/test-connection", map("connectionRef", "filed")).statusCode(200).body("ok", is(true));

        // the platform rotates the file before Redis knows the new token: the periodic AUTH reads it and is refused
        String second = "t2-" + UUID.randomUUID();
        writeToken(second);
        try (RespClient admin = admin()) {
            Waits.until("a re-AUTH of user cloud-file with the rotated token", Waits.DEFAULT,
                    () -> admin.call("ACL", "LOG").toString().contains("cloud-file"));
        }
        String refused = Events.post("/execute", map("connectionRef", "filed", "operation", "PING")).statusCode(422)
                .body("error.code", equalTo("AUTH_FAILED")).extract().asString();
        assertThat("no token in an answer", refused, not(containsString(second)));

        try (RespClient admin = admin()) {
            admin.call("ACL", "SETUSER", "cloud-file", "resetpass", ">" + second);
        }
        Events.post("/execute", map("connectionRef", "filed", "operation", "GET", "params", map("key", "tok:k")))
                .statusCode(200).body("result", equalTo("v"));
    }

    @Test
    void aLeasedConnectionIsAuthenticatedWithTheRotatedToken() throws IOException {
        String first = "t1-" + UUID.randomUUID();
        writeToken(first);
        try (RespClient admin = admin(); RespClient monitor = admin()) {
            admin.call("ACL", "SETUSER", "cloud-file", "reset", "on", ">" + first, "~*", "&*", "+@all");
            monitor.call("MONITOR");
            atomicBatch(monitor, 0, new ArrayList<>());

            // rotated as a platform does it: the new token valid first, then the file, then the old one revoked
            String second = "t2-" + UUID.randomUUID();
            admin.call("ACL", "SETUSER", "cloud-file", ">" + second);
            writeToken(second);
            admin.call("ACL", "SETUSER", "cloud-file", "<" + first);
            List<String> sinceRotation = new ArrayList<>();
            int[] batch = {1};
            // every batch must succeed (an AUTH with the revoked token fails its lease), and one must run on a
            // connection that sent AUTH since the rotation: one authenticated before it may not be used for ever
            Waits.until("an atomic batch on a connection authenticated since the token was rotated", Waits.DEFAULT,
                    () -> {
                        String leased = atomicBatch(monitor, batch[0]++, sinceRotation);
                        return sentAuth(sinceRotation, leased);
                    });
        }
    }

    @Test
    void aPooledConnectionServesManyLeasesEachAuthenticatedWithTheToken() throws IOException {
        fileUserWithToken("t-" + UUID.randomUUID());
        try (RespClient monitor = admin()) {
            monitor.call("MONITOR");
            Set<String> connections = new HashSet<>();
            for (int batch = 100; batch < 110; batch++) {
                List<String> seen = new ArrayList<>();
                String leased = atomicBatch(monitor, batch, seen);
                connections.add(leased);
                assertThat("the lease sent AUTH before its batch: " + seen, sentAuth(seen, leased), is(true));
            }
            assertThat("ten leases one after another reuse the pool's connections: " + connections,
                    connections.size(), lessThan(5));
        }
    }

    @Test
    void aTokenThatCannotBeReadFailsItsLeaseAndHoldsNoConnection() throws IOException {
        String token = "t-" + UUID.randomUUID();
        fileUserWithToken(token);
        Files.delete(TOKEN_FILE);
        try {
            for (int batch = 0; batch < 12; batch++) { // more than the pool's 8 connections: none may stay leased
                Events.post("/execute", map("connectionRef", "filed", "atomic", true, "batch",
                        List.of(map("operation", "SET", "params", map("key", "tok:unread", "value", "v")))))
                        .statusCode(422).body("error.code", equalTo("AUTH_FAILED"))
                        .body("error.message", containsString("does not exist"));
            }
            Events.post("/test-connection", map("connectionRef", "filed")).statusCode(200).body("ok", is(false))
                    .body("code", equalTo("AUTH_FAILED")).body("hint", startsWith("auth.path: "));
        } finally {
            writeToken(token);
        }
        Events.post("/execute", map("connectionRef", "filed", "atomic", true, "batch",
                List.of(map("operation", "SET", "params", map("key", "tok:unread", "value", "v"))))).statusCode(200)
                .body("ok", is(true));
    }

    @Test
    void withoutATokenTheTimerKeepsTheSharedConnectionAndAsksWhetherItIsOpen() throws IOException {
        String token = "t-" + UUID.randomUUID();
        fileUserWithToken(token);
        Events.post("/execute", map("connectionRef", "filed", "operation", "SET", "params", map("key", "tok:kept",
                "value", "v"))).statusCode(200).body("result", is(true));
        try (RespClient admin = admin(); RespClient monitor = admin()) {
            Set<String> shared = new HashSet<>();
            Matcher addr = Pattern.compile("addr=(\\S+) .* user=cloud-file ").matcher(admin.callString("CLIENT", "LIST"));
            while (addr.find()) {
                shared.add(addr.group(1));
            }
            Files.delete(TOKEN_FILE);
            monitor.call("MONITOR");
            // a timer tick without a token sends a PING, whose failure would end the timer of a closed connection;
            // once a connection's tick has found no token, its next ticks send no AUTH until the token is back
            Set<String> pinged = new HashSet<>();
            Waits.until("two PINGs on a connection of user cloud-file while its token cannot be read", Waits.DEFAULT,
                    () -> {
                        String line = String.valueOf(monitor.next());
                        String from = address(line);
                        String command = line.toUpperCase(Locale.ROOT);
                        assertThat("no AUTH after a tick found no token: " + line,
                                pinged.contains(from) && command.contains("\"AUTH\""), is(false));
                        return shared.contains(from) && command.contains("\"PING\"") && !pinged.add(from);
                    });
        } finally {
            writeToken(token);
        }
        Events.post("/execute", map("connectionRef", "filed", "operation", "GET", "params", map("key", "tok:kept")))
                .statusCode(200).body("result", equalTo("v"));
    }

    /**
     * Runs an atomic batch (it takes a leased connection), adds what MONITOR shows up to its SET to
     * {@code seen}, and answers the address of the connection it ran on.
     */
    private static String atomicBatch(RespClient monitor, int batch, List<String> seen) {
        String key = "tok:lease:" + batch;
        Events.post("/execute", map("connectionRef", "filed", "atomic", true, "batch",
                List.of(map("operation", "SET", "params", map("key", key, "value", "v"))))).statusCode(200)
                .body("ok", is(true));
        String set = "\"SET\" \"" + key.toUpperCase(Locale.ROOT) + "\"";
        String line;
        do {
            line = String.valueOf(monitor.next());
            seen.add(line);
        } while (!line.toUpperCase(Locale.ROOT).contains(set));
        return address(line);
    }

    /** Mounts {@code token} and makes it the password of the file connection's user. */
    private static void fileUserWithToken(String token) throws IOException {
        writeToken(token);
        try (RespClient admin = admin()) {
            admin.call("ACL", "SETUSER", "cloud-file", "reset", "on", ">" + token, "~*", "&*", "+@all");
        }
    }

    /** Whether MONITOR showed an AUTH from the connection at {@code address}. */
    private static boolean sentAuth(List<String> lines, String address) {
        return lines.stream().anyMatch(line -> address(line).equals(address)
                && line.toUpperCase(Locale.ROOT).contains("\"AUTH\""));
    }

    /** The client address of a MONITOR line: {@code 1700000000.000000 [3 127.0.0.1:50123] "SET" ...}. */
    private static String address(String line) {
        return line.substring(line.indexOf('[') + 1, line.indexOf(']')).split(" ")[1];
    }

    @Test
    void anIamTokenIsSignedForTheUserAndCache() {
        String token = tokens.of(named.resolve("iam", name -> true)).token().reveal();
        assertThat(token, startsWith("orders-cache/?Action=connect&User=cloud-iam&"));
        assertThat(token, containsString("X-Amz-Credential=AKIDCLOUDAUTHTEST%2F"));
        assertThat(token, containsString("%2Feu-west-1%2Felasticache%2Faws4_request"));

        Events.post("/test-connection", map("connectionRef", "iam")).statusCode(200).body("ok", is(false))
                .body("code", equalTo("AUTH_FAILED")).body("hint", startsWith("auth: Redis refused the token"))
                .body(not(containsString(token)));
        try (RespClient admin = admin()) {
            admin.call("ACL", "SETUSER", "cloud-iam", "reset", "on", ">" + token, "~*", "+@all");
        }
        Events.post("/execute", map("connectionRef", "iam", "operation", "PING")).statusCode(200)
                .body("result", equalTo("PONG"));
        Events.post("/test-connection", map("connectionRef", "iam")).statusCode(200).body("ok", is(true));
    }

    /** A provider that refuses its config does so for test-connection as for execute: the config's mistake, a 400. */
    @Test
    void aConfigTheProviderRefusesIsA400ForBothFunctions() {
        for (Object[] call : List.of(new Object[] {"/execute", map("connectionRef", "badiam", "operation", "PING")},
                new Object[] {"/test-connection", map("connectionRef", "badiam")})) {
            Events.post((String) call[0], call[1]).statusCode(400).body("error.code", equalTo("INVALID_CONNECTION"))
                    .body("error.message", startsWith("connection.auth.serverless"));
        }
    }

    @Test
    void anEventMayNotCarryAuthUnlessAllowed() {
        Map<String, Object> inline = map("host", "127.0.0.1", "port", RedisTopologies.standalone().port(),
                "username", "cloud-file", "auth", map("provider", "token-file", "path", "/etc/passwd"));
        Events.execute(inline, "PING", map()).statusCode(400).body("error.code", equalTo("INVALID_CONNECTION"))
                .body("error.message", containsString("auth"))
                .body("error.message", containsString("connector.auth.allow-inline"));
        Events.execute(map("host", "127.0.0.1", "port", RedisTopologies.standalone().port(), "password",
                StandaloneRedis.PASSWORD, "auth", map("provider", "nonsense")), "PING", map()).statusCode(400)
                .body("error.code", equalTo("INVALID_CONNECTION"));
    }
}
