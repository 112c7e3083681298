package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.config.Mode;
import dev.redisfn.config.ReadFrom;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.response.NodeCheck;

import io.vertx.core.Future;

/**
 * test-connection of a config that reads from replicas: the replicas the sentinels report as up, or
 * that the cluster's CLUSTER SLOTS lists, each probed (INFO server, ROLE) and reported as a node of
 * kind {@code replica}. With {@code readFrom: replica} a config none of whose replicas answers is not
 * correct; with {@code preferReplica} it works, reading from the master, and says so in a warning.
 */
final class ReplicaProbes {

    private ReplicaProbes() {
    }

    /** {@code found} with the replicas, each checked by {@code probe}, and its verdict on them. */
    static Future<ConnectionTester.Verdict> withReplicas(ClientFactory factory, ConnectionConfig config,
            ConnectionTester.Verdict found, Function<HostAndPort, Future<NodeProbe>> probe) {
        return replicas(factory, config).compose(addresses -> {
            List<Future<NodeCheck>> probes = new ArrayList<>();
            addresses.forEach(address -> probes.add(probe.apply(address).map(NodeProbe::check)));
            return Future.join(probes).map(ignored -> {
                List<NodeCheck> checks = new ArrayList<>(found.nodes());
                probes.forEach(check -> checks.add(check.result()));
                return verdict(config, found, checks, probes.stream().filter(check -> check.result().reachable()).count());
            });
        });
    }

    private static ConnectionTester.Verdict verdict(ConnectionConfig config, ConnectionTester.Verdict found,
            List<NodeCheck> checks, long reachable) {
        if (reachable > 0) {
            return new ConnectionTester.Verdict(null, found.version(), found.role(), checks, found.warnings());
        }
        String what = "no replica answers (readFrom " + (config.readFrom() == ReadFrom.REPLICA ? "replica" : "preferReplica")
                + ")";
        if (config.readFrom() == ReadFrom.REPLICA) {
            return new ConnectionTester.Verdict(new ConnectorException(ErrorCode.CONNECTION_FAILED, what,
                    "readFrom: no replica is reachable — add one, or use readFrom preferReplica to fall back to the master"),
                    found.version(), found.role(), checks, List.of());
        }
        List<String> warnings = new ArrayList<>(found.warnings());
        warnings.add("readFrom: " + what + " — reads go to the master");
        return new ConnectionTester.Verdict(null, found.version(), found.role(), checks, warnings);
    }

    /**
     * The replicas the topology announces, each passed by the target policy: the sentinels' up
     * replicas, or every replica of the cluster's slot map (whose addresses are checked as it is read).
     * A topology that cannot be read has none; a replica the policy refuses fails the test (403).
     */
    private static Future<List<HostAndPort>> replicas(ClientFactory factory, ConnectionConfig config) {
        if (config.mode() == Mode.SENTINEL) {
            return new SentinelResolver(config, factory).replicas().compose(announced -> factory.vertx().executeBlocking(() -> {
                List<HostAndPort> checked = new ArrayList<>(announced.size());
                announced.forEach(address -> checked.add(factory.admitAnnounced(config, address)));
                return checked;
            }, false));
        }
        return SlotMap.load(factory, config, config.nodes()).map(SlotMap::replicas).recover(failure -> {
            boolean refused = failure instanceof ConnectorException e && e.code() == ErrorCode.TARGET_NOT_ALLOWED;
            return refused ? Future.failedFuture(failure) : Future.succeededFuture(List.of());
        });
    }
}
