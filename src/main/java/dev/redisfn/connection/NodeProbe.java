package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.redisfn.config.HostAndPort;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.response.NodeCheck;
import dev.redisfn.transport.RedisErrors;

import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * What test-connection found on one data node: {@code INFO server}, {@code ROLE} and one check that
 * depends on the mode ({@code SELECT database} or {@code CLUSTER INFO}). Role and version are kept
 * whenever the node told them, also when another of its checks failed.
 */
record NodeProbe(HostAndPort node, String kind, String infoText, String role, String checkReply,
        ConnectorException problem, double latencyMs) {

    /** {@code outcomes}: INFO server, ROLE and, optionally, the mode's check, in that order. */
    static NodeProbe of(HostAndPort node, String kind, int database, List<Outcome> outcomes, double latencyMs) {
        // an ACL user may lack INFO (a least-privilege user of GET and SET): the node works, the verdict warns
        Throwable failure = outcomes.stream().skip(infoRefused(outcomes) ? 1 : 0).map(Outcome::failure)
                .filter(Objects::nonNull).findFirst().orElse(null);
        ConnectorException problem = failure != null ? classify(node, database, failure)
                : "replica".equals(kind) ? notServing(node, outcomes.get(1).response()) : null;
        return new NodeProbe(node, kind, text(outcomes.get(0)), roleOf(outcomes.get(1)),
                outcomes.size() > 2 ? text(outcomes.get(2)) : null, problem, latencyMs);
    }

    /** A replica reads would skip: not a replica by its own ROLE, or not in sync with its master ({@link ReplicaSet}). */
    private static ConnectorException notServing(HostAndPort node, Response role) {
        String why = ReplicaSet.problem(role);
        return why == null ? null : new ConnectorException(ErrorCode.CONNECTION_FAILED, node + ": " + why,
                "readFrom: reads skip this replica until it is in sync with its master");
    }

    static NodeProbe failed(HostAndPort node, String kind, Throwable failure, double latencyMs) {
        return new NodeProbe(node, kind, "", null, null, classify(node, 0, failure), latencyMs);
    }

    private static boolean infoRefused(List<Outcome> outcomes) {
        Throwable info = outcomes.get(0).failure();
        return info != null && "NOPERM".equals(RedisErrors.code(info));
    }

    /**
     * What works but is degraded: INFO refused to the ACL user (no version, no mode check), or an
     * answer slower than the calls' {@code commandTimeoutMs}, which they would not wait for.
     */
    List<String> warnings(int commandTimeoutMs) {
        List<String> warnings = new ArrayList<>();
        if (problem == null && infoText.isEmpty() && role != null) {
            warnings.add("username: the ACL user may not run INFO, so the server's version and mode are not checked"
                    + " — grant +info to have them checked");
        }
        if (problem == null && latencyMs > commandTimeoutMs) {
            warnings.add("commandTimeoutMs: " + node + " took " + Math.round(latencyMs) + " ms to answer, more than"
                    + " commandTimeoutMs (" + commandTimeoutMs + "): calls would time out — check its load, or raise it");
        }
        return warnings;
    }

    /** The first element of a ROLE reply as the node says it ({@code master}, {@code slave}, {@code sentinel}). */
    static String roleOf(Outcome outcome) {
        Response reply = outcome.response();
        if (outcome.failure() != null || reply == null || reply.type() != ResponseType.MULTI || reply.size() == 0) {
            return null;
        }
        return reply.get(0).toString();
    }

    static boolean isReplica(String role) {
        return "slave".equals(role) || "replica".equals(role);
    }

    /** The failure as a verdict's problem: message prefixed with the node, hint starting with the field to fix. */
    private static ConnectorException classify(HostAndPort node, int database, Throwable failure) {
        ConnectorException problem = Failures.toConnectorException(failure);
        if (problem == null) {
            problem = new ConnectorException(ErrorCode.CONNECTION_FAILED, Failures.describe(failure));
        }
        String message = node + ": " + problem.getMessage();
        return switch (problem.code()) {
            // keeps the hint of what was wrong: a token that could not be made (auth: ...), NOAUTH (none given),
            // WRONGPASS (wrong, or no such user)
            case AUTH_FAILED -> new ConnectorException(ErrorCode.AUTH_FAILED, message, problem.hint() != null
                    ? problem.hint() : "password: Redis rejected the credentials — check password (and username for an ACL user)");
            case CONNECTION_FAILED, TIMEOUT -> new ConnectorException(problem.code(), message,
                    problem.hint() != null ? problem.hint()
                            : "host/port: " + node + " is unreachable — check the address and that Redis runs there");
            default -> new ConnectorException(problem.code(), message, redisErrorHint(node, database, problem, failure));
        };
    }

    /** By the error's code and, where Redis says more in its text, {@link RedisErrors}' reading of it (pinned against a real server). */
    private static String redisErrorHint(HostAndPort node, int database, ConnectorException problem, Throwable failure) {
        String code = String.valueOf(RedisErrors.code(failure));
        if (code.equals("NOPERM")) {
            return RedisErrors.saysSelectRefused(problem.getMessage())
                    ? "database: the ACL user may not SELECT database " + database + " — use database 0 or grant +select"
                    : "username: the ACL user may not run a command test-connection needs (INFO, ROLE, SELECT,"
                            + " CLUSTER INFO) — grant it, or test with a user that may";
        }
        if (code.equals("LOADING")) {
            return "host/port: " + node + " is still loading its data set — try again shortly";
        }
        if (code.equals("ERR") && RedisErrors.saysNoSuchDatabase(problem.getMessage())) {
            return "database: " + node + " has no database " + database
                    + " (a server has 16 unless its 'databases' setting says more) — use a lower index";
        }
        return problem.hint() != null ? problem.hint()
                : "host/port: " + node + " answered with an error (see message) — check that it is the intended server";
    }

    private static String text(Outcome outcome) {
        return outcome.failure() != null || outcome.response() == null ? "" : outcome.response().toString();
    }

    String info(String field) {
        return field(infoText, field);
    }

    /** A field of the CLUSTER INFO reply (null unless the check was CLUSTER INFO and it answered). */
    String clusterInfo(String field) {
        return checkReply == null ? null : field(checkReply, field);
    }

    String version() {
        return info("redis_version");
    }

    /** Whether the node took the connection: one that answered nothing in time did (see {@link SilentNode}). */
    boolean reachable() {
        return problem == null || problem.code() != ErrorCode.CONNECTION_FAILED && problem.code() != ErrorCode.TIMEOUT
                || NetworkFailure.SILENT_HINT.equals(problem.hint());
    }

    NodeCheck check() {
        return new NodeCheck(node.toString(), kind, reachable(), role, version(), latencyMs,
                problem == null ? null : problem.getMessage());
    }

    private static String field(String text, String field) {
        for (String line : text.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return null;
    }
}
