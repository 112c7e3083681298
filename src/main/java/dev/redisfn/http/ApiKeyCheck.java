package dev.redisfn.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.inject.Singleton;

import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The function's own API key: when {@code connector.api-key} is set, every function call needs
 * {@code Authorization: Bearer <key>} (compared in constant time) or gets 401 UNAUTHORIZED.
 * Health, metrics and OpenAPI under {@code /q/} stay open for the platform's probes.
 */
@Singleton
public class ApiKeyCheck {

    private final byte[] expected;

    public ApiKeyCheck(ConnectorSettings settings) {
        Optional<String> key = settings.apiKey().filter(value -> !value.isBlank());
        this.expected = key.map(value -> ("Bearer " + value).getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    /** Null when the request may call a function, else the 401 to answer. */
    ConnectorException check(HttpServerRequest request) {
        if (expected == null) {
            return null;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(expected, given)) {
            return null;
        }
        return new ConnectorException(ErrorCode.UNAUTHORIZED,
                header == null ? "missing Authorization: Bearer <api key>" : "wrong API key");
    }
}
