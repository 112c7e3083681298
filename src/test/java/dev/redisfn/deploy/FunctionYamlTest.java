package dev.redisfn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.redisfn.command.Helpers;
import dev.redisfn.config.ConnectionParser;
import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.observe.LogSettings;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * {@code function.yaml} deploys what the code is: a Knative Service whose every environment
 * variable is a configuration key the function reads (or a launcher variable of the base image),
 * whose probes are the health endpoints, and a Trigger that delivers to that Service.
 */
class FunctionYamlTest {

    /** Variables of the base image's start script (run-java.sh) and of the C library, not of the function. */
    private static final Set<String> LAUNCHER = Set.of("JAVA_OPTS_APPEND", "GC_CONTAINER_OPTIONS", "MALLOC_ARENA_MAX");

    private static List<JsonNode> documents;
    private static JsonNode service;
    private static JsonNode trigger;

    @BeforeAll
    static void parse() throws IOException {
        documents = new ArrayList<>();
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (var parser = new YAMLFactory().createParser(Path.of("function.yaml").toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        service = documents.stream().filter(d -> "Service".equals(d.path("kind").asText())).findFirst().orElseThrow();
        trigger = documents.stream().filter(d -> "Trigger".equals(d.path("kind").asText())).findFirst().orElseThrow();
    }

    @Test
    void holdsAKnativeServiceAndATrigger() {
        assertEquals(2, documents.size());
        assertEquals("serving.knative.dev/v1", service.path("apiVersion").asText());
        assertEquals("eventing.knative.dev/v1", trigger.path("apiVersion").asText());
        JsonNode spec = service.at("/spec/template/spec");
        assertTrue(spec.path("containerConcurrency").isInt(), "containerConcurrency is set");
        assertEquals(1, spec.path("containers").size());
        assertTrue(container().path("image").asText().contains("redis-connector-function"));
        JsonNode annotations = service.at("/spec/template/metadata/annotations");
        assertFalse(annotations.isMissingNode());
        annotations.fieldNames().forEachRemaining(name -> assertTrue(name.startsWith("autoscaling.knative.dev/"), name));
        assertTrue(annotations.has("autoscaling.knative.dev/target"));
    }

    @Test
    void knativeWaitsLongerThanTheLongestCallAnEventCanAskFor() {
        long longestMs = 2L * ConnectionParser.MAX_TIMEOUT_MS + Helpers.MAX_WAIT_MS; // connect + command + SUBSCRIBE's wait
        long knativeSeconds = service.at("/spec/template/spec/timeoutSeconds").asLong();
        assertTrue(knativeSeconds * 1000 > longestMs, "timeoutSeconds " + knativeSeconds + " against " + longestMs + " ms");
    }

    @Test
    void probesAreTheHealthEndpoints() {
        assertEquals("/q/health/ready", container().at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container().at("/livenessProbe/httpGet/path").asText());
        assertEquals(8080, container().at("/ports/0/containerPort").asInt());
    }

    @Test
    void resourcesLeaveRoomForTheMeasuredFootprint() {
        assertEquals("192Mi", container().at("/resources/requests/memory").asText());
        assertEquals("256Mi", container().at("/resources/limits/memory").asText());
        String opts = env().get("JAVA_OPTS_APPEND");
        assertTrue(opts.contains("-Xmx40m"), opts);
        assertTrue(opts.contains("-XX:TrimNativeHeapInterval="), opts);
        assertEquals("2", env().get("MALLOC_ARENA_MAX"));
        assertEquals("-XX:+UseSerialGC", env().get("GC_CONTAINER_OPTIONS"));
    }

    @Test
    void runsTheImagesJvmOptionsAndItsClassDataArchive() throws IOException {
        Matcher image = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"$")
                .matcher(Files.readString(Path.of("src/main/docker/Dockerfile.jvm")));
        assertTrue(image.find(), "Dockerfile.jvm sets JAVA_OPTS_APPEND");
        // function.yaml's value replaces the image's, so it must carry every option of it
        assertEquals(List.of(image.group(1).trim().split("\\s+")), List.of(env().get("JAVA_OPTS_APPEND").trim().split("\\s+")));
        assertTrue(image.group(1).contains("-XX:SharedArchiveFile=/deployments/app-cds.jsa"), image.group(1));
    }

    @Test
    void theTriggerDeliversExecuteEventsToTheService() {
        assertEquals("dev.redisfn.execute", trigger.at("/spec/filter/attributes/type").asText());
        JsonNode subscriber = trigger.at("/spec/subscriber/ref");
        assertEquals("serving.knative.dev/v1", subscriber.path("apiVersion").asText());
        assertEquals("Service", subscriber.path("kind").asText());
        assertEquals(service.at("/metadata/name").asText(), subscriber.path("name").asText());
    }

    @Test
    void everyVariableIsAConfigurationKeyOfTheFunction() throws IOException {
        Set<Pattern> connectorKeys = connectorKeyPatterns();
        Set<String> quarkusKeys = quarkusKeysOfApplicationProperties();
        for (String name : env().keySet()) {
            if (LAUNCHER.contains(name)) {
                continue;
            }
            if (name.startsWith("CONNECTOR_")) {
                assertTrue(connectorKeys.stream().anyMatch(p -> p.matcher(name).matches()),
                        name + " is no connector.* key (ConnectorSettings, LogSettings)");
            } else if (name.startsWith("QUARKUS_")) {
                assertTrue(quarkusKeys.contains(name), name + " is not a key application.properties sets");
            } else {
                fail(name + " is neither a configuration key nor a launcher variable");
            }
        }
    }

    @Test
    void theFunctionReadsTheVariablesAsMeant() {
        Map<String, String> values = new LinkedHashMap<>(env());
        values.replaceAll((name, value) -> value == null ? "from-secret-" + name : value);
        // the mappings as Quarkus builds them (its Duration syntax, "10M"), fed only the file's variables
        SmallRyeConfig config = new SmallRyeConfigBuilder().withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(ConnectorSettings.class).withMapping(LogSettings.class)
                .withSources(new EnvConfigSource(values, 300)).build();
        ConnectorSettings settings = config.getConfigMapping(ConnectorSettings.class);
        assertEquals("from-secret-CONNECTOR_API_KEY", settings.apiKey().orElseThrow());
        ConnectorSettings.NamedConnection orders = settings.connections().get("orders");
        assertEquals(values.get("CONNECTOR_CONNECTIONS_ORDERS_HOST"), orders.host().orElseThrow());
        assertEquals(6379, orders.port().orElseThrow());
        assertEquals("from-secret-CONNECTOR_CONNECTIONS_ORDERS_PASSWORD", orders.password().orElseThrow());
        assertTrue(config.getConfigMapping(LogSettings.class).json());
        assertEquals("1M", config.getRawValue("quarkus.http.limits.max-body-size"));
        assertEquals(service.at("/spec/template/spec/containerConcurrency").asInt(), settings.limits().maxConcurrentCalls(),
                "the function refuses (503) past the calls Knative sends it at once, not before");
    }

    @Test
    void secretsComeFromSecretsOnly() {
        for (JsonNode variable : container().path("env")) {
            String name = variable.path("name").asText();
            if (name.endsWith("PASSWORD") || name.endsWith("API_KEY")) {
                assertTrue(variable.has("valueFrom") && !variable.has("value"), name + " must come from a Secret");
                assertFalse(variable.at("/valueFrom/secretKeyRef/name").asText().isEmpty(), name);
            }
        }
    }

    private static JsonNode container() {
        return service.at("/spec/template/spec/containers/0");
    }

    /** Each variable's literal value, or null for one read from a Secret. */
    private static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode variable : container().path("env")) {
            env.put(variable.path("name").asText(), variable.has("value") ? variable.get("value").asText() : null);
        }
        return env;
    }

    /** Every connector.* key as the environment spells it; a map key (a connection's name) is a wildcard. */
    private static Set<Pattern> connectorKeyPatterns() {
        List<String> keys = new ArrayList<>();
        collect(ConnectorSettings.class, "connector", keys);
        collect(LogSettings.class, "connector.log", keys);
        Set<Pattern> patterns = new LinkedHashSet<>();
        for (String key : keys) {
            String env = key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9*]", "_");
            patterns.add(Pattern.compile(Pattern.quote(env).replace("*", "\\E[A-Z0-9_]+\\Q")));
        }
        return patterns;
    }

    private static void collect(Class<?> group, String prefix, List<String> keys) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.getParameterCount() != 0 || method.isDefault() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String key = prefix + "." + kebab(method.getName());
            Type type = method.getGenericReturnType();
            if (method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() != null) {
                collect(method.getReturnType(), key, keys);
            } else if (method.getReturnType() == Map.class && type instanceof ParameterizedType map
                    && map.getActualTypeArguments()[1] instanceof Class<?> value && value.isInterface()) {
                collect(value, key + ".*", keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Set<String> quarkusKeysOfApplicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Set<String> keys = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            String unprofiled = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
            keys.add(unprofiled.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        return keys;
    }
}
