package dev.redisfn.security;

import io.vertx.ext.web.RoutingContext;

/**
 * Quarkus' own paths under {@code /q/} (health, metrics, OpenAPI): they stay open to the
 * platform's probes and scrapers without the API key, carry no request id, and keep Quarkus' own
 * answers instead of the connector's JSON errors.
 */
public final class PlatformPaths {

    private PlatformPaths() {
    }

    public static boolean isPlatform(RoutingContext context) {
        return context.normalizedPath().startsWith("/q/");
    }
}
