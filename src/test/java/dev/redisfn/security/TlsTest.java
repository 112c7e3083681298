package dev.redisfn.security;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.redisfn.function.Events;
import dev.redisfn.testsupport.Certificates;
import dev.redisfn.testsupport.RedisTopologies;
import dev.redisfn.testsupport.RespClient;
import dev.redisfn.testsupport.StandaloneRedis;
import dev.redisfn.testsupport.TlsRedis;

import io.quarkus.test.junit.QuarkusTest;

/**
 * TLS to a redis-server that speaks only TLS, with a certificate for localhost / 127.0.0.1 signed
 * by a CA the test generates: verification is on unless the event says {@code insecure}, and a
 * failed handshake is a CONNECTION_FAILED whose hint points at {@code tls}.
 */
@QuarkusTest
class TlsTest {

    private static Certificates certificates;
    private static Certificates strangers;
    private static TlsRedis redis;

    @BeforeAll
    static void startTlsServer() {
        certificates = Certificates.generate("tls-server");
        strangers = Certificates.generate("tls-unknown-ca");
        // also on 127.0.0.2, an address the certificate does not name
        redis = TlsRedis.start(certificates, List.of("bind 127.0.0.1 127.0.0.2"));
    }

    @AfterAll
    static void stopTlsServer() {
        if (redis != null) {
            redis.close();
        }
    }

    private static Map<String, Object> connection(String host, Object tls) {
        return map("host", host, "port", redis.port(), "password", TlsRedis.PASSWORD, "tls", tls,
                "connectTimeoutMs", 2000, "commandTimeoutMs", 2000);
    }

    @Test
    void theServersCaCertificateConnectsByAddressAndByTheNameInTheCertificate() {
        for (String host : List.of("127.0.0.1", "localhost")) {
            Map<String, Object> connection = connection(host, map("caCertPem", certificates.caPem()));
            execute(connection, "SET", map("key", "tls:" + host, "value", "over tls")).statusCode(200).body("result", is(true));
            execute(connection, "GET", map("key", "tls:" + host)).statusCode(200).body("result", equalTo("over tls"));
        }
    }

    @Test
    void anUnknownCaIs502ConnectionFailedWithATlsHintUnlessInsecure() {
        // the JDK's verdict on the certificate, named: a retry would meet the same certificate
        for (Object tls : List.of(map("caCertPem", strangers.caPem()), true, map("enabled", true))) {
            execute(connection("127.0.0.1", tls), "PING", map()).statusCode(502).body("ok", is(false))
                    .body("error.code", equalTo("CONNECTION_FAILED")).body("error.retryable", is(false))
                    .body("error.message", containsString("certificate is not signed by a trusted CA"))
                    .body("error.hint", startsWith("tls.caCertPem")).body("error.message", containsString("TLS"))
                    .body("error.message", not(containsString("Exception"))); // coarse text, no Java class names
        }
        execute(connection("127.0.0.1", map("caCertPem", strangers.caPem(), "insecure", true)), "PING", map())
                .statusCode(200).body("result", equalTo("PONG"));
    }

    @Test
    void anAddressTheCertificateDoesNotNameFailsUnlessHostnameVerificationIsOff() {
        execute(connection("127.0.0.2", map("caCertPem", certificates.caPem())), "PING", map()).statusCode(502)
                .body("error.code", equalTo("CONNECTION_FAILED")).body("error.retryable", is(false))
                .body("error.message", containsString("certificate does not name the host"))
                .body("error.hint", startsWith("host: connect by a name"));
        execute(connection("127.0.0.2", map("caCertPem", certificates.caPem(), "verifyHostname", false)), "PING", map())
                .statusCode(200).body("result", equalTo("PONG"));
    }

    @Test
    void testConnectionSaysWhetherTlsIsTheProblem() {
        Events.post("/test-connection", map("connection", connection("127.0.0.1", map("caCertPem", certificates.caPem()))))
                .statusCode(200).body("ok", is(true)).body("role", equalTo("master")).body("serverVersion", equalTo("7.0.15"));
        Events.post("/test-connection", map("connection", connection("127.0.0.1", map("caCertPem", strangers.caPem()))))
                .statusCode(200).body("ok", is(false)).body("code", equalTo("CONNECTION_FAILED"))
                .body("hint", startsWith("tls")).body("nodes[0].reachable", is(false));
    }

    @Test
    void aPlaintextClientOnTheTlsPortIs502NamingTlsFast() {
        long started = System.nanoTime();
        Map<String, Object> plain = map("host", "127.0.0.1", "port", redis.port(), "password", TlsRedis.PASSWORD,
                "connectTimeoutMs", 1000, "commandTimeoutMs", 1000);
        execute(plain, "PING", map()).statusCode(502).body("error.code", equalTo("CONNECTION_FAILED"))
                .body("error.retryable", is(true)).body("error.hint", containsString("tls"))
                .body("error.message", not(anyOf(containsString("recvAddress"), containsString("error(-"))));
        assertThat((System.nanoTime() - started) / 1_000_000, lessThan(3_000L));
        Events.post("/test-connection", map("connection", plain)).statusCode(200).body("ok", is(false))
                .body("code", equalTo("CONNECTION_FAILED")).body("hint", containsString("tls"))
                .body("message", not(containsString("recvAddress")));
        assertThat("the TLS server is still up", RespClient.isOpen(redis.port()), is(true));
    }

    @Test
    void tlsAgainstAPlainServerFailsWithinTheConnectTimeoutNamingTls() {
        Map<String, Object> connection = map("host", "127.0.0.1", "port", RedisTopologies.standalone().port(),
                "password", StandaloneRedis.PASSWORD, "tls", true, "connectTimeoutMs", 1000, "commandTimeoutMs", 4000);
        long started = System.nanoTime();
        execute(connection, "PING", map()).statusCode(502).body("error.code", equalTo("CONNECTION_FAILED"))
                .body("error.hint", startsWith("tls: the TLS handshake did not complete"));
        assertThat((System.nanoTime() - started) / 1_000_000, lessThan(3_000L));
        Events.post("/test-connection", map("connection", connection)).statusCode(200).body("ok", is(false))
                .body("code", equalTo("CONNECTION_FAILED")).body("hint", startsWith("tls: the TLS handshake did not complete"));
    }

    @Test
    void aPemThatIsNotOneIs400NamingTheFieldBeforeAnyConnection() throws IOException {
        String cert = Files.readString(certificates.certFile());
        String key = Files.readString(certificates.keyFile());
        Map<String, Map<String, Object>> bad = Map.of(
                "connection.tls.caCertPem", map("caCertPem", "junk"),
                "connection.tls.clientCertPem", map("caCertPem", certificates.caPem(), "clientCertPem", "junk",
                        "clientKeyPem", key),
                "connection.tls.clientKeyPem", map("caCertPem", certificates.caPem(), "clientCertPem", cert,
                        "clientKeyPem", "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS10ZXh0\n-----END PRIVATE KEY-----\n"));
        bad.forEach((field, tls) -> {
            // port 1: nothing listens there, so only validation can answer 400
            Map<String, Object> connection = map("host", "127.0.0.1", "port", 1, "tls", tls);
            execute(connection, "PING", map()).statusCode(400).body("error.code", equalTo("INVALID_CONNECTION"))
                    .body("error.message", startsWith(field + ": not a PEM"))
                    .body(not(containsString("c2VjcmV0LWtleS10ZXh0")));
            Events.post("/test-connection", map("connection", connection)).statusCode(400)
                    .body("error.code", equalTo("INVALID_CONNECTION")).body("error.message", startsWith(field));
        });
        execute(connection("127.0.0.1", map("caCertPem", certificates.caPem(), "clientCertPem", cert, "clientKeyPem", key)),
                "PING", map()).statusCode(200).body("result", equalTo("PONG"));
    }
}
