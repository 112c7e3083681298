package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The packaged function ({@code target/quarkus-app/quarkus-run.jar}) in a JVM of its own, started
 * exactly as {@code function.yaml} deploys it: the collector ({@code GC_CONTAINER_OPTIONS}) and
 * {@code JAVA_OPTS_APPEND} of its Knative Service, and its plain environment variables
 * ({@code MALLOC_ARENA_MAX}, the limits ...). Read from the file at each start, so a test follows
 * any change to the deployment. Only what a test machine cannot have is left out: the image's
 * class-data archive, and variables taken from Kubernetes Secrets.
 */
public final class DeployedFunction implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static final Path FUNCTION_YAML = Path.of("function.yaml");

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private DeployedFunction(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the function on a free port and waits, with a deadline, until it answers its readiness probe. */
    public static DeployedFunction start() {
        Deployment deployment = Deployment.read(FUNCTION_YAML);
        int port = Ports.free();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(deployment.jvmOptions());
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1"); // the container's 0.0.0.0, kept to loopback on a test machine
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        try {
            Path dir = Files.createDirectories(Shared.targetDir().resolve("deployed-function"));
            Path log = dir.resolve("function-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(deployment.environment());
            DeployedFunction function = new DeployedFunction(builder.start(), port, log);
            try {
                Waits.until("the deployed function to answer /q/health/ready", Duration.ofSeconds(60),
                        function::ready, function::logTail);
            } catch (RuntimeException | Error e) {
                function.close();
                throw e;
            }
            return function;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the function exited with " + process.exitValue() + ":\n" + logTail());
        }
        try {
            return get("/q/health/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public HttpResponse<String> post(String path, String contentType, String body) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Everything the function wrote to its console so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public String logTail() {
        String all = log();
        return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
    }

    /** Sends SIGTERM, as a platform stopping the container does, without waiting for the process to exit. */
    public void terminate() {
        process.destroy();
    }

    /** Waits up to {@code deadline} for the process to exit; its exit code, or null if it still runs. */
    public Integer awaitExit(Duration deadline) throws InterruptedException {
        return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** Stops the function (SIGTERM, then SIGKILL after a deadline) and waits for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** What the Knative Service in function.yaml gives its container. */
    record Deployment(List<String> jvmOptions, Map<String, String> environment) {

        /** The start-up cache option names a file the image's build writes, absent from a test machine. */
        private static final String ARCHIVE = "-XX:SharedArchiveFile=";
        private static final List<String> JVM_VARIABLES = List.of("GC_CONTAINER_OPTIONS", "JAVA_OPTS_APPEND");

        static Deployment read(Path functionYaml) {
            JsonNode container = null;
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            try (var parser = yaml.getFactory().createParser(functionYaml.toFile())) {
                for (var documents = yaml.readValues(parser, JsonNode.class); documents.hasNext();) {
                    JsonNode document = documents.next();
                    if ("Service".equals(document.path("kind").asText())) {
                        container = document.at("/spec/template/spec/containers/0");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (container == null || container.isMissingNode()) {
                throw new IllegalStateException(functionYaml + " holds no Knative Service with a container");
            }
            List<String> options = new ArrayList<>();
            Map<String, String> environment = new LinkedHashMap<>();
            for (JsonNode variable : container.path("env")) {
                String name = variable.path("name").asText();
                if (!variable.has("value")) {
                    continue; // from a Secret
                }
                String value = variable.path("value").asText();
                if (JVM_VARIABLES.contains(name)) {
                    for (String option : value.trim().split("\\s+")) {
                        if (!option.isEmpty() && !option.startsWith(ARCHIVE)) {
                            options.add(option);
                        }
                    }
                } else {
                    environment.put(name, value);
                }
            }
            if (options.isEmpty()) {
                throw new IllegalStateException(functionYaml + " sets no JVM options");
            }
            return new Deployment(List.copyOf(options), Map.copyOf(environment));
        }
    }
}
