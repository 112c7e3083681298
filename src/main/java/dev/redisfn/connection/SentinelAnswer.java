package dev.redisfn.connection;

import java.util.List;
import java.util.stream.Collectors;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.connection.Failures;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.response.NodeCheck;
import dev.redisfn.transport.RedisErrors;

/**
 * What one address of a sentinel config answered to test-connection: its role as it reported it
 * (null when it did not say), the master it announces, or why it could not.
 */
record SentinelAnswer(HostAndPort address, String role, HostAndPort master, Throwable failure, double latencyMs) {

    private static final String SENTINEL = "sentinel";

    /** {@code outcomes}: ROLE, then SENTINEL get-master-addr-by-name. */
    static SentinelAnswer of(HostAndPort address, List<Outcome> outcomes, double latencyMs) {
        Outcome masterReply = outcomes.get(1);
        HostAndPort master = masterReply.failure() == null ? SentinelResolver.address(masterReply.response()) : null;
        return new SentinelAnswer(address, NodeProbe.roleOf(outcomes.get(0)), master, masterReply.failure(), latencyMs);
    }

    /** Why no master could be found, with the field to fix. */
    static ConnectorException noMaster(ConnectionConfig config, List<SentinelAnswer> answers) {
        List<SentinelAnswer> reachable = answers.stream().filter(SentinelAnswer::reachable).toList();
        if (reachable.isEmpty()) {
            return ConnectionTester.problem(ErrorCode.CONNECTION_FAILED, "no sentinel is reachable",
                    "nodes: check the sentinel addresses and that the sentinels run");
        }
        if (reachable.stream().allMatch(SentinelAnswer::isDataNode)) {
            return ConnectionTester.problem(ErrorCode.INVALID_CONNECTION, "no address in nodes is a sentinel: "
                    + reachable.stream().map(a -> a.address() + " is a Redis data node (role " + a.role() + ")")
                            .collect(Collectors.joining(", ")),
                    "nodes: these addresses are Redis data nodes, not sentinels — give the sentinels' addresses,"
                            + " or use mode standalone with the master's host and port");
        }
        if (answers.stream().anyMatch(SentinelAnswer::authRejected)) {
            return ConnectionTester.problem(ErrorCode.AUTH_FAILED, "the sentinels rejected the credentials",
                    "sentinelPassword: give the sentinels' own password (or sentinelUsername)");
        }
        return ConnectionTester.problem(ErrorCode.CONNECTION_FAILED, "no sentinel knows a master named '"
                + config.masterName() + "'", "masterName: '" + config.masterName()
                        + "' is unknown to the sentinels; check the name configured in sentinel monitor");
    }

    /** A Redis error reply (wrong password, unknown command) still proves the address answers. */
    boolean reachable() {
        return failure == null || RedisErrors.isErrorReply(failure);
    }

    boolean isDataNode() {
        return role != null && !SENTINEL.equals(role);
    }

    boolean authRejected() {
        return failure != null && Failures.isAuthProblem(failure);
    }

    NodeCheck check(String masterName) {
        return new NodeCheck(address.toString(), SENTINEL, reachable(), role, null, latencyMs, error(masterName));
    }

    private String error(String masterName) {
        if (isDataNode()) {
            return "a Redis data node (role " + role + "), not a sentinel";
        }
        if (failure != null) {
            return Failures.describe(failure);
        }
        return master == null ? "does not know master '" + masterName + "'" : null;
    }

    /** What is degraded about this address when another sentinel did find the master; null when nothing. */
    String warning(String masterName) {
        if (!reachable()) {
            return "nodes: " + address + " is unreachable (" + Failures.describe(failure) + ") — the other sentinels answer";
        }
        if (isDataNode()) {
            return "nodes: " + address + " is a Redis data node (role " + role + "), not a sentinel — remove it";
        }
        if (authRejected()) {
            return "sentinelPassword: " + address + " rejected the credentials";
        }
        if (failure != null) {
            return "nodes: " + address + ": " + Failures.describe(failure);
        }
        return master == null ? "masterName: " + address + " does not know master '" + masterName + "'" : null;
    }
}
