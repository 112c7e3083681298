package dev.redisfn.connection;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;

import dev.redisfn.connection.ClientCache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The client cache's meters, read from Caffeine's own statistics when scraped:
 * {@code connector.cache.size} (clients held now), {@code connector.cache.hits},
 * {@code connector.cache.misses} and {@code connector.cache.evictions} (clients closed for size or
 * idle time; a client dropped after a broken connection is not an eviction).
 */
@Singleton
public class ClientCacheMetrics implements MeterBinder {

    private final ClientCache clients;

    public ClientCacheMetrics(ClientCache clients) {
        this.clients = clients;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Cache<String, ?> cache = clients.cache();
        Gauge.builder("connector.cache.size", cache, Cache::estimatedSize)
                .description("Redis clients in the cache").register(registry);
        FunctionCounter.builder("connector.cache.hits", cache, c -> c.stats().hitCount())
                .description("lookups that found a cached client").register(registry);
        FunctionCounter.builder("connector.cache.misses", cache, c -> c.stats().missCount())
                .description("lookups that found none").register(registry);
        FunctionCounter.builder("connector.cache.evictions", cache, c -> c.stats().evictionCount())
                .description("clients closed for size or idle time").register(registry);
    }
}
