package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Posts raw bodies to the running function with the JDK's HTTP client: for tests that send
 * thousands of calls or call from many threads at once, where REST Assured's per-call set-up
 * would dominate. Thread-safe; keeps HTTP connections alive between calls.
 */
public final class FunctionHttp {

    /** One answer: HTTP status, body text and how long the call took. */
    public record Reply(int status, String body, long millis) {
    }

    private final URI base;
    private final HttpClient http;

    public FunctionHttp(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public Reply post(String path, String json) {
        return post(path, json.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));
    }

    /** Posts {@code body} as {@code application/json}; throws when no answer arrives within {@code timeout}. */
    public Reply post(String path, byte[] body, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.body(), (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed after "
                    + (System.nanoTime() - started) / 1_000_000 + " ms: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during POST " + path, e);
        }
    }
}
