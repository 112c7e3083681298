package dev.redisfn.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.redisfn.ConnectorSettings;
import dev.redisfn.result.ConnectorException;
import dev.redisfn.result.ErrorCode;
import dev.redisfn.result.OperationResult;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The function's own API key: when {@code connector.api-key} is set, every function call needs
 * {@code Authorization: Bearer <key>} (compared in constant time) or gets 401 UNAUTHORIZED.
 * Health, metrics and OpenAPI under {@code /q/} stay open for the platform's probes.
 */
@ApplicationScoped
public class ApiKeyCheck {

    private final byte[] expected;
    private final ObjectMapper mapper;

    public ApiKeyCheck(ConnectorSettings settings, ObjectMapper mapper) {
        Optional<String> key = settings.apiKey().filter(value -> !value.isBlank());
        this.expected = key.map(value -> ("Bearer " + value).getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.mapper = mapper;
    }

    void register(@Observes Router router) {
        if (expected != null) {
            router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
        }
    }

    private void check(RoutingContext context) {
        if (PlatformPaths.isPlatform(context)) {
            context.next();
            return;
        }
        String header = context.request().getHeader("Authorization");
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(expected, given)) {
            context.next();
            return;
        }
        ConnectorException error = new ConnectorException(ErrorCode.UNAUTHORIZED,
                header == null ? "missing Authorization: Bearer <api key>" : "wrong API key");
        try {
            context.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .putHeader("WWW-Authenticate", "Bearer")
                    .end(mapper.writeValueAsString(OperationResult.failure(null, error.toBody())));
        } catch (JsonProcessingException e) {
            context.fail(e);
        }
    }
}
