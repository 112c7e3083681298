package dev.redisfn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

class ConnectionParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ConnectionConfig parse(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        return ConnectionParser.parse(node);
    }

    private static ConnectorException rejected(String json) {
        return assertThrows(ConnectorException.class, () -> parse(json));
    }

    @Test
    void standaloneDefaultsPortAndTimeouts() throws Exception {
        ConnectionConfig config = parse("{\"host\": \"10.0.0.5\"}");
        assertEquals(Mode.STANDALONE, config.mode());
        assertEquals(List.of(new HostAndPort("10.0.0.5", 6379)), config.nodes());
        assertEquals(ConnectionParser.DEFAULT_CONNECT_TIMEOUT_MS, config.connectTimeoutMs());
        assertEquals(ConnectionParser.DEFAULT_COMMAND_TIMEOUT_MS, config.commandTimeoutMs());
    }

    @Test
    void nodesAcceptAStringOrAnArrayAndPortsAsStrings() throws Exception {
        ConnectionConfig fromString = parse("{\"mode\": \"Cluster\", \"nodes\": \"h1:7000, h2:7001\"}");
        ConnectionConfig fromArray = parse("{\"mode\": \"cluster\", \"nodes\": [\"h1:7000\", \"h2:7001\"]}");
        assertEquals(fromString.nodes(), fromArray.nodes());
        assertEquals(fromString.cacheKey(), fromArray.cacheKey());
        assertEquals(6380, parse("{\"host\": \"h\", \"port\": \"6380\"}").nodes().get(0).port());
        assertEquals(new HostAndPort("::1", 7000), parse("{\"nodes\": \"[::1]:7000\"}").nodes().get(0));
        assertEquals(6380, parse("{\"host\": \"h:6380\", \"port\": 6380}").nodes().get(0).port(), "the same port twice");
        assertEquals(6380, parse("{\"host\": \"[::1]\", \"port\": 6380}").nodes().get(0).port(), "a bracketed literal names none");
        assertEquals("connection.port: is 6380 but host names port 7000; give the port once",
                rejected("{\"host\": \"h:7000\", \"port\": 6380}").getMessage());
    }

    @Test
    void addressesWithAColonAreIpv6LiteralsOrRefused() {
        for (String host : List.of("::1", "2001:db8::7", "::ffff:10.0.0.1", "fe80::1:2:3:4", "64:ff9b::8.8.8.8")) {
            assertEquals(host, new HostAndPort(host, 1).host());
        }
        for (String host : List.of(".:1", "..:", "1:2:3", "::g", "1.2.3.4:5")) {
            ConnectorException refused = assertThrows(ConnectorException.class, () -> new HostAndPort(host, 1), host);
            assertEquals(ErrorCode.INVALID_CONNECTION, refused.code());
        }
    }

    @Test
    void modeAliasesOfIntegrationConsoles() throws Exception {
        for (String alias : List.of("NonCluster", "noncluster", "single", "Standalone")) {
            assertEquals(Mode.STANDALONE, parse("{\"mode\": \"" + alias + "\", \"host\": \"h\"}").mode());
        }
        assertEquals(Mode.SENTINEL, parse("{\"mode\": \"Sentinel\", \"nodes\": \"s1:26379\"}").mode());
        assertEquals("mymaster", parse("{\"mode\": \"sentinel\", \"nodes\": \"s1:26379\"}").masterName());
    }

    @Test
    void clusterDatabaseMustBeZero() {
        ConnectorException error = rejected("{\"mode\": \"cluster\", \"nodes\": \"h:1\", \"database\": 3}");
        assertEquals(ErrorCode.INVALID_CONNECTION, error.code());
        assertTrue(error.getMessage().startsWith("connection.database"), error.getMessage());
    }

    @Test
    void rejectedAddressesNeverQuoteAPassword() {
        for (String json : List.of("{\"nodes\": \"user:PWleak1@127.0.0.1:7000\"}", "{\"host\": \"redis://:PWleak2@h:1\"}",
                "{\"uri\": \"redis://:PWleak3\"}", "{\"uri\": \"redis://u:PWleak4@h:1/PWleak4\"}",
                "{\"host\": \"[::1:PWleak5@x\"}", "{\"uri\": \"redis://:PWleak6@h:1/0?timeout=5s\"}")) {
            ConnectorException error = rejected(json);
            assertEquals(ErrorCode.INVALID_CONNECTION, error.code(), json);
            assertFalse(error.getMessage().contains("PWleak"), json + " -> " + error.getMessage());
        }
    }

    @Test
    void errorsNameTheField() {
        assertTrue(rejected("{\"mode\": \"standalone\"}").getMessage().startsWith("connection.host"));
        assertTrue(rejected("{\"mode\": \"cluster\"}").getMessage().startsWith("connection.nodes"));
        assertTrue(rejected("{\"host\": \"h\", \"port\": 0}").getMessage().startsWith("connection.port"));
        assertTrue(rejected("{\"host\": \"h\", \"commandTimeoutMs\": -5}").getMessage().startsWith("connection.commandTimeoutMs"));
        assertTrue(rejected("{\"host\": \"h\", \"tls\": {\"clientCertPem\": \"x\"}}").getMessage().startsWith("connection.tls.clientKeyPem"));
        assertTrue(rejected("{\"mode\": \"standalone\", \"nodes\": \"a:1,b:2\"}").getMessage().startsWith("connection.nodes"));
    }

    @Test
    void uriFillsTheFieldsAndHidesCredentialsInErrors() throws Exception {
        ConnectionConfig config = parse("{\"uri\": \"rediss://app:p%40ss@cache.example:6390/2\"}");
        assertEquals(new HostAndPort("cache.example", 6390), config.nodes().get(0));
        assertEquals("app", config.username());
        assertEquals("p@ss", config.password().reveal());
        assertEquals(2, config.database());
        assertTrue(config.tls().enabled());
        assertEquals("a+b c", parse("{\"uri\": \"redis://:a+b%20c@h:1\"}").password().reveal());
        for (String host : List.of("{\"host\": true}", "{\"host\": \":::\"}", "{\"uri\": \"redis://PWleak8@:::\"}",
                "{\"host\": \"ab:cd\"}")) {
            ConnectorException error = rejected(host);
            assertEquals(ErrorCode.INVALID_CONNECTION, error.code(), host + " -> " + error.getMessage());
            assertFalse(error.getMessage().contains("PWleak8"));
        }
        // fields beside the uri win, the port alone too
        assertEquals(new HostAndPort("h", 16379), parse("{\"uri\": \"redis://h:1\", \"port\": 16379}").nodes().get(0));
        assertTrue(rejected("{\"uri\": \"redis-sentinel://a:1,b:2/m\", \"port\": 3}").getMessage().startsWith("connection.port"));
        assertTrue(rejected("{\"nodes\": \"a:1,b:2\", \"mode\": \"cluster\", \"port\": 3}").getMessage()
                .startsWith("connection.port"));
        ConnectionConfig sentinel = parse("{\"uri\": \"redis-sentinel://s1:26379,s2:26380/orders\"}");
        assertEquals(Mode.SENTINEL, sentinel.mode());
        assertEquals("orders", sentinel.masterName());
        assertEquals(2, sentinel.nodes().size());
        ConnectionConfig withDatabase = parse("{\"uri\": \"redis-sentinel://s1:26379/orders/3?readFrom=replica\"}");
        assertEquals("orders", withDatabase.masterName());
        assertEquals(3, withDatabase.database());
        assertTrue(rejected("{\"uri\": \"redis-sentinel://:PWleak8@s1:26379/orders/x\"}").getMessage()
                .contains("/masterName or /masterName/database"));
        assertFalse(rejected("{\"uri\": \"http://u:topsecret@h\"}").getMessage().contains("topsecret"));
    }

    /** A field another token provider reads is a mistake here: a path beside aws-iam would read no file. */
    @Test
    void anAuthFieldOfTheOtherProviderIsRefusedByName() throws Exception {
        assertEquals("connection.auth.path: not a field of aws-iam (its fields: cacheName, provider, region, serverless,"
                + " service)", rejected("{\"host\": \"h\", \"username\": \"u\", \"auth\": {\"provider\": \"aws-iam\","
                + " \"cacheName\": \"c\", \"region\": \"r\", \"path\": \"/x\"}}").getMessage());
        assertEquals("connection.auth.region: not a field of token-file (its fields: path, provider)",
                rejected("{\"host\": \"h\", \"auth\": {\"provider\": \"token-file\", \"path\": \"/t\", \"region\": \"r\"}}")
                        .getMessage());
        assertEquals("/t", parse("{\"host\": \"h\", \"auth\": {\"provider\": \"token-file\", \"path\": \"/t\"}}")
                .auth().path());
    }

    @Test
    void aUriReadFromThatIsEmptyOrRepeatedIsRefusedByName() throws Exception {
        assertEquals(ReadFrom.REPLICA, parse("{\"uri\": \"redis-sentinel://s1:26379/m?readFrom=replica\"}").readFrom());
        for (String query : List.of("readFrom=", "readFrom", "readFrom=replica&readFrom=replica",
                "readFrom=replica&readFrom=master")) {
            ConnectorException error = rejected("{\"uri\": \"redis-sentinel://:PWleak7@s1:26379/m?" + query + "\"}");
            assertEquals(ErrorCode.INVALID_CONNECTION, error.code(), query);
            assertTrue(error.getMessage().startsWith("connection.uri: the readFrom parameter"), query + " -> " + error.getMessage());
            assertFalse(error.getMessage().contains("PWleak"), error.getMessage());
        }
    }

    @Test
    void cacheKeyDependsOnThePasswordButToStringHidesIt() throws Exception {
        ConnectionConfig a = parse("{\"host\": \"h\", \"password\": \"one-secret\"}");
        ConnectionConfig b = parse("{\"host\": \"h\", \"password\": \"two-secret\"}");
        assertNotEquals(a.cacheKey(), b.cacheKey());
        assertFalse(a.toString().contains("one-secret"), a.toString());
        assertFalse(a.toString().contains(a.cacheKey()), "the key is a hash of the password: " + a);
        assertTrue(a.toString().contains("nodes=[h:6379]"), a.toString());
        assertFalse(a.cacheKey().contains("one-secret"));
    }
}
