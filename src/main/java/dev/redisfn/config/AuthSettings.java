package dev.redisfn.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.Fields;

/**
 * A password that is a token fetched when a connection is made, instead of one given in the
 * config: {@code aws-iam} (ElastiCache / MemoryDB IAM authentication, signed with the function's
 * own AWS credentials) or {@code token-file} (a token a platform mounts and rotates, such as a
 * Kubernetes projected token or what an Entra ID sidecar writes).
 */
public record AuthSettings(Provider provider, String cacheName, String region, boolean serverless, String service,
        String path) {

    /** Where a connection's token comes from. */
    public enum Provider {
        AWS_IAM, TOKEN_FILE
    }

    static final Set<String> FIELDS = new TreeSet<>(List.of("provider", "cacheName", "region", "serverless", "service",
            "path"));
    /** The fields each provider reads: another's is a mistake (a path beside aws-iam reads no file). */
    private static final Set<String> AWS_IAM_FIELDS = new TreeSet<>(List.of("provider", "cacheName", "region",
            "serverless", "service"));
    private static final Set<String> TOKEN_FILE_FIELDS = new TreeSet<>(List.of("provider", "path"));

    static AuthSettings parse(JsonNode node, Fields fields) {
        if (Fields.isAbsent(node)) {
            return null;
        }
        if (!node.isObject()) {
            throw fields.invalid("auth", "expected an object such as {\"provider\": \"aws-iam\", ...}");
        }
        fields.requireOnly(node, "auth.", FIELDS);
        String provider = fields.string(node.get("provider"), "auth.provider");
        if (provider == null) {
            throw fields.invalid("auth.provider", "required: aws-iam or token-file");
        }
        Provider parsed = switch (provider.trim().toLowerCase(Locale.ROOT)) {
            case "aws-iam" -> Provider.AWS_IAM;
            case "token-file" -> Provider.TOKEN_FILE;
            default -> throw fields.invalid("auth.provider", "'" + Fields.clip(provider) + "' is not aws-iam or token-file");
        };
        Set<String> own = parsed == Provider.AWS_IAM ? AWS_IAM_FIELDS : TOKEN_FILE_FIELDS;
        node.fieldNames().forEachRemaining(name -> {
            if (!own.contains(name)) {
                throw fields.invalid("auth." + name, "not a field of " + parsed.name().toLowerCase(Locale.ROOT)
                        .replace('_', '-') + " (its fields: " + String.join(", ", own) + ")");
            }
        });
        String cacheName = fields.string(node.get("cacheName"), "auth.cacheName");
        String region = fields.string(node.get("region"), "auth.region");
        Boolean serverless = fields.bool(node.get("serverless"), "auth.serverless");
        String service = fields.string(node.get("service"), "auth.service");
        String path = fields.string(node.get("path"), "auth.path");
        if (parsed == Provider.AWS_IAM && (cacheName == null || region == null)) {
            throw fields.invalid(cacheName == null ? "auth.cacheName" : "auth.region", "required by aws-iam");
        }
        if (parsed == Provider.TOKEN_FILE && (path == null || path.isBlank())) {
            throw fields.invalid("auth.path", "required by token-file: the file the token is mounted in");
        }
        return new AuthSettings(parsed, cacheName, region, serverless != null && serverless, service, path);
    }

    String canonical() {
        return String.join("\u0000", provider.name(), String.valueOf(cacheName), String.valueOf(region),
                Boolean.toString(serverless), String.valueOf(service), String.valueOf(path));
    }

    /** A token provider replaces the password, and aws-iam signs for a user. */
    static void check(ConnectionConfig.Credentials credentials, Fields fields) {
        AuthSettings auth = credentials.auth();
        if (auth == null) {
            return;
        }
        if (credentials.password() != null) {
            throw ConnectorException.invalidConnection("auth", "give either a password or auth, not both");
        }
        if (auth.provider() == Provider.AWS_IAM && credentials.username() == null) {
            throw fields.invalid("username", "aws-iam authenticates a user: give the ElastiCache/MemoryDB user id");
        }
    }
}
