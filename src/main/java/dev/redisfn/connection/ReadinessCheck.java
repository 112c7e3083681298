package dev.redisfn.connection;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.redisfn.connection.ClientCache;

/**
 * Ready once the function serves calls. Deliberately independent of any Redis: every event names
 * its own, and one user's unreachable server must not take the function out of rotation for all.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final ClientCache clients;

    public ReadinessCheck(ClientCache clients) {
        this.clients = clients;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("redis-connector").up().withData("cachedClients", clients.cache().estimatedSize())
                .build();
    }
}
