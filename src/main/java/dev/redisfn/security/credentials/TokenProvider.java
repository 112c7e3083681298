package dev.redisfn.security.credentials;

import dev.redisfn.model.Secret;

/**
 * A source of the current password for Redis AUTH when it is not a fixed value: a short-lived
 * token that is signed ({@link AwsIamTokens}) or mounted by the platform ({@link TokenFile}).
 * <p>
 * Both methods may block: {@link #token()} reads files, and may look up cloud credentials over
 * HTTP (instance metadata, STS) on its first call and whenever it refreshes. Call it on a worker
 * thread, never on a Vert.x event loop. Implementations are thread-safe.
 */
public interface TokenProvider {

    /**
     * The token to send now, refreshed first when the cached one is too old or its source changed.
     *
     * @throws dev.redisfn.model.ConnectorException {@code AUTH_FAILED} when no token can be had;
     *         its message and hint never hold the token or any credential
     */
    Secret token();

    /** What this provider is, for messages and logs: never the token. */
    String describe();
}
