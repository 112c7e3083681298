package dev.redisfn.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The JVM options and environment of the deployed container, read from the Knative Service in
 * {@code function.yaml}, so that the benchmark measures what is deployed rather than a copy of it.
 *
 * @param options     the image start script's collector ({@code GC_CONTAINER_OPTIONS}) and
 *                    {@code JAVA_OPTS_APPEND}, without its start-up cache option: the benchmark
 *                    times the start without and with a cache of its own training run
 * @param environment the variables the JVM's own native code reads ({@code MALLOC_*})
 */
record ContainerJvm(String options, Map<String, String> environment) {

    /** The start-up cache options, which the benchmark sets itself per started process. */
    private static final List<String> PER_RUN = List.of("-XX:SharedArchiveFile=", "-XX:AOTCache=");

    static ContainerJvm read(Path functionYaml) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode variable : container(functionYaml).path("env")) {
            env.put(variable.path("name").asText(), variable.path("value").asText(null));
        }
        String options = Stream.of(env.get("GC_CONTAINER_OPTIONS"), env.get("JAVA_OPTS_APPEND"))
                .filter(Objects::nonNull)
                .flatMap(value -> Stream.of(value.trim().split("\\s+")))
                .filter(option -> PER_RUN.stream().noneMatch(option::startsWith))
                .collect(Collectors.joining(" "));
        if (options.isEmpty()) {
            throw new IllegalStateException(functionYaml + " sets no JVM options (JAVA_OPTS_APPEND)");
        }
        Map<String, String> malloc = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("MALLOC_") && value != null) {
                malloc.put(name, value);
            }
        });
        return new ContainerJvm(options, Map.copyOf(malloc));
    }

    /** The JVM options as a command line's words. */
    List<String> optionList() {
        return split(options);
    }

    /** JVM options given as one string, split at white space. */
    static List<String> split(String javaOpts) {
        return javaOpts.isBlank() ? List.of() : List.of(javaOpts.trim().split("\\s+"));
    }

    /** The one container of the Knative Service document. */
    private static JsonNode container(Path functionYaml) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = yaml.getFactory().createParser(functionYaml.toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + functionYaml, e);
        }
        return documents.stream()
                .filter(document -> "Service".equals(document.path("kind").asText()))
                .map(service -> service.at("/spec/template/spec/containers/0"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(functionYaml + " holds no Knative Service"));
    }
}
