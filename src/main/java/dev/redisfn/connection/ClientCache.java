package dev.redisfn.connection;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;

import dev.redisfn.ConnectorSettings;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One {@link RedisTarget} per distinct connection config, reused by every event that names the
 * same config. Bounded in size and idle time; a client leaving the cache — evicted, expired,
 * dropped after a broken connection, or at shutdown — is closed.
 */
@Singleton
public class ClientCache {

    private static final Logger LOG = Logger.getLogger(ClientCache.class);

    private final ClientFactory factory;
    private final Cache<String, RedisTarget> clients;

    public ClientCache(ClientFactory factory, ConnectorSettings settings) {
        this.factory = factory;
        this.clients = Caffeine.newBuilder()
                .maximumSize(settings.cache().maxSize())
                .expireAfterAccess(settings.cache().idleExpiry())
                // without a scheduler an idle client would be closed only when the cache is next used
                .scheduler(Scheduler.systemScheduler())
                .executor(Runnable::run)
                .removalListener((String key, RedisTarget target, RemovalCause cause) -> close(target, cause))
                .recordStats()
                .build();
    }

    public RedisTarget get(ConnectionConfig config) {
        return clients.get(config.cacheKey(), key -> build(config));
    }

    /**
     * The client of a config without blocking the caller: a cached one at once; a new one is
     * admitted by the target policy (which may resolve DNS) on a worker thread.
     */
    public Uni<RedisTarget> target(ConnectionConfig config) {
        return target(config, cached(config));
    }

    /** {@link #target(ConnectionConfig)} for a caller that has looked the config up with {@link #cached} already. */
    public Uni<RedisTarget> target(ConnectionConfig config, RedisTarget cached) {
        return cached != null ? Uni.createFrom().item(cached) : built(config);
    }

    /** The config's client if it is in the cache, else null (counted as a hit or a miss). */
    public RedisTarget cached(ConnectionConfig config) {
        return clients.getIfPresent(config.cacheKey());
    }

    /** After {@link #cached} found nothing: the client built, or the one another call built meanwhile. */
    private Uni<RedisTarget> built(ConnectionConfig config) {
        // the lookup of cached() already counted the miss; the map view's compute counts no hit or miss again
        // (its computeIfAbsent would count a second miss)
        Uni<RedisTarget> built = Uni.createFrom().item(() -> clients.asMap().compute(config.cacheKey(),
                (key, present) -> present != null ? present : build(config))).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        // back to the caller's event loop: the call and its first connection then belong to that loop
        Context caller = Vertx.currentContext();
        return caller == null ? built : built.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** The target policy admits the config (which may resolve DNS), then the factory builds its client. */
    private RedisTarget build(ConnectionConfig config) {
        return factory.create(factory.admit(config));
    }

    /**
     * Drops a client whose connection broke, so the next call builds a fresh one — only if it is
     * still the cached client of its config: a call that failed on a client already replaced
     * leaves the replacement alone.
     */
    public void drop(RedisTarget target) {
        // by value: the cache is keyed by the config as the event gave it, the target holds the admitted one;
        // a scan of at most connector.cache.max-size entries, and only when a connection broke
        clients.asMap().values().remove(target);
    }

    public long size() {
        clients.cleanUp();
        return clients.estimatedSize();
    }

    public Cache<String, RedisTarget> cache() {
        return clients;
    }

    /** Closes every cached client: at shutdown, and for tests that check nothing stays connected. */
    @PreDestroy
    public void closeAll() {
        clients.invalidateAll();
        clients.cleanUp();
    }

    private static void close(RedisTarget target, RemovalCause cause) {
        if (target == null) {
            return;
        }
        LOG.debugf("closing Redis client %s (%s)", target.config().describe(), cause);
        target.close();
    }
}
