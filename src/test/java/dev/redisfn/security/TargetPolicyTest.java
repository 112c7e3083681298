package dev.redisfn.security;

import static dev.redisfn.function.Events.execute;
import static dev.redisfn.function.Events.map;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.function.Events;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.testsupport.AnnouncingRedis;
import dev.redisfn.testsupport.ConnectionWitness;
import dev.redisfn.testsupport.Ports;
import dev.redisfn.testsupport.RedisTopologies;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.smallrye.config.WithDefault;

/**
 * SSRF (docs/design.md, "Target policy"): every spelling of a denied address — IPv4-mapped IPv6, NAT64,
 * 6to4 and Teredo forms, decimal, octal, hex — is refused with 403 TARGET_NOT_ALLOWED before any connection is tried. Nothing answers at
 * 169.254/16 or 10/8 here, so a connection attempt would show as a slow answer or another code;
 * for 0.0.0.0/8, which Linux connects to the local host, a listening socket proves it directly.
 */
@QuarkusTest
@TestProfile(TargetPolicyTest.DenyList.class)
class TargetPolicyTest {

    public static class DenyList implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("connector.targets.deny", "169.254.0.0/16,fe80::/10,0.0.0.0/8,10.0.0.0/8,127.0.0.2/32");
        }
    }

    /** 169.254.169.254 (the cloud metadata address) spelled every way a resolver accepts, and hosts of the other ranges. */
    static final List<String> DENIED = List.of("169.254.169.254", "::ffff:169.254.169.254", "[::ffff:a9fe:a9fe]",
            "2852039166", "0251.0376.0251.0376", "0xa9fea9fe", "0xa9.0xfe.43518", "169.254.43518", "10.1.2.3",
            "012.1.2.3", "167772161", "fe80::1", "0.0.0.0", "0", "::169.254.169.254", "[::a9fe:a9fe]",
            "::ffff:0:169.254.169.254", "::", "[::]", "0:0:0:0:0:0:0:0",
            // NAT64 (well-known and local-use prefix, whose /48 layout skips byte 8), 6to4, Teredo
            "64:ff9b::a9fe:a9fe", "64:ff9b::169.254.169.254", "[64:ff9b::a9fe:a9fe]", "64:ff9b:1::a9fe:a9fe",
            "64:ff9b:1:a9fe:a9:fe00::", "2002:a9fe:a9fe::", "2002:a00:1::1", "2001:0:4136:e378:8000:63bf:5601:5601");

    /** The fastest of a few tries must be this fast: a connect attempt would take its connect timeout every time. */
    static final long FAST_MS = 500;

    /** The first calls after start-up load classes and start worker threads: not what the timing is about. */
    @BeforeEach
    void warmUp() {
        warmUpRefusals("169.254.169.254");
    }

    static void warmUpRefusals(String deniedHost) {
        for (int i = 0; i < 3; i++) {
            execute(map("host", deniedHost, "port", 6390), "PING", map()).statusCode(403);
            Events.post("/test-connection", map("connection", map("host", deniedHost, "port", 6390))).statusCode(403);
        }
    }

    @Test
    void everySpellingOfADeniedHostIs403OnExecuteBeforeAnyConnection() {
        for (String host : DENIED) {
            refusedFast(host, () -> execute(map("host", host, "port", 6390, "connectTimeoutMs", 3000), "PING", map()));
            refusedFast(host, () -> execute(map("nodes", List.of(address(host, 6390))), "PING", map()));
        }
    }

    @Test
    void everySpellingOfADeniedHostIs403OnTestConnectionBeforeAnyConnection() {
        for (String host : DENIED) {
            refusedFast(host, () -> Events.post("/test-connection",
                    map("connection", map("host", host, "port", 6390, "connectTimeoutMs", 3000))));
        }
    }

    @Test
    void noSocketIsOpenedTowardsADeniedAddressThatWouldReachThisHost() {
        try (ConnectionWitness witness = ConnectionWitness.listen("127.0.0.1")) {
            assertThat("the witness counts a connection", witness.selfCheck(), equalTo(1));
            // Linux connects 0.0.0.0 (however spelled) to the local host: had the connector tried, the witness would see it
            for (String host : List.of("0.0.0.0", "0", "0x0", "00.0.0.0", "::ffff:0.0.0.0", "0.0.0.0.")) {
                Map<String, Object> connection = map("host", host, "port", witness.port(), "password", "not-for-you");
                ValidatableResponse execute = execute(connection, "PING", map());
                ValidatableResponse test = Events.post("/test-connection", map("connection", connection));
                if (!host.endsWith(".")) {
                    execute.statusCode(403).body("error.code", equalTo("TARGET_NOT_ALLOWED"));
                    test.statusCode(403).body("error.code", equalTo("TARGET_NOT_ALLOWED"));
                }
            }
            assertThat("connections that reached 127.0.0.1:" + witness.port() + " (1: the self-check alone)",
                    witness.connections(), equalTo(1));
        }
    }

    @Test
    void aClusterSeedAnnouncingADeniedNodeIsRefusedBeforeTheNodeIsContacted() {
        try (ConnectionWitness denied = ConnectionWitness.listen("127.0.0.2");
                AnnouncingRedis seed = AnnouncingRedis.announcing("127.0.0.2", denied.port())) {
            assertThat("the witness counts a connection", denied.selfCheck(), equalTo(1));
            Map<String, Object> cluster = map("mode", "cluster", "nodes", "127.0.0.1:" + seed.port(), "password", "not-for-you",
                    "connectTimeoutMs", 2000, "commandTimeoutMs", 2000);
            execute(cluster, "GET", map("key", "k")).statusCode(403).body("error.code", equalTo("TARGET_NOT_ALLOWED"))
                    .body("error.message", containsString("127.0.0.2"));
            Events.post("/test-connection", map("connection", cluster)).statusCode(403)
                    .body("error.code", equalTo("TARGET_NOT_ALLOWED"));
            assertThat("connections that reached the denied node (1: the self-check alone)", denied.connections(), equalTo(1));
        }
    }

    /** The cluster-announce-ip mistake: the seed answers, the master it names cannot be reached. */
    @Test
    void aClusterSeedAnnouncingAnUnreachableMasterFailsTheVerdict() throws IOException {
        try (AnnouncingRedis seed = AnnouncingRedis.announcing("127.0.0.1", Ports.free())) {
            Events.post("/test-connection", map("connection", map("mode", "cluster", "nodes", "127.0.0.1:" + seed.port(),
                    "connectTimeoutMs", 2000, "commandTimeoutMs", 2000))).statusCode(200).body("ok", is(false))
                    .body("code", equalTo("CONNECTION_FAILED"))
                    .body("message", containsString("a master the cluster announces"))
                    .body("hint", startsWith("nodes:")).body("nodes.kind", hasItem("master"));
        }
    }

    @Test
    void aSentinelAnnouncingADeniedMasterIsRefusedBeforeTheMasterIsContacted() {
        try (ConnectionWitness denied = ConnectionWitness.listen("127.0.0.2");
                AnnouncingRedis sentinel = AnnouncingRedis.announcing("127.0.0.2", denied.port())) {
            assertThat("the witness counts a connection", denied.selfCheck(), equalTo(1));
            Map<String, Object> connection = map("mode", "sentinel", "nodes", "127.0.0.1:" + sentinel.port(),
                    "password", "not-for-you", "connectTimeoutMs", 2000, "commandTimeoutMs", 2000);
            execute(connection, "GET", map("key", "k")).statusCode(403).body("error.code", equalTo("TARGET_NOT_ALLOWED"));
            Events.post("/test-connection", map("connection", connection)).statusCode(403)
                    .body("error.code", equalTo("TARGET_NOT_ALLOWED"));
            assertThat("connections that reached the denied master (1: the self-check alone)", denied.connections(), equalTo(1));
        }
    }

    @Test
    void aDeniedAddressAmongClusterSeedsSentinelsOrInAUriIsRefused() {
        String loopback = "127.0.0.1:" + RedisTopologies.standalone().port();
        refusedFast("cluster seed", () -> execute(map("mode", "cluster", "nodes", List.of(loopback, "0xa9fea9fe:7000")),
                "PING", map()));
        refusedFast("sentinel", () -> execute(map("mode", "sentinel", "nodes", loopback + ",[::ffff:a9fe:a9fe]:26379"),
                "PING", map()));
        refusedFast("uri", () -> execute(map("uri", "redis://:secret@[::ffff:a9fe:a9fe]:6379/0"), "PING", map()));
        refusedFast("sentinel uri", () -> Events.post("/test-connection",
                map("connection", map("uri", "redis-sentinel://2852039166:26379/mymaster"))));
    }

    @Test
    void loopbackOutsideTheDenyListStillWorks() {
        execute(Events.standalone(), "PING", map()).statusCode(200).body("ok", is(true)).body("result", equalTo("PONG"));
    }

    /** The rules alone, without HTTP: a prefix written in IPv6 catches NAT64, 6to4 and Teredo addresses themselves. */
    @Test
    void aDenyRuleWrittenAsAnIpv6PrefixCatchesTheTranslatedAddressItself() {
        TargetPolicy policy = new TargetPolicy(List.of("2002::/16", "64:ff9b::/96", "2001::/32"), Optional.empty());
        for (String host : List.of("2002:808:808::1", "64:ff9b::808:808", "64:ff9b::8.8.8.8",
                "2001:0:4136:e378:8000:63bf:3fff:fdd2")) {
            assertRefused(policy, host);
        }
        // their IPv4 addresses are not in those prefixes: what matched is the IPv6 address
        assertThat(policy.admit(new HostAndPort("8.8.8.8", 6379), false).host(), equalTo("8.8.8.8"));
        assertThat(policy.admit(new HostAndPort("2003::1", 6379), false).host(), equalTo("2003:0:0:0:0:0:0:1"));
    }

    @Test
    void theDefaultDenyListStillCatchesTheIpv4AddressCarriedByAnIpv6Form() throws NoSuchMethodException {
        TargetPolicy policy = new TargetPolicy(defaultDenyList(), Optional.empty());
        for (String host : List.of("64:ff9b::a9fe:a9fe", "64:ff9b:1:a9fe:a9:fe00::", "2002:a9fe:a9fe::1",
                "2001:0:4136:e378:8000:63bf:5601:5601", "::ffff:169.254.169.254", "::a9fe:a9fe", "fe80::1", "::")) {
            assertRefused(policy, host);
        }
        // a public address behind NAT64 or 6to4 is not refused, and is connected to as given
        assertThat(policy.admit(new HostAndPort("64:ff9b::808:808", 6379), false).host(),
                equalTo("64:ff9b:0:0:0:0:808:808"));
        assertThat(policy.admit(new HostAndPort("2002:808:808::1", 6379), false).host(), equalTo("2002:808:808:0:0:0:0:1"));
    }

    @Test
    void anAllowListOfAnIpv6PrefixAllowsAnAddressInItButNotADeniedIpv4BehindIt() throws NoSuchMethodException {
        TargetPolicy policy = new TargetPolicy(defaultDenyList(), Optional.of(List.of("2001:db8::/32", "64:ff9b::/96")));
        assertThat(policy.admit(new HostAndPort("2001:db8::5", 6379), false).host(), equalTo("2001:db8:0:0:0:0:0:5"));
        assertThat(policy.admit(new HostAndPort("64:ff9b::10.0.0.1", 6379), false).host(),
                equalTo("64:ff9b:0:0:0:0:a00:1"));
        for (String host : List.of("64:ff9b::a9fe:a9fe", "2001:db9::1", "10.0.0.1", "2002:a00:1::1")) {
            assertRefused(policy, host);
        }
        // an IPv4 allow rule still allows the NAT64 and mapped forms of its addresses (their normal form)
        TargetPolicy ipv4 = new TargetPolicy(defaultDenyList(), Optional.of(List.of("10.0.0.0/8")));
        assertThat(ipv4.admit(new HostAndPort("64:ff9b::a00:1", 6379), false).host(), equalTo("64:ff9b:0:0:0:0:a00:1"));
        assertThat(ipv4.admit(new HostAndPort("::ffff:10.0.0.1", 6379), false).host(), equalTo("10.0.0.1"));
        assertRefused(ipv4, "2001:db8::5");
        // a local-use NAT64 address reads as a different IPv4 address in each prefix layout: all must be
        // allowed, or one that reads as 10.0.0.1 in the /96 layout may reach 8.8.8.8 through a /48 translator
        String twoFaced = "64:ff9b:1:808:8:808:a00:1"; // /96: 10.0.0.1; /48 and /56: 8.8.8.8; /64: 8.8.8.10
        assertRefused(ipv4, twoFaced);
        TargetPolicy everyLayout = new TargetPolicy(defaultDenyList(), Optional.of(List.of("10.0.0.0/8", "8.0.0.0/8")));
        assertThat(everyLayout.admit(new HostAndPort(twoFaced, 6379), false).host(), equalTo(twoFaced));
    }

    /** {@code connector.targets.deny}'s default, as the settings declare it. */
    private static List<String> defaultDenyList() throws NoSuchMethodException {
        String defaults = ConnectorSettings.Targets.class.getMethod("deny").getAnnotation(WithDefault.class).value();
        return List.of(defaults.split(","));
    }

    private static void assertRefused(TargetPolicy policy, String host) {
        ConnectorException refused = assertThrows(ConnectorException.class,
                () -> policy.admit(new HostAndPort(host, 6379), false), host);
        assertThat(host, refused.code(), equalTo(ErrorCode.TARGET_NOT_ALLOWED));
    }

    /** Three tries, each 403 TARGET_NOT_ALLOWED (not retryable); the fastest within {@link #FAST_MS}. */
    static void refusedFast(String what, Supplier<ValidatableResponse> call) {
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long started = System.nanoTime();
            call.get().statusCode(403).body("ok", is(false)).body("error.code", equalTo("TARGET_NOT_ALLOWED"))
                    .body("error.retryable", is(false));
            fastest = Math.min(fastest, (System.nanoTime() - started) / 1_000_000);
        }
        assertThat(what + ": fastest of 3 answers (ms)", fastest, lessThan(FAST_MS));
    }

    static String address(String host, int port) {
        if (host.startsWith("[")) {
            return host + ":" + port;
        }
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
