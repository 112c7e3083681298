package dev.redisfn.security.credentials;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.security.credentials.AwsIamTokens.Service;

import io.quarkus.runtime.annotations.RegisterForReflection;

import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/** The IAM token against the SDK's other (legacy) presigner, its shape, its cache, and its errors. */
class AwsIamTokensTest {

    static final Instant T0 = Instant.parse("2026-01-15T08:30:00Z");
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final AwsBasicCredentials KEYS = AwsBasicCredentials.create("AKIDEXAMPLE", SECRET_KEY);

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    static AwsIamTokens tokens(String user, String cache, String region, boolean serverless, Service service,
            AwsCredentialsProvider credentials, Clock clock) {
        return AwsIamTokens.of(user, cache, region, serverless, service, credentials, clock,
                AwsIamTokens.DEFAULT_REFRESH_AGE);
    }

    /** The token as the legacy Aws4Signer presigns the documented request, built from its URL text. */
    @SuppressWarnings("deprecation")
    static String legacyPresigned(String url, String signingName, String region, AwsBasicCredentials keys, Clock clock) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET).uri(URI.create(url)).build();
        Aws4PresignerParams params = Aws4PresignerParams.builder()
                .awsCredentials(keys)
                .signingName(signingName)
                .signingRegion(Region.of(region))
                .expirationTime(clock.instant().plusSeconds(900))
                .signingClockOverride(clock)
                .build();
        String presigned = Aws4Signer.create().presign(request, params).getUri().toString();
        assertThat(presigned, startsWith("http://"));
        return presigned.substring("http://".length());
    }

    @ParameterizedTest
    @CsvSource({
            "app-user, my-cache, eu-west-1, false, ELASTICACHE, http://my-cache/?Action=connect&User=app-user",
            "app-user, my-cache, eu-west-1, true, ELASTICACHE,"
                    + " http://my-cache/?Action=connect&User=app-user&ResourceType=ServerlessCache",
            "iam-user-01, orders, us-gov-west-1, false, MEMORYDB, http://orders/?Action=connect&User=iam-user-01" })
    void tokenIsWhatTheLegacyPresignerMakesOfTheDocumentedRequest(String user, String cache, String region,
            boolean serverless, Service service, String documentedUrl) {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        String token = tokens(user, cache, region, serverless, service, StaticCredentialsProvider.create(KEYS), clock)
                .token().reveal();

        String legacy = legacyPresigned(documentedUrl, service.name().toLowerCase(), region, KEYS, clock);
        // The two signers append their X-Amz-* parameters in different orders; AWS reads them by name.
        assertEquals(sortedQuery(legacy), sortedQuery(token));
        assertEquals(legacy.substring(legacy.indexOf("X-Amz-Signature=")),
                token.substring(token.indexOf("X-Amz-Signature=")));
    }

    /** The token with its query parameters in name order. */
    static String sortedQuery(String token) {
        int question = token.indexOf('?');
        return token.substring(0, question + 1)
                + Arrays.stream(token.substring(question + 1).split("&")).sorted().collect(Collectors.joining("&"));
    }

    @Test
    void tokenMatchesASignatureRecordedElsewhere() {
        // Recorded by another project's test of its ElastiCache token (serverless cache "my-cache",
        // user "user123", eu-west-1, keys accessKey/secretKey, at this instant): pins the request
        // independently of this code and of the SDK's two signers agreeing with each other.
        Clock clock = Clock.fixed(Instant.parse("2024-08-02T12:11:50Z"), ZoneOffset.UTC);
        String token = tokens("user123", "my-cache", "eu-west-1", true, Service.ELASTICACHE,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("accessKey", "secretKey")), clock)
                .token().reveal();

        assertThat(token, startsWith("my-cache/?Action=connect&User=user123&ResourceType=ServerlessCache&"));
        assertThat(token, containsString(
                "X-Amz-Signature=5dda5db919b1337db6596b2a608924bc10197fb39289b933b60bdb114d5a70dc"));
    }

    @Test
    void tokenShape() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        String token = tokens("app-user", "My-Cache", "eu-west-1", false, Service.ELASTICACHE,
                StaticCredentialsProvider.create(KEYS), clock).token().reveal();

        assertThat(token, startsWith("my-cache/?")); // the services keep names in lower case
        assertFalse(token.contains("http://"));
        assertThat(token, containsString("Action=connect"));
        assertThat(token, containsString("User=app-user"));
        assertThat(token, containsString("X-Amz-Expires=900"));
        assertThat(token, containsString("X-Amz-Algorithm=AWS4-HMAC-SHA256"));
        assertThat(token, containsString("X-Amz-Date=20260115T083000Z"));
        assertThat(token, containsString("X-Amz-Credential=AKIDEXAMPLE%2F20260115%2Feu-west-1%2Felasticache%2Faws4_request"));
        assertThat(token, containsString("X-Amz-SignedHeaders=host&"));
        assertThat(token, not(containsString("ResourceType")));
        assertThat(token, not(containsString(SECRET_KEY)));

        String memoryDb = tokens("app-user", "orders", "eu-west-1", false, Service.MEMORYDB,
                StaticCredentialsProvider.create(KEYS), clock).token().reveal();
        assertThat(memoryDb, startsWith("orders/?Action=connect&User=app-user&"));
        assertThat(memoryDb, containsString("%2Feu-west-1%2Fmemorydb%2Faws4_request"));
        assertThat(memoryDb, not(containsString("ResourceType")));

        String serverless = tokens("app-user", "my-cache", "eu-west-1", true, Service.ELASTICACHE,
                StaticCredentialsProvider.create(KEYS), clock).token().reveal();
        assertThat(serverless, containsString("ResourceType=ServerlessCache"));
    }

    @Test
    void sessionCredentialsSignTheirToken() {
        AwsSessionCredentials session = AwsSessionCredentials.create("ASIAEXAMPLE", SECRET_KEY, "session-token-1");
        String token = tokens("app-user", "my-cache", "eu-west-1", false, Service.ELASTICACHE,
                StaticCredentialsProvider.create(session), Clock.fixed(T0, ZoneOffset.UTC)).token().reveal();

        assertThat(token, containsString("X-Amz-Security-Token=session-token-1"));
        assertThat(token, containsString("X-Amz-Credential=ASIAEXAMPLE%2F"));
    }

    @Test
    void cachedWithinTheRefreshAgeAndSignedAnewAfterIt() {
        TestClock clock = new TestClock();
        AtomicInteger lookups = new AtomicInteger();
        AwsIamTokens tokens = tokens("app-user", "my-cache", "eu-west-1", false, Service.ELASTICACHE, () -> {
            lookups.incrementAndGet();
            return KEYS;
        }, clock);

        String first = tokens.token().reveal();
        clock.now = T0.plus(Duration.ofMinutes(10).minusSeconds(1));
        assertEquals(first, tokens.token().reveal());
        assertEquals(1, lookups.get(), "one credential lookup while the token is fresh");

        clock.now = T0.plus(Duration.ofMinutes(10));
        String second = tokens.token().reveal();
        assertNotEquals(first, second);
        assertThat(second, containsString("X-Amz-Date=20260115T084000Z"));
        assertEquals(2, lookups.get());

        clock.now = T0; // the clock went back: a token dated later is no good
        assertThat(tokens.token().reveal(), containsString("X-Amz-Date=20260115T083000Z"));
        assertEquals(3, lookups.get());
    }

    @Test
    void noCredentialsIsAuthFailedWithoutTheirText() {
        AtomicInteger lookups = new AtomicInteger();
        AwsIamTokens tokens = tokens("app-user", "my-cache", "eu-west-1", false, Service.ELASTICACHE, () -> {
            lookups.incrementAndGet();
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain;"
                    + " aws_secret_access_key=" + SECRET_KEY);
        }, Clock.fixed(T0, ZoneOffset.UTC));

        ConnectorException e = assertThrows(ConnectorException.class, tokens::token);
        assertEquals(ErrorCode.AUTH_FAILED, e.code());
        assertThat(e.getMessage(), containsString("aws-iam user app-user"));
        assertThat(e.getMessage(), not(containsString(SECRET_KEY)));
        assertThat(e.hint(), startsWith("auth: the function found no AWS credentials ("));
        assertThat(e.hint(), not(containsString(SECRET_KEY)));
        assertEquals(0, e.getStackTrace().length, "an answer, not a stack trace");

        assertThrows(ConnectorException.class, tokens::token);
        assertEquals(2, lookups.get(), "a failure is not cached: the next call asks again");
    }

    /** What a token asks of a credential lookup that fails with {@code failure} answers. */
    static ConnectorException answerTo(RuntimeException failure) {
        return assertThrows(ConnectorException.class, tokens("app-user", "my-cache", "eu-west-1", false,
                Service.ELASTICACHE, () -> {
                    throw failure;
                }, Clock.fixed(T0, ZoneOffset.UTC))::token);
    }

    @Test
    void aCredentialSourceThatDoesNotAnswerIsARetryable502() {
        List<RuntimeException> outages = List.of(
                SdkClientException.create("Unable to execute HTTP request: Connect timed out",
                        new SocketTimeoutException("Connect timed out")),
                SdkClientException.create("Failed to load credentials from IMDS.",
                        SdkClientException.create("Unable to connect", new ConnectException("Connection refused"))),
                SdkClientException.create("Unable to execute HTTP request: sts.eu-west-1.amazonaws.com",
                        new UnknownHostException("sts.eu-west-1.amazonaws.com")),
                ApiCallTimeoutException.create(2_000),
                StsException.builder().statusCode(503).message("Service Unavailable").build(),
                StsException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("Throttling").errorMessage("Rate exceeded").build()).build());
        for (RuntimeException outage : outages) {
            ConnectorException e = answerTo(outage);
            assertEquals(ErrorCode.CONNECTION_FAILED, e.code(), outage.toString());
            assertTrue(e.retryable(), outage.toString());
            assertThat(e.getMessage(), containsString("aws-iam user app-user"));
            assertThat(e.hint(), startsWith("auth: "));
        }
    }

    @Test
    void credentialsThatAreMissingOrRefusedStayAuthFailed() {
        List<RuntimeException> refusals = List.of(
                SdkClientException.create("Unable to load credentials from any of the providers in the chain"),
                SdkClientException.create("Unable to read the web identity token",
                        new UncheckedIOException(new NoSuchFileException("/var/run/secrets/eks/token"))),
                StsException.builder().statusCode(403).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDenied").errorMessage("not authorized").build()).build());
        for (RuntimeException refusal : refusals) {
            assertEquals(ErrorCode.AUTH_FAILED, answerTo(refusal).code(), refusal.toString());
        }
    }

    @Test
    void badInputsNameTheirField() {
        AwsCredentialsProvider keys = StaticCredentialsProvider.create(KEYS);
        Clock clock = Clock.systemUTC();
        Duration age = AwsIamTokens.DEFAULT_REFRESH_AGE;
        invalid("connection.username", () -> tokens(null, "my-cache", "eu-west-1", false, null, keys, clock));
        invalid("connection.username", () -> tokens("app user", "my-cache", "eu-west-1", false, null, keys, clock));
        invalid("connection.auth.cacheName", () -> tokens("u", "", "eu-west-1", false, null, keys, clock));
        invalid("connection.auth.cacheName",
                () -> tokens("u", "my-cache.abc123.cache.amazonaws.com", "eu-west-1", false, null, keys, clock));
        invalid("connection.auth.region", () -> tokens("u", "c", "Ireland", false, null, keys, clock));
        invalid("connection.auth.region", () -> tokens("u", "c", null, false, null, keys, clock));
        invalid("connection.auth.serverless", () -> tokens("u", "c", "eu-west-1", true, Service.MEMORYDB, keys, clock));
        invalid("connection.auth.service", () -> Service.parse("redis"));
        invalid("connection.auth.refreshAge", () -> AwsIamTokens.of("u", "c", "eu-west-1", false, null, keys, clock,
                Duration.ofMinutes(15)));
        invalid("connection.auth.refreshAge", () -> AwsIamTokens.of("u", "c", "eu-west-1", false, null, keys, clock,
                Duration.ZERO));

        assertSame(Service.ELASTICACHE, Service.parse(null));
        assertSame(Service.MEMORYDB, Service.parse(" MemoryDB "));
    }

    @Test
    void describeNamesUserAndCacheOnly() {
        AwsIamTokens tokens = tokens("app-user", "my-cache", "eu-west-1", true, Service.ELASTICACHE,
                StaticCredentialsProvider.create(KEYS), Clock.fixed(T0, ZoneOffset.UTC));
        String token = tokens.token().reveal();

        assertEquals("aws-iam user app-user on elasticache serverless cache my-cache in eu-west-1", tokens.describe());
        assertFalse(tokens.describe().contains(token));
        assertEquals("****", tokens.token().toString());
    }

    @Test
    void theChainFindsStsAndAnHttpClient() throws Exception {
        // What the default chain loads by name for IRSA and role profiles (and a native image keeps):
        // a rename in the SDK would make the chain skip web identity without a word.
        for (String name : AwsSdkReflection.class.getAnnotation(RegisterForReflection.class).classNames()) {
            Class.forName(name).getConstructor();
        }
        // The STS client the web-identity provider builds finds its HTTP client on the class path (by
        // ServiceLoader), and without one fails only then: on EKS, at the first token.
        try (StsClient sts = StsClient.builder().region(Region.EU_WEST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            assertEquals("sts", sts.serviceName());
        }
    }

    static void invalid(String field, Executable creation) {
        ConnectorException e = assertThrows(ConnectorException.class, creation);
        assertEquals(ErrorCode.INVALID_CONNECTION, e.code());
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }
}
