package dev.redisfn.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Scoped API keys are checked as the function starts: a key that is wrong in its configuration
 * fails the start with the setting's name (never the key), since skipping it could leave the
 * function open or give a caller a scope nobody meant.
 */
class ApiKeysSetupTest {

    private static ApiKeys keys(String... properties) {
        Map<String, String> values = new HashMap<>();
        values.put("connector.connections.orders.host", "10.0.0.5");
        for (int i = 0; i < properties.length; i += 2) {
            values.put(properties[i], properties[i + 1]);
        }
        ConnectorSettings settings = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(ConnectorSettings.class).withSources(new PropertiesConfigSource(values, "test", 300))
                .build().getConfigMapping(ConnectorSettings.class);
        return new ApiKeys(settings);
    }

    private static String startFailure(String... properties) {
        String message = assertThrows(IllegalArgumentException.class, () -> keys(properties)).getMessage();
        assertFalse(message.contains("s3cret"), "the key itself is never in the message: " + message);
        return message;
    }

    @Test
    void aWellFormedKeyGetsItsScopeAndOthersAre401() {
        ApiKeys keys = keys("connector.api-keys.dashboard.key", "s3cret-1", "connector.api-keys.dashboard.connections",
                "orders", "connector.api-keys.dashboard.categories", "read");
        KeyScope scope = keys.scope("Bearer s3cret-1");
        scope.checkConnection("orders");
        assertEquals(ErrorCode.SCOPE_NOT_ALLOWED,
                scope.refusal(KeyScope.Category.WRITE, "SET").code());
        assertEquals(ErrorCode.UNAUTHORIZED,
                assertThrows(ConnectorException.class, () -> keys.scope("Bearer s3cret-2")).code());
        assertEquals(ErrorCode.UNAUTHORIZED, assertThrows(ConnectorException.class, () -> keys.scope(null)).code());
    }

    @Test
    void aKeyWithoutCategoriesMayReadButNotWrite() {
        // as when its variable is misspelled (..._CATEGORY): SmallRye ignores an env variable that maps to nothing
        KeyScope scope = keys("connector.api-keys.dashboard.key", "s3cret-1", "connector.api-keys.dashboard.connections",
                "orders").scope("Bearer s3cret-1");
        assertNull(scope.refusal(KeyScope.Category.READ, "GET"));
        assertEquals(ErrorCode.SCOPE_NOT_ALLOWED, scope.refusal(KeyScope.Category.WRITE, "SET").code());
        assertEquals(ErrorCode.SCOPE_NOT_ALLOWED, scope.refusal(KeyScope.Category.ADMIN, "CONFIG.GET").code());
    }

    @Test
    void withoutKeysEveryCallerHasEveryScope() {
        assertSame(KeyScope.ALL, keys().scope(null));
    }

    @Test
    void aBlankScopedKeyFailsTheStartInsteadOfLeavingTheFunctionOpen() {
        assertEquals("connector.api-keys.dashboard.key is blank",
                startFailure("connector.api-keys.dashboard.key", "   ", "connector.api-keys.dashboard.connections", "orders"));
    }

    @Test
    void theSchemeIsCaseInsensitiveAndMaySitBeforeSeveralSpaces() {
        ApiKeys keys = keys("connector.api-key", "s3cret");
        for (String header : new String[] {"Bearer s3cret", "bearer s3cret", "BEARER   s3cret"}) {
            assertSame(KeyScope.ALL, keys.scope(header), header);
        }
        for (String header : new String[] {"Bearer  s3cret ", "Bearers3cret", "Basic s3cret", "s3cret"}) {
            assertEquals(ErrorCode.UNAUTHORIZED, assertThrows(ConnectorException.class, () -> keys.scope(header)).code(),
                    header);
        }
    }

    @Test
    void aBlankFunctionKeyFailsTheStartToo() {
        assertEquals("connector.api-key is blank", startFailure("connector.api-key", " \n "));
    }

    @Test
    void aKeyReadFromAFileWithItsNewlineIsTheKeyWithout() {
        assertSame(KeyScope.ALL, keys("connector.api-key", "s3cret\n").scope("Bearer s3cret"));
    }

    @Test
    void twoKeysWithTheSameValueFailTheStart() {
        assertEquals("connector.api-keys.b.key is the same as another API key's",
                startFailure("connector.api-key", "s3cret", "connector.api-keys.b.key", "s3cret"));
    }

    @Test
    void aScopeNamingAnUnknownConnectionFailsTheStart() {
        assertEquals("connector.api-keys.dashboard.connections names [ordrs], which are not named connections"
                + " (connector.connections.<name>)", startFailure("connector.api-keys.dashboard.key", "s3cret",
                        "connector.api-keys.dashboard.connections", "orders,ordrs"));
    }

    @Test
    void anUnknownCategoryFailsTheStart() {
        assertEquals("connector.api-keys.dashboard.categories: 'reed' is not a key category (read, write, admin)",
                startFailure("connector.api-keys.dashboard.key", "s3cret", "connector.api-keys.dashboard.categories",
                        "reed"));
    }
}
