package dev.redisfn.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.redisfn.config.ConnectionConfig;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.transport.RedisErrors;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Which node owns each hash slot, and its replicas, as one CLUSTER SLOTS reply announced them —
 * every address already passed by the target policy. Immutable: a refresh builds a new one.
 */
final class SlotMap {

    private final HostAndPort[] masters = new HostAndPort[Slots.COUNT];
    private final List<Range> ranges;
    private final List<List<HostAndPort>> replicas = new ArrayList<>();
    private final int[] replicaIndex = new int[Slots.COUNT];
    /** The distinct masters, ordered by address: a key-space cursor names them by position. */
    private final List<HostAndPort> distinctMasters;
    /** The checked address of each address as the cluster announced it (a redirect names the latter). */
    private final Map<HostAndPort, HostAndPort> checkedByAnnounced;
    final long builtNanos = System.nanoTime();

    private SlotMap(List<Range> ranges, Map<HostAndPort, HostAndPort> checkedByAnnounced) {
        this.checkedByAnnounced = Map.copyOf(checkedByAnnounced);
        this.ranges = List.copyOf(ranges);
        TreeMap<String, HostAndPort> byAddress = new TreeMap<>();
        for (Range range : ranges) {
            replicas.add(range.replicas());
            for (int slot = range.start(); slot <= range.end(); slot++) {
                masters[slot] = range.master();
                replicaIndex[slot] = replicas.size() - 1;
            }
            byAddress.put(range.master().toString(), range.master());
        }
        this.distinctMasters = List.copyOf(byAddress.values());
    }

    /** One range of a CLUSTER SLOTS reply: {@code [start, end, [host, port, id], replicas...]}. */
    record Range(int start, int end, HostAndPort master, List<HostAndPort> replicas) {
    }

    /** The ranges of a CLUSTER SLOTS reply, addresses as announced (not yet checked). */
    static List<Range> ranges(Response slots) {
        List<Range> ranges = new ArrayList<>();
        for (Response range : slots) {
            List<HostAndPort> replicas = new ArrayList<>();
            for (int i = 3; i < range.size(); i++) {
                replicas.add(address(range.get(i)));
            }
            ranges.add(new Range(range.get(0).toInteger(), range.get(1).toInteger(), address(range.get(2)), replicas));
        }
        return ranges;
    }

    private static HostAndPort address(Response node) {
        return new HostAndPort(node.get(0).toString(), node.get(1).toInteger());
    }

    /** The checked address of an address the cluster announced (in a redirect), or null when the topology lacks it. */
    HostAndPort checked(HostAndPort announced) {
        return checkedByAnnounced.get(announced);
    }

    /** The master of a slot, or null when no node serves it (the cluster is down for it). */
    HostAndPort master(int slot) {
        return masters[slot];
    }

    List<HostAndPort> replicas(int slot) {
        return masters[slot] == null ? List.of() : replicas.get(replicaIndex[slot]);
    }

    List<HostAndPort> masters() {
        return distinctMasters;
    }

    /** The ranges as CLUSTER SLOTS listed them, addresses checked. */
    List<Range> ranges() {
        return ranges;
    }

    /** The same map with, in each range, only the replicas {@code serving} names. */
    SlotMap withReplicasOnly(Set<HostAndPort> serving) {
        return new SlotMap(ranges.stream().map(range -> new Range(range.start(), range.end(), range.master(),
                range.replicas().stream().filter(serving::contains).toList())).toList(), checkedByAnnounced);
    }

    /** Every replica the map lists, each once, in the order of the ranges. */
    List<HostAndPort> replicas() {
        List<HostAndPort> all = new ArrayList<>();
        replicas.forEach(ofRange -> ofRange.stream().filter(replica -> !all.contains(replica)).forEach(all::add));
        return all;
    }

    /** The answer for a cluster config whose seed is a server outside Redis Cluster. */
    static ConnectorException notACluster(String node) {
        return new ConnectorException(ErrorCode.INVALID_CONNECTION, node + " is not a cluster node (cluster support disabled)",
                "mode: this server is not part of a Redis Cluster; use mode standalone (or sentinel)");
    }

    /**
     * Reads the map with CLUSTER SLOTS from the candidates in turn, on fresh connections; every
     * address it announces is checked by the target policy before the map is used.
     */
    static Future<SlotMap> load(ClientFactory factory, ConnectionConfig config, List<HostAndPort> candidates) {
        return load(factory, config, candidates, 0, new ArrayList<>());
    }

    private static Future<SlotMap> load(ClientFactory factory, ConnectionConfig config, List<HostAndPort> candidates,
            int index, List<Throwable> failures) {
        if (index >= candidates.size()) {
            // every node is asked with the same credentials: one that refuses them says what is wrong,
            // and so does one that is no cluster node at all (a caller's mistake, not an outage)
            for (Throwable failure : failures) {
                if (Failures.isAuthProblem(failure)) {
                    return Future.failedFuture(Failures.classify(failure));
                }
            }
            for (int i = 0; i < failures.size(); i++) {
                if (RedisErrors.saysClusterDisabled(failures.get(i).getMessage())) {
                    return Future.failedFuture(notACluster(candidates.get(i).toString()));
                }
                if (RedisErrors.saysUnknownCommand(failures.get(i).getMessage(), "cluster")) {
                    return Future.failedFuture(aSentinel(candidates.get(i).toString()));
                }
            }
            return Future.failedFuture(NetworkFailure.noSeed(failures).toException());
        }
        return factory.onceAsData(config, candidates.get(index), List.of(Request.cmd(Command.CLUSTER).arg("SLOTS")))
                .compose(ClientFactory::replies)
                .compose(replies -> checked(factory, config, ranges(replies.get(0))))
                .recover(failure -> {
                    if (failure instanceof ConnectorException refused && refused.code() == ErrorCode.TARGET_NOT_ALLOWED) {
                        return Future.failedFuture(refused);
                    }
                    failures.add(failure);
                    return load(factory, config, candidates, index + 1, failures);
                });
    }

    /** The ranges with every address passed through the target policy (which may resolve a name: off the event loop). */
    private static Future<SlotMap> checked(ClientFactory factory, ConnectionConfig config, List<Range> announced) {
        if (announced.isEmpty()) {
            return Future.failedFuture(new ConnectorException(ErrorCode.CONNECTION_FAILED,
                    "the cluster node serves no slot (CLUSTER SLOTS is empty)"));
        }
        List<HostAndPort> addresses = new ArrayList<>();
        for (Range range : announced) {
            addresses.add(range.master());
            addresses.addAll(range.replicas());
        }
        return factory.admitted(config, addresses).map(checked -> {
            List<Range> ranges = new ArrayList<>(announced.size());
            for (Range range : announced) {
                ranges.add(new Range(range.start(), range.end(), checked.get(range.master()),
                        range.replicas().stream().map(checked::get).toList()));
            }
            return new SlotMap(ranges, checked);
        });
    }

    /**
     * A call's failure as its caller gets it: a node of its slot that refused or dropped the connection
     * is named (see {@link #nodeDown}) instead of blaming the addresses the caller gave; a failure that
     * says more (not Redis, TLS) keeps its own words.
     */
    static Throwable namingTheNode(Future<SlotMap> known, Route route, Throwable failure) {
        if (route.slot() < 0 || failure instanceof ConnectorException) {
            return failure;
        }
        ConnectorException mapped = Failures.toConnectorException(failure); // null: a bug, which its caller logs once
        boolean nodeDown = mapped != null && mapped.code() == ErrorCode.CONNECTION_FAILED && NetworkFailure.HOST_PORT_HINT.equals(mapped.hint());
        return nodeDown ? nodeDown(known, route, failure) : failure;
    }

    /** The node of a call's slot did not answer: named, with what the cluster does about it. */
    static ConnectorException nodeDown(Future<SlotMap> known, Route route, Throwable cause) {
        HostAndPort node = known != null && known.succeeded() ? known.result().master(route.slot()) : null;
        return new ConnectorException(ErrorCode.CONNECTION_FAILED, "the cluster node serving hash slot " + route.slot()
                + (node == null ? "" : ", " + node + ",") + " does not answer: " + Failures.describe(cause),
                "nodes: a master is down; the cluster fails over to its replica after cluster-node-timeout, if it has"
                        + " one — retry shortly, or check the node");
    }

    /** A cluster seed that does not know CLUSTER: a sentinel. */
    static ConnectorException aSentinel(String node) {
        return new ConnectorException(ErrorCode.INVALID_CONNECTION, node + " does not know CLUSTER: it is a sentinel,"
                + " not a cluster node", "mode: use mode sentinel with masterName, or give the cluster nodes' addresses");
    }

    static ConnectorException noReplica(Route route) {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED, "no replica serves hash slot " + route.slot()
                + ": the cluster lists none, or none is in sync with its master (ROLE)", "readFrom: use readFrom"
                + " preferReplica to fall back to the slot's master while no replica serves");
    }

    static ConnectorException clusterDown(String what) {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED, "the cluster is down: " + what,
                "nodes: the cluster does not serve every slot — check cluster_state with POST /test-connection");
    }
}
