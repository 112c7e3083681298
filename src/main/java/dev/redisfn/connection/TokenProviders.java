package dev.redisfn.connection;

import java.util.Locale;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.redisfn.config.AuthSettings;
import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
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
        Future<Secret> token = vertx.executeBlocking(() -> of(config).token(), false);
        // a credential source that never answers (a metadata endpoint behind a firewall) is said to be the
        // problem within connectTimeoutMs, not left to the call's deadline, which would blame Redis
        return Deadline.within(vertx, token, config.connectTimeoutMs(), () -> new ConnectorException(ErrorCode.CONNECTION_FAILED,
                "no token from the " + config.auth().provider().name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + " provider within connectTimeoutMs (" + config.connectTimeoutMs() + " ms)", "auth: the token's"
                                + " source (the AWS credential chain, STS, the metadata endpoint, or the token file) did"
                                + " not answer in time; retry shortly"));
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
