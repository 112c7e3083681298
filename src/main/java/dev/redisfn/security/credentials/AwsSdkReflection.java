package dev.redisfn.security.credentials;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the AWS SDK's default credential chain loads by name, so a native image keeps it: the
 * chain finds STS through {@code Class.forName} + its no-argument constructor, and skips the
 * provider without a word when the class is missing, falling through to the next one (on EKS, the
 * node's instance role instead of the pod's IRSA role).
 * <ul>
 * <li>{@code StsWebIdentityCredentialsProviderFactory}: web identity (IRSA: AWS_ROLE_ARN and
 * AWS_WEB_IDENTITY_TOKEN_FILE). The sts jar ships this entry in its own
 * {@code META-INF/native-image} reflect-config; listed again so that one place shows it all.</li>
 * <li>{@code StsProfileCredentialsProviderFactory}: a profile with {@code role_arn} (assume-role
 * from a source profile, credential source or web identity token file). Not in the SDK's
 * config.</li>
 * </ul>
 * The rest needs nothing here: the chain's environment, system-property, container (EKS Pod
 * Identity, ECS) and instance-metadata providers are plain code over the JDK's HttpURLConnection;
 * url-connection-client registers itself (ServiceLoader, and its own reflect-config); sdk-core's
 * native-image.properties enables https URLs; the STS endpoint rules carry their partition data in
 * code. The SSO and login profile factories are left out with their modules ({@code sso},
 * {@code signin}): such a profile fails with the SDK's own message, turned into AUTH_FAILED.
 */
@RegisterForReflection(classNames = {
        "software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory",
        "software.amazon.awssdk.services.sts.internal.StsProfileCredentialsProviderFactory" },
        methods = false, fields = false)
final class AwsSdkReflection {

    private AwsSdkReflection() {
    }
}
