package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

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
 * kind {@code replica}. Each master is judged alone, since a read goes to a replica of the master of
 * its key's slot: with {@code readFrom: replica} a master none of whose replicas serves — answers,
 * in sync with it — makes the config not correct; with {@code preferReplica} its reads go to it,
 * which a warning says.
 */
final class ReplicaProbes {

    private ReplicaProbes() {
    }

    /** A master (null when the topology could not be read), the slots it serves (none named in sentinel mode), its replicas. */
    private record Shard(String master, List<String> slots, Set<HostAndPort> replicas) {

        String describe() {
            return master == null ? "any master" : "master " + master
                    + (slots.isEmpty() ? "" : " (slots " + String.join(", ", slots) + ")");
        }
    }

    /** {@code found} with the replicas, each checked by {@code probe}, and its verdict on them. */
    static Future<ConnectionTester.Verdict> withReplicas(ClientFactory factory, ConnectionConfig config,
            ConnectionTester.Verdict found, Function<HostAndPort, Future<NodeProbe>> probe) {
        return shards(factory, config, found).compose(shards -> {
            Map<HostAndPort, Future<NodeCheck>> probes = new LinkedHashMap<>();
            shards.forEach(shard -> shard.replicas().forEach(address -> probes.computeIfAbsent(address,
                    replica -> probe.apply(replica).map(NodeProbe::check))));
            return Future.join(new ArrayList<>(probes.values())).map(ignored -> {
                List<NodeCheck> checks = new ArrayList<>(found.nodes());
                probes.values().forEach(check -> checks.add(check.result()));
                // a replica serves when it answered, in sync: one that is silent, syncing or linked to no master does not
                List<Shard> unserved = shards.stream().filter(shard -> shard.replicas().stream()
                        .noneMatch(replica -> probes.get(replica).result().error() == null)).toList();
                return verdict(config, found, checks, unserved);
            });
        });
    }

    private static ConnectionTester.Verdict verdict(ConnectionConfig config, ConnectionTester.Verdict found,
            List<NodeCheck> checks, List<Shard> unserved) {
        if (unserved.isEmpty()) {
            return new ConnectionTester.Verdict(null, found.version(), found.role(), checks, found.warnings());
        }
        if (config.readFrom() == ReadFrom.REPLICA) {
            String which = unserved.stream().map(Shard::describe).collect(Collectors.joining(" and "));
            return new ConnectionTester.Verdict(new ConnectorException(ErrorCode.CONNECTION_FAILED,
                    "readFrom replica: no replica serves reads for " + which + " — reads routed there would fail",
                    "readFrom: bring up a replica of " + which + ", or use readFrom preferReplica to fall back to the master"),
                    found.version(), found.role(), checks, List.of());
        }
        List<String> warnings = new ArrayList<>(found.warnings());
        unserved.forEach(shard -> warnings.add("readFrom: no replica serves reads for " + shard.describe()
                + " — reads of its keys go to the master (preferReplica)"));
        return new ConnectionTester.Verdict(null, found.version(), found.role(), checks, warnings);
    }

    /**
     * The masters and their replicas, each address passed by the target policy: the sentinels' master
     * and up replicas, or the masters of the cluster's slot map (whose addresses are checked as it is
     * read) with their slot ranges. A topology that cannot be read has no replica for any master; a
     * replica the policy refuses fails the test (403).
     */
    private static Future<List<Shard>> shards(ClientFactory factory, ConnectionConfig config,
            ConnectionTester.Verdict found) {
        if (config.mode() == Mode.SENTINEL) {
            String master = found.nodes().stream().filter(node -> "master".equals(node.kind())).findFirst()
                    .map(NodeCheck::address).orElse(null);
            return new SentinelResolver(config, factory).replicas()
                    .compose(announced -> factory.admitted(config, announced))
                    .map(checked -> List.of(new Shard(master, List.of(), new LinkedHashSet<>(checked.values()))));
        }
        return SlotMap.load(factory, config, config.nodes()).map(ReplicaProbes::byMaster).recover(failure -> {
            boolean refused = failure instanceof ConnectorException e && e.code() == ErrorCode.TARGET_NOT_ALLOWED;
            return refused ? Future.failedFuture(failure)
                    : Future.succeededFuture(List.of(new Shard(null, List.of(), Set.of())));
        });
    }

    /** The slot map's ranges grouped by master, in the order CLUSTER SLOTS lists them. */
    private static List<Shard> byMaster(SlotMap map) {
        Map<HostAndPort, Shard> shards = new LinkedHashMap<>();
        for (SlotMap.Range range : map.ranges()) {
            Shard shard = shards.computeIfAbsent(range.master(),
                    master -> new Shard(master.toString(), new ArrayList<>(), new LinkedHashSet<>()));
            shard.slots().add(range.start() == range.end() ? Integer.toString(range.start())
                    : range.start() + "-" + range.end());
            shard.replicas().addAll(range.replicas());
        }
        return List.copyOf(shards.values());
    }
}
