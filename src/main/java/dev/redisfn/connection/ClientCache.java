package dev.redisfn.connection;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.ConnectorSettings;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * One {@link Target} per distinct connection config, reused by every event that names the same
 * config. Bounded in size and idle time; a target leaving the cache — evicted, expired, dropped
 * after a broken connection, or at shutdown — is closed (once its calls are done, see {@link Linger}).
 */
@Singleton
public class ClientCache {

    private static final Logger LOG = Logger.getLogger(ClientCache.class);

    private final ClientFactory factory;
    private final Vertx vertx;
    private final Cache<String, Target> clients;

    public ClientCache(ClientFactory factory, ConnectorSettings settings, Vertx vertx) {
        this.factory = factory;
        this.vertx = vertx;
        this.clients = Caffeine.newBuilder()
                .maximumSize(settings.cache().maxSize())
                .expireAfterAccess(settings.cache().idleExpiry())
                // without a scheduler an idle client would be closed only when the cache is next used
                .scheduler(Scheduler.systemScheduler())
                .executor(Runnable::run)
                .removalListener((String key, Target target, RemovalCause cause) -> close(target, cause))
                .recordStats()
                .build();
    }

    /**
     * The target of a config without blocking the caller: a cached one at once; a new one is
     * admitted by the target policy (which may resolve DNS) on a worker thread, and the call goes on
     * on the caller's event loop (its first connection then belongs to that loop).
     */
    public Future<Target> target(ConnectionConfig config) {
        return target(config, cached(config));
    }

    /** {@link #target(ConnectionConfig)} for a caller that looked the config up with {@link #cached} already. */
    public Future<Target> target(ConnectionConfig config, Target cached) {
        return cached != null ? Future.succeededFuture(cached) : built(config);
    }

    /** The config's target, built on the calling thread if need be (DNS may block): for tests and tools, not calls. */
    public Target get(ConnectionConfig config) {
        return clients.get(config.cacheKey(), key -> factory.create(factory.admit(config)));
    }

    /** The config's target if it is in the cache, else null (counted as a hit or a miss). */
    public Target cached(ConnectionConfig config) {
        return clients.getIfPresent(config.cacheKey());
    }

    /** After {@link #cached} found nothing: the target built, or the one another call built meanwhile. */
    private Future<Target> built(ConnectionConfig config) {
        Context caller = Vertx.currentContext();
        // the lookup of cached() already counted the miss; the map view's compute counts no hit or miss again
        Future<Target> built = vertx.executeBlocking(() -> clients.asMap().compute(config.cacheKey(),
                (key, present) -> present != null ? present : factory.create(factory.admit(config))), false);
        if (caller == null) {
            return built;
        }
        Promise<Target> onCaller = Promise.promise();
        built.onComplete(done -> caller.runOnContext(ignored -> onCaller.handle(done)));
        return onCaller.future();
    }

    /**
     * Drops a target whose connection broke, so the next call builds a fresh one — only if it is
     * still the cached target of its config: a call that failed on a target already replaced leaves
     * the replacement alone.
     */
    public void drop(Target target) {
        // by value: the cache is keyed by the config as the event gave it, the target holds the admitted one;
        // a scan of at most connector.cache.max-size entries, and only when a connection broke
        clients.asMap().values().remove(target);
    }

    public long size() {
        clients.cleanUp();
        return clients.estimatedSize();
    }

    public Cache<String, Target> cache() {
        return clients;
    }

    /** Closes every cached target: at shutdown, and for tests that check nothing stays connected. */
    @PreDestroy
    public void closeAll() {
        clients.invalidateAll();
        clients.cleanUp();
    }

    private static void close(Target target, RemovalCause cause) {
        if (target == null) {
            return;
        }
        LOG.debugf("closing Redis client %s (%s)", target.config().describe(), cause);
        target.close();
    }
}
