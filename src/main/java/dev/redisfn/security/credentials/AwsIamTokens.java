package dev.redisfn.security.credentials;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.model.Fields;
import dev.redisfn.model.Secret;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * IAM authentication tokens for ElastiCache and MemoryDB (Valkey / Redis OSS 7+): the password is
 * a SigV4-presigned {@code GET http://<name>/?Action=connect&User=<userId>} (plus
 * {@code &ResourceType=ServerlessCache} for an ElastiCache serverless cache), valid 15 minutes,
 * without its {@code http://}, signed by the SDK's own {@link AwsV4HttpSigner}.
 * <p>
 * A token is cached and signed anew once it is older than the refresh age: signing is cheap, but
 * the credential lookup before it may call STS or instance metadata; concurrent callers wait for
 * one lookup instead of each making its own. Blocking; see {@link TokenProvider}.
 */
public final class AwsIamTokens implements TokenProvider {

    /** Characters of a caller's value quoted in an error message. */
    private static final int QUOTED = 64;

    /** The longest validity the services accept for a token. */
    public static final Duration TOKEN_VALIDITY = Duration.ofSeconds(900);
    /** Well below the validity, so a cached token still has minutes left when AUTH sends it. */
    public static final Duration DEFAULT_REFRESH_AGE = Duration.ofMinutes(10);

    private static final Logger LOG = Logger.getLogger(AwsIamTokens.class);
    private static final long WARN_EVERY_NANOS = 60_000_000_000L;
    // ElastiCache user ids / MemoryDB user names and cache / cluster names: a letter, then letters,
    // digits and hyphens. Checked here so a typo fails as a clear 400, not as WRONGPASS.
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /** The service whose {@code Connect} action the token is signed for: its SigV4 signing name. */
    public enum Service {
        ELASTICACHE, MEMORYDB;

        /** {@code null} or blank means ElastiCache; otherwise "elasticache" or "memorydb", any case. */
        public static Service parse(String text) {
            if (text == null || text.isBlank()) {
                return ELASTICACHE;
            }
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "elasticache" -> ELASTICACHE;
                case "memorydb" -> MEMORYDB;
                default -> throw ConnectorException.invalidConnection("auth.service",
                        "'" + Fields.clip(text, QUOTED) + "' is not elasticache or memorydb");
            };
        }

        String signingName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String userId;
    private final String resource;
    private final String region;
    private final boolean serverless;
    private final Service service;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;
    private final Duration refreshAge;

    private Secret cached;
    private Instant signedAt;
    /** When a failure was last logged at WARN; guarded by this (token() is synchronized). */
    private long lastWarnNanos;

    private AwsIamTokens(String userId, String resource, String region, boolean serverless, Service service,
            AwsCredentialsProvider credentials, Clock clock, Duration refreshAge) {
        this.userId = userId;
        this.resource = resource;
        this.region = region;
        this.serverless = serverless;
        this.service = service;
        this.credentials = credentials;
        this.clock = clock;
        this.refreshAge = refreshAge;
    }

    /** Tokens from the default credential chain, the system clock and the default refresh age. */
    public static AwsIamTokens of(String userId, String resourceName, String region, boolean serverless, Service service) {
        return of(userId, resourceName, region, serverless, service, DefaultChain.INSTANCE, Clock.systemUTC(),
                DEFAULT_REFRESH_AGE);
    }

    /**
     * @param resourceName the ElastiCache replication group id or serverless cache name, or the MemoryDB
     *        cluster name: the signed host (not the endpoint's DNS name)
     * @param serverless ElastiCache Serverless (signs {@code ResourceType=ServerlessCache})
     * @param credentials where the signing credentials come from, asked at each refresh
     * @param refreshAge how old a cached token may get; more than zero and less than 15 minutes
     * @throws ConnectorException INVALID_CONNECTION naming the {@code connection.auth.*} field at fault
     */
    public static AwsIamTokens of(String userId, String resourceName, String region, boolean serverless, Service service,
            AwsCredentialsProvider credentials, Clock clock, Duration refreshAge) {
        checkName(userId, "username");
        checkName(resourceName, "auth.cacheName");
        if (region == null || !REGION.matcher(region).matches()) {
            throw ConnectorException.invalidConnection("auth.region",
                    "'" + Fields.clip(region, QUOTED) + "' is not an AWS region such as eu-west-1");
        }
        Service svc = service == null ? Service.ELASTICACHE : service;
        if (serverless && svc == Service.MEMORYDB) {
            throw ConnectorException.invalidConnection("auth.serverless", "MemoryDB has no serverless caches");
        }
        if (refreshAge == null || refreshAge.isNegative() || refreshAge.isZero()
                || refreshAge.compareTo(TOKEN_VALIDITY) >= 0) {
            throw ConnectorException.invalidConnection("auth.refreshAge",
                    refreshAge + " is not between 0 and the token's 15-minute validity");
        }
        // The services store these names in lower case and verify the signature against that host.
        return new AwsIamTokens(userId, resourceName.toLowerCase(Locale.ROOT), region, serverless, svc,
                Objects.requireNonNull(credentials, "credentials"), Objects.requireNonNull(clock, "clock"), refreshAge);
    }

    @Override
    public synchronized Secret token() {
        Instant now = clock.instant();
        // A clock that went back counts as stale too: a token signed "in the future" is rejected.
        if (cached != null && !now.isBefore(signedAt) && Duration.between(signedAt, now).compareTo(refreshAge) < 0) {
            return cached;
        }
        AwsCredentials identity = resolve();
        Instant signingTime = clock.instant(); // after the lookup, which may have taken seconds
        String token;
        try {
            token = sign(identity, signingTime);
        } catch (RuntimeException e) {
            // e.g. credentials without a secret key (anonymous): the SDK's text stays in the log.
            warn("%s: the SDK could not sign: %s", describe(), e.getMessage());
            throw new ConnectorException(ErrorCode.AUTH_FAILED, "could not sign an IAM token for " + describe()
                    + " with the AWS credentials found", "auth: check the function's AWS credentials");
        }
        cached = Secret.ofNullable(token);
        signedAt = signingTime;
        return cached;
    }

    /**
     * The SDK's account of a failed token, for the operator: a WARN once a minute at most (every call of
     * a misconfigured connection fails alike, and the account runs to a kilobyte), DEBUG in between.
     */
    private void warn(String format, Object... args) {
        long now = System.nanoTime();
        if (lastWarnNanos == 0 || now - lastWarnNanos > WARN_EVERY_NANOS) {
            lastWarnNanos = now;
            LOG.warnf(format + " (repeats are logged at DEBUG for a minute)", args);
        } else {
            LOG.debugf(format, args);
        }
    }

    @Override
    public String describe() {
        String what = service == Service.MEMORYDB ? "cluster " : serverless ? "serverless cache " : "cache ";
        return "aws-iam user " + userId + " on " + service.signingName() + " " + what + resource + " in " + region;
    }

    /** The presigned request as AUTH sends it: the URL without its scheme. */
    private String sign(AwsCredentials identity, Instant signingTime) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol("http")
                .host(resource)
                .encodedPath("/")
                .appendRawQueryParameter("Action", "connect")
                .appendRawQueryParameter("User", userId);
        if (serverless) {
            request.appendRawQueryParameter("ResourceType", "ServerlessCache");
        }
        SdkHttpRequest signed = SIGNER.sign(r -> r.identity(identity)
                .request(request.build())
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service.signingName())
                .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, TOKEN_VALIDITY)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(signingTime, ZoneOffset.UTC)))
                .request();
        String uri = signed.getUri().toString();
        return uri.startsWith("http://") ? uri.substring("http://".length()) : uri;
    }

    private AwsCredentials resolve() {
        try {
            return credentials.resolveCredentials();
        } catch (RuntimeException e) {
            if (unavailable(e)) {
                warn("%s: the AWS credential source did not answer: %s", describe(), e.getMessage());
                throw new ConnectorException(ErrorCode.CONNECTION_FAILED, "could not sign an IAM token for " + describe()
                        + ": the AWS credential source did not answer", "auth: STS or the container or instance"
                                + " metadata endpoint timed out or failed while the function fetched its AWS credentials;"
                                + " retry shortly");
            }
            // The SDK's text lists what each source of the chain lacked (no secret in it): for the
            // operator's log only; the caller gets a fixed message.
            warn("%s: no AWS credentials: %s", describe(), e.getMessage());
            throw new ConnectorException(ErrorCode.AUTH_FAILED,
                    "could not sign an IAM token for " + describe() + ": no AWS credentials",
                    "auth: the function found no AWS credentials (environment variables, web identity/IRSA,"
                            + " profile, container or EKS Pod Identity, instance role); give its pod or task an IAM"
                            + " role allowed " + service.signingName() + ":Connect, or set AWS_ACCESS_KEY_ID and"
                            + " AWS_SECRET_ACCESS_KEY");
        }
    }

    /**
     * Whether the credential lookup failed on the way, not on what it found: a network failure or a
     * timeout, or STS / a metadata endpoint answering 5xx or throttling. A file that cannot be read
     * (a web identity token, a profile) is a configuration problem, not an outage.
     */
    private static boolean unavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof FileSystemException || cause instanceof FileNotFoundException) {
                return false;
            }
            if (cause instanceof IOException || cause instanceof ApiCallTimeoutException
                    || cause instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
            if (cause instanceof SdkServiceException answer && (answer.statusCode() >= 500 || answer.isThrottlingException())) {
                return true;
            }
        }
        return false;
    }

    private static void checkName(String value, String field) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw ConnectorException.invalidConnection(field,
                    "'" + Fields.clip(value, QUOTED) + "' is not a name: a letter, then letters, digits and hyphens");
        }
    }

    /** One default chain for the process, made on first use: it caches what it found, and a test never builds it. */
    private static final class DefaultChain {
        static final AwsCredentialsProvider INSTANCE = DefaultCredentialsProvider.builder().build();
    }
}
