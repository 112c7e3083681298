package dev.redisfn.connection;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.redisfn.config.AuthSettings;
import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.model.Secret;
import dev.redisfn.security.credentials.AwsIamTokens;
import dev.redisfn.security.credentials.TokenFile;
import dev.redisfn.security.credentials.TokenProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The token provider of each config whose password is a token ({@code auth}), one per config so
 * that its cached token is shared by the config's connections; tokens are fetched off the event
 * loop (a credential chain may ask instance metadata over HTTP, a token file is read from disk).
 */
@Singleton
public class TokenProviders {

    private final Cache<String, TokenProvider> providers;
    private final Vertx vertx;

    public TokenProviders(ConnectorSettings settings, Vertx vertx) {
        this.providers = Caffeine.newBuilder().maximumSize(Math.max(16, settings.cache().maxSize()))
                .executor(Runnable::run).build();
        this.vertx = vertx;
    }

    /** The config's provider (built on first use; its checks may fail with INVALID_CONNECTION). */
    public TokenProvider of(ConnectionConfig config) {
        return providers.get(config.cacheKey(), key -> create(config));
    }

    /** The data password of a config: the one it gives, or its provider's current token. */
    Future<Secret> password(ConnectionConfig config) {
        if (config.auth() == null) {
            return Future.succeededFuture(config.password());
        }
        // building a provider the first time loads the AWS SDK's classes: a worker thread does both
        return vertx.executeBlocking(() -> of(config).token(), false);
    }

    private static TokenProvider create(ConnectionConfig config) {
        AuthSettings auth = config.auth();
        return switch (auth.provider()) {
            case AWS_IAM -> AwsIamTokens.of(config.username(), auth.cacheName(), auth.region(), auth.serverless(),
                    AwsIamTokens.Service.parse(auth.service()));
            case TOKEN_FILE -> TokenFile.of(auth.path());
        };
    }
}
